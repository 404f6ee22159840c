"""`HashedCrossing`: hashes the combination of several categorical features."""

from typing import Any

import numpy as np
import torch

from lamina import backend
from lamina.backend.compilation import run_eagerly
from lamina.layers.preprocessing._encoding import one_hot
from lamina.layers.preprocessing._fingerprint import CROSS_HASH_KEY
from lamina.layers.preprocessing._fingerprint import fingerprint64
from lamina.layers.preprocessing._fingerprint import fingerprint_cat64
from lamina.layers.preprocessing._fingerprint import to_bins
from lamina.layers.preprocessing._string_layer import StringInputLayer

_MODES = ("int", "one_hot")


class HashedCrossing(StringInputLayer):
    """Crosses two or more categorical features into one hashed bin.

    Each sample's values (one per input) are combined as TensorFlow's
    `tf.sparse.cross_hashed` does: strings by their FarmHash fingerprint,
    integers as they are, chained with `FingerprintCat64`, then taken modulo
    `num_bins`. The bins are the same numbers as Keras's.

    Args:
        num_bins: Positive integer, the number of bins.
        output_mode: `"int"` (the bin) or `"one_hot"` (a vector of length
            `num_bins`). Defaults to `"int"`.
        sparse: Must be `False`: torch has no sparse output here.

    Input shape:
        A list or tuple of at least two inputs of equal shape `()`,
        `(batch,)` or `(batch, 1)`, each integers or strings.

    Output shape:
        The inputs' shape for `"int"`; `(batch, num_bins)` for `"one_hot"`.

    Example:
    >>> layer = HashedCrossing(num_bins=7)
    >>> layer((np.array(["a", "b"]), np.array([1, 2]))).tolist()
    [2, 4]
    """

    def __init__(
        self,
        num_bins: int,
        output_mode: str = "int",
        sparse: bool = False,
        name: str | None = None,
        dtype: Any = None,
        **kwargs: Any,
    ) -> None:
        if output_mode == "int" and dtype is None:
            dtype = "int64"
        super().__init__(name=name, dtype=dtype, **kwargs)
        prefix = f"Layer '{self.name}' (HashedCrossing)"
        if not isinstance(num_bins, int) or isinstance(num_bins, bool) or num_bins < 1:
            raise ValueError(
                f"{prefix} expected num_bins to be a positive integer, but "
                f"received num_bins={num_bins!r}."
            )
        if output_mode not in _MODES:
            raise ValueError(
                f"{prefix} received output_mode={output_mode!r}. Expected one "
                f"of {', '.join(_MODES)}."
            )
        if sparse:
            raise ValueError(
                f"{prefix} received sparse=True, but lamina returns dense torch "
                f"tensors only. Pass sparse=False."
            )
        self.num_bins = num_bins
        self.output_mode = output_mode
        self.sparse = sparse
        self.autocast = False

    def _takes_input_list(self) -> bool:
        return True

    def call(self, inputs: Any) -> torch.Tensor:
        self._check_inputs(inputs)
        if any(isinstance(item, torch.Tensor) for item in inputs):
            bins = self._tensor_crossed_bins(list(inputs))
        else:
            bins = torch.from_numpy(self._crossed_bins(list(map(np.asarray, inputs))))
            bins = bins.to(backend.get_device())
        if self.output_mode == "int":
            return bins.to(self._dtype)  # inputs' shape
        if bins.ndim == 0:
            bins = bins.reshape(1)  # (1,)
        return one_hot(bins, self.num_bins, self._dtype)  # (batch, num_bins)

    @run_eagerly  # NumPy hashing on the host; torch.compile leaves it alone
    def _tensor_crossed_bins(self, inputs: list[Any]) -> torch.Tensor:
        device = next(item.device for item in inputs if isinstance(item, torch.Tensor))
        arrays = [
            item.detach().cpu().numpy() if isinstance(item, torch.Tensor) else item
            for item in inputs
        ]
        return torch.from_numpy(self._crossed_bins(arrays)).to(device)

    def _crossed_bins(self, arrays: list[np.ndarray]) -> np.ndarray:
        crossed = np.full(arrays[0].shape, CROSS_HASH_KEY, dtype=np.uint64)
        for array in arrays:
            crossed = fingerprint_cat64(crossed, _feature_hashes(array))
        return np.asarray(to_bins(crossed, self.num_bins))

    def _check_inputs(self, inputs: Any) -> None:
        prefix = f"Layer '{self.name}' (HashedCrossing)"
        if not isinstance(inputs, (list, tuple)) or len(inputs) < 2:
            raise ValueError(
                f"{prefix} expected a list or tuple of at least two inputs, but "
                f"received {type(inputs).__name__}. Pass e.g. layer((a, b))."
            )
        shapes = [tuple(np.shape(item)) for item in inputs]
        shape = shapes[0]
        if len(shape) > 2 or (len(shape) == 2 and shape[-1] != 1):
            raise ValueError(
                f"{prefix} expects inputs of shape (), (batch,) or (batch, 1), "
                f"but received shape {shape}."
            )
        if any(other != shape for other in shapes):
            raise ValueError(
                f"{prefix} expects inputs of equal shape, but received shapes {shapes}."
            )
        if not all(map(_is_integer_or_text, inputs)):
            raise ValueError(
                f"{prefix} expects integer or string inputs, but received "
                f"dtypes {[str(item.dtype) for item in inputs]}. Cast floats "
                f"to integers, or bucket them with Discretization first."
            )

    def get_config(self) -> dict[str, Any]:
        return {
            "num_bins": self.num_bins,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": backend.dtype_name(self._dtype),
        }


def _is_integer_or_text(item: Any) -> bool:
    if isinstance(item, torch.Tensor):
        return not (
            item.is_floating_point() or item.is_complex() or item.dtype == torch.bool
        )
    return np.asarray(item).dtype.kind in "iuOUS"


def _feature_hashes(array: np.ndarray) -> np.ndarray:
    """Strings by fingerprint, integers by their two's-complement bits."""
    if array.dtype.kind in "iu":
        return array.astype(np.int64).astype(np.uint64)
    unique, inverse = np.unique(array.reshape(-1), return_inverse=True)
    texts = [str(value).encode("utf-8") for value in unique.tolist()]
    return fingerprint64(texts)[inverse].reshape(array.shape)
