import json

import numpy as np
import pytest
import torch

import lamina
from lamina.layers import TorchModuleWrapper
from lamina.testing import check_layer


class _UnsafeWrapper(TorchModuleWrapper):
    """Lets the conformance check's config round trip unpickle the module."""

    @classmethod
    def from_config(cls, config, custom_objects=None, safe_mode=False):
        return super().from_config(config, safe_mode=False)


def test_torch_module_wrapper_conformance():
    check_layer(
        lambda: _UnsafeWrapper(torch.nn.Linear(4, 3)),
        torch.randn(2, 4),
        expected_output_shape=(2, 3),
        expected_weight_names=["weight", "bias"],
        # A test-local subclass: load_model cannot know it (and a wrapped
        # module loads only with safe_mode=False anyway).
        check_saving=False,
    )


def test_torch_module_wrapper_parameters_are_weights():
    module = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.Linear(3, 2))
    layer = TorchModuleWrapper(module)
    assert len(layer.trainable_weights) == 4
    assert all(isinstance(w, lamina.Variable) for w in layer.weights)
    assert module[0].weight is layer.weights[0]
    assert layer.count_params() == 4 * 3 + 3 + 3 * 2 + 2


def test_torch_module_wrapper_set_weights_changes_module():
    module = torch.nn.Linear(2, 1)
    layer = TorchModuleWrapper(module)
    layer.set_weights([np.ones((1, 2)), np.zeros(1)])
    assert layer(torch.tensor([[1.0, 2.0]])).tolist() == [[3.0]]


def test_torch_module_wrapper_training_flag_sets_mode():
    module = torch.nn.Sequential(torch.nn.Dropout(0.5))
    layer = TorchModuleWrapper(module)
    layer(torch.ones(2, 2), training=False)
    assert not module.training
    layer(torch.ones(2, 2), training=True)
    assert module.training


def test_torch_module_wrapper_in_sequential_trains():
    torch.manual_seed(0)
    model = lamina.Sequential(
        [torch.nn.Linear(3, 4), torch.nn.ReLU(), lamina.layers.Dense(1)]
    )
    model.compile(optimizer="sgd", loss="mse")
    before = model.layers[0].get_weights()[0].copy()
    model.fit(
        np.random.rand(8, 3).astype("float32"), np.ones((8, 1)), epochs=1, verbose=0
    )
    assert not np.allclose(before, model.layers[0].get_weights()[0])


def test_torch_module_wrapper_frozen_module_params():
    module = torch.nn.Linear(2, 2)
    module.bias.requires_grad_(False)
    layer = TorchModuleWrapper(module)
    assert [w.name for w in layer.trainable_weights] == ["weight"]
    assert [w.name for w in layer.non_trainable_weights] == ["bias"]


def test_torch_module_wrapper_from_config_refuses_pickle_in_safe_mode():
    config = json.loads(
        json.dumps(TorchModuleWrapper(torch.nn.Linear(2, 2), name="tw").get_config())
    )
    with pytest.raises(
        ValueError, match=r"'tw' \(TorchModuleWrapper\).*safe_mode=False"
    ):
        TorchModuleWrapper.from_config(config)


def test_torch_module_wrapper_rejects_non_module():
    with pytest.raises(TypeError, match="torch.nn.Module"):
        TorchModuleWrapper("linear")


def test_torch_module_wrapper_rejects_uninitialized_lazy_module():
    with pytest.raises(ValueError, match="lazy"):
        TorchModuleWrapper(torch.nn.LazyLinear(3))
