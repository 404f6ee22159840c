"""`rnn` (Keras 2's `K.rnn`) against real Keras 3's torch-backend `rnn`.

Both run the same step function on the same torch tensors, so outputs, states
and gradients must agree to 1e-6.
"""

import itertools

import numpy as np
import pytest
import torch

from lamina.backend.rnn import rnn
from lamina.ops import _tree as tree

BATCH, STEPS, FEATURES, UNITS = 4, 6, 3, 5
TOLERANCE = {"rtol": 1e-6, "atol": 1e-6}


@pytest.fixture(scope="module")
def keras_rnn(keras):
    """Keras's `rnn`: public in Keras 2, only under `keras.src` in Keras 3."""
    public = getattr(keras.backend, "rnn", None)
    if public is not None:
        return public
    from keras.src.backend.torch.rnn import rnn as torch_backend_rnn

    return torch_backend_rnn


def _tensor(*shape: int, seed: int) -> torch.Tensor:
    generator = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=generator)


def _mask(kind: str | None) -> torch.Tensor | None:
    if kind is None:
        return None
    mask = torch.ones(BATCH, STEPS, dtype=torch.bool)
    if kind == "end":
        mask[0, 4:] = False
        mask[2, 1:] = False
    else:  # gaps in the middle, rows starting masked, a row fully masked
        mask[0, 2:4] = False
        mask[1, 0] = False
        mask[2, 1::2] = False
        mask[3] = False
    return mask


def _lstm_like_step():
    """A step with nested states `[hidden, [cell]]` and a constant bias."""
    kernel = _tensor(FEATURES, 4 * UNITS, seed=10).requires_grad_()
    recurrent_kernel = _tensor(UNITS, 4 * UNITS, seed=11).requires_grad_()

    def step(inputs_t, states):
        hidden, (cell,), bias = states
        gates = inputs_t @ kernel + hidden @ recurrent_kernel + bias
        input_gate, forget_gate, candidate, output_gate = gates.chunk(4, -1)
        cell = torch.sigmoid(forget_gate) * cell + torch.sigmoid(
            input_gate
        ) * torch.tanh(candidate)
        hidden = torch.sigmoid(output_gate) * torch.tanh(cell)
        return hidden, [hidden, [cell]]

    return step, [kernel, recurrent_kernel]


def _run_both(keras_rnn, step, inputs, initial_states, mask, **kwargs):
    """`(lamina leaves, keras leaves)` of `(last_output, outputs, new_states)`."""
    time_major = kwargs.get("time_major", False)
    if mask is not None and time_major:
        mask = mask.T
    actual = rnn(step, inputs, initial_states, mask=mask, **kwargs)
    # Keras's torch rnn reads its default input_length from axis 1, which is
    # the batch axis when time_major=True; Keras's RNN layer passes it.
    kwargs["input_length"] = STEPS
    expected = keras_rnn(step, inputs, initial_states, mask=mask, **kwargs)
    return tree.flatten(actual), tree.flatten(expected)


def _assert_same(actual: list, expected: list) -> None:
    assert len(actual) == len(expected)
    for lamina_leaf, keras_leaf in zip(actual, expected, strict=True):
        assert lamina_leaf.shape == keras_leaf.shape
        np.testing.assert_allclose(
            lamina_leaf.detach().numpy(), keras_leaf.detach().numpy(), **TOLERANCE
        )


@pytest.mark.parametrize(
    "go_backwards, mask_kind, zero_output_for_mask, return_all_outputs, time_major",
    [
        combination
        for combination in itertools.product(
            [False, True],
            [None, "end", "middle"],
            [False, True],
            [True, False],
            [False, True],
        )
        if combination[1] is not None or not combination[2]
    ],
)
def test_rnn_matches_keras(
    keras_rnn,
    go_backwards,
    mask_kind,
    zero_output_for_mask,
    return_all_outputs,
    time_major,
):
    step, _ = _lstm_like_step()
    inputs = _tensor(BATCH, STEPS, FEATURES, seed=0)
    if time_major:
        inputs = inputs.transpose(0, 1)
    initial_states = [_tensor(BATCH, UNITS, seed=1), [_tensor(BATCH, UNITS, seed=2)]]
    actual, expected = _run_both(
        keras_rnn,
        step,
        inputs,
        initial_states,
        _mask(mask_kind),
        go_backwards=go_backwards,
        constants=[_tensor(4 * UNITS, seed=3)],
        time_major=time_major,
        zero_output_for_mask=zero_output_for_mask,
        return_all_outputs=return_all_outputs,
    )
    _assert_same(actual, expected)


@pytest.mark.parametrize(
    "go_backwards, mask_kind", itertools.product([False, True], [None, "middle"])
)
def test_rnn_gradients_match_keras(keras_rnn, go_backwards, mask_kind):
    def gradients(rnn_function):
        step, weights = _lstm_like_step()
        inputs = _tensor(BATCH, STEPS, FEATURES, seed=0).requires_grad_()
        hidden = _tensor(BATCH, UNITS, seed=1).requires_grad_()
        cell = _tensor(BATCH, UNITS, seed=2).requires_grad_()
        bias = _tensor(4 * UNITS, seed=3).requires_grad_()
        last_output, outputs, (new_hidden, (new_cell,)) = rnn_function(
            step,
            inputs,
            [hidden, [cell]],
            go_backwards=go_backwards,
            mask=_mask(mask_kind),
            constants=[bias],
            input_length=STEPS,
        )
        loss = (outputs**2).sum() + last_output.sum() + (new_hidden * new_cell).sum()
        return torch.autograd.grad(loss, [inputs, hidden, cell, bias, *weights])

    _assert_same(gradients(rnn), gradients(keras_rnn))


@pytest.mark.parametrize("mask_kind", [None, "end", "middle"])
def test_rnn_with_feature_map_outputs_and_a_trailing_mask_axis_matches_keras(
    keras_rnn, mask_kind
):
    kernel = _tensor(FEATURES, FEATURES, seed=4)

    def step(inputs_t, states):
        feature_map = torch.tanh(inputs_t @ kernel + states[0])  # (batch, h, w)
        return feature_map, [feature_map]

    mask = _mask(mask_kind)
    actual, expected = _run_both(
        keras_rnn,
        step,
        _tensor(BATCH, STEPS, 2, FEATURES, seed=0),
        [_tensor(BATCH, 2, FEATURES, seed=1)],
        None if mask is None else mask[..., None].float(),  # (batch, time, 1)
    )
    _assert_same(actual, expected)


def test_rnn_with_nested_inputs_matches_keras(keras_rnn):
    def step(inputs_t, states):
        words, extra = inputs_t
        state = torch.tanh(words + extra.sum(-1, keepdim=True) + states[0])
        return state, [state]

    inputs = [
        _tensor(BATCH, STEPS, FEATURES, seed=0),
        _tensor(BATCH, STEPS, 2, seed=1),
    ]
    actual, expected = _run_both(
        keras_rnn,
        step,
        inputs,
        [_tensor(BATCH, FEATURES, seed=2)],
        _mask("middle"),
        go_backwards=True,
    )
    _assert_same(actual, expected)


@pytest.mark.parametrize(
    "go_backwards, mask_kind, return_all_outputs",
    [
        combination
        for combination in itertools.product(
            [False, True], [None, "middle"], [True, False]
        )
        # Keras's unrolled loop fails on masks read backwards.
        if not (combination[0] and combination[1])
    ],
)
def test_rnn_matches_keras_unrolled_loop(
    keras_rnn, go_backwards, mask_kind, return_all_outputs
):
    step, _ = _lstm_like_step()
    actual, expected = _run_both(
        keras_rnn,
        step,
        _tensor(BATCH, STEPS, FEATURES, seed=0),
        [_tensor(BATCH, UNITS, seed=1), [_tensor(BATCH, UNITS, seed=2)]],
        _mask(mask_kind),
        go_backwards=go_backwards,
        constants=[_tensor(4 * UNITS, seed=3)],
        unroll=True,
        return_all_outputs=return_all_outputs,
    )
    _assert_same(actual, expected)


def test_rnn_numpy_inputs_match_keras_on_tensors(keras_rnn):
    step, _ = _lstm_like_step()
    inputs = _tensor(BATCH, STEPS, FEATURES, seed=0)
    states = [_tensor(BATCH, UNITS, seed=1), [_tensor(BATCH, UNITS, seed=2)]]
    bias = _tensor(4 * UNITS, seed=3)
    mask = _mask("middle")
    actual = rnn(
        step,
        inputs.numpy(),
        tree.map_structure(torch.Tensor.numpy, states),
        mask=mask.numpy(),
        constants=[bias.numpy()],
    )
    expected = keras_rnn(step, inputs, states, mask=mask, constants=[bias])
    _assert_same(tree.flatten(actual), tree.flatten(expected))
