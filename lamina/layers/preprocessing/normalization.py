"""`Normalization`: shifts and scales features by a mean and variance."""

import itertools
import math
from typing import Any

import numpy as np
import torch

from lamina import backend
from lamina.layers.layer import Layer
from lamina.layers.preprocessing._adapt_data import features_of
from lamina.layers.preprocessing._adapt_data import iterate_batches

Shape = tuple[int | None, ...]


class Normalization(Layer):
    """Standardizes features: `(inputs - mean) / sqrt(variance)`.

    The mean and variance are either given, or learned from data with
    `adapt()`, separately for each position along `axis`. The divisor is
    `max(sqrt(variance), epsilon())`, so a constant feature stays finite.

    Args:
        axis: Integer, tuple of integers, or `None`: the axes that keep their
            own statistics (the others are averaged over). `-1` gives one
            mean per feature of `(batch, features)` data; `None` gives a
            single scalar mean and variance. Defaults to `-1`.
        mean: The mean to use, a scalar or an array broadcastable to the
            kept axes. When set, `variance` must be set too and `adapt()` is
            not needed. Defaults to `None`.
        variance: The variance to use, same shape as `mean`. Defaults to
            `None`.
        invert: Whether to undo the normalization instead:
            `mean + inputs * sqrt(variance)`. Defaults to `False`.

    Input shape:
        Any, e.g. `(batch, features)`; the kept axes must have known sizes.

    Output shape:
        Same as the input.

    Example:
    >>> layer = Normalization()
    >>> layer.adapt(np.array([[0.0, 10.0], [2.0, 30.0]], dtype="float32"))
    >>> layer(torch.tensor([[1.0, 20.0]])).tolist()
    [[0.0, 0.0]]
    """

    def __init__(
        self,
        axis: int | tuple[int, ...] | None = -1,
        mean: Any = None,
        variance: Any = None,
        invert: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.axis = _standardize_axis(axis, self.name)
        _check_statistics(mean, variance, self.axis, self.name)
        self.input_mean = mean
        self.input_variance = variance
        self.invert = bool(invert)
        self.supports_masking = True

    @property
    def mean(self) -> torch.Tensor | None:
        """The mean, broadcast to the input's rank; `None` before building."""
        return self._statistic("adapt_mean", "_given_mean")

    @property
    def variance(self) -> torch.Tensor | None:
        """The variance, broadcast to the input's rank; `None` before building."""
        return self._statistic("adapt_variance", "_given_variance")

    def _statistic(self, adapted: str, given: str) -> torch.Tensor | None:
        if not self.built or not hasattr(self, "_broadcast_shape"):
            return None
        if self.input_mean is not None:
            return getattr(self, given)
        return getattr(self, adapted).detach().reshape(self._broadcast_shape)

    def build(self, input_shape: Shape) -> None:
        ndim = len(input_shape)
        self._keep_axis = self._kept_axes(input_shape)
        self._reduce_axis = tuple(d for d in range(ndim) if d not in self._keep_axis)
        self._broadcast_shape = tuple(
            input_shape[d] if d in self._keep_axis else 1 for d in range(ndim)
        )
        self._statistics_shape = tuple(input_shape[d] for d in self._keep_axis)
        self._build_input_shape = tuple(input_shape)
        if self.input_mean is not None:
            self._register_given_statistics(ndim)
            return
        self.adapt_mean = self.add_weight(
            name="mean",
            shape=self._statistics_shape,
            initializer="zeros",
            trainable=False,
        )
        self.adapt_variance = self.add_weight(
            name="variance",
            shape=self._statistics_shape,
            initializer="ones",
            trainable=False,
        )
        # Keras keeps `count` for old saved models; it stays 0.
        self.count = self.add_weight(
            name="count", shape=(), dtype="int32", initializer="zeros", trainable=False
        )

    def _kept_axes(self, input_shape: Shape) -> tuple[int, ...]:
        ndim = len(input_shape)
        if any(a < -ndim or a >= ndim for a in self.axis):
            raise ValueError(
                f"Layer '{self.name}' (Normalization) has axis={self.axis}, but "
                f"its input has {ndim} axes (shape {tuple(input_shape)}). Pass "
                f"axes in [-{ndim}, {ndim})."
            )
        kept = tuple(sorted(a % ndim for a in self.axis))
        unknown = [d for d in kept if input_shape[d] is None]
        if unknown:
            raise ValueError(
                f"Layer '{self.name}' (Normalization) keeps axis {unknown[0]}, "
                f"whose size is unknown in input shape {tuple(input_shape)}. "
                f"Give that axis a fixed size, or normalize over it by leaving "
                f"it out of axis={self.axis}."
            )
        return kept

    def _register_given_statistics(self, ndim: int) -> None:
        """Broadcasts the given `mean`/`variance` to the input's rank."""
        for name, value in (
            ("_given_mean", self.input_mean),
            ("_given_variance", self.input_variance),
        ):
            array = np.asarray(value, dtype="float64")
            aligned = [1] * ndim
            # The given statistics line up with the kept axes from the right.
            for offset in range(1, array.ndim + 1):
                aligned[self._keep_axis[-offset]] = array.shape[-offset]
            array = np.broadcast_to(array.reshape(aligned), self._broadcast_shape)
            tensor = torch.as_tensor(array.copy(), dtype=self._dtype)
            self.register_buffer(
                name, tensor.to(backend.get_device()), persistent=False
            )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        inputs = inputs.to(self._dtype)
        if self.input_mean is not None:
            mean, variance = self._given_mean, self._given_variance
        else:
            mean = self.adapt_mean.reshape(self._broadcast_shape)  # input's rank
            variance = self.adapt_variance.reshape(self._broadcast_shape)
        scale = torch.clamp(torch.sqrt(variance), min=backend.epsilon())
        if self.invert:
            return mean + inputs * scale
        return (inputs - mean) / scale

    def adapt(self, data: Any) -> None:
        """Learns the mean and variance of `data` along the kept axes.

        Args:
            data: A NumPy array or torch tensor (the whole data set), or an
                iterable of batches: a list of arrays, a generator, a
                `DataLoader` or a `PyDataset`; batches may be `(x, y)`.

        Raises:
            ValueError: The data's kept axes differ from the built shape, or
                the layer was given `mean` and `variance`.
        """
        if self.input_mean is not None:
            raise ValueError(
                f"Layer '{self.name}' (Normalization) was given mean= and "
                f"variance=, so it cannot adapt. Create it without them to "
                f"learn the statistics from data."
            )
        if isinstance(data, (np.ndarray, torch.Tensor)):
            self._build_for(tuple(data.shape), "data")
            mean, variance = self._whole_statistics(data)
        else:
            batches = iterate_batches(data, None, "Normalization")
            first = next(batches, None)
            if first is None:
                raise ValueError(
                    f"Layer '{self.name}' (Normalization).adapt() received an "
                    f"iterable with no batches. Pass at least one batch, e.g. "
                    f"layer.adapt([x])."
                )
            self._build_for(tuple(_batch_shape(first, self.name)), "first batch")
            mean, variance = self._streamed_statistics(
                itertools.chain([first], batches)
            )
        with torch.no_grad():
            self.adapt_mean.copy_(torch.as_tensor(np.asarray(mean, dtype="float32")))
            self.adapt_variance.copy_(
                torch.as_tensor(np.asarray(variance, dtype="float32"))
            )

    def _build_for(self, shape: Shape, what: str) -> None:
        if not self.built:
            self.build(shape)
            return
        for d in self._keep_axis:
            if len(shape) != len(self._build_input_shape) or (
                shape[d] != self._build_input_shape[d]
            ):
                raise ValueError(
                    f"Layer '{self.name}' (Normalization) was built for input "
                    f"shape {self._build_input_shape}, but adapt() received "
                    f"{what} of shape {shape}. The kept axes {self._keep_axis} "
                    f"must have the same sizes."
                )

    def _whole_statistics(self, data: Any) -> tuple[Any, Any]:
        if isinstance(data, np.ndarray):
            return (
                np.mean(data, axis=self._reduce_axis),
                np.var(data, axis=self._reduce_axis),
            )
        tensor = data.detach().cpu()
        if not tensor.is_floating_point():
            tensor = tensor.to(self._dtype)
        mean = torch.mean(tensor, dim=self._reduce_axis)
        variance = torch.var(tensor, dim=self._reduce_axis, correction=0)
        return mean.numpy(), variance.numpy()

    def _streamed_statistics(self, batches: Any) -> tuple[Any, Any]:
        """Merges per-batch statistics with the pooled-variance formula.

        https://en.wikipedia.org/wiki/Lack-of-fit_sum_of_squares
        """
        total_mean = torch.zeros(self._statistics_shape)
        total_variance = torch.zeros(self._statistics_shape)
        total_count = 0
        for batch in batches:
            batch = torch.as_tensor(np.asarray(_to_numpy(batch)), dtype=self._dtype)
            self._check_batch_shape(tuple(batch.shape))
            batch_mean = torch.mean(batch, dim=self._reduce_axis)
            batch_variance = torch.var(batch, dim=self._reduce_axis, correction=0)
            batch_count = math.prod(batch.shape[d] for d in self._reduce_axis)
            total_count += batch_count
            batch_weight = float(batch_count) / total_count
            existing_weight = 1.0 - batch_weight
            new_mean = total_mean * existing_weight + batch_mean * batch_weight
            total_variance = (
                total_variance + (total_mean - new_mean) ** 2
            ) * existing_weight + (
                batch_variance + (batch_mean - new_mean) ** 2
            ) * batch_weight
            total_mean = new_mean
        return total_mean.numpy(), total_variance.numpy()

    def _check_batch_shape(self, shape: Shape) -> None:
        expected = self._build_input_shape
        if len(shape) == len(expected) and all(
            shape[d] == expected[d] for d in self._keep_axis
        ):
            return
        raise ValueError(
            f"Layer '{self.name}' (Normalization).adapt() received a batch of "
            f"shape {shape}, but the layer expects shape {expected} on the kept "
            f"axes {self._keep_axis}. Give every batch the same feature sizes."
        )

    def get_build_config(self) -> dict[str, Any] | None:
        shape = getattr(self, "_build_input_shape", None)
        return {"input_shape": list(shape)} if shape else None

    def get_config(self) -> dict[str, Any]:
        config = {
            "axis": self.axis,
            "invert": self.invert,
            "mean": np.array(self.input_mean).tolist(),
            "variance": np.array(self.input_variance).tolist(),
        }
        return {**super().get_config(), **config}


def _standardize_axis(axis: Any, name: str) -> tuple[int, ...]:
    if axis is None:
        return ()
    if isinstance(axis, int) and not isinstance(axis, bool):
        return (axis,)
    if isinstance(axis, (list, tuple)) and all(
        isinstance(a, int) and not isinstance(a, bool) for a in axis
    ):
        return tuple(axis)
    raise TypeError(
        f"Layer '{name}' (Normalization) expected axis to be an integer, a "
        f"tuple of integers or None, but received axis={axis!r}. Pass e.g. "
        f"axis=-1 for one mean per feature."
    )


def _check_statistics(mean: Any, variance: Any, axis: tuple, name: str) -> None:
    if (mean is None) != (variance is None):
        raise ValueError(
            f"Layer '{name}' (Normalization) received only one of mean= and "
            f"variance= (mean={mean!r}, variance={variance!r}). Pass both, or "
            f"neither and call adapt()."
        )
    if mean is None:
        return
    if np.shape(mean) != np.shape(variance):
        raise ValueError(
            f"Layer '{name}' (Normalization) expected mean and variance of the "
            f"same shape, but received shapes {np.shape(mean)} and "
            f"{np.shape(variance)}."
        )
    if len(np.shape(mean)) > len(axis):
        raise ValueError(
            f"Layer '{name}' (Normalization) received mean of shape "
            f"{np.shape(mean)}, with more axes than axis={axis} keeps. Pass one "
            f"value per position of the kept axes (or a scalar)."
        )


def _to_numpy(batch: Any) -> Any:
    if isinstance(batch, torch.Tensor):
        return batch.detach().cpu().numpy()
    return batch


def _batch_shape(batch: Any, name: str) -> tuple[int, ...]:
    shape = getattr(features_of(batch), "shape", None)
    if shape is None:
        raise TypeError(
            f"Layer '{name}' (Normalization).adapt() expected an iterable of "
            f"batches with a .shape (NumPy arrays or tensors), but a batch is "
            f"a {type(batch).__name__}. Pass e.g. layer.adapt([x]) or "
            f"np.asarray(data)."
        )
    return tuple(shape)
