"""tf.image: resize against values TensorFlow 2.21 computed (bilinear, nearest, bicubic,
area; up and down), gradients by finite differences, dtype conversion, geometry and color
ops, random augmentations, and JPEG/PNG through Pillow (an optional extra)."""
import numpy as np
import pytest

import autotrace as tf
from autotrace.image.resize import RESIZE_OPS
from autotrace.ops.registry import apply

IMAGE = np.arange(12, dtype=np.float32).reshape(1, 3, 4, 1) ** 1.5

# tf.image.resize(IMAGE, size, method)[0, :, :, 0] in TensorFlow 2.21.
TF_RESIZED = {
    ("bilinear", (5, 3)): [[0.16667, 1.91421, 4.80153], [3.51202, 6.32398, 10.03414],
                           [8.53006, 12.93864, 17.88304], [17.42573, 22.76229, 28.55693],
                           [23.35618, 29.31139, 35.67286]],
    ("nearest", (5, 3)): [[0.0, 2.82843, 5.19615], [0.0, 2.82843, 5.19615],
                          [8.0, 14.69694, 18.52026], [22.62742, 31.62278, 36.48287],
                          [22.62742, 31.62278, 36.48287]],
    ("bicubic", (5, 3)): [[-0.5276, 0.99268, 3.95099], [2.32303, 4.98189, 8.77317],
                          [8.32414, 12.89845, 18.12278], [18.26378, 24.02374, 30.29888],
                          [24.1895, 30.51821, 37.3279]],
    ("area", (5, 3)): [[0.25, 1.91421, 4.60422], [3.09836, 5.58902, 8.92429],
                       [8.79508, 12.93864, 17.56442], [18.7454, 23.85381, 29.36671],
                       [23.72056, 29.31138, 35.26784]],
    ("bilinear", (2, 7)): [[2.0, 2.55182, 3.43472, 4.67032, 5.99067, 7.5516, 8.52718],
                           [18.97056, 20.42575, 22.75405, 25.2182, 27.71995, 30.34904,
                            31.99222]],
    ("nearest", (2, 7)): [[0.0, 0.0, 1.0, 2.82843, 2.82843, 5.19615, 5.19615],
                          [22.62742, 22.62742, 27.0, 31.62278, 31.62278, 36.48287,
                           36.48287]],
    ("bicubic", (2, 7)): [[1.08801, 1.53631, 2.45779, 3.57081, 4.89374, 6.62011, 7.53912],
                          [19.69435, 21.12464, 23.89478, 26.41424, 29.01898, 32.11611,
                           33.73761]],
    ("area", (2, 7)): [[2.66667, 3.09836, 4.39345, 5.58902, 6.7846, 8.92429, 9.63752],
                       [17.75161, 18.7454, 21.72678, 23.8538, 25.98083, 29.36672, 30.49532]],
}


@pytest.mark.parametrize("method, size", sorted(TF_RESIZED))
def test_resize_matches_tensorflow(method, size):
    out = tf.image.resize(IMAGE, size, method=method)
    assert out.dtype == tf.float32 and out.shape == (1,) + size + (1,)
    np.testing.assert_allclose(out.numpy()[0, :, :, 0], TF_RESIZED[method, size], atol=2e-4)


def test_resize_dtypes_ranks_and_aspect_ratio():
    pixels = (np.arange(24).reshape(2, 3, 4) * 10).astype(np.uint8)
    assert tf.image.resize(pixels, [4, 2]).dtype == tf.float32
    assert tf.image.resize(pixels, [4, 2], method="nearest").dtype == tf.uint8
    assert tf.image.resize(IMAGE, [6, 8], preserve_aspect_ratio=True).shape == (1, 6, 8, 1)
    with pytest.raises(ValueError, match="3-D .* or 4-D"):
        tf.image.resize(np.zeros((2, 2)), [3, 3])


def test_resize_of_images_of_unknown_size_inside_a_dataset():
    sizes = tf.data.Dataset.from_tensor_slices([2, 5]).map(
        lambda n: tf.image.resize(tf.ones([n, n, 3]), [4, 4]))
    assert sizes.element_spec.shape[:2] == [4, 4]  # the image's size is unknown when traced
    assert [float(tf.reduce_sum(v)) for v in sizes] == [48.0, 48.0]


@pytest.mark.parametrize("method", sorted(RESIZE_OPS))
def test_resize_gradients(method):
    rng = np.random.default_rng(0)
    images = rng.normal(size=(2, 3, 4, 2))
    for size in ([5, 3], [2, 6]):
        tf.test.check_gradients(
            lambda x: apply(RESIZE_OPS[method], (x, tf.constant(size)), {"method": method}),
            [images])


def test_convert_image_dtype_matches_tensorflow():
    floats = np.array([0.0, 0.5, 1.0, 1.2], np.float32)
    assert tf.image.convert_image_dtype(floats, tf.uint8).numpy().tolist() == [0, 127, 255, 50]
    assert tf.image.convert_image_dtype(floats, tf.uint8, saturate=True).numpy().tolist() == [
        0, 127, 255, 255]
    assert tf.image.convert_image_dtype(np.array([0, 128, 255], np.uint8),
                                        tf.int16).numpy().tolist() == [0, 16384, 32640]
    assert tf.image.convert_image_dtype(np.array([0, 1000, 32767], np.int16),
                                        tf.uint8).numpy().tolist() == [0, 7, 255]
    np.testing.assert_allclose(tf.image.convert_image_dtype(
        np.array([0, 51, 255], np.uint8), tf.float32).numpy(), [0.0, 0.2, 1.0], atol=1e-7)


def test_geometry_ops():
    image = np.arange(6.0).reshape(2, 3, 1)
    assert tf.image.flip_left_right(image)[..., 0].numpy().tolist() == [[2, 1, 0], [5, 4, 3]]
    assert tf.image.flip_up_down(image)[..., 0].numpy().tolist() == [[3, 4, 5], [0, 1, 2]]
    assert tf.image.rot90(image)[..., 0].numpy().tolist() == [[2, 5], [1, 4], [0, 3]]
    assert tf.image.transpose(image)[..., 0].numpy().tolist() == [[0, 3], [1, 4], [2, 5]]
    big = np.arange(36.0).reshape(6, 6, 1)
    assert tf.image.central_crop(big, 0.5)[..., 0].numpy().tolist() == [
        [7, 8, 9, 10], [13, 14, 15, 16], [19, 20, 21, 22], [25, 26, 27, 28]]
    assert tf.image.resize_with_crop_or_pad(np.arange(12.0).reshape(3, 4, 1), 5, 2)[
        ..., 0].numpy().tolist() == [[0, 0], [1, 2], [5, 6], [9, 10], [0, 0]]
    assert tf.image.crop_to_bounding_box(big, 1, 2, 2, 3)[..., 0].numpy().tolist() == [
        [8, 9, 10], [14, 15, 16]]
    padded = tf.image.pad_to_bounding_box(image, 1, 0, 4, 4)[..., 0].numpy()
    assert padded.tolist() == [[0, 0, 0, 0], [0, 1, 2, 0], [3, 4, 5, 0], [0, 0, 0, 0]]
    with pytest.raises(ValueError, match="does not fit"):
        tf.image.crop_to_bounding_box(image, 1, 1, 2, 2)


def test_color_ops_match_tensorflow():
    values = np.arange(8.0).reshape(2, 2, 2)
    np.testing.assert_allclose(tf.image.per_image_standardization(values).numpy().reshape(-1),
                               [-1.527525, -1.091089, -0.654654, -0.218218, 0.218218,
                                0.654654, 1.091089, 1.527525], atol=1e-6)
    np.testing.assert_allclose(tf.image.rgb_to_grayscale(np.array([[[10.0, 20.0, 30.0]]])),
                               [[[18.149]]], atol=1e-9)
    assert tf.image.adjust_contrast(values, 2.0).numpy().reshape(-1).tolist() == [
        -3, -2, 1, 2, 5, 6, 9, 10]
    brighter = tf.image.adjust_brightness(np.array([[[100]]], np.uint8), 0.1)
    assert brighter.dtype == tf.uint8 and int(brighter.numpy()[0, 0, 0]) == 125
    assert tf.image.grayscale_to_rgb(np.ones((2, 2, 1))).shape == (2, 2, 3)


def test_random_augmentations_are_seeded_and_keep_values():
    image = np.arange(12.0).reshape(3, 4, 1)
    tf.random.set_seed(1)
    flips = {tuple(tf.image.random_flip_left_right(image)[0, :, 0].numpy()) for _ in range(20)}
    assert flips == {(0.0, 1.0, 2.0, 3.0), (3.0, 2.0, 1.0, 0.0)}
    batch = np.stack([image] * 16)
    flipped = tf.image.random_flip_up_down(batch).numpy()
    assert {tuple(im[:, 0, 0]) for im in flipped} == {(0.0, 4.0, 8.0), (8.0, 4.0, 0.0)}
    crop = tf.image.random_crop(image, [2, 2, 1]).numpy()[..., 0]
    assert crop[0, 1] - crop[0, 0] == 1 and crop[1, 0] - crop[0, 0] == 4
    shifted = tf.image.random_brightness(image, 0.5).numpy() - image
    assert abs(shifted.max() - shifted.min()) < 1e-6 and abs(shifted[0, 0, 0]) <= 0.5
    contrast = tf.image.random_contrast(image, 0.5, 1.5).numpy()
    assert abs(contrast.mean() - image.mean()) < 1e-6


def test_random_flip_in_a_dataset_is_drawn_per_element():
    ds = tf.data.Dataset.from_tensors(np.arange(4.0).reshape(1, 4, 1)).repeat(30).map(
        lambda im: tf.image.random_flip_left_right(im, seed=3))
    firsts = {float(v[0, 0, 0]) for v in ds}
    assert firsts == {0.0, 3.0}


def test_png_and_jpeg_round_trips_through_pillow():
    pytest.importorskip("PIL")
    pixels = (np.arange(48).reshape(4, 4, 3) * 5).astype(np.uint8)
    png = tf.image.encode_png(pixels)
    assert png.dtype == tf.string and png.numpy()[:4] == b"\x89PNG"
    np.testing.assert_array_equal(tf.image.decode_png(png).numpy(), pixels)
    assert tf.image.decode_image(png, channels=1).shape == (4, 4, 1)
    flat = np.full((8, 8, 3), 128, np.uint8)
    jpeg = tf.image.encode_jpeg(flat, quality=90)
    assert bool(tf.image.is_jpeg(jpeg)) and not bool(tf.image.is_jpeg(png))
    decoded = tf.image.decode_jpeg(jpeg, channels=3).numpy()
    assert decoded.shape == (8, 8, 3) and np.abs(decoded.astype(int) - 128).max() <= 2
    with pytest.raises(tf.errors.InvalidArgumentError, match="expected JPEG data, got PNG"):
        tf.image.decode_jpeg(png)


def test_decoding_files_in_a_pipeline(tmp_path):
    pytest.importorskip("PIL")
    for i in range(3):
        image = np.full((2 + i, 3, 3), 40 * i, np.uint8)
        tf.io.write_file(str(tmp_path / ("im%d.png" % i)), tf.image.encode_png(image))

    def load(path):
        image = tf.image.decode_png(tf.io.read_file(path), channels=3)
        return tf.image.resize(tf.image.convert_image_dtype(image, tf.float32), [4, 4])
    ds = tf.data.Dataset.list_files(str(tmp_path / "*.png"), shuffle=False).map(load).batch(3)
    batch = next(iter(ds)).numpy()
    assert batch.shape == (3, 4, 4, 3)
    np.testing.assert_allclose(batch[:, 0, 0, 0], [0.0, 40 / 255, 80 / 255], atol=1e-6)


def test_missing_pillow_gives_the_install_command(monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_pillow(name, *args, **kwargs):
        if name == "PIL" or name.startswith("PIL."):
            raise ImportError("No module named 'PIL'")
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_pillow)
    with pytest.raises(ImportError, match=r'pip install "autotrace\[pillow\]"'):
        tf.image.decode_png(b"\x89PNG")
