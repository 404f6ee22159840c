"""Cross-entropies, one-hot encodings, CTC and PSNR as ops.

Probabilities are clipped to `[epsilon, 1 - epsilon]` before the log, as in
Keras, unless `from_logits=True`.

Example:
>>> import torch
>>> one_hot(torch.tensor([0, 2]), 3).tolist()
[[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
>>> loss = binary_crossentropy(torch.tensor([1.0]), torch.tensor([0.5]))
>>> round(float(loss[0]), 4)
0.6931
"""

import math
from typing import Any

import torch
import torch.nn.functional as F  # noqa: N812

from lamina.backend.config import epsilon
from lamina.backend.config import floatx
from lamina.ops._convert import tensors
from lamina.ops._convert import to_float
from lamina.ops._convert import to_tensor
from lamina.ops._convert import torch_dtype

TensorLike = Any


def one_hot(
    x: TensorLike,
    num_classes: int,
    axis: int = -1,
    dtype: Any = None,
    sparse: bool = False,
) -> torch.Tensor:
    """One-hot vectors of length `num_classes`; negative indices give zeros."""
    _reject_sparse(sparse)
    x = to_tensor(x).long()
    encoded = F.one_hot(torch.clamp(x, min=0), num_classes)
    encoded = encoded * (x >= 0).unsqueeze(-1)
    encoded = encoded.to(torch_dtype(dtype or floatx()))
    if axis in (-1, encoded.ndim - 1):
        return encoded
    return torch.movedim(encoded, -1, axis)


def multi_hot(
    inputs: TensorLike,
    num_classes: int | None = None,
    axis: int = -1,
    dtype: Any = None,
    sparse: bool = False,
    **kwargs: Any,
) -> torch.Tensor:
    """Multi-hot vectors: ones at every index listed in each row of `inputs`."""
    _reject_sparse(sparse)
    num_classes = kwargs.pop("num_tokens", num_classes)
    if kwargs or num_classes is None:
        raise ValueError(
            f"multi_hot expected num_classes= and no other keywords, but "
            f"received num_classes={num_classes}, extra keywords {sorted(kwargs)}."
        )
    inputs = to_tensor(inputs)
    reduce_axis = 1 if inputs.ndim > 1 else 0
    return torch.amax(
        one_hot(inputs, num_classes, axis=axis, dtype=dtype), dim=reduce_axis
    )


def _reject_sparse(sparse: bool) -> None:
    if sparse:
        raise ValueError(
            "sparse=True is not supported: lamina has no sparse "
            "tensors. Pass sparse=False."
        )


def _clip_probabilities(output: torch.Tensor) -> torch.Tensor:
    return torch.clamp(output, epsilon(), 1.0 - epsilon())


def binary_crossentropy(
    target: TensorLike, output: TensorLike, from_logits: bool = False
) -> torch.Tensor:
    """Element-wise binary cross-entropy (no reduction)."""
    target, output = tensors(target, output)
    output = to_float(output)
    target = target.to(output.dtype)
    if target.shape != output.shape:
        raise ValueError(
            f"binary_crossentropy expected target and output of one shape, but "
            f"received {tuple(target.shape)} and {tuple(output.shape)}."
        )
    if from_logits:
        return F.binary_cross_entropy_with_logits(output, target, reduction="none")
    output = _clip_probabilities(output)
    return -(target * torch.log(output) + (1 - target) * torch.log1p(-output))


def categorical_crossentropy(
    target: TensorLike, output: TensorLike, from_logits: bool = False, axis: int = -1
) -> torch.Tensor:
    """Cross-entropy between one-hot `target` and `output`, reduced over `axis`."""
    target, output = tensors(target, output)
    output = to_float(output)
    if target.shape != output.shape or output.ndim < 1:
        raise ValueError(
            f"categorical_crossentropy expected target and output of one shape "
            f"(rank >= 1), but received {tuple(target.shape)} and "
            f"{tuple(output.shape)}. For integer labels use "
            f"sparse_categorical_crossentropy."
        )
    if from_logits:
        log_prob = F.log_softmax(output, dim=axis)
    else:
        output = output / torch.sum(output, dim=axis, keepdim=True)
        log_prob = torch.log(_clip_probabilities(output))
    return -torch.sum(target.to(output.dtype) * log_prob, dim=axis)


def sparse_categorical_crossentropy(
    target: TensorLike, output: TensorLike, from_logits: bool = False, axis: int = -1
) -> torch.Tensor:
    """Cross-entropy between integer labels `target` and `output` over `axis`."""
    target, output = tensors(target, output)
    output = to_float(output)
    target = target.long()
    if target.ndim == output.ndim and target.shape[axis] == 1:
        target = target.squeeze(axis)
    expected = list(output.shape)
    del expected[axis]
    if list(target.shape) != expected:
        raise ValueError(
            f"sparse_categorical_crossentropy expected target of shape "
            f"{tuple(expected)} (output shape without the class axis), but "
            f"received {tuple(target.shape)}."
        )
    output = torch.movedim(output, axis, -1)
    if from_logits:
        log_prob = F.log_softmax(output, dim=-1)
    else:
        output = output / torch.sum(output, dim=-1, keepdim=True)
        log_prob = torch.log(_clip_probabilities(output))
    picked = torch.take_along_dim(log_prob, target.unsqueeze(-1), dim=-1)
    return -picked.squeeze(-1)


def psnr(x1: TensorLike, x2: TensorLike, max_val: float) -> torch.Tensor:
    """Peak signal-to-noise ratio, in decibels."""
    x1, x2 = tensors(x1, x2)
    if x1.shape != x2.shape:
        raise ValueError(
            f"psnr expected inputs of one shape, but received {tuple(x1.shape)} "
            f"and {tuple(x2.shape)}."
        )
    mse = torch.mean(torch.square(to_float(x1) - to_float(x2)))
    peak = torch.as_tensor(max_val, dtype=mse.dtype, device=mse.device)
    return 20 * torch.log10(peak) - 10 * torch.log10(mse)


def ctc_loss(
    target: TensorLike,
    output: TensorLike,
    target_length: TensorLike,
    output_length: TensorLike,
    mask_index: int = 0,
) -> torch.Tensor:
    """Per-sample CTC loss; `output` holds logits `(batch, time, classes)`."""
    output = to_float(to_tensor(output))
    target, target_length, output_length = (
        to_tensor(v, device=output.device).long()
        for v in (target, target_length, output_length)
    )
    log_probs = F.log_softmax(output, dim=-1).transpose(0, 1)  # (time, batch, classes)
    return F.ctc_loss(
        log_probs,
        target,
        output_length,
        target_length,
        blank=mask_index,
        reduction="none",
        zero_infinity=False,
    )


def ctc_decode(
    inputs: TensorLike,
    sequence_lengths: TensorLike,
    strategy: str = "greedy",
    beam_width: int = 100,
    top_paths: int = 1,
    merge_repeated: bool = True,
    mask_index: int = 0,
) -> tuple[torch.Tensor, torch.Tensor]:
    """Decodes CTC outputs; returns `(paths, scores)`, paths padded with -1.

    `paths` has shape `(top_paths, batch, time)`, `scores` `(batch, top_paths)`.
    """
    inputs = to_float(to_tensor(inputs))
    lengths = to_tensor(sequence_lengths, device=inputs.device).long()
    if strategy == "greedy":
        return _greedy_decode(inputs, lengths, merge_repeated, mask_index)
    if strategy == "beam_search":
        return _beam_decode(inputs, lengths, beam_width, top_paths, mask_index)
    raise ValueError(
        f"ctc_decode received strategy={strategy!r}. Expected "
        f"'greedy' or 'beam_search'."
    )


def _greedy_decode(
    inputs: torch.Tensor, lengths: torch.Tensor, merge_repeated: bool, mask_index: int
) -> tuple[torch.Tensor, torch.Tensor]:
    batch, steps, _ = inputs.shape
    scores, indices = torch.max(inputs, dim=-1)
    beyond = torch.arange(steps, device=inputs.device)[None, :] >= lengths[:, None]
    indices = torch.where(beyond, mask_index, indices)
    scores = torch.where(beyond, torch.zeros_like(scores), scores)
    if merge_repeated:
        repeat = F.pad(indices[:, 1:] == indices[:, :-1], (1, 0))
        indices = torch.where(repeat, mask_index, indices)
    dropped = indices == mask_index
    order = torch.where(dropped, steps, torch.arange(steps, device=inputs.device))
    order = torch.argsort(order, dim=-1, stable=True)
    indices = torch.where(dropped, -1, indices)
    paths = torch.take_along_dim(indices, order, dim=-1).to(torch.int32)
    return paths[None], -torch.sum(scores, dim=1, keepdim=True)


def _beam_decode(
    inputs: torch.Tensor,
    lengths: torch.Tensor,
    beam_width: int,
    top_paths: int,
    mask_index: int,
) -> tuple[torch.Tensor, torch.Tensor]:
    """CTC prefix beam search, one sample at a time (decoding is host work)."""
    log_probs = F.log_softmax(inputs, dim=-1).detach().cpu()
    batch, steps, _ = inputs.shape
    paths = torch.full((top_paths, batch, steps), -1, dtype=torch.int32)
    scores = torch.full((batch, top_paths), -math.inf)
    for sample in range(batch):
        best = _prefix_beam_search(
            log_probs[sample, : int(lengths[sample])], beam_width, mask_index
        )
        for rank, (prefix, score) in enumerate(best[:top_paths]):
            paths[rank, sample, : len(prefix)] = torch.tensor(prefix, dtype=torch.int32)
            scores[sample, rank] = score
    return paths.to(inputs.device), scores.to(inputs.device)


def _prefix_beam_search(
    log_probs: torch.Tensor, beam_width: int, blank: int
) -> list[tuple[tuple[int, ...], float]]:
    beams = {(): (0.0, -math.inf)}  # prefix -> (log p ending blank, non-blank)
    for frame in log_probs.tolist():
        candidates: dict[tuple[int, ...], list[float]] = {}
        for prefix, (p_blank, p_other) in beams.items():
            total = _logadd(p_blank, p_other)
            entry = candidates.setdefault(prefix, [-math.inf, -math.inf])
            entry[0] = _logadd(entry[0], total + frame[blank])
            for label, p_label in enumerate(frame):
                if label == blank:
                    continue
                extended = prefix + (label,)
                new = candidates.setdefault(extended, [-math.inf, -math.inf])
                if prefix and prefix[-1] == label:
                    new[1] = _logadd(new[1], p_blank + p_label)
                    entry[1] = _logadd(entry[1], p_other + p_label)
                else:
                    new[1] = _logadd(new[1], total + p_label)
        ranked = sorted(candidates.items(), key=lambda kv: -_logadd(*kv[1]))
        beams = {prefix: tuple(p) for prefix, p in ranked[:beam_width]}
    return [
        (prefix, _logadd(*p))
        for prefix, p in sorted(beams.items(), key=lambda kv: -_logadd(*kv[1]))
    ]


def _logadd(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    high = max(a, b)
    return high + math.log1p(math.exp(-abs(a - b)))
