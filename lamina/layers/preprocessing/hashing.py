"""`Hashing`: puts strings or integers into a fixed number of hashed bins."""

from typing import Any

import numpy as np
import torch

from lamina import backend
from lamina.backend.compilation import run_eagerly
from lamina.layers.preprocessing._encoding import OUTPUT_MODES
from lamina.layers.preprocessing._encoding import encode_categorical
from lamina.layers.preprocessing._fingerprint import hash_to_bins
from lamina.layers.preprocessing._string_layer import StringInputLayer


class Hashing(StringInputLayer):
    """Maps each value to a bin in `[0, num_bins)` by a stable hash.

    Values are hashed exactly as Keras does (through TensorFlow), so the
    same value gets the same bin in both: strings by their UTF-8 bytes,
    integers by their decimal text, floats truncated to integers first. The
    hash is FarmHash `Fingerprint64`, or SipHash-2-4 keyed by `salt`.
    Hashing runs on the CPU, in NumPy; the output goes to the input's device.

    Args:
        num_bins: Positive integer, the number of bins, including the mask
            bin when `mask_value` is set.
        mask_value: A value that always maps to bin 0; the others then use
            bins `[1, num_bins)`. Defaults to `None` (no mask bin).
        salt: An integer, or a pair of integers, keying the stronger SipHash
            instead of FarmHash. Defaults to `None`.
        output_mode: `"int"` (the bin), `"one_hot"`, `"multi_hot"` or
            `"count"` (vectors of length `num_bins`, as `CategoryEncoding`).
            Defaults to `"int"`.
        sparse: Must be `False`: torch has no sparse output here.

    Input shape:
        Any: strings (a list or a NumPy array) or numbers (a tensor or array).

    Output shape:
        Same as the input for `"int"` (dtype `int64`); for the vector modes
        see `CategoryEncoding`.

    Example:
    >>> Hashing(num_bins=5)(np.array([["a"], ["b"]])).tolist()
    [[4], [2]]
    """

    def __init__(
        self,
        num_bins: int,
        mask_value: Any = None,
        salt: int | list[int] | tuple[int, int] | None = None,
        output_mode: str = "int",
        sparse: bool = False,
        **kwargs: Any,
    ) -> None:
        if kwargs.get("dtype") is None:
            kwargs["dtype"] = "int64" if output_mode == "int" else backend.floatx()
        super().__init__(**kwargs)
        self._check_arguments(num_bins, output_mode, sparse)
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.salt = standardize_salt(salt, f"Layer '{self.name}' (Hashing)")
        self.output_mode = output_mode
        self.sparse = sparse
        self.autocast = False  # floats are truncated, never cast to int first

    @property
    def strong_hash(self) -> bool:
        return self.salt is not None

    def _check_arguments(self, num_bins: Any, output_mode: str, sparse: bool) -> None:
        prefix = f"Layer '{self.name}' (Hashing)"
        if not isinstance(num_bins, int) or isinstance(num_bins, bool) or num_bins < 1:
            raise ValueError(
                f"{prefix} expected num_bins to be a positive integer, but "
                f"received num_bins={num_bins!r}."
            )
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                f"{prefix} received output_mode={output_mode!r}. Expected one "
                f"of {', '.join(OUTPUT_MODES)}."
            )
        if output_mode == "int" and self.dtype not in ("int32", "int64"):
            raise ValueError(
                f"{prefix} with output_mode='int' needs an integer dtype "
                f"('int32' or 'int64'), but received dtype={self.dtype!r}."
            )
        if sparse:
            raise ValueError(
                f"{prefix} received sparse=True, but lamina returns dense torch "
                f"tensors only. Pass sparse=False."
            )

    def call(self, inputs: Any) -> torch.Tensor:
        if isinstance(inputs, torch.Tensor):
            indices = self._tensor_bins(inputs)  # input shape
        else:
            indices = torch.from_numpy(self._bins(np.asarray(inputs)))
            indices = indices.to(backend.get_device())
        return encode_categorical(indices, self.output_mode, self.num_bins, self._dtype)

    @run_eagerly  # NumPy hashing on the host; torch.compile leaves it alone
    def _tensor_bins(self, inputs: torch.Tensor) -> torch.Tensor:
        bins = self._bins(inputs.detach().cpu().numpy())
        return torch.from_numpy(bins).to(inputs.device)

    def _bins(self, values: np.ndarray) -> np.ndarray:
        hashed_bins = self.num_bins
        mask = None
        if self.mask_value is not None and self.num_bins > 1:
            hashed_bins -= 1
            mask = equals(values, self.mask_value)
        if values.dtype.kind == "f":
            values = values.astype(np.int64)  # truncates, as tf.cast does
        bins = hash_to_bins(values, hashed_bins, self.salt)
        if mask is not None:
            bins = np.where(mask, 0, bins + 1)
        return bins

    def get_config(self) -> dict[str, Any]:
        config = {
            "num_bins": self.num_bins,
            "salt": self.salt,
            "mask_value": self.mask_value,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
        }
        return {**super().get_config(), **config}


def equals(values: np.ndarray, target: Any) -> np.ndarray:
    """Elementwise `values == target`; all `False` when the kinds differ."""
    is_text = values.dtype.kind in "OUS"
    if is_text != isinstance(target, (str, bytes)):
        return np.zeros(values.shape, dtype=bool)
    return np.asarray(values == target, dtype=bool)


def standardize_salt(salt: Any, owner: str) -> list[int] | None:
    """Keras's salt: `None`, or a list of two integers (one integer is doubled)."""
    if salt is None:
        return None
    if isinstance(salt, int) and not isinstance(salt, bool):
        return [salt, salt]
    if isinstance(salt, (list, tuple)) and len(salt) == 2:
        if all(isinstance(part, int) and not isinstance(part, bool) for part in salt):
            return list(salt)
    raise ValueError(
        f"{owner} expected salt to be an integer or a pair of integers, but "
        f"received salt={salt!r}."
    )
