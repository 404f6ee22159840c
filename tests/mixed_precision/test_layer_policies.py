import numpy as np
import pytest
import torch

from lamina import mixed_precision
from lamina.backend import config
from lamina.dtype_policies import DTypePolicy
from lamina.layers import LSTM
from lamina.layers import Activation
from lamina.layers import BatchNormalization
from lamina.layers import Dense
from lamina.layers import Embedding
from lamina.layers import Input
from lamina.layers import Layer
from lamina.models import Model
from lamina.models import Sequential
from lamina.saving import load_model
from lamina.testing import check_layer


@pytest.fixture(autouse=True)
def default_policy(monkeypatch):
    """Each test starts from, and leaves, the default global policy."""
    monkeypatch.setattr(config, "_DTYPE_POLICY", None)


class AutocastProbe(Layer):
    """Records whether `call` ran under CPU autocast, and the input dtype."""

    def call(self, inputs):
        self.saw_autocast = torch.is_autocast_enabled("cpu")
        self.saw_dtype = inputs.dtype
        return inputs * 2.0


@pytest.mark.parametrize(
    ("policy", "compute", "variable"),
    [
        ("mixed_float16", torch.float16, torch.float32),
        ("mixed_bfloat16", torch.bfloat16, torch.float32),
        ("float16", torch.float16, torch.float16),
        ("float64", torch.float64, torch.float64),
    ],
)
def test_layer_makes_weights_and_outputs_in_the_policy_dtypes(
    policy, compute, variable
):
    layer = Dense(3, dtype=policy)
    outputs = layer(np.ones((2, 4), "float32"))
    assert [weight.dtype for weight in layer.weights] == [variable, variable]
    assert outputs.dtype == compute
    assert layer.dtype_policy == DTypePolicy(policy)
    assert layer.compute_dtype == layer.input_dtype == str(compute)[6:]
    assert layer.dtype == layer.variable_dtype == str(variable)[6:]


def test_layer_takes_a_policy_object_or_a_torch_dtype():
    assert Dense(2, dtype=DTypePolicy("mixed_bfloat16")).compute_dtype == "bfloat16"
    assert Dense(2, dtype=torch.float16).dtype_policy.name == "float16"


def test_layers_created_after_set_global_policy_pick_it_up():
    before = Dense(2)
    mixed_precision.set_global_policy("mixed_float16")
    after = Dense(2)
    assert mixed_precision.global_policy().name == "mixed_float16"
    assert before.dtype_policy.name == "float32"
    assert after.dtype_policy.name == "mixed_float16"
    assert Dense(2, dtype="float32").dtype_policy.name == "float32"


def test_mixed_layer_casts_float_inputs_only():
    embedding = Embedding(10, 3, dtype="mixed_float16")
    outputs = embedding(torch.tensor([[1, 2]]))
    assert embedding.embeddings.dtype == torch.float32
    assert outputs.dtype == torch.float16
    probe = AutocastProbe(dtype="mixed_bfloat16")
    assert probe(torch.ones(2, dtype=torch.float64)).dtype == torch.bfloat16
    assert probe.saw_dtype == torch.bfloat16 and probe.saw_autocast


def test_mixed_layer_trains_its_float32_weights():
    layer = Dense(3, dtype="mixed_float16")
    loss = layer(torch.randn(4, 5)).float().square().sum()
    loss.backward()
    assert layer.kernel.grad.dtype == torch.float32
    assert torch.isfinite(layer.kernel.grad).all()


def test_float32_last_layer_computes_in_float32_inside_a_mixed_model():
    mixed_precision.set_global_policy("mixed_float16")
    probe = AutocastProbe(dtype="float32")
    model = Sequential([Input((4,)), Dense(3), Activation("softmax"), probe])
    outputs = model(torch.randn(2, 4))
    assert model.dtype_policy.name == "mixed_float16"
    assert outputs.dtype == torch.float32
    assert probe.saw_dtype == torch.float32 and not probe.saw_autocast
    assert model.predict(np.ones((2, 4), "float32"), verbose=0).dtype == np.float32


def test_functional_model_keeps_a_float32_output_as_keras_advises():
    inputs = Input((4,))
    logits = Dense(3, dtype="mixed_float16")(inputs)
    probabilities = Activation("linear", dtype="float32")(logits)
    model = Model(inputs, [probabilities, logits])
    assert [t.dtype for t in model.outputs] == ["float32", "float16"]
    outputs = model(np.ones((2, 4), "float32"))
    assert [t.dtype for t in outputs] == [torch.float32, torch.float16]


def test_autocast_regions_the_user_opens_are_left_alone():
    probe = AutocastProbe()
    with torch.autocast("cpu", dtype=torch.bfloat16):
        probe(torch.ones(2))
    assert probe.saw_autocast


def test_mixed_layer_without_autocast_computes_in_float32():
    probe = AutocastProbe(dtype="mixed_float16", autocast=False)
    outputs = probe(torch.ones(2))
    assert probe.saw_dtype == torch.float32 and not probe.saw_autocast
    assert outputs.dtype == torch.float16


def test_symbolic_outputs_carry_the_compute_dtype():
    inputs = Input((4,))
    outputs = Dense(2, dtype="mixed_bfloat16")(inputs)
    assert inputs.dtype == "float32" and outputs.dtype == "bfloat16"
    sequence = Input((5, 3))
    states = LSTM(2, return_sequences=True, dtype="mixed_float16")(sequence)
    assert states.dtype == "float16" and states.shape == (None, 5, 2)


def test_mask_survives_the_cast_to_the_compute_dtype():
    embedding = Embedding(10, 3, mask_zero=True, dtype="mixed_float16")
    outputs = embedding(torch.tensor([[1, 0]]))
    assert outputs._keras_mask.tolist() == [[True, False]]


def test_layer_config_writes_the_policy_as_keras_does():
    layer = Dense(2, dtype="mixed_bfloat16")
    assert layer.get_config()["dtype"] == {
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "mixed_bfloat16"},
        "registered_name": None,
    }
    rebuilt = Dense.from_config(layer.get_config())
    assert rebuilt.dtype_policy == layer.dtype_policy


def test_dtype_policy_can_be_assigned():
    layer = Dense(2)
    layer.dtype_policy = "mixed_float16"
    assert layer.compute_dtype == "float16" and layer.variable_dtype == "float32"
    assert layer(torch.ones(1, 3)).dtype == torch.float16


def test_layer_rejects_a_bad_dtype_naming_itself():
    with pytest.raises(ValueError, match=r"Layer 'head' \(Dense\) received dtype="):
        Dense(2, dtype="mixed_float8", name="head")


def test_mixed_layer_passes_the_conformance_check():
    data = np.random.default_rng(0).random((4, 6), dtype=np.float32)
    check_layer(lambda: Dense(3, dtype="mixed_float16"), data, rtol=1e-2, atol=1e-2)


def test_mixed_batch_normalization_keeps_float32_statistics():
    layer = BatchNormalization(dtype="mixed_float16")
    batch = torch.arange(24.0).reshape(8, 3)  # column means 10.5, 11.5, 12.5
    outputs = layer(batch, training=True)
    assert outputs.dtype == torch.float16
    assert layer.moving_mean.dtype == torch.float32
    # one update with momentum 0.99 from zeros: 0.01 * the batch mean
    expected = 0.01 * batch.mean(dim=0)
    torch.testing.assert_close(layer.moving_mean.detach(), expected, rtol=1e-3, atol=0)


def test_mixed_model_saves_and_loads_with_its_policies(tmp_path):
    inputs = Input((4,))
    hidden = Dense(8, activation="relu", dtype="mixed_float16")(inputs)
    outputs = Dense(2, dtype="mixed_bfloat16")(hidden)
    model = Model(inputs, Activation("linear", dtype="float32")(outputs))
    model.save(tmp_path / "mixed.keras")
    loaded = load_model(tmp_path / "mixed.keras")
    assert [layer.dtype_policy.name for layer in loaded.layers] == [
        "float32",
        "mixed_float16",
        "mixed_bfloat16",
        "float32",
    ]
    data = np.random.default_rng(1).random((3, 4), dtype=np.float32)
    np.testing.assert_array_equal(
        loaded.predict(data, verbose=0), model.predict(data, verbose=0)
    )
