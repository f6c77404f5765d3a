"""DType objects: names, NumPy types, families, sizes, limits, as_dtype and printing."""
import pickle

import numpy as np
import pytest

import autotrace as tf

# name, NumPy type, floating, integer, bool, complex, unsigned, size, (min, max) or None
TABLE = [
    ("float16", np.float16, True, False, False, False, False, 2, (-65504.0, 65504.0)),
    ("float32", np.float32, True, False, False, False, False, 4,
     (float(np.finfo(np.float32).min), float(np.finfo(np.float32).max))),
    ("float64", np.float64, True, False, False, False, False, 8,
     (float(np.finfo(np.float64).min), float(np.finfo(np.float64).max))),
    ("int8", np.int8, False, True, False, False, False, 1, (-128, 127)),
    ("int16", np.int16, False, True, False, False, False, 2, (-32768, 32767)),
    ("int32", np.int32, False, True, False, False, False, 4, (-2 ** 31, 2 ** 31 - 1)),
    ("int64", np.int64, False, True, False, False, False, 8, (-2 ** 63, 2 ** 63 - 1)),
    ("uint8", np.uint8, False, True, False, False, True, 1, (0, 255)),
    ("bool", np.bool_, False, False, True, False, False, 1, None),
    ("string", object, False, False, False, False, False, 0, None),
    ("complex64", np.complex64, False, False, False, True, False, 8, None),
    ("complex128", np.complex128, False, False, False, True, False, 16, None),
]
IDS = [row[0] for row in TABLE]


@pytest.mark.parametrize("row", TABLE, ids=IDS)
def test_dtype_properties(row):
    name, np_type, floating, integer, is_bool, is_complex, unsigned, size, limits = row
    d = getattr(tf, name)
    assert d.name == name
    assert d.as_numpy_dtype is np_type
    assert (d.is_floating, d.is_integer, d.is_bool, d.is_complex, d.is_unsigned) == (
        floating, integer, is_bool, is_complex, unsigned)
    assert d.is_numeric == (floating or integer or is_complex)
    assert d.is_string == (name == "string")
    assert d.size == size
    assert d.base_dtype is d


@pytest.mark.parametrize("row", [r for r in TABLE if r[8] is not None], ids=lambda r: r[0])
def test_min_max(row):
    d = getattr(tf, row[0])
    assert (d.min, d.max) == row[8]


@pytest.mark.parametrize("name", ["bool", "string", "complex64", "complex128"])
def test_min_max_undefined_raise_like_tf(name):
    d = getattr(tf, name)
    with pytest.raises(TypeError, match="has no minimum or maximum"):
        d.min
    with pytest.raises(TypeError, match="has no minimum or maximum"):
        d.max


@pytest.mark.parametrize("row", TABLE, ids=IDS)
def test_as_dtype_from_name_numpy_and_itself(row):
    name, np_type = row[0], row[1]
    d = getattr(tf, name)
    assert tf.as_dtype(name) is d
    assert tf.as_dtype(d) is d
    assert tf.as_dtype(np_type) is d
    assert tf.as_dtype(np.dtype(np_type)) is d
    assert tf.dtypes.as_dtype(name) is d


@pytest.mark.parametrize("value, expected", [
    (float, tf.float32), (int, tf.int32), (bool, tf.bool), (str, tf.string), (bytes, tf.string),
    (complex, tf.complex128), (np.str_, tf.string), (np.bytes_, tf.string), ("half", tf.float16),
    ("double", tf.float64), ("float", tf.float32), (np.dtype("U3"), tf.string),
    (np.uint16, tf.uint16), (np.uint32, tf.uint32), (np.uint64, tf.uint64),
])
def test_as_dtype_aliases(value, expected):
    assert tf.as_dtype(value) is expected


@pytest.mark.parametrize("bad", ["floaty", None, 3.5, np.float128 if hasattr(np, "float128")
                                 else "complex256", np.dtype("datetime64[s]")])
def test_as_dtype_rejects(bad):
    with pytest.raises(TypeError):
        tf.as_dtype(bad)


def test_as_dtype_unknown_name_lists_choices():
    with pytest.raises(TypeError, match=r"Unknown dtype name 'floaty'; expected one of: "
                                        r"float16, float32"):
        tf.as_dtype("floaty")


def test_equality_and_hash():
    assert tf.float32 == tf.float32 and tf.float32 is tf.as_dtype("float32")
    assert tf.float32 == "float32" and tf.float32 == np.float32 and tf.float32 == np.dtype("f4")
    assert tf.float32 != tf.float64 and tf.int32 != tf.int64 and tf.int32 != tf.uint8
    assert not (tf.float32 == "nonsense") and tf.float32 != "nonsense"
    assert tf.float64 != None and not (tf.float64 == None)  # np.dtype(None) is float64  # noqa
    assert tf.float32 != 3
    assert len({tf.float32, tf.as_dtype("float32"), tf.int32}) == 2
    assert {tf.float32: 1}[tf.as_dtype(np.float32)] == 1


def test_repr_and_str():
    assert repr(tf.float32) == "tf.float32"
    assert str(tf.float32) == "<dtype: 'float32'>"
    assert repr(tf.string) == "tf.string"
    assert str(tf.bool) == "<dtype: 'bool'>"
    assert [repr(d) for d in (tf.int8, tf.complex64)] == ["tf.int8", "tf.complex64"]


def test_aliases_and_real_dtype():
    assert tf.half is tf.float16 and tf.double is tf.float64
    assert tf.complex64.real_dtype is tf.float32 and tf.complex128.real_dtype is tf.float64
    assert tf.float32.real_dtype is tf.float32


def test_is_compatible_with():
    assert tf.float32.is_compatible_with(tf.float32)
    assert tf.float32.is_compatible_with("float32")
    assert not tf.float32.is_compatible_with(tf.float64)


@pytest.mark.parametrize("name", IDS)
def test_pickle_keeps_singletons(name):
    d = getattr(tf, name)
    assert pickle.loads(pickle.dumps(d)) is d


@pytest.mark.parametrize("value, expected", [
    (np.zeros(2, np.float16), tf.float16), (np.zeros(2, np.int8), tf.int8),
    (np.float64(1), tf.float64), (np.array([b"a"], dtype=object), tf.string),
    (np.array(True), tf.bool), (np.zeros(1, np.complex64), tf.complex64),
])
def test_dtype_of_value(value, expected):
    assert tf.dtypes.dtype_of_value(value) is expected
