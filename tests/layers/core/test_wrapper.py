import numpy as np
import pytest
import torch

from lamina.layers import Dense
from lamina.layers import Dropout
from lamina.layers.core.wrapper import Wrapper
from lamina.saving import register_keras_serializable
from lamina.testing import check_layer


@register_keras_serializable(package="WrapperTest")
class Twice(Wrapper):
    def call(self, inputs, training=None):
        return 2 * self.layer(inputs, training=training)


def test_wrapper_subclass_passes_check_layer():
    check_layer(
        lambda: Twice(Dense(3)),
        np.ones((2, 4), "float32"),
        (2, 3),
        expected_weight_names=["kernel", "bias"],
        check_compile=False,
    )


def test_wrapper_builds_the_wrapped_layer_under_its_name():
    layer = Twice(Dense(3, name="inner"), name="outer")
    layer.build((None, 4))
    assert layer.layer.built
    assert [w.path for w in layer.weights] == ["outer/inner/kernel", "outer/inner/bias"]


def test_wrapper_config_nests_the_layer_as_keras_does():
    layer = Twice(Dropout(0.25))
    config = layer.get_config()
    assert config["layer"]["class_name"] == "Dropout"
    assert config["layer"]["module"] == "keras.layers"
    rebuilt = Twice.from_config(config)
    assert rebuilt.layer.rate == 0.25 and rebuilt.name == layer.name
    assert config["layer"]["class_name"] == "Dropout"  # from_config copies


def test_wrapper_passes_training_to_the_wrapped_layer():
    layer = Twice(Dropout(0.5))
    x = torch.ones(100, 10)
    assert torch.equal(layer(x), 2 * x)
    assert (layer(x, training=True) == 0).any()


def test_wrapper_rejects_a_non_layer():
    with pytest.raises(ValueError, match=r"Twice expected a lamina Layer to wrap"):
        Twice(torch.nn.Linear(2, 2))
