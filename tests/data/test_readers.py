"""tf.io and the file readers: TFRecord framing pinned by bytes TensorFlow 2.21 wrote (checked
once against TF: files written here read back there, and the other way round, plain, GZIP
and ZLIB); TensorProto bytes; CRC-32C; text lines, fixed-length records, CSV; save/load."""
import os

import numpy as np
import pytest

import autotrace as tf
from autotrace.io.crc32c import crc32c, masked_crc32c
from autotrace.io.tfrecord import read_records

# Written by TensorFlow 2.21: tf.io.TFRecordWriter with the records b"hello", b"" and
# bytes(range(200)), then the same first record GZIP-compressed, then b"abc", b"de" with ZLIB.
TF_PLAIN = bytes.fromhex(
    "0500000000000000eab2043e68656c6c6fbb1f1c19000000000000000029039807d8ea82a2c800000000000000"
    "fdaa9078" + bytes(range(200)).hex() + "ef9c6a6d")
TF_GZIP = bytes.fromhex("1f8b080000000000000363658080579b58ec32527372f277cbcb480200b781300e15"
                        "000000")
TF_ZLIB = bytes.fromhex("789c636680800d333df9129392f3c23f2a3241852ad4b94d5252230fe673030080a3"
                        "07de")


def test_crc32c_known_values_and_long_inputs():
    assert crc32c(b"123456789") == 0xE3069283
    assert crc32c(b"") == 0 and crc32c(b"a") == 0xC1D04330
    assert masked_crc32c(b"hello") == 0x191C1FBB
    rng = np.random.default_rng(0)
    data = rng.integers(0, 256, 70001, dtype=np.uint8).tobytes()
    # The lane-parallel path (long inputs) agrees with feeding the bytes in two pieces.
    assert crc32c(data) == crc32c(data[4000:], crc32c(data[:4000]))
    assert crc32c(data) == crc32c(data[1:], crc32c(data[:1]))


def test_tfrecord_writer_writes_tf_bytes(tmp_path):
    path = str(tmp_path / "out.tfrecord")
    with tf.io.TFRecordWriter(path) as writer:
        writer.write(b"hello")
        writer.write(tf.constant(b""))
        writer.write(bytes(range(200)))
    assert open(path, "rb").read() == TF_PLAIN


@pytest.mark.parametrize("data, compression, expected", [
    (TF_PLAIN, None, [b"hello", b"", bytes(range(200))]),
    (TF_GZIP, "GZIP", [b"hello"]),
    (TF_ZLIB, "ZLIB", [b"abc", b"de"]),
])
def test_tfrecord_dataset_reads_files_tf_wrote(tmp_path, data, compression, expected):
    path = tmp_path / "in.tfrecord"
    path.write_bytes(data)
    ds = tf.data.TFRecordDataset(str(path), compression_type=compression)
    assert ds.element_spec == tf.TensorSpec([], tf.string)
    assert list(ds.as_numpy_iterator()) == expected


@pytest.mark.parametrize("compression", ["GZIP", "ZLIB", ""])
def test_compressed_round_trip(tmp_path, compression):
    path = str(tmp_path / "r")
    records = [b"x" * n for n in (0, 1, 5000)]
    with tf.io.TFRecordWriter(path, tf.io.TFRecordOptions(compression)) as writer:
        for r in records:
            writer.write(r)
    assert list(read_records(path, compression)) == records


def test_damaged_tfrecord_is_a_data_loss_error(tmp_path):
    damaged = bytearray(TF_PLAIN)
    damaged[14] ^= 1  # inside "hello"
    path = tmp_path / "bad.tfrecord"
    path.write_bytes(bytes(damaged))
    with pytest.raises(tf.errors.DataLossError, match="corrupted record at offset 0"):
        list(tf.data.TFRecordDataset(str(path)).as_numpy_iterator())


def test_serialize_tensor_matches_tf_bytes_and_parses_back():
    cases = [(tf.constant([[1.5, 2.0]]), "08011208120208011202080222080000c03f00000040"),
             (tf.constant([b"ab", b"c"]), "080712041202080242026162420163"),
             (tf.constant(3), "08031200220403000000")]
    for tensor, hex_bytes in cases:
        serialized = tf.io.serialize_tensor(tensor)
        assert serialized.numpy().hex() == hex_bytes
        back = tf.io.parse_tensor(serialized, tensor.dtype)
        assert back.numpy().tolist() == tensor.numpy().tolist()
    with pytest.raises(tf.errors.InvalidArgumentError, match="Type mismatch"):
        tf.io.parse_tensor(bytes.fromhex(cases[2][1]), tf.float32)


def test_read_and_write_file_and_decode_raw_in_a_pipeline(tmp_path):
    for i in range(3):
        tf.io.write_file(str(tmp_path / ("f%d.bin" % i)),
                         np.arange(4, dtype=np.int16).tobytes() * (i + 1))
    files = tf.data.Dataset.list_files(str(tmp_path / "*.bin"), shuffle=False)
    lengths = files.map(lambda p: tf.size(tf.io.decode_raw(tf.io.read_file(p), tf.int16)))
    assert list(lengths.as_numpy_iterator()) == [4, 8, 12]
    with pytest.raises(tf.errors.NotFoundError):
        tf.io.read_file(str(tmp_path / "missing"))
    with pytest.raises(tf.errors.InvalidArgumentError, match="not a multiple of 2"):
        tf.io.decode_raw(b"abc", tf.int16)


def test_decode_csv_types_defaults_and_required_fields():
    a, b, c = tf.io.decode_csv(["1,2.5,a", '3,,"b,c"'], record_defaults=[[0], [1.0], [""]])
    assert a.numpy().tolist() == [1, 3] and a.dtype == tf.int32
    assert b.numpy().tolist() == [2.5, 1.0]
    assert c.numpy().tolist() == [b"a", b"b,c"]
    with pytest.raises(tf.errors.InvalidArgumentError, match="field 1 of record 0 is required"):
        tf.io.decode_csv(["1,"], record_defaults=[[0], tf.float32])
    with pytest.raises(tf.errors.InvalidArgumentError, match="expect 2 fields but have 3"):
        tf.io.decode_csv(["1,2,3"], record_defaults=[[0], [0]])


def test_gfile_basics(tmp_path):
    gfile = tf.io.gfile
    path = gfile.join(str(tmp_path), "d", "x.txt")
    gfile.makedirs(os.path.dirname(path))
    with gfile.GFile(path, "w") as f:
        f.write("one\ntwo\n")
    assert gfile.exists(path) and gfile.listdir(str(tmp_path / "d")) == ["x.txt"]
    assert gfile.glob(str(tmp_path / "d" / "*.txt")) == [path]
    with gfile.GFile(path) as f:
        assert f.readlines() == ["one\n", "two\n"]
    gfile.rename(path, path + ".bak")
    assert not gfile.exists(path)
    with pytest.raises(tf.errors.NotFoundError):
        gfile.GFile(path)


def test_text_lines_and_fixed_length_records(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"line1\nline2\r\n\nlast")
    (tmp_path / "b.txt").write_bytes(b"b1\nb2\n")
    names = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    lines = tf.data.TextLineDataset(names)
    assert list(lines.as_numpy_iterator()) == [b"line1", b"line2", b"", b"last", b"b1", b"b2"]
    mixed = tf.data.TextLineDataset(names, num_parallel_reads=2)
    assert list(mixed.as_numpy_iterator()) == [b"line1", b"b1", b"line2", b"b2", b"", b"last"]
    (tmp_path / "r.bin").write_bytes(b"HDRaabbccFT")
    records = tf.data.FixedLengthRecordDataset(str(tmp_path / "r.bin"), 2, header_bytes=3,
                                               footer_bytes=2)
    assert list(records.as_numpy_iterator()) == [b"aa", b"bb", b"cc"]


def test_csv_dataset_and_make_csv_dataset(tmp_path):
    path = str(tmp_path / "b.csv")
    with open(path, "w") as f:
        f.write('a,b,name\n1,2.5,x\n3,,y\n4,1e3,"q,z"\n')
    rows = tf.data.experimental.CsvDataset(path, [0, 0.0, ""], header=True)
    assert list(rows.as_numpy_iterator()) == [(1, 2.5, b"x"), (3, 0.0, b"y"),
                                              (4, 1000.0, b"q,z")]
    with pytest.raises(tf.errors.InvalidArgumentError, match="field 1 is required but missing"):
        list(tf.data.experimental.CsvDataset(path, [0, tf.float32, ""], header=True))
    ds = tf.data.experimental.make_csv_dataset(path, batch_size=2, shuffle=False, num_epochs=1,
                                               label_name="a")
    features, labels = next(iter(ds))
    assert list(features) == ["b", "name"]
    assert labels.numpy().tolist() == [1, 3] and labels.dtype == tf.int32
    assert features["b"].numpy().tolist() == [2.5, 0.0]
    assert ds.element_spec[1] == tf.TensorSpec([None], tf.int32)


def test_save_and_load_round_trip(tmp_path):
    ds = tf.data.Dataset.from_tensor_slices({"x": np.arange(6, dtype=np.float32).reshape(3, 2),
                                             "s": [b"a", b"bc", b""]}).map(
        lambda d: (d, tf.size(d["x"])))
    path = str(tmp_path / "saved")
    ds.save(path)
    loaded = tf.data.Dataset.load(path)
    assert loaded.element_spec == ds.element_spec
    assert int(loaded.cardinality()) == 3
    for (a, n), (b, m) in zip(ds.as_numpy_iterator(), loaded.as_numpy_iterator()):
        np.testing.assert_array_equal(a["x"], b["x"])
        assert a["s"] == b["s"] and n == m
    ragged = tf.data.Dataset.range(1, 4).map(lambda n: tf.fill([n], n))
    ragged.save(path, compression="GZIP")
    assert [v.tolist() for v in tf.data.Dataset.load(path).as_numpy_iterator()] == [
        [1], [2, 2], [3, 3, 3]]


def test_load_refuses_what_is_not_a_saved_dataset(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="not a saved dataset"):
        tf.data.Dataset.load(str(tmp_path))
    (tmp_path / "spec.json").write_text('{"format": "pickle"}')
    with pytest.raises(tf.errors.DataLossError, match="not an autotrace saved dataset"):
        tf.data.Dataset.load(str(tmp_path))


def test_readers_built_inside_dataset_functions(tmp_path):
    """HOML's pattern: list_files, interleave text files (skipping headers), decode_csv."""
    for i in range(3):
        (tmp_path / ("part%d.csv" % i)).write_text(
            "x,y\n" + "".join("%d,%d\n" % (i * 10 + j, j) for j in range(4)))
    files = tf.data.Dataset.list_files(str(tmp_path / "part*.csv"), shuffle=False)
    lines = files.interleave(lambda path: tf.data.TextLineDataset(path).skip(1),
                             cycle_length=3)
    assert list(lines.take(4).as_numpy_iterator()) == [b"0,0", b"10,0", b"20,0", b"1,1"]

    def preprocess(line):
        fields = tf.io.decode_csv(line, record_defaults=[0.0, 0.0])
        return tf.stack(fields[:-1]), tf.stack(fields[-1:])
    batches = list(lines.map(preprocess).batch(12).as_numpy_iterator())
    (x, y), = batches
    assert sorted(x.ravel().tolist()) == [i * 10 + j for i in range(3) for j in range(4)]
    assert x.shape == (12, 1) and y.shape == (12, 1)

    path = str(tmp_path / "r.tfrecord")
    with tf.io.TFRecordWriter(path) as writer:
        writer.write(b"r1")
        writer.write(b"r2")
    records = tf.data.Dataset.from_tensor_slices([path, path]).interleave(
        tf.data.TFRecordDataset, cycle_length=2)
    assert list(records.as_numpy_iterator()) == [b"r1", b"r1", b"r2", b"r2"]
