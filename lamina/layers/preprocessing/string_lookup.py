"""`StringLookup`: maps strings to integer indices through a vocabulary."""

from typing import Any

import numpy as np
import torch

from lamina import backend
from lamina.layers.preprocessing._string_data import holds_strings
from lamina.layers.preprocessing._string_data import to_string_array
from lamina.layers.preprocessing.base_index_lookup import DROPPED_INDEX
from lamina.layers.preprocessing.base_index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Maps each string to its index in a vocabulary (or encodes the indices).

    Indices: the mask token (only in `"int"` mode, when `mask_token` is set)
    is 0, then come `num_oov_indices` slots for unknown strings, then the
    vocabulary. Unknown strings share one OOV slot, or are spread over
    several by FarmHash (SipHash with `salt`), exactly as in Keras. The
    vocabulary is given, or learned by `adapt()`: most frequent first, ties
    broken by the larger string.

    Strings come in as Python lists or NumPy `str`/`bytes`/`object` arrays;
    the result is a torch tensor (`int64`, or `float32` for `"tf_idf"`).
    With `invert=True` indices come in and strings come out, as nested
    Python lists (as Keras returns on its torch backend).

    Args:
        max_tokens: Largest vocabulary size, counting the mask and OOV
            slots; `adapt()` keeps the most frequent strings. Defaults to
            `None` (no limit).
        num_oov_indices: Number of OOV slots; with 0, an unknown string is
            an error. Defaults to `1`.
        mask_token: A string that means "padding": index 0 in `"int"`
            mode, dropped in the vector modes. Defaults to `None`.
        oov_token: The string `invert=True` returns for OOV indices.
            Defaults to `"[UNK]"`.
        vocabulary: A list or 1-D array of distinct strings, optionally
            starting with the special tokens; or the path of a text file
            with one string per line. Defaults to `None` (call `adapt()`).
        idf_weights: With `output_mode="tf_idf"` and a `vocabulary`, one
            inverse document frequency weight per entry. Defaults to `None`.
        invert: Whether to map indices back to strings. Defaults to `False`.
        output_mode: `"int"`, `"one_hot"`, `"multi_hot"`, `"count"` or
            `"tf_idf"`. Defaults to `"int"`.
        pad_to_max_tokens: Whether the vector modes output `max_tokens`
            columns even when the vocabulary is smaller. Defaults to `False`.
        sparse: Must be `False`: torch has no sparse output here.
        encoding: Text encoding of `bytes` inputs. Defaults to `"utf-8"`.
        salt: An integer or a pair of integers keying SipHash for the OOV
            slots. Defaults to `None` (FarmHash).

    Input shape:
        Strings of any shape, e.g. `(batch, tokens)`.

    Output shape:
        Same as the input for `"int"`; `(batch, vocabulary_size)` for the
        vector modes on `(batch, tokens)` (`"one_hot"` adds an axis).

    Example:
    >>> layer = StringLookup(vocabulary=["a", "b", "c"])
    >>> layer([["a", "c"], ["d", "b"]]).tolist()
    [[1, 3], [0, 2]]
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        num_oov_indices: int = 1,
        mask_token: str | None = None,
        oov_token: str = "[UNK]",
        vocabulary: Any = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        pad_to_max_tokens: bool = False,
        sparse: bool = False,
        encoding: str = "utf-8",
        name: str | None = None,
        salt: Any = None,
        **kwargs: Any,
    ) -> None:
        self.encoding = encoding
        super().__init__(
            max_tokens=max_tokens,
            num_oov_indices=num_oov_indices,
            mask_token=mask_token,
            oov_token=oov_token,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            invert=invert,
            output_mode=output_mode,
            pad_to_max_tokens=pad_to_max_tokens,
            sparse=sparse,
            name=name,
            salt=salt,
            vocabulary_dtype="string",
            **kwargs,
        )

    def _vocabulary_list(self, vocabulary: Any) -> list[str]:
        if isinstance(vocabulary, torch.Tensor) or not holds_strings(vocabulary):
            if not (isinstance(vocabulary, (list, tuple)) and not vocabulary):
                raise TypeError(
                    f"{self._prefix()} expected a vocabulary of strings, but "
                    f"received {type(vocabulary).__name__} "
                    f"{_preview(vocabulary)}. Use IntegerLookup for integers."
                )
        array = to_string_array(vocabulary, self.encoding, self._prefix())
        return array.reshape(-1).tolist()

    def _adapt_array(self, data: Any) -> np.ndarray:
        if not holds_strings(data):
            raise TypeError(
                f"{self._prefix()}.adapt() expected strings, but received "
                f"{type(data).__name__} {_preview(data)}. Use IntegerLookup "
                f"for integers."
            )
        return to_string_array(data, self.encoding, self._prefix())

    def _build_tables(self, tokens: list[str]) -> None:
        start = self._token_start_index()
        self._index_of = {token: start + offset for offset, token in enumerate(tokens)}
        if self.mask_token is not None:
            self._index_of[self.mask_token] = (
                0 if self.output_mode == "int" else DROPPED_INDEX
            )

    def _indices_of(self, inputs: Any) -> torch.Tensor:
        if not isinstance(inputs, np.ndarray) or inputs.dtype.kind != "O":
            raise TypeError(
                f"{self._prefix()} expected strings (a list or a NumPy str "
                f"array), but received {_describe(inputs)}. To map indices back "
                f"to strings, use StringLookup(invert=True)."
            )
        flat = inputs.reshape(-1)
        find = self._index_of.get
        indices = np.fromiter(
            (find(token, -1) for token in flat.tolist()), np.int64, flat.size
        )
        unknown = indices < 0
        if unknown.any():
            if self.num_oov_indices == 0:
                self._raise_oov(flat[unknown].tolist())
            indices[unknown] = self._oov_indices(flat[unknown])
        indices = torch.from_numpy(indices.reshape(inputs.shape))  # input shape
        return indices.to(backend.get_device())

    def _tokens_of(self, inputs: Any) -> list[Any]:
        if isinstance(inputs, np.ndarray) and inputs.dtype.kind == "O":
            raise TypeError(
                f"{self._prefix()} has invert=True, so it expects integer "
                f"indices, but received strings. Use invert=False to map "
                f"strings to indices."
            )
        if isinstance(inputs, torch.Tensor):
            inputs = inputs.detach().cpu().numpy()
        indices = np.asarray(inputs).astype(np.int64)
        table = np.array(self.get_vocabulary(), dtype=object)
        if not len(table):
            return np.full(indices.shape, self.oov_token, dtype=object).tolist()
        inside = (indices >= 0) & (indices < len(table))
        looked_up = table[np.clip(indices, 0, len(table) - 1)]
        return np.where(inside, looked_up, self.oov_token).tolist()

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        del config["vocabulary_dtype"]  # strings have one dtype
        return {**config, "encoding": self.encoding}


def _describe(value: Any) -> str:
    if isinstance(value, (torch.Tensor, np.ndarray)):
        return f"a {type(value).__name__} of dtype {value.dtype}"
    return type(value).__name__


def _preview(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
