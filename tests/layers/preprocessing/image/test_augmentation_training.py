"""End to end: a CNN with augmentation layers learns real MNIST digits."""

from pathlib import Path

import numpy as np
import pytest

from lamina.datasets import mnist
from lamina.layers.convolutional.conv2d import Conv2D
from lamina.layers.core.dense import Dense
from lamina.layers.input_layer import Input
from lamina.layers.pooling.max_pooling2d import MaxPooling2D
from lamina.layers.preprocessing.image.random_rotation import RandomRotation
from lamina.layers.preprocessing.image.random_translation import RandomTranslation
from lamina.layers.preprocessing.image.random_zoom import RandomZoom
from lamina.layers.preprocessing.image.rescaling import Rescaling
from lamina.layers.reshaping.flatten import Flatten
from lamina.models import Sequential
from lamina.optimizers import Adam
from lamina.utils import set_random_seed

DATA = Path(__file__).resolve().parents[4] / ".." / "shared" / "data" / "mnist.npz"


@pytest.mark.skipif(not DATA.is_file(), reason="shared MNIST data not present")
def test_cnn_with_augmentation_learns_mnist_in_one_epoch():
    set_random_seed(0)
    (x_train, y_train), (x_test, y_test) = mnist.load_data(path=str(DATA.resolve()))
    model = Sequential(
        [
            Input((28, 28, 1)),
            Rescaling(1 / 255),
            RandomRotation(0.05, fill_mode="constant"),
            RandomZoom(0.1, fill_mode="constant"),
            RandomTranslation(0.1, 0.1, fill_mode="constant"),
            Conv2D(16, 3, activation="relu"),
            MaxPooling2D(),
            Conv2D(32, 3, activation="relu"),
            MaxPooling2D(),
            Flatten(),
            Dense(10, activation="softmax"),
        ]
    )
    model.compile(Adam(5e-3), "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(
        x_train[:2000, ..., None], y_train[:2000], batch_size=32, epochs=1, verbose=0
    )
    _, accuracy = model.evaluate(x_test[:1000, ..., None], y_test[:1000], verbose=0)
    assert accuracy > 0.5  # chance is 0.1; about 0.7 is typical
    # predict does not augment: the same images give the same outputs.
    first = model.predict(x_test[:8, ..., None], verbose=0)
    np.testing.assert_array_equal(
        first, model.predict(x_test[:8, ..., None], verbose=0)
    )
