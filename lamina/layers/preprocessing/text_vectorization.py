"""`TextVectorization`: turns raw text into token indices or token vectors."""

from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from lamina import backend
from lamina.layers.keras_tensor import any_symbolic
from lamina.layers.preprocessing import _text_ops
from lamina.layers.preprocessing._adapt_data import is_single_batch
from lamina.layers.preprocessing._adapt_data import iterate_batches
from lamina.layers.preprocessing._lookup_arguments import OUTPUT_MODES
from lamina.layers.preprocessing._string_data import holds_strings
from lamina.layers.preprocessing._string_data import to_string_array
from lamina.layers.preprocessing._string_layer import StringInputLayer
from lamina.layers.preprocessing._vocabulary import check_no_vocabulary_path
from lamina.layers.preprocessing.string_lookup import StringLookup


class TextVectorization(StringInputLayer):
    """Standardizes, splits and indexes text, as Keras's layer does.

    Each string is standardized (by default lowercased and stripped of ASCII
    punctuation), split into tokens (by default at ASCII whitespace),
    optionally extended with n-grams, and looked up in a vocabulary that is
    given or learned by `adapt()` (most frequent first, ties broken by the
    larger token). Index 0 is padding (`""`), 1 is out-of-vocabulary
    (`"[UNK]"`). The steps follow TensorFlow's string ops, so vocabularies
    and outputs are the same as Keras's.

    Text comes in as a Python list or NumPy `str`/`bytes`/`object` array of
    shape `(batch,)` or `(batch, 1)`; the output is a torch tensor. There is
    no string `lamina.Input`, so apply the layer to the data (or in a data
    pipeline) and feed the indices to the model, as Keras advises for
    backends other than TensorFlow.

    Args:
        max_tokens: Largest vocabulary size, counting padding and OOV.
            Defaults to `None` (no limit).
        standardize: `"lower_and_strip_punctuation"`, `"lower"`,
            `"strip_punctuation"`, `None`, or a callable that receives a
            NumPy `str` array and returns one of the same shape. Defaults to
            `"lower_and_strip_punctuation"`.
        split: `"whitespace"`, `"character"`, `None` (each string is one
            token), or a callable that receives a 1-D NumPy `str` array and
            returns one list of tokens per string. Defaults to
            `"whitespace"`.
        ngrams: `None`, an integer `n` (all n-grams up to `n`), or a tuple of
            widths. Defaults to `None`.
        output_mode: `"int"` (token indices), `"multi_hot"`, `"count"` or
            `"tf_idf"` (one vector per string); `"one_hot"` needs
            `split=None`. Defaults to `"int"`.
        output_sequence_length: With `"int"`, cut or pad every output to
            this length; else rows are padded to the longest in the batch.
            Defaults to `None`.
        pad_to_max_tokens: Whether the vector modes output `max_tokens`
            columns even when the vocabulary is smaller. Defaults to `False`.
        vocabulary: A list of strings, or the path of a text file with one
            token per line. Defaults to `None` (call `adapt()`).
        idf_weights: With `"tf_idf"` and a `vocabulary`, one weight per
            entry. Defaults to `None`.
        sparse: Must be `False`: torch has no sparse output here.
        ragged: Must be `False`: torch has no ragged tensors.
        encoding: Text encoding of `bytes` inputs. Defaults to `"utf-8"`.

    Input shape:
        `(batch,)` or `(batch, 1)` strings.

    Output shape:
        `(batch, output_sequence_length)` for `"int"`, `(batch, tokens)`
        without it; `(batch, vocabulary_size)` for the vector modes.

    Example:
    >>> layer = TextVectorization()
    >>> layer.adapt(["The cat sat.", "The dog sat on the cat!"])
    >>> layer.get_vocabulary()
    ['', '[UNK]', 'the', 'sat', 'cat', 'on', 'dog']
    >>> layer(["the dog barked"]).tolist()
    [[2, 6, 1]]
    """

    def __init__(
        self,
        max_tokens: int | None = None,
        standardize: str | Callable | None = "lower_and_strip_punctuation",
        split: str | Callable | None = "whitespace",
        ngrams: int | tuple[int, ...] | None = None,
        output_mode: str = "int",
        output_sequence_length: int | None = None,
        pad_to_max_tokens: bool = False,
        vocabulary: Any = None,
        idf_weights: Any = None,
        sparse: bool = False,
        ragged: bool = False,
        encoding: str = "utf-8",
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        has_input_vocabulary = kwargs.pop(
            "has_input_vocabulary", vocabulary is not None
        )
        vocabulary_size = kwargs.pop("vocabulary_size", None)
        super().__init__(name=name, **kwargs)
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(
            output_mode, output_mode
        )
        self._check_arguments(
            standardize, split, ngrams, output_mode, output_sequence_length,
            sparse, ragged,
        )  # fmt: skip
        self.encoding = encoding
        self._standardize = standardize
        self._split = split
        self._ngrams_arg = ngrams
        self._ngrams = (
            tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        )
        self._output_mode = output_mode
        self._output_sequence_length = output_sequence_length
        self._ragged = ragged
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens,
            vocabulary=vocabulary,
            idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens,
            mask_token="",
            output_mode=output_mode,
            sparse=sparse,
            has_input_vocabulary=has_input_vocabulary,
            encoding=encoding,
            vocabulary_size=vocabulary_size,
        )

    def _check_arguments(
        self,
        standardize: Any,
        split: Any,
        ngrams: Any,
        output_mode: str,
        output_sequence_length: Any,
        sparse: bool,
        ragged: bool,
    ) -> None:
        prefix = f"Layer '{self.name}' (TextVectorization)"
        _check_mode(prefix, "standardize", standardize, _text_ops.STANDARDIZE_MODES)
        _check_mode(prefix, "split", split, _text_ops.SPLIT_MODES)
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                f"{prefix} received output_mode={output_mode!r}. Expected one "
                f"of {', '.join(OUTPUT_MODES)}."
            )
        if not (
            ngrams is None
            or _is_positive_int(ngrams)
            or (
                isinstance(ngrams, (tuple, list)) and all(map(_is_positive_int, ngrams))
            )
        ):
            raise ValueError(
                f"{prefix} expected ngrams to be None, a positive integer or a "
                f"tuple of them, but received ngrams={ngrams!r}."
            )
        if output_sequence_length is not None:
            if output_mode != "int":
                raise ValueError(
                    f"{prefix} received output_sequence_length="
                    f"{output_sequence_length} with output_mode="
                    f"{output_mode!r}; only output_mode='int' has sequences."
                )
            if not _is_positive_int(output_sequence_length):
                raise ValueError(
                    f"{prefix} expected output_sequence_length to be None or a "
                    f"positive integer, but received {output_sequence_length!r}."
                )
        if output_mode == "one_hot" and split is not None:
            raise ValueError(
                f"{prefix} received output_mode='one_hot' with split={split!r}; "
                f"one-hot needs one token per string, so pass split=None, or "
                f"use output_mode='multi_hot' or 'count'."
            )
        for argument, value in (("sparse", sparse), ("ragged", ragged)):
            if value:
                raise ValueError(
                    f"{prefix} received {argument}=True, but lamina returns "
                    f"dense torch tensors only (as Keras on its torch backend). "
                    f"Pass {argument}=False."
                )

    # ------------------------------------------------------------ vocabulary
    def get_vocabulary(self, include_special_tokens: bool = True) -> list[str]:
        """The vocabulary in index order (with `""` and `"[UNK]"` by default)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self) -> int:
        """The number of indices, padding and OOV included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Sets the vocabulary (and IDF weights) directly instead of `adapt()`.

        Args:
            vocabulary: A list or 1-D array of distinct strings, or the path
                of a text file with one token per line.
            idf_weights: With `output_mode="tf_idf"`, one weight per entry.
        """
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights=idf_weights)

    def adapt(
        self, data: Any, batch_size: int | None = None, steps: int | None = None
    ) -> None:
        """Learns the vocabulary (and IDF weights) from text.

        Args:
            data: A list or NumPy array of strings, or an iterable of batches
                of strings (a generator, a `DataLoader`, batches of
                `(texts, labels)`). Each string is one document.
            batch_size: Ignored, as in Keras: pass the data batched instead.
            steps: Number of batches to read from an iterable. Defaults to
                all of them.
        """
        self.reset_state()
        if is_single_batch(data, sequences_are_batches=True):
            texts = self._texts(data)
            if texts.ndim == 1:
                texts = texts[:, None]  # (texts, 1): one document each
            self.update_state(texts)
        else:
            for batch in iterate_batches(data, steps, "TextVectorization"):
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        """Counts the tokens of one batch of texts."""
        texts = self._standardized(self._texts(data))
        if self._split is None:
            self._lookup_layer.update_state(self._dense_ngrams(texts))
            return
        self._lookup_layer._count_documents(self._token_rows(texts))

    def finalize_state(self) -> None:
        """Turns the counts into the vocabulary."""
        self._lookup_layer.finalize_state()

    def reset_state(self) -> None:
        """Forgets the counts gathered by `update_state`."""
        self._lookup_layer.reset_state()

    # ------------------------------------------------------------ call
    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if any_symbolic(inputs):
            raise TypeError(
                f"Layer '{self.name}' (TextVectorization) takes strings, which "
                f"a symbolic lamina.Input cannot hold. Vectorize the text "
                f"before the model (x = layer(texts); model.fit(x, y)), as "
                f"Keras advises for backends other than TensorFlow."
            )
        return super().__call__(inputs, *args, **kwargs)

    def call(self, inputs: Any) -> torch.Tensor:
        texts = self._standardized(self._texts(inputs))
        if self._split is None:
            return self._call_on_tokens(self._dense_ngrams(texts))
        rows = self._token_rows(texts)
        outputs = self._encode_rows(rows)  # (batch, ...)
        return outputs[0] if texts.ndim == 0 else outputs

    def _texts(self, data: Any) -> np.ndarray:
        if not holds_strings(data):
            raise TypeError(
                f"Layer '{self.name}' (TextVectorization) expected strings (a "
                f"list or a NumPy str array), but received "
                f"{type(data).__name__}. Pass the raw texts."
            )
        return to_string_array(data, self.encoding, f"Layer '{self.name}'")

    def _standardized(self, texts: np.ndarray) -> np.ndarray:
        if self._standardize is None:
            return texts
        if isinstance(self._standardize, str):
            return _text_ops.standardize(texts, self._standardize)
        result = self._standardize(texts.astype(str))
        return to_string_array(result, self.encoding, "standardize")

    def _token_rows(self, texts: np.ndarray) -> list[list[str]]:
        """One token list per string of a `()`, `(batch,)` or `(batch, 1)` array."""
        if texts.ndim > 1:
            if texts.shape[-1] != 1:
                raise ValueError(
                    f"Layer '{self.name}' (TextVectorization) splits one string "
                    f"per sample, so it expects shape (batch,) or (batch, 1), "
                    f"but received shape {texts.shape}. Join each sample's "
                    f"strings, or pass split=None."
                )
            texts = texts.squeeze(-1)  # (batch,)
        texts = texts.reshape(-1)  # (batch,)
        if self._split == "whitespace":
            rows = [_text_ops.split_whitespace(text) for text in texts.tolist()]
        elif self._split == "character":
            rows = [_text_ops.split_characters(text) for text in texts.tolist()]
        else:
            rows = [
                [str(token) for token in row] for row in self._split(texts.astype(str))
            ]
        if self._ngrams is not None:
            rows = [_text_ops.ngrams(row, self._ngrams) for row in rows]
        return rows

    def _dense_ngrams(self, tokens: np.ndarray) -> np.ndarray:
        """N-grams along the last axis of unsplit strings, as `tf.strings.ngrams`."""
        if self._ngrams is None:
            return tokens
        rows = [
            _text_ops.ngrams(row, self._ngrams)
            for row in tokens.reshape(-1, tokens.shape[-1]).tolist()
        ]
        grams = np.array(rows, dtype=object).reshape(-1, len(rows[0]) if rows else 0)
        return grams.reshape(*tokens.shape[:-1], grams.shape[-1])

    def _call_on_tokens(self, tokens: np.ndarray) -> torch.Tensor:
        outputs = self._lookup_layer.call(tokens)
        if self._output_mode != "int" or self._output_sequence_length is None:
            return outputs
        length = self._output_sequence_length
        outputs = outputs[..., :length]  # (..., <= length)
        missing = length - outputs.shape[-1]
        return torch.nn.functional.pad(outputs, (0, missing))  # (..., length)

    def _encode_rows(self, rows: list[list[str]]) -> torch.Tensor:
        lengths = [len(row) for row in rows]
        flat = np.array([token for row in rows for token in row], dtype=object)
        indices = self._lookup_layer._indices_of(flat).cpu().numpy()
        if self._output_mode == "int":
            pieces = np.split(indices, np.cumsum(lengths)[:-1]) if rows else []
            matrix = _text_ops.pad_rows(pieces, self._output_sequence_length)
            return torch.from_numpy(matrix).to(backend.get_device())
        return self._count_rows(indices, lengths)

    def _count_rows(self, indices: np.ndarray, lengths: list[int]) -> torch.Tensor:
        """Multi-hot, count or TF-IDF vectors of ragged rows of indices."""
        lookup = self._lookup_layer
        depth = (
            lookup.max_tokens if lookup.pad_to_max_tokens else lookup._output_depth()
        )
        row_ids = np.repeat(np.arange(len(lengths)), lengths)
        keep = (indices >= 0) & (indices < depth)
        flat_positions = row_ids[keep] * depth + indices[keep]
        counts = np.bincount(flat_positions, minlength=len(lengths) * depth)
        counts = torch.from_numpy(counts.reshape(len(lengths), depth))  # (batch, depth)
        counts = counts.to(backend.get_device())
        if self._output_mode == "multi_hot":
            return (counts > 0).to(torch.int64)
        if self._output_mode == "count":
            return counts.to(torch.int64)
        return counts.to(torch.float32) * lookup._idf_weights.to(counts.device)

    # ------------------------------------------------------------ saving
    def load_own_variables(self, store: Any) -> None:
        """Reads the `"tf_idf"` weights Keras stores for this layer."""
        self._lookup_layer.load_own_variables(store)

    def load_asset_files(self, files: dict[str, bytes]) -> None:
        """Sets the vocabulary from a Keras file's `vocabulary.txt` asset."""
        self._lookup_layer.load_asset_files(files)

    def get_config(self) -> dict[str, Any]:
        vocabulary, idf_weights = self._lookup_layer._config_vocabulary()
        config = {
            "max_tokens": self._lookup_layer.max_tokens,
            "standardize": self._standardize,
            "split": self._split,
            "ngrams": self._ngrams_arg,
            "output_mode": self._output_mode,
            "output_sequence_length": self._output_sequence_length,
            "pad_to_max_tokens": self._lookup_layer.pad_to_max_tokens,
            "sparse": self._lookup_layer.sparse,
            "ragged": self._ragged,
            "vocabulary": vocabulary,
            "idf_weights": idf_weights,
            "encoding": self.encoding,
            "vocabulary_size": self.vocabulary_size(),
        }
        return {**super().get_config(), **config}

    @classmethod
    def from_config(
        cls, config: dict[str, Any], safe_mode: bool = True
    ) -> "TextVectorization":
        """Rebuilds the layer; a vocabulary *file path* is read only if unsafe."""
        from lamina.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        for key in ("standardize", "split"):
            if isinstance(config.get(key), dict):
                config[key] = deserialize_keras_object(config[key], safe_mode=safe_mode)
        if isinstance(config.get("ngrams"), list):
            config["ngrams"] = tuple(config["ngrams"])
        check_no_vocabulary_path("TextVectorization", config, safe_mode)
        return cls(**config)


def _check_mode(prefix: str, argument: str, value: Any, modes: tuple) -> None:
    if value is None or callable(value) or value in modes:
        return
    raise ValueError(
        f"{prefix} received {argument}={value!r}. Expected one of "
        f"{', '.join(repr(mode) for mode in modes)}, None, or a callable."
    )


def _is_positive_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value > 0
