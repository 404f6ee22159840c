"""`IntegerLookup`: maps integers to contiguous indices through a vocabulary."""

from typing import Any

import numpy as np
import torch

from lamina import backend
from lamina.backend.compilation import run_eagerly
from lamina.layers.preprocessing._string_data import holds_strings
from lamina.layers.preprocessing.base_index_lookup import DROPPED_INDEX
from lamina.layers.preprocessing.base_index_lookup import IndexLookup


class IntegerLookup(IndexLookup):
    """Maps each integer to its index in a vocabulary (or encodes the indices).

    Indices: the mask token (only in `"int"` mode, when `mask_token` is set)
    is 0, then come `num_oov_indices` slots for unknown values, then the
    vocabulary. Several OOV slots are chosen by `value % num_oov_indices`
    (`oov_method="floormod"`) or by hashing the value's text
    (`"farmhash"`, SipHash with `salt`), exactly as in Keras. The
    vocabulary is given, or learned by `adapt()`: most frequent first, ties
    broken by the larger value. The lookup is torch code (a sorted table and
    `searchsorted`), so it runs on the input's device and under
    `torch.compile`.

    Args:
        max_tokens: Largest vocabulary size, counting the mask and OOV
            slots. Defaults to `None` (no limit).
        num_oov_indices: Number of OOV slots; with 0, an unknown value is an
            error. Defaults to `1`.
        mask_token: An integer that means "padding": index 0 in `"int"`
            mode, dropped in the vector modes. Defaults to `None`.
        oov_token: The value `invert=True` returns for OOV indices.
            Defaults to `-1`.
        vocabulary: A list, 1-D array or tensor of distinct integers,
            optionally starting with the special tokens; or the path of a
            text file with one integer per line. Defaults to `None`.
        vocabulary_dtype: Must be `"int64"`. Defaults to `"int64"`.
        idf_weights: With `output_mode="tf_idf"` and a `vocabulary`, one
            inverse document frequency weight per entry. Defaults to `None`.
        invert: Whether to map indices back to values. Defaults to `False`.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or
            `"tf_idf"`. Defaults to `"int"`.
        sparse: Must be `False`: torch has no sparse output here.
        pad_to_max_tokens: Whether the vector modes output `max_tokens`
            columns even when the vocabulary is smaller. Defaults to `False`.
        oov_method: `"floormod"` or `"farmhash"`, how several OOV slots are
            chosen. Defaults to `"floormod"`.
        salt: With `oov_method="farmhash"`, an integer or a pair of integers
            keying SipHash instead. Defaults to `None`.

    Input shape:
        Integers of any shape, e.g. `(batch, values)`.

    Output shape:
        Same as the input for `"int"`; `(batch, vocabulary_size)` for the
        vector modes on `(batch, values)` (`"one_hot"` adds an axis).

    Example:
    >>> layer = IntegerLookup(vocabulary=[12, 36, 1138, 42])
    >>> layer(torch.tensor([[12, 1138, 42], [42, 1000, 36]])).tolist()
    [[1, 3, 4], [4, 0, 2]]
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        num_oov_indices: int = 1,
        mask_token: int | None = None,
        oov_token: int = -1,
        vocabulary: Any = None,
        vocabulary_dtype: str = "int64",
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        oov_method: str = "floormod",
        salt: Any = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        for argument, value in (("mask_token", mask_token), ("oov_token", oov_token)):
            if value is not None and not _is_integer(value):
                raise TypeError(
                    f"IntegerLookup expected {argument} to be an integer or "
                    f"None, but received {argument}={value!r}. Use StringLookup "
                    f"for strings."
                )
        if vocabulary_dtype != "int64":
            raise ValueError(
                f"IntegerLookup supports only vocabulary_dtype='int64', but "
                f"received vocabulary_dtype={vocabulary_dtype!r}."
            )
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=None if mask_token is None else int(mask_token),
            oov_token=None if oov_token is None else int(oov_token),
            vocabulary=vocabulary,
            vocabulary_dtype=vocabulary_dtype,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            sparse=sparse,
            pad_to_max_tokens=pad_to_max_tokens,
            oov_method=oov_method,
            salt=salt,
            name=name,
            **kwargs,
        )

    def _vocabulary_list(self, vocabulary: Any) -> list[int]:
        values = _integer_array(vocabulary, self._prefix(), "vocabulary")
        return [int(value) for value in values.reshape(-1).tolist()]

    def _adapt_array(self, data: Any) -> np.ndarray:
        return _integer_array(data, self._prefix(), "adapt() data")

    def _build_tables(self, tokens: list[int]) -> None:
        device = self._buffer_device("_sorted_keys")
        keys = torch.tensor(tokens, dtype=torch.int64)
        order = torch.argsort(keys)
        indices = order + self._token_start_index()
        self.register_buffer("_sorted_keys", keys[order].to(device), persistent=False)
        self.register_buffer("_sorted_indices", indices.to(device), persistent=False)
        table = self.get_vocabulary() if self.invert else []
        table = torch.tensor(table, dtype=torch.int64)
        self.register_buffer("_inverse_table", table.to(device), persistent=False)

    def _indices_of(self, inputs: Any) -> torch.Tensor:
        values = self._integer_inputs(inputs)
        count = self._sorted_keys.numel()
        if count:
            position = torch.searchsorted(self._sorted_keys, values)
            position = position.clamp(max=count - 1)  # input shape
            found = self._sorted_keys[position] == values
            indices = torch.where(found, self._sorted_indices[position], -1)
        else:
            indices = torch.full_like(values, -1)
        if self.mask_token is not None:
            masked = 0 if self.output_mode == "int" else DROPPED_INDEX
            indices = torch.where(values == self.mask_token, masked, indices)
        return self._fill_oov(values, indices)

    def _fill_oov(self, values: torch.Tensor, indices: torch.Tensor) -> torch.Tensor:
        unknown = indices == -1
        start = self._oov_start_index()
        if self.num_oov_indices == 0:
            if values.device.type != "meta":
                self._check_all_known(values, unknown)
            return indices
        if self.num_oov_indices == 1:
            return torch.where(unknown, start, indices)
        if self.oov_method == "floormod":
            slots = torch.remainder(values, self.num_oov_indices) + start
        else:
            slots = self._hashed_slots(values)
        return torch.where(unknown, slots, indices)

    @run_eagerly  # NumPy hashing on the host; torch.compile leaves it alone
    def _hashed_slots(self, values: torch.Tensor) -> torch.Tensor:
        slots = self._oov_indices(values.detach().cpu().numpy())
        return torch.from_numpy(slots).to(values.device)

    @run_eagerly  # the check needs a Python branch
    def _check_all_known(self, values: torch.Tensor, unknown: torch.Tensor) -> None:
        if bool(unknown.any()):
            self._raise_oov(values[unknown].tolist())

    def _tokens_of(self, inputs: Any) -> torch.Tensor:
        indices = self._integer_inputs(inputs)
        size = self._inverse_table.numel()
        if not size:
            return torch.full_like(indices, self.oov_token)
        inside = (indices >= 0) & (indices < size)
        looked_up = self._inverse_table[indices.clamp(0, size - 1)]  # input shape
        return torch.where(inside, looked_up, self.oov_token)

    def _integer_inputs(self, inputs: Any) -> torch.Tensor:
        if isinstance(inputs, torch.Tensor) and not (
            inputs.is_floating_point() or inputs.is_complex()
        ):
            return inputs.to(torch.int64)
        received = (
            f"a tensor of dtype {backend.dtype_name(inputs.dtype)}"
            if isinstance(inputs, torch.Tensor)
            else "strings"
        )
        raise TypeError(
            f"{self._prefix()} expected integers, but received {received}. "
            f"Cast the data to int64 (and use lamina.Input(dtype='int64')); "
            f"use StringLookup for strings."
        )

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        if config["vocabulary"] is not None:
            config["vocabulary"] = [int(value) for value in config["vocabulary"]]
        return config


def _is_integer(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _integer_array(data: Any, prefix: str, what: str) -> np.ndarray:
    if isinstance(data, torch.Tensor):
        data = data.detach().cpu().numpy()
    array = np.asarray(data) if not holds_strings(data) else None
    if array is None or (array.size and array.dtype.kind not in "iu"):
        kind = "strings" if array is None else f"dtype {array.dtype}"
        raise TypeError(
            f"{prefix} expected integer {what}, but received {kind}. Cast it "
            f"to int64, or use StringLookup for strings."
        )
    return array.astype(np.int64)
