"""RandomCrop."""

import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.input_layer import Input
from lamina.layers.preprocessing.image.random_crop import RandomCrop
from lamina.models import Model


@pytest.mark.parametrize("data_format", ["channels_last", "channels_first"])
def test_random_crop_passes_check_layer_in_inference(data_format):
    # In training the window moves call to call, so the checks run on the
    # inference path (central crop and resize, compiled once).
    shape = (2, 7, 9, 3) if data_format == "channels_last" else (2, 3, 7, 9)
    expected = (2, 4, 5, 3) if data_format == "channels_last" else (2, 3, 4, 5)
    check_image_layer(
        lambda: RandomCrop(4, 5, seed=1, data_format=data_format),
        random_images(*shape),
        expected,
        check_compile=data_format == "channels_last",
    )


def test_random_crop_takes_one_window_for_the_whole_batch():
    images = torch.arange(64.0).reshape(1, 8, 8, 1).repeat(4, 1, 1, 1)
    cropped = RandomCrop(3, 3, seed=2)(images, training=True)
    assert cropped.shape == (4, 3, 3, 1)
    assert bool((cropped == cropped[:1]).all())
    top, left = divmod(int(cropped[0, 0, 0, 0]), 8)
    assert torch.equal(cropped[0, ..., 0], images[0, top : top + 3, left : left + 3, 0])


def test_random_crop_covers_every_position():
    layer = RandomCrop(2, 2, seed=3)
    images = torch.zeros(1, 4, 4, 1)
    corners = {
        tuple(int(offset) for offset in layer.get_random_transformation(images))
        for _ in range(300)
    }
    assert corners == {(top, left) for top in range(3) for left in range(3)}


def test_random_crop_inference_keeps_the_centre_and_resizes():
    images = torch.arange(48.0).reshape(1, 6, 8, 1)
    outputs = RandomCrop(3, 3)(images, training=False)
    # The central 6 x 6 window, resized to 3 x 3 (bilinear, half-pixel centres).
    window = images[:, :, 1:7]
    expected = torch.nn.functional.avg_pool2d(window.permute(0, 3, 1, 2), 2)
    torch.testing.assert_close(outputs, expected.permute(0, 2, 3, 1))


def test_random_crop_small_input_in_training_resizes_like_keras():
    images = random_images(2, 3, 8, 1)
    outputs = RandomCrop(4, 4)(images, training=True)
    assert outputs.shape == (2, 4, 4, 1)


def test_random_crop_output_shape_does_not_depend_on_training():
    inputs = Input((10, 12, 3))
    model = Model(inputs, RandomCrop(5, 6)(inputs))
    assert model.output_shape == (None, 5, 6, 3)
    assert model.predict(random_images(2, 10, 12, 3).numpy(), verbose=0).shape == (
        2,
        5,
        6,
        3,
    )


def test_random_crop_none_seed_becomes_a_concrete_seed():
    seed = RandomCrop(2, 2).get_config()["seed"]
    assert isinstance(seed, int)


def test_random_crop_rejects_bad_sizes():
    with pytest.raises(ValueError, match="height to be a positive integer"):
        RandomCrop(0, 3)
    with pytest.raises(ValueError, match="width to be a positive integer"):
        RandomCrop(3, 2.5)
