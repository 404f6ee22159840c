"""`rnn` (Keras 2's `K.rnn`): the time loop, masking, directions and errors."""

import numpy as np
import pytest
import torch

from lamina.backend.rnn import rnn

BATCH, STEPS, FEATURES, UNITS = 3, 4, 2, 5


def _weights() -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(0)
    kernel = torch.randn(FEATURES, UNITS, generator=generator)
    recurrent_kernel = torch.randn(UNITS, UNITS, generator=generator) / UNITS
    return kernel.requires_grad_(), recurrent_kernel.requires_grad_()


def _data() -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(1)
    inputs = torch.randn(BATCH, STEPS, FEATURES, generator=generator)
    initial_state = torch.randn(BATCH, UNITS, generator=generator)
    return inputs.requires_grad_(), initial_state.requires_grad_()


def _simple_step(kernel: torch.Tensor, recurrent_kernel: torch.Tensor):
    def step(inputs_t, states):
        state = torch.tanh(inputs_t @ kernel + states[0] @ recurrent_kernel)
        return state, [state]

    return step


def _counting_step(inputs_t, states):
    count = states[0] + 1
    return count, [count]


def _middle_mask() -> torch.Tensor:
    return torch.tensor(
        [[True, False, True, True], [False, True, True, False], [True] * 4]
    )


def test_rnn_matches_a_hand_written_loop():
    kernel, recurrent_kernel = _weights()
    inputs, state = _data()
    last_output, outputs, new_states = rnn(
        _simple_step(kernel, recurrent_kernel), inputs, [state]
    )
    expected = []
    for step in range(STEPS):
        state = torch.tanh(inputs[:, step] @ kernel + state @ recurrent_kernel)
        expected.append(state)
    torch.testing.assert_close(outputs, torch.stack(expected, 1))
    torch.testing.assert_close(last_output, expected[-1])
    assert isinstance(new_states, tuple)
    torch.testing.assert_close(new_states[0], expected[-1])


def test_rnn_gradients_flow_to_inputs_states_weights_and_constants():
    kernel, recurrent_kernel = _weights()
    inputs, state = _data()
    bias = torch.zeros(UNITS, requires_grad=True)

    def step(inputs_t, states):
        hidden, constant_bias = states
        hidden = torch.tanh(inputs_t @ kernel + hidden @ recurrent_kernel)
        return hidden + constant_bias, [hidden]

    last_output, outputs, new_states = rnn(
        step, inputs, [state], mask=_middle_mask(), constants=[bias]
    )
    (outputs.sum() + new_states[0].sum()).backward()
    for tensor in (inputs, state, kernel, recurrent_kernel, bias):
        assert tensor.grad is not None
        assert tensor.grad.abs().sum() > 0


def test_rnn_masked_steps_get_no_gradient():
    kernel, recurrent_kernel = _weights()
    inputs, state = _data()
    mask = _middle_mask()
    _, outputs, _ = rnn(
        _simple_step(kernel, recurrent_kernel), inputs, [state], mask=mask
    )
    outputs.sum().backward()
    assert (inputs.grad[~mask] == 0).all()
    assert (inputs.grad[mask].abs().sum(-1) > 0).all()


def test_rnn_masked_steps_keep_states_and_repeat_the_previous_output():
    mask = torch.tensor([[False, True, False, True]])
    last_output, outputs, new_states = rnn(
        _counting_step, torch.ones(1, 4, 1), [torch.full((1, 1), 10.0)], mask=mask
    )
    # Before any unmasked step there is no previous output: zeros.
    assert outputs[0, :, 0].tolist() == [0.0, 11.0, 11.0, 12.0]
    assert last_output.tolist() == [[12.0]]
    assert new_states[0].tolist() == [[12.0]]


def test_rnn_zero_output_for_mask_outputs_zeros_at_masked_steps():
    mask = torch.tensor([[True, True, False, False]])
    last_output, outputs, new_states = rnn(
        _counting_step,
        torch.ones(1, 4, 1),
        [torch.zeros(1, 1)],
        mask=mask,
        zero_output_for_mask=True,
    )
    assert outputs[0, :, 0].tolist() == [1.0, 2.0, 0.0, 0.0]
    assert last_output.tolist() == [[0.0]]
    assert new_states[0].tolist() == [[2.0]]


def test_rnn_accepts_float_masks_and_a_trailing_axis_of_one():
    kernel, recurrent_kernel = _weights()
    inputs, state = _data()
    step = _simple_step(kernel, recurrent_kernel)
    mask = _middle_mask()
    expected = rnn(step, inputs, [state], mask=mask)[1]
    float_mask = mask.float()[..., None]  # (batch, time, 1)
    torch.testing.assert_close(rnn(step, inputs, [state], mask=float_mask)[1], expected)


def test_rnn_go_backwards_runs_the_reversed_sequence():
    kernel, recurrent_kernel = _weights()
    inputs, state = _data()
    step = _simple_step(kernel, recurrent_kernel)
    mask = _middle_mask()
    backwards = rnn(step, inputs, [state], go_backwards=True, mask=mask)
    forwards = rnn(step, inputs.flip(1), [state], mask=mask.flip(1))
    for actual, expected in zip(backwards, forwards, strict=True):
        torch.testing.assert_close(actual, expected)


def test_rnn_time_major_matches_batch_major():
    kernel, recurrent_kernel = _weights()
    inputs, state = _data()
    step = _simple_step(kernel, recurrent_kernel)
    mask = _middle_mask()
    batch_major = rnn(step, inputs, [state], mask=mask)
    time_major = rnn(
        step, inputs.transpose(0, 1), [state], mask=mask.T, time_major=True
    )
    torch.testing.assert_close(time_major[1], batch_major[1].transpose(0, 1))
    torch.testing.assert_close(time_major[0], batch_major[0])
    torch.testing.assert_close(time_major[2][0], batch_major[2][0])


@pytest.mark.parametrize("time_major", [False, True])
def test_rnn_return_all_outputs_false_keeps_a_time_axis_of_one(time_major):
    kernel, recurrent_kernel = _weights()
    inputs, state = _data()
    if time_major:
        inputs = inputs.transpose(0, 1)
    last_output, outputs, _ = rnn(
        _simple_step(kernel, recurrent_kernel),
        inputs,
        [state],
        time_major=time_major,
        return_all_outputs=False,
    )
    time_axis = 0 if time_major else 1
    assert outputs.shape[time_axis] == 1
    torch.testing.assert_close(outputs.squeeze(time_axis), last_output)


def test_rnn_nested_states_keep_their_structure():
    def step(inputs_t, states):
        hidden, (cell, count) = states
        cell = cell + inputs_t
        return hidden + cell, [hidden + cell, [cell, count + 1]]

    initial_states = [torch.zeros(2, 3), [torch.zeros(2, 3), torch.zeros(2, 1)]]
    _, _, new_states = rnn(step, torch.ones(2, 4, 3), initial_states)
    hidden, (cell, count) = new_states
    assert isinstance(new_states[1], list)
    assert cell.tolist() == [[4.0] * 3] * 2
    assert hidden.tolist() == [[10.0] * 3] * 2
    assert count.tolist() == [[4.0]] * 2


def test_rnn_passes_states_then_constants_to_the_step_function():
    seen = []

    def step(inputs_t, states):
        seen.append(len(states))
        state, scale = states
        return state * scale, [state * scale]

    _, outputs, _ = rnn(
        step, torch.ones(1, 3, 1), [torch.ones(1, 1)], constants=[torch.tensor(2.0)]
    )
    assert seen == [2, 2, 2]
    assert outputs[0, :, 0].tolist() == [2.0, 4.0, 8.0]


def test_rnn_accepts_numpy_inputs_states_and_masks():
    inputs = np.ones((2, 3, 1), dtype="float32")
    mask = np.array([[1, 1, 1], [1, 0, 1]])
    last_output, outputs, new_states = rnn(
        _counting_step, inputs, [np.zeros((2, 1), dtype="float32")], mask=mask
    )
    assert isinstance(outputs, torch.Tensor)
    assert outputs[..., 0].tolist() == [[1.0, 2.0, 3.0], [1.0, 1.0, 2.0]]
    assert new_states[0].tolist() == [[3.0], [2.0]]


def test_rnn_accepts_nested_inputs():
    def step(inputs_t, states):
        total = states[0] + inputs_t["a"] * inputs_t["b"]
        return total, [total]

    inputs = {"a": torch.full((2, 3, 1), 2.0), "b": torch.full((2, 3, 1), 3.0)}
    _, outputs, _ = rnn(step, inputs, [torch.zeros(2, 1)])
    assert outputs[0, :, 0].tolist() == [6.0, 12.0, 18.0]


def test_rnn_masks_outputs_and_states_of_any_rank():
    def step(inputs_t, states):
        feature_map = states[0] + inputs_t  # (batch, height, width)
        return feature_map, [feature_map]

    mask = torch.tensor([[True, False, True], [True, True, True]])
    _, outputs, new_states = rnn(
        step, torch.ones(2, 3, 4, 5), [torch.zeros(2, 4, 5)], mask=mask
    )
    assert outputs.shape == (2, 3, 4, 5)
    assert outputs[:, :, 0, 0].tolist() == [[1.0, 1.0, 2.0], [1.0, 2.0, 3.0]]
    assert new_states[0][:, 0, 0].tolist() == [2.0, 3.0]


@pytest.mark.parametrize("go_backwards", [False, True])
def test_rnn_per_sample_input_lengths_mask_like_a_right_padded_mask(go_backwards):
    kernel, recurrent_kernel = _weights()
    inputs, state = _data()
    step = _simple_step(kernel, recurrent_kernel)
    lengths = torch.tensor([4, 2, 1])
    mask = torch.arange(STEPS)[None, :] < lengths[:, None]
    from_lengths = rnn(
        step, inputs, [state], go_backwards=go_backwards, input_length=lengths
    )
    from_mask = rnn(step, inputs, [state], go_backwards=go_backwards, mask=mask)
    for actual, expected in zip(from_lengths, from_mask, strict=True):
        torch.testing.assert_close(actual, expected)


def test_rnn_unroll_and_an_int_input_length_change_nothing():
    kernel, recurrent_kernel = _weights()
    inputs, state = _data()
    step = _simple_step(kernel, recurrent_kernel)
    expected = rnn(step, inputs, [state])[1]
    actual = rnn(step, inputs, [state], unroll=True, input_length=STEPS)[1]
    torch.testing.assert_close(actual, expected)


def test_rnn_calls_the_step_function_once_per_step():
    calls = []

    def step(inputs_t, states):
        calls.append(inputs_t)
        return inputs_t, []

    rnn(step, torch.ones(2, 5, 3), [])
    assert len(calls) == 5


def test_rnn_rejects_inputs_with_fewer_than_3_dims():
    with pytest.raises(ValueError, match=r"rnn expected inputs with at least 3"):
        rnn(_counting_step, torch.ones(2, 3), [torch.zeros(2, 1)])


def test_rnn_rejects_inputs_without_timesteps():
    with pytest.raises(ValueError, match="at least one timestep"):
        rnn(_counting_step, torch.ones(2, 0, 1), [torch.zeros(2, 1)])


def test_rnn_rejects_nested_inputs_of_different_lengths():
    inputs = [torch.ones(2, 3, 1), torch.ones(2, 4, 1)]
    with pytest.raises(ValueError, match="share its first two axes"):
        rnn(_counting_step, inputs, [torch.zeros(2, 1)])


@pytest.mark.parametrize("shape", [(3, 2), (2, 3, 4), (3,)])
def test_rnn_rejects_a_mask_of_the_wrong_shape(shape):
    with pytest.raises(ValueError, match=r"rnn expected mask of shape \(batch, t"):
        rnn(
            _counting_step,
            torch.ones(2, 3, 1),
            [torch.zeros(2, 1)],
            mask=torch.ones(shape, dtype=torch.bool),
        )


def test_rnn_rejects_a_time_major_mask_laid_out_batch_first():
    with pytest.raises(ValueError, match=r"mask of shape \(timesteps, batch\)"):
        rnn(
            _counting_step,
            torch.ones(3, 2, 1),
            [torch.zeros(2, 1)],
            mask=torch.ones(2, 3, dtype=torch.bool),
            time_major=True,
        )


def test_rnn_rejects_a_single_state_tensor_not_in_a_list():
    with pytest.raises(TypeError, match="initial_states to be a list"):
        rnn(_counting_step, torch.ones(2, 3, 1), torch.zeros(2, 1))


def test_rnn_rejects_a_step_function_that_is_not_callable():
    with pytest.raises(TypeError, match="step_function to be a callable"):
        rnn("step", torch.ones(2, 3, 1), [torch.zeros(2, 1)])


def test_rnn_rejects_a_step_function_returning_too_few_states():
    def step(inputs_t, states):
        return inputs_t, [states[0]]

    with pytest.raises(ValueError, match="return 2 state tensor"):
        rnn(step, torch.ones(2, 3, 1), [torch.zeros(2, 1), torch.zeros(2, 1)])


def test_rnn_rejects_an_input_length_that_differs_from_the_timesteps():
    with pytest.raises(ValueError, match="input_length to equal the number"):
        rnn(_counting_step, torch.ones(2, 3, 1), [torch.zeros(2, 1)], input_length=2)


def test_rnn_rejects_per_sample_lengths_of_the_wrong_shape():
    with pytest.raises(ValueError, match=r"per-sample lengths of shape \(2,\)"):
        rnn(
            _counting_step,
            torch.ones(2, 3, 1),
            [torch.zeros(2, 1)],
            input_length=torch.tensor([3, 3, 3]),
        )
