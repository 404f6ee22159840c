"""RandomFlip."""

import numpy as np
import pytest
import torch
from _image_layer_testing import check_image_layer
from _image_layer_testing import random_images

from lamina.layers.core.dense import Dense
from lamina.layers.input_layer import Input
from lamina.layers.preprocessing.image.random_flip import RandomFlip
from lamina.models import Model


@pytest.mark.parametrize("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
def test_random_flip_passes_check_layer_in_inference(mode):
    # The draws change the training output call to call; training is covered
    # by test_random_flip_flips_each_image_or_leaves_it.
    check_image_layer(
        lambda: RandomFlip(mode),
        random_images(2, 4, 5, 3),
        (2, 4, 5, 3),
    )


def test_random_flip_flips_each_image_or_leaves_it():
    images = random_images(64, 3, 4, 2)
    flipped = RandomFlip("horizontal", seed=1)(images, training=True)
    same = (flipped == images).flatten(1).all(1)
    mirrored = (flipped == images.flip(2)).flatten(1).all(1)
    assert bool((same | mirrored).all())
    assert 16 < int(mirrored.sum()) < 48  # about half


def test_random_flip_both_axes_turns_by_half_a_turn():
    images = random_images(64, 3, 4, 1)
    flipped = RandomFlip(seed=2)(images)  # Keras's default training=True
    same = (flipped == images).flatten(1).all(1)
    turned = (flipped == images.flip(1, 2)).flatten(1).all(1)
    assert bool((same | turned).all()) and 0 < int(turned.sum()) < 64


def test_random_flip_rate_is_one_half():
    images = torch.arange(3.0).reshape(1, 1, 3, 1).expand(4000, 1, 3, 1)
    flipped = RandomFlip("horizontal")(images, training=True)
    rate = float((flipped[:, 0, 0, 0] == 2.0).float().mean())
    assert abs(rate - 0.5) < 0.04


def test_random_flip_is_identity_outside_training_and_in_predict():
    images = random_images(8, 4, 4, 3)
    assert torch.equal(RandomFlip()(images, training=False), images)
    inputs = Input((4, 4, 3))
    model = Model(inputs, RandomFlip()(inputs))
    np.testing.assert_array_equal(model.predict(images.numpy(), verbose=0), images)


def test_random_flip_vertical_channels_first():
    images = random_images(64, 2, 3, 4)
    flipped = RandomFlip("vertical", data_format="channels_first")(images)
    same = (flipped == images).flatten(1).all(1)
    upside_down = (flipped == images.flip(2)).flatten(1).all(1)
    assert bool((same | upside_down).all()) and 0 < int(upside_down.sum()) < 64


def test_random_flip_seed_repeats_its_sequence():
    images = random_images(16, 3, 3, 1)
    first, second = RandomFlip(seed=7), RandomFlip(seed=7)
    for _ in range(3):
        assert torch.equal(first(images), second(images))


def test_random_flip_replays_a_transformation_on_masks_and_singlerandom_images():
    layer = RandomFlip("horizontal")
    images = random_images(4, 3, 5, 3)
    transformation = {"flips": torch.tensor([True, False, True, False])}
    flipped = layer.transform_images(images, transformation)
    assert torch.equal(flipped[0], images[0].flip(1))
    assert torch.equal(flipped[1], images[1])
    outputs = layer({"images": images, "labels": torch.arange(4)}, training=False)
    assert torch.equal(outputs["images"], images)
    single = layer(images[0], training=True)
    assert single.shape == images[0].shape


def test_random_flip_moves_segmentation_masks_with_therandom_images():
    images = random_images(32, 3, 4, 1)
    outputs = RandomFlip()({"images": images, "segmentation_masks": images.clone()})
    assert torch.equal(outputs["images"], outputs["segmentation_masks"])


def test_random_flip_trains_inside_a_model():
    inputs = Input((4, 4, 1))
    outputs = Dense(1)(RandomFlip()(inputs))
    model = Model(inputs, outputs)
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(
        random_images(8, 4, 4, 1).numpy(), np.zeros((8, 4, 4, 1)), verbose=0
    )
    assert np.isfinite(history.history["loss"][0])


def test_random_flip_rejects_unknown_mode():
    with pytest.raises(ValueError, match="mode='diagonal'. Expected one of"):
        RandomFlip("diagonal")


def test_random_flip_rejects_non_integer_seed():
    with pytest.raises(TypeError, match="seed to be an integer"):
        RandomFlip(seed=1.5)


def test_random_flip_rejects_rank_two_input():
    with pytest.raises(ValueError, match="expected one image"):
        RandomFlip()(torch.ones(3, 4))
