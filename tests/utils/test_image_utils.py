"""load_img, img_to_array, array_to_img, save_img and smart_resize."""

import io

import numpy as np
import pytest
import torch

from lamina.preprocessing import image as preprocessing_image
from lamina.utils import array_to_img
from lamina.utils import img_to_array
from lamina.utils import load_img
from lamina.utils import save_img
from lamina.utils.image_utils import smart_resize

PIL = pytest.importorskip("PIL.Image")


def _pixels(shape, seed=0):
    return np.random.default_rng(seed).integers(0, 256, shape).astype("float32")


def test_exported_from_utils_and_preprocessing():
    assert preprocessing_image.load_img is load_img
    assert preprocessing_image.save_img is save_img


@pytest.mark.parametrize("channels, mode", [(1, "L"), (3, "RGB"), (4, "RGBA")])
def test_round_trip_without_scaling(tmp_path, channels, mode):
    x = _pixels((5, 6, channels))
    path = tmp_path / "image.png"
    save_img(path, x, scale=False)
    color_mode = {1: "grayscale", 3: "rgb", 4: "rgba"}[channels]
    img = load_img(path, color_mode=color_mode)
    assert img.mode == mode and img.size == (6, 5)
    np.testing.assert_array_equal(img_to_array(img), x)
    np.testing.assert_array_equal(
        img_to_array(img, data_format="channels_first"), x.transpose(2, 0, 1)
    )


def test_array_to_img_scales_to_full_range():
    img = array_to_img(np.array([[[0.0], [0.5], [1.0]]]))
    assert np.asarray(img).tolist() == [[0, 127, 255]]
    constant = array_to_img(np.full((2, 2, 3), 7.0))
    assert np.asarray(constant).max() == 0


def test_array_to_img_channels_first_and_errors():
    x = _pixels((3, 4, 5))
    img = array_to_img(x, data_format="channels_first", scale=False)
    assert img.size == (5, 4)
    with pytest.raises(ValueError, match="rank 3"):
        array_to_img(np.zeros((2, 4, 4, 3)))
    with pytest.raises(ValueError, match="1, 3 or 4 channels"):
        array_to_img(np.zeros((4, 4, 2)))
    with pytest.raises(ValueError, match="rank 2 or 3"):
        img_to_array(np.zeros((1, 2, 2, 3)))


def test_load_img_resizes_converts_and_crops(tmp_path):
    path = tmp_path / "wide.png"
    save_img(path, _pixels((10, 20, 3)))
    assert load_img(path, target_size=(5, 5)).size == (5, 5)
    assert load_img(str(path), color_mode="grayscale").mode == "L"
    assert load_img(path, color_mode="rgba").mode == "RGBA"
    cropped = load_img(path, target_size=(10, 10), keep_aspect_ratio=True)
    full = img_to_array(load_img(path))
    np.testing.assert_array_equal(img_to_array(cropped), full[:, 5:15])


def test_load_img_errors(tmp_path):
    path = tmp_path / "a.png"
    save_img(path, _pixels((2, 2, 3)))
    with pytest.raises(ValueError, match="color_mode"):
        load_img(path, color_mode="cmyk")
    with pytest.raises(ValueError, match="Supported methods"):
        load_img(path, target_size=(3, 3), interpolation="cubic")
    with pytest.raises(TypeError, match="io.BytesIO"):
        load_img(42)


def test_save_img_jpeg_drops_alpha_with_warning(tmp_path):
    with pytest.warns(UserWarning, match="converted to RGB"):
        save_img(tmp_path / "a.jpg", _pixels((4, 4, 4)))
    assert load_img(tmp_path / "a.jpg", color_mode="rgba").size == (4, 4)
    buffer = io.BytesIO()
    save_img(buffer, _pixels((3, 3, 1)), file_format="bmp")
    assert load_img(buffer, color_mode="grayscale").size == (3, 3)


def test_sixteen_bit_grayscale_keeps_its_depth(tmp_path):
    path = tmp_path / "deep.png"
    PIL.fromarray(np.full((3, 3), 40000, dtype=np.uint16)).save(path)
    x = img_to_array(load_img(path, color_mode="grayscale"))
    assert x.max() == 40000


def test_smart_resize_keeps_aspect_ratio():
    x = np.zeros((4, 8, 1), dtype="float32")
    x[:, 2:6] = 1.0
    result = smart_resize(x, (2, 2), interpolation="nearest")
    assert isinstance(result, np.ndarray) and result.shape == (2, 2, 1)
    assert result.min() == 1.0  # the centre crop holds only the bright band
    batch = torch.ones(2, 3, 10, 6)
    resized = smart_resize(batch, (4, 4), data_format="channels_first")
    assert isinstance(resized, torch.Tensor) and tuple(resized.shape) == (2, 3, 4, 4)
    as_uint8 = smart_resize(np.full((6, 6, 3), 200, dtype=np.uint8), (3, 3))
    assert as_uint8.dtype == np.uint8 and as_uint8.max() == 200


def test_smart_resize_errors():
    with pytest.raises(ValueError, match="size=\\(height, width\\)"):
        smart_resize(np.zeros((4, 4, 3)), (2,))
    with pytest.raises(ValueError, match="batch, height, width, channels"):
        smart_resize(np.zeros((4, 4)), (2, 2))
    with pytest.raises(ValueError, match="Supported methods"):
        smart_resize(np.zeros((4, 4, 3)), (2, 2), interpolation="lanczos3")
