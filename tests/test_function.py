"""autotrace.function: decorator forms, the trace cache and its keys, ConcreteFunction."""
import collections
import functools
import gc
import weakref

import numpy as np
import pytest

import autotrace as tf


def counting(fn):
    """Wrap `fn` so the number of times its Python body runs (= traces) is visible."""
    calls = []

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        calls.append(1)
        return fn(*args, **kwargs)
    wrapper.traces = calls
    return wrapper


def test_decorator_forms():
    @tf.function
    def a(x):
        return x + 1

    @tf.function(reduce_retracing=True)
    def b(x):
        return x + 1

    c = tf.function(lambda x: x + 1)
    for f in (a, b, c):
        assert isinstance(f, tf.Function)
        assert f(tf.constant(1)).numpy() == 2
    assert a.__name__ == "a" and a.python_function.__name__ == "a"


def test_tensors_are_keyed_by_dtype_and_shape():
    f = tf.function(counting(lambda x: x * 2))
    f(tf.constant([1.0, 2.0]))
    f(tf.constant([3.0, 4.0]))
    f(np.array([5.0, 6.0], np.float32))          # an ndarray of the same spec shares it
    assert f.experimental_get_tracing_count() == 1
    f(tf.constant([1.0, 2.0, 3.0]))             # new shape
    f(tf.constant([1.0, 2.0], tf.float64))      # new dtype
    assert f.experimental_get_tracing_count() == 3


def test_python_values_are_keyed_by_value():
    f = tf.function(lambda x, n: x * n)
    x = tf.constant(1.0)
    for n in (2.0, 2.0, 3.0, 2.0):
        f(x, n)
    f(x, True)
    f(x, 1)
    f(x, 1.0)  # 1 == 1.0 == True in Python, but their types differ: three traces
    assert f.experimental_get_tracing_count() == 5


def test_structures_are_keyed_by_structure_and_contents():
    f = tf.function(lambda xs: xs[0] if isinstance(xs, (list, tuple)) else xs["a"])
    t = tf.constant(1)
    f([t, t])
    f([t, tf.constant(5)])
    assert f.experimental_get_tracing_count() == 1
    f((t, t))
    f([t, t, t])
    f({"a": t})
    f({"a": t, "b": 2})
    Point = collections.namedtuple("Point", "x y")
    f(Point(t, t))
    assert f.experimental_get_tracing_count() == 6


def test_variables_are_keyed_by_identity():
    f = tf.function(lambda v: v * 2.0)
    v1, v2 = tf.Variable(1.0), tf.Variable(1.0)
    assert f(v1).numpy() == 2.0
    assert f(v1).numpy() == 2.0
    assert f(v2).numpy() == 2.0
    assert f.experimental_get_tracing_count() == 2


def test_other_objects_by_hash_and_equality():
    class Config:
        def __init__(self, k):
            self.k = k

        def __eq__(self, other):
            return isinstance(other, Config) and other.k == self.k

        def __hash__(self):
            return hash(self.k)

    f = tf.function(lambda x, cfg: x * cfg.k)
    x = tf.constant(1)
    f(x, Config(2))
    f(x, Config(2))
    f(x, Config(3))
    assert f.experimental_get_tracing_count() == 2
    with pytest.raises(TypeError, match="not hashable"):
        f(x, {1, 2})  # a set: neither a tensor, a structure, nor hashable


def test_arguments_bind_against_the_signature():
    @counting
    def g(x, y=2.0):
        return x * y

    f = tf.function(g)
    x = tf.constant(3.0)
    assert f(x).numpy() == 6.0
    assert f(x=x).numpy() == 6.0
    assert f(x, y=2.0).numpy() == 6.0
    assert f(x, 2.0).numpy() == 6.0
    assert f.experimental_get_tracing_count() == 1
    with pytest.raises(TypeError, match="missing a required argument: 'x'"):
        f(y=1.0)


def test_varargs_and_kwargs():
    f = tf.function(lambda *xs, **opts: tf.add_n(list(xs)) * opts.get("scale", 1))
    one = tf.constant(1)
    assert f(one, one, one).numpy() == 3
    assert f(one, one, scale=3).numpy() == 6


def test_input_signature_fixes_one_trace():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        return tf.reduce_sum(x)

    assert f(tf.constant([1.0, 2.0])).numpy() == 3.0
    assert f(tf.constant([1.0, 2.0, 3.0])).numpy() == 6.0
    assert f([1.0, 2.0]).numpy() == 3.0   # Python values convert to the spec's dtype
    assert f.experimental_get_tracing_count() == 1
    with pytest.raises(TypeError) as err:
        f(tf.constant([[1.0]]))
    assert str(err.value) == (
        "autotrace.function f(): argument x does not fit its input_signature: expected "
        "TensorSpec(shape=(None,), dtype=tf.float32, name=None), got a float32 tensor "
        "of shape (1, 1)")
    with pytest.raises(TypeError, match="got a int32 tensor|got an int32 tensor"):
        f(tf.constant([1, 2]))


def test_input_signature_must_hold_tensor_specs():
    with pytest.raises(TypeError, match="only TensorSpecs"):
        tf.function(lambda x: x, input_signature=[3])


def test_reduce_retracing_generalises_after_the_second_shape():
    f = tf.function(counting(lambda x: x + 1), reduce_retracing=True)
    for n in (2, 3, 4, 5, 6):
        assert f(tf.zeros([n])).shape == [n]
    assert f.experimental_get_tracing_count() == 2
    general = f.concrete_functions[-1]
    assert general.structured_input_signature[0][0].shape.as_list() == [None]
    assert str(f.trace_history()) == (
        "trace 1: first call\n"
        "trace 2: argument x: shape (2,) -> (3,); reduce_retracing: this trace has None "
        "dimensions, so later shapes like these share it")
    g = tf.function(lambda x: x + 1, experimental_relax_shapes=True)
    g(tf.zeros([2]))
    g(tf.zeros([3]))
    g(tf.zeros([4]))
    assert g.experimental_get_tracing_count() == 2


def test_concrete_function_api():
    v = tf.Variable(2.0, name="scale")
    offset = tf.constant(1.0)

    @tf.function
    def f(x, n):
        return {"y": x * v + offset, "n": n}

    cf = f.get_concrete_function(tf.TensorSpec([3], tf.float32), 4)
    assert [t.name for t in cf.inputs] == ["x:0"]
    assert isinstance(cf.graph, tf.Graph)
    assert cf.structured_input_signature == ((tf.TensorSpec([3], tf.float32, "x"), 4), {})
    assert cf.structured_outputs["n"].dtype == tf.int32  # a Python output becomes a tensor
    assert cf.structured_outputs["y"].shape == [3]
    assert len(cf.outputs) == 2
    assert cf.variables == (v,) and cf.trainable_variables == (v,)
    assert len(cf.captured_inputs) == 2
    result = cf(tf.constant([1.0, 2.0, 3.0]), 4)
    np.testing.assert_array_equal(result["y"].numpy(), [3.0, 5.0, 7.0])
    assert result["n"].dtype == tf.int32 and int(result["n"]) == 4
    assert cf.pretty_printed_signature() == "\n".join([
        "Input Parameters:",
        "  x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(3,), dtype=tf.float32, name=None)",
        "  n (POSITIONAL_OR_KEYWORD): Literal[4]",
        "Output Type:",
        "  Dict[['n', TensorSpec(shape=(), dtype=tf.int32, name=None)], "  # TF's form
        "['y', TensorSpec(shape=(3,), dtype=tf.float32, name=None)]]",
        "Captures:",
        "  float32[]",
        "  resource handle of scale:0",
    ])


def test_concrete_function_checks_its_arguments():
    f = tf.function(lambda x, b: x * b)
    cf = f.get_concrete_function(tf.constant([1, 2]), 2)
    np.testing.assert_array_equal(cf(tf.constant([3, 4]), 2).numpy(), [6, 8])
    with pytest.raises(TypeError) as err:
        cf(tf.constant([3, 4]), 3)
    assert str(err.value) == ("ConcreteFunction <lambda>(x, b) was constructed with int value 2 "
                              "in b, but was called with Python int 3")
    with pytest.raises(TypeError) as err:
        cf(tf.constant([1, 2, 3]), 2)
    assert str(err.value) == ("ConcreteFunction <lambda>(x, b) expects argument x to be a "
                              "int32[2] tensor, but it was called with a int32[3] tensor")
    with pytest.raises(TypeError, match="float32"):
        cf(tf.constant([1.0, 2.0]), 2)


def test_get_concrete_function_with_values_and_specs_shares_the_cache():
    f = tf.function(lambda x: x + 1)
    a = f.get_concrete_function(tf.TensorSpec([2], tf.int32))
    b = f.get_concrete_function(tf.constant([5, 6]))
    assert a is b
    assert f.experimental_get_tracing_count() == 1
    sig = tf.function(lambda x: x, input_signature=[tf.TensorSpec(None, tf.float32)])
    assert sig.get_concrete_function().inputs[0].shape.rank is None


def test_cache_info_and_pretty_printed_signatures():
    f = tf.function(lambda x: x + 1)
    f(tf.constant(1))
    f(tf.constant(2))
    f(tf.constant([1]))
    info = f.cache_info()
    assert (info.entries, info.hits, info.misses) == (2, 1, 2)
    assert [sig for sig, _ in info.traces] == ["(x: int32[])", "(x: int32[1])"]
    assert all(seconds >= 0 for _, seconds in info.traces)
    text = f.pretty_printed_concrete_signatures()
    assert text.count("Input Parameters:") == 2


def test_outputs_can_be_any_nest_with_python_values():
    @tf.function
    def f(x):
        return [x, (x * 2, "label"), {"none": None, "k": 3}]

    out = f(tf.constant(1))
    assert out[0].numpy() == 1 and out[1][0].numpy() == 2
    assert out[1][1] == "label" and out[2] == {"none": None, "k": 3}
    assert isinstance(out[0], tf.Tensor) and not isinstance(out[0], tf.Variable)


def test_returning_inputs_variables_and_nothing():
    v = tf.Variable([1.0])
    assert tf.function(lambda x: x)(tf.constant(2)).numpy() == 2
    assert tf.function(lambda: v)().numpy().tolist() == [1.0]
    assert tf.function(lambda: None)() is None
    const = tf.constant(7)
    assert tf.function(lambda: const)().numpy() == 7


def test_captured_tensors_are_taken_by_value_variables_by_reference():
    scale = tf.constant(2.0)
    v = tf.Variable(10.0)

    @tf.function
    def f(x):
        return x * scale + v

    assert f(tf.constant(1.0)).numpy() == 12.0
    scale = tf.constant(100.0)     # rebinding the Python name does not change the trace
    v.assign(20.0)                 # but the variable is read on every call
    assert f(tf.constant(1.0)).numpy() == 22.0
    assert f.experimental_get_tracing_count() == 1


def test_leaked_symbolic_tensor_explains_itself():
    leaked = []

    @tf.function
    def f(x):
        y = x * 2
        leaked.append(y)
        return y

    f(tf.constant(1))
    with pytest.raises(tf.errors.InaccessibleTensorError) as err:
        leaked[0] + 1
    message = str(err.value)
    assert "belongs to the trace of f" in message and "has no value outside it" in message
    assert "test_function.py" in message  # where the tensor was created

    g = tf.function(lambda x: x + leaked[0])
    with pytest.raises(tf.errors.InaccessibleTensorError, match="leaked out of that trace"):
        g(tf.constant(1))


def test_nested_functions_are_traced_inline():
    inner = tf.function(lambda x: x * 3)
    outer = tf.function(lambda x: inner(x) + 1)
    assert outer(tf.constant(2)).numpy() == 7
    assert inner.experimental_get_tracing_count() == 0
    types = [op.type for op in outer.concrete_functions[0].graph.get_operations()]
    assert "Mul" in types


def test_run_functions_eagerly():
    seen = []

    @tf.function
    def f(x):
        seen.append(x)
        return x + 1

    tf.config.run_functions_eagerly(True)
    try:
        assert f(tf.constant(1)).numpy() == 2
        assert f(tf.constant(1)).numpy() == 2
        assert all(isinstance(x, tf.Tensor) and x.numpy() == 1 for x in seen)
        assert len(seen) == 2 and f.experimental_get_tracing_count() == 0
    finally:
        tf.config.run_functions_eagerly(False)
    f(tf.constant(1))
    assert f.experimental_get_tracing_count() == 1


def test_runtime_errors_name_the_op_and_the_users_line():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.int32)])
    def f(x):
        return tf.reshape(x, [2, 2])  # the error must point here

    line = f.python_function.__code__.co_firstlineno + 2
    assert f(tf.constant([1, 2, 3, 4])).shape == [2, 2]
    with pytest.raises(tf.errors.InvalidArgumentError) as err:
        f(tf.constant([1, 2, 3]))
    assert "Reshape" in str(err.value)
    assert "test_function.py:%d" % line in str(err.value)


def test_generated_code_is_plain_python():
    @tf.function
    def f(x, y):
        return tf.matmul(x, y) + 1.0

    cf = f.get_concrete_function(tf.TensorSpec([2, 2]), tf.TensorSpec([2, 2]))
    assert cf.generated_source == "\n".join([
        "def f(x, y):",
        "    MatMul = x @ y",
        "    add = MatMul + c_add_y",
        "    del MatMul",
        "    return (add,)",
        ""])


def test_generated_code_reads_and_writes_variables_through_the_runtime():
    v = tf.Variable([1.0, 2.0])

    @tf.function
    def f(x):
        v.assign_add(x)
        return v * 2.0

    cf = f.get_concrete_function(tf.TensorSpec([2]))
    assert cf.generated_source == "\n".join([
        "def f(x):",
        "    AssignAddVariableOp = k_AssignAddVariableOp(rt, c_Variable, x)",
        "    ReadVariableOp = rt.read_variable(c_Variable)",
        "    mul = ReadVariableOp * c_mul_y",
        "    del ReadVariableOp",
        "    return (mul,)",
        ""])
    np.testing.assert_allclose(cf(tf.constant([1.0, 1.0])).numpy(), [4.0, 6.0])
    np.testing.assert_allclose(v.numpy(), [2.0, 3.0])


def test_optimisation_folds_constants_and_merges_duplicates():
    @tf.function
    def f(x):
        k = tf.constant(2.0) * tf.constant(3.0)      # folded to 6.0
        a = tf.exp(x)
        b = tf.exp(x)                                # merged with a
        unused = tf.sqrt(x)                          # pruned
        return a + b + k + tf.cast(tf.shape(x)[0], tf.float32)  # shape folded

    cf = f.get_concrete_function(tf.TensorSpec([3]))
    optimized = [op.type for op in cf.optimized_graph.get_operations()]
    assert optimized.count("Exp") == 1 and "Sqrt" not in optimized and "Shape" not in optimized
    assert "Mul" not in optimized
    traced = [op.type for op in cf.graph.get_operations()]
    assert traced.count("Exp") == 2 and "Sqrt" in traced  # the traced graph is kept as is
    x = np.array([0.0, 1.0, 2.0], np.float32)
    np.testing.assert_allclose(f(x).numpy(), 2 * np.exp(x) + 6.0 + 3.0, rtol=1e-6)


def test_reference_interpreter_agrees_with_generated_code():
    @tf.function
    def f(x):
        return tf.nn.relu(x - 1.0) * 2.0, tf.reduce_max(x)

    x = tf.constant([0.0, 1.0, 5.0])
    compiled, reference = f(x), f.get_concrete_function(x).run_reference(x)
    for a, b in zip(compiled, reference):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


class Counter:
    def __init__(self):
        self.traces = 0

    @tf.function
    def scale(self, x):
        self.traces += 1
        return x * 2


def test_methods_have_one_cache_per_instance():
    a, b = Counter(), Counter()
    x = tf.constant(1)
    assert a.scale(x).numpy() == 2 and a.scale(x).numpy() == 2
    assert b.scale(x).numpy() == 2
    assert (a.traces, b.traces) == (1, 1)
    assert a.scale.experimental_get_tracing_count() == 1


def test_instances_are_garbage_collected():
    obj = Counter()
    obj.scale(tf.constant(1))
    ref = weakref.ref(obj)
    del obj
    gc.collect()
    assert ref() is None
    assert not Counter.scale._method_function._instance_caches


def test_a_stored_bound_method_keeps_working():
    method = Counter().scale   # the only reference to the instance is the bound method
    gc.collect()
    assert method(tf.constant(3)).numpy() == 6
    assert method(tf.constant(4)).numpy() == 8


def test_static_and_class_methods():
    class K:
        factor = 5

        @tf.function
        @staticmethod
        def double(x):
            return x * 2

        @tf.function
        @classmethod
        def times(cls, x):
            return x * cls.factor

    assert K.double(tf.constant(2)).numpy() == 4
    assert K().double(tf.constant(2)).numpy() == 4
    assert K.times(tf.constant(2)).numpy() == 10


def test_closures_and_callable_objects():
    def make(k):
        return tf.function(lambda x: x + k)

    assert make(1)(tf.constant(1)).numpy() == 2
    assert make(5)(tf.constant(1)).numpy() == 6

    class Affine(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = tf.Variable(3.0)

        def __call__(self, x):
            return self.w * x

    model = Affine()
    f = tf.function(model)
    assert f(tf.constant(2.0)).numpy() == 6.0
