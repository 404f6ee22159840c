"""`rnn`: the Keras 2 `K.rnn` time loop that runs a step function over a sequence.

Example:
>>> import torch
>>> from lamina.backend.rnn import rnn
>>> def running_sum(inputs_t, states):
...     total = states[0] + inputs_t
...     return total, [total]
>>> last_output, outputs, new_states = rnn(
...     running_sum, torch.ones(2, 3, 4), [torch.zeros(2, 4)]
... )
>>> last_output[0].tolist(), tuple(outputs.shape)
([3.0, 3.0, 3.0, 3.0], (2, 3, 4))
"""

import functools
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from lamina.ops import _tree as tree
from lamina.ops._convert import to_tensor

Tensor = torch.Tensor


def rnn(
    step_function: Callable[[Any, tuple], tuple[Any, Any]],
    inputs: Any,
    initial_states: list[Any] | tuple[Any, ...],
    go_backwards: bool = False,
    mask: Any = None,
    constants: list[Any] | tuple[Any, ...] | None = None,
    unroll: bool = False,
    input_length: Any = None,
    time_major: bool = False,
    zero_output_for_mask: bool = False,
    return_all_outputs: bool = True,
) -> tuple[Any, Any, tuple]:
    """Iterates `step_function` over the time axis of `inputs`.

    At each step `output_t, new_states = step_function(inputs_t, states)`,
    where `states` is a tuple of the current states followed by `constants`.
    Where `mask` is 0 for a sample, its states keep their previous values and
    its output repeats the previous one (zeros before the first step).

    Args:
        step_function: Callable `(inputs_t, states) -> (output_t, new_states)`;
            `inputs_t` is `(batch, ...)` (or the structure of `inputs`), and
            `new_states` holds as many tensors as `initial_states`.
        inputs: Tensor or array `(batch, timesteps, ...)`, at least 3-D, or a
            list/tuple/dict of them with the same number of timesteps.
        initial_states: List of state tensors `(batch, ...)`, possibly nested.
        go_backwards: Whether to run from the last step to the first; the
            outputs are then in that reversed order. Defaults to `False`.
        mask: Boolean `(batch, timesteps)` or `(batch, timesteps, 1)`, zero
            (`False`) at steps to skip. Defaults to `None`.
        constants: List of tensors appended to the states at every step.
            Defaults to `None`.
        unroll: Accepted for Keras compatibility; the loop is already a plain
            Python loop, so it changes nothing. Defaults to `False`.
        input_length: The number of timesteps (an int that must match
            `inputs`), or a 1-D tensor of per-sample lengths, which masks the
            steps past each length when `mask` is `None`. Defaults to `None`.
        time_major: Whether `inputs`, `mask` and `outputs` are laid out
            `(timesteps, batch, ...)`. Defaults to `False`.
        zero_output_for_mask: Whether masked steps output zeros instead of
            the previous output. Defaults to `False`.
        return_all_outputs: Whether `outputs` holds every step; if `False` it
            holds only the last one, with a time axis of length 1. Defaults to
            `True`.

    Returns:
        `(last_output, outputs, new_states)`: the output of the last step
        `(batch, ...)`, the outputs `(batch, timesteps, ...)`, and the final
        states as a tuple shaped like `initial_states`.

    Example:
    >>> def count_steps(inputs_t, states):
    ...     return states[0] + 1, [states[0] + 1]
    >>> mask = torch.tensor([[True, True, True], [True, False, False]])
    >>> _, outputs, _ = rnn(count_steps, torch.ones(2, 3, 1), [torch.zeros(2, 1)],
    ...                     mask=mask, zero_output_for_mask=True)
    >>> outputs[..., 0].tolist()
    [[1.0, 2.0, 3.0], [1.0, 0.0, 0.0]]
    """
    if not callable(step_function):
        raise TypeError(
            f"rnn expected step_function to be a callable "
            f"(inputs_t, states) -> (output_t, new_states), but received "
            f"{type(step_function).__name__}. Pass a function or a cell's call."
        )
    inputs = tree.map_structure(to_tensor, inputs)
    time_axis = 0 if time_major else 1
    batch_size, timesteps = _check_inputs(inputs, time_major)
    device = tree.flatten(inputs)[0].device
    states = _standardize_states(initial_states, device)
    constants = tuple(
        to_tensor(constant, device=device) for constant in constants or ()
    )
    step_masks = _step_masks(
        mask, input_length, batch_size, timesteps, time_major, device
    )
    step_inputs = _unstack_time(inputs, time_axis)
    if go_backwards:
        step_inputs = step_inputs[::-1]
        step_masks = step_masks[::-1] if step_masks is not None else None
    last_output, step_outputs, states = _loop(
        step_function,
        step_inputs,
        step_masks,
        states,
        constants,
        zero_output_for_mask,
        return_all_outputs,
    )
    if not return_all_outputs:
        step_outputs = [last_output]
    outputs = tree.map_structure(
        lambda *leaves: torch.stack(leaves, time_axis),  # (batch, time, ...)
        *step_outputs,
    )
    return last_output, outputs, states


def _check_inputs(inputs: Any, time_major: bool) -> tuple[int, int]:
    """`(batch_size, timesteps)` of `inputs`, after checking every tensor."""
    layout = "(timesteps, batch, ...)" if time_major else "(batch, timesteps, ...)"
    leaves = tree.flatten(inputs)
    if not leaves:
        raise ValueError(
            f"rnn expected inputs to hold at least one tensor {layout}, but "
            f"received inputs={inputs!r}."
        )
    for leaf in leaves:
        if leaf.ndim < 3:
            raise ValueError(
                f"rnn expected inputs with at least 3 dimensions {layout}, but "
                f"received inputs of shape {tuple(leaf.shape)}. Add a feature "
                f"axis, e.g. inputs[..., None]."
            )
    shapes = [tuple(leaf.shape[:2]) for leaf in leaves]
    if len(set(shapes)) > 1:
        raise ValueError(
            f"rnn expected every tensor in inputs to share its first two axes "
            f"{layout}, but received shapes starting with {shapes}."
        )
    timesteps, batch_size = shapes[0] if time_major else shapes[0][::-1]
    if timesteps == 0:
        raise ValueError(
            f"rnn expected inputs with at least one timestep {layout}, but "
            f"received inputs of shape {tuple(leaves[0].shape)}."
        )
    return batch_size, timesteps


def _standardize_states(initial_states: Any, device: torch.device) -> tuple:
    if not isinstance(initial_states, (list, tuple)):
        raise TypeError(
            f"rnn expected initial_states to be a list of state tensors, but "
            f"received {type(initial_states).__name__}. Wrap a single state in "
            f"a list: initial_states=[state]."
        )
    return tuple(
        tree.map_structure(lambda state: to_tensor(state, device=device), state)
        for state in initial_states
    )


def _step_masks(
    mask: Any,
    input_length: Any,
    batch_size: int,
    timesteps: int,
    time_major: bool,
    device: torch.device,
) -> list[Tensor] | None:
    """One boolean `(batch,)` mask per step, from `mask` or `input_length`."""
    lengths_mask = _lengths_mask(input_length, batch_size, timesteps, device)
    if mask is None and lengths_mask is None:
        return None
    if mask is None:
        return list(lengths_mask.unbind(1))
    mask = to_tensor(mask, device=device)
    expected = (timesteps, batch_size) if time_major else (batch_size, timesteps)
    if tuple(mask.shape) not in (expected, (*expected, 1)):
        layout = "(timesteps, batch)" if time_major else "(batch, timesteps)"
        raise ValueError(
            f"rnn expected mask of shape {layout} = {expected}, or with a "
            f"trailing axis of 1, but received mask of shape {tuple(mask.shape)}."
            f" Pass one value per sample and timestep of inputs."
        )
    mask = mask.reshape(expected).to(torch.bool)
    return list(mask.unbind(0 if time_major else 1))


def _lengths_mask(
    input_length: Any, batch_size: int, timesteps: int, device: torch.device
) -> Tensor | None:
    """`(batch, timesteps)` mask of the steps before each sample's length."""
    if input_length is None:
        return None
    if isinstance(input_length, (int, np.integer)):
        if input_length != timesteps:
            raise ValueError(
                f"rnn expected input_length to equal the number of timesteps "
                f"({timesteps}), but received input_length={input_length}. "
                f"Pass mask= (or per-sample lengths) to skip steps."
            )
        return None
    lengths = to_tensor(input_length, device=device)
    if tuple(lengths.shape) != (batch_size,):
        raise ValueError(
            f"rnn expected input_length to be an int or a 1-D tensor of "
            f"per-sample lengths of shape ({batch_size},), but received shape "
            f"{tuple(lengths.shape)}."
        )
    positions = torch.arange(timesteps, device=device)
    return positions[None, :] < lengths[:, None]  # (batch, time)


def _unstack_time(inputs: Any, time_axis: int) -> list[Any]:
    """The structure of `inputs` at each step, time axis removed."""
    leaves_per_step = zip(
        *(leaf.unbind(time_axis) for leaf in tree.flatten(inputs)), strict=True
    )
    return [tree.pack_like(inputs, list(leaves)) for leaves in leaves_per_step]


def _loop(
    step_function: Callable,
    step_inputs: list[Any],
    step_masks: list[Tensor] | None,
    states: tuple,
    constants: tuple,
    zero_output_for_mask: bool,
    return_all_outputs: bool,
) -> tuple[Any, list[Any], tuple]:
    """`(last output, kept outputs, final states)` of the time loop."""
    previous_output = None
    step_outputs = []
    for index, step_input in enumerate(step_inputs):
        output, new_states = step_function(step_input, states + constants)
        new_states = _check_new_states(new_states, states)
        if step_masks is not None:
            keep = step_masks[index]  # (batch,)
            fallback = previous_output
            if fallback is None or zero_output_for_mask:
                fallback = tree.map_structure(torch.zeros_like, output)
            keep_new = functools.partial(_where, keep)
            output = tree.map_structure(keep_new, output, fallback)
            new_states = tree.map_structure(keep_new, new_states, states)
        states, previous_output = new_states, output
        if return_all_outputs:
            step_outputs.append(output)
    return previous_output, step_outputs, states


def _check_new_states(new_states: Any, states: tuple) -> tuple:
    """`new_states` packed like `states`, after checking the count."""
    flat_new_states = tree.flatten(new_states)
    expected = len(tree.flatten(states))
    if len(flat_new_states) != expected:
        raise ValueError(
            f"rnn expected step_function to return {expected} state tensor(s), "
            f"as many as initial_states holds, but it returned "
            f"{len(flat_new_states)}. Return (output_t, new_states) with one "
            f"new state per initial state."
        )
    return tree.pack_like(states, flat_new_states)


def _where(keep: Tensor, new: Tensor, old: Tensor) -> Tensor:
    """`new` for the samples where `keep` is true, else `old`."""
    keep = keep.reshape(keep.shape + (1,) * (new.ndim - 1))  # (batch, 1, ...)
    return torch.where(keep, new, old)
