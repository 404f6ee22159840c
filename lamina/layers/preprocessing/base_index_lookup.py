"""`IndexLookup`: the shared base of `StringLookup` and `IntegerLookup`.

A vocabulary is a list of distinct tokens. Index layout, as in Keras: the
mask token (only in `"int"` mode, when set) at 0, then `num_oov_indices`
out-of-vocabulary slots, then the tokens in vocabulary order. `adapt()`
orders tokens by count, most frequent first, with ties broken by the
larger token first (Keras's deterministic order).
"""

import collections
import os
from typing import Any

import numpy as np
import torch

from lamina import backend
from lamina.layers.keras_tensor import any_symbolic
from lamina.layers.preprocessing._adapt_data import is_single_batch
from lamina.layers.preprocessing._adapt_data import iterate_batches
from lamina.layers.preprocessing._encoding import encode_categorical
from lamina.layers.preprocessing._fingerprint import hash_to_bins
from lamina.layers.preprocessing._lookup_arguments import check_lookup_arguments
from lamina.layers.preprocessing._string_layer import StringInputLayer
from lamina.layers.preprocessing._vocabulary import VocabularyCounter
from lamina.layers.preprocessing._vocabulary import check_no_vocabulary_path
from lamina.layers.preprocessing._vocabulary import listify
from lamina.layers.preprocessing._vocabulary import parse_vocabulary_asset
from lamina.layers.preprocessing._vocabulary import read_vocabulary_file

DROPPED_INDEX = np.iinfo(np.int64).max  # an index every vector encoding ignores


class IndexLookup(StringInputLayer):
    """Maps tokens to integer indices through a vocabulary (shared base).

    Not a public layer: use `StringLookup` or `IntegerLookup`. Arguments are
    those of the subclasses; `vocabulary_dtype` is `"string"` or `"int64"`.
    A subclass defines how its tokens are read and looked up:
    `_vocabulary_list(vocabulary)` (plain Python tokens), `_adapt_array(data)`
    (a NumPy array of tokens), `_build_tables(tokens)`, `_indices_of(inputs)`
    (an `int64` tensor of indices) and `_tokens_of(indices)` (for `invert`).
    """

    def __init__(
        self,
        max_tokens: int | None,
        num_oov_indices: int,
        mask_token: Any,
        oov_token: Any,
        vocabulary_dtype: str,
        vocabulary: Any = None,
        idf_weights: Any = None,
        invert: bool = False,
        output_mode: str = "int",
        sparse: bool = False,
        pad_to_max_tokens: bool = False,
        oov_method: str = "floormod",
        name: str | None = None,
        salt: Any = None,
        **kwargs: Any,
    ) -> None:
        frozen_size = kwargs.pop("vocabulary_size", None)
        has_input_vocabulary = kwargs.pop(
            "has_input_vocabulary", vocabulary is not None
        )
        # Keras ignores these two for lookups: indices are never trained or cast.
        kwargs.pop("trainable", None)
        kwargs.pop("dtype", None)
        super().__init__(name=name, **kwargs)
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(
            output_mode, output_mode
        )
        self.vocabulary_dtype = vocabulary_dtype
        check_lookup_arguments(
            self._prefix(),
            max_tokens, num_oov_indices, output_mode, invert, sparse,
            pad_to_max_tokens, idf_weights, oov_method, oov_token,
        )  # fmt: skip
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.invert = bool(invert)
        self.output_mode = output_mode
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.oov_method = oov_method
        self.salt = self._standardize_salt(salt)
        self.autocast = False
        self._has_input_vocabulary = has_input_vocabulary
        self._frozen_vocab_size = None
        self._config_vocab_size = frozen_size
        self._tokens: list[Any] = []
        self.register_buffer("_idf_weights", None, persistent=False)
        is_path = isinstance(vocabulary, (str, os.PathLike))
        self.input_vocabulary = None if is_path else vocabulary
        self.input_idf_weights = idf_weights
        self.reset_state()
        self._build_tables(self._tokens)
        if output_mode == "tf_idf" and has_input_vocabulary and idf_weights is None:
            raise ValueError(
                f"{self._prefix()} has output_mode='tf_idf' and a vocabulary, "
                f"so it also needs idf_weights=[...] (one weight per token)."
            )
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)

    # ------------------------------------------------------------ validation
    def _prefix(self) -> str:
        return f"Layer '{self.name}' ({type(self).__name__})"

    def _standardize_salt(self, salt: Any) -> list[int] | None:
        from lamina.layers.preprocessing.hashing import standardize_salt

        if salt is not None and self._integer_vocabulary():
            if self.oov_method != "farmhash":
                raise ValueError(
                    f"{self._prefix()} received salt={salt!r}, which only "
                    f"oov_method='farmhash' uses; it has oov_method="
                    f"{self.oov_method!r}."
                )
        return standardize_salt(salt, self._prefix())

    def _integer_vocabulary(self) -> bool:
        return self.vocabulary_dtype != "string"

    # ------------------------------------------------------------ index layout
    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self) -> int:
        """The number of indices: mask and OOV slots plus the tokens."""
        return len(self._tokens) + self._token_start_index()

    def get_vocabulary(self, include_special_tokens: bool = True) -> list[Any]:
        """The vocabulary in index order.

        Args:
            include_special_tokens: Whether to include the mask and OOV
                tokens, so that a token's position equals its index.
                Defaults to `True`.

        Returns:
            A list of tokens (`str` or `int`).
        """
        if not include_special_tokens:
            return list(self._tokens)
        special = [self.oov_token] * self._token_start_index()
        if self._oov_start_index():
            special[0] = self.mask_token
        return special + list(self._tokens)

    # ------------------------------------------------------------ vocabulary
    def set_vocabulary(self, vocabulary: Any, idf_weights: Any = None) -> None:
        """Sets the vocabulary (and IDF weights) directly instead of `adapt()`.

        Args:
            vocabulary: A list, tuple, 1-D array or tensor of distinct
                tokens, optionally starting with the special tokens in index
                order; or the path of a text file with one token per line.
            idf_weights: With `output_mode="tf_idf"`, one inverse document
                frequency weight per entry of `vocabulary`.

        Raises:
            ValueError: The vocabulary is empty, repeats a token, holds a
                special token elsewhere than at its start, exceeds
                `max_tokens`, or the IDF weights do not match it.
        """
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(
                f"{self._prefix()} has output_mode='tf_idf', so "
                f"set_vocabulary() needs idf_weights=[...] too."
            )
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(
                f"{self._prefix()} received idf_weights, which only "
                f"output_mode='tf_idf' uses; it has output_mode="
                f"{self.output_mode!r}."
            )
        if isinstance(vocabulary, (str, os.PathLike)):
            if self.output_mode == "tf_idf":
                raise ValueError(
                    f"{self._prefix()} cannot read a vocabulary file in "
                    f"output_mode='tf_idf'; pass the tokens and idf_weights "
                    f"as lists."
                )
            vocabulary = read_vocabulary_file(os.fspath(vocabulary), self._prefix())
        tokens = self._vocabulary_list(vocabulary)
        if not tokens:
            raise ValueError(
                f"{self._prefix()} cannot use an empty vocabulary. Pass at "
                f"least one token, or call adapt(data)."
            )
        token_start = self._token_start_index()
        has_special = self._starts_with_special_tokens(tokens)
        if has_special:
            tokens = tokens[token_start:]
        self._check_tokens(tokens)
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            self._set_idf_weights(idf_weights, len(tokens) + token_start, has_special)

    def _starts_with_special_tokens(self, tokens: list[Any]) -> bool:
        expected = self.get_vocabulary()[: self._token_start_index()]
        return tokens[: len(expected)] == expected and len(tokens) >= len(expected)

    def _check_tokens(self, tokens: list[Any]) -> None:
        counts = collections.Counter(tokens)
        repeated = [token for token, count in counts.items() if count > 1]
        if repeated:
            raise ValueError(
                f"{self._prefix()} received a vocabulary that repeats "
                f"{repeated[:10]}. Each token must appear once."
            )
        special = self.get_vocabulary()[: self._token_start_index()]
        if self.mask_token is not None and self.mask_token in counts:
            raise ValueError(
                f"{self._prefix()} found the mask token {self.mask_token!r} "
                f"inside the vocabulary. Leave the special tokens out of it, or "
                f"put them only at its start, exactly as {special}."
            )
        if self.invert and self.oov_token in counts:
            raise ValueError(
                f"{self._prefix()} found the OOV token {self.oov_token!r} "
                f"inside the vocabulary. Leave the special tokens out of it, or "
                f"put them only at its start, exactly as {special}."
            )
        size = self._token_start_index() + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(
                f"{self._prefix()} received a vocabulary of {size} indices "
                f"(with the special tokens), more than max_tokens="
                f"{self.max_tokens}. Shorten it or raise max_tokens."
            )

    def _set_idf_weights(
        self, weights: Any, vocab_size: int, has_special: bool
    ) -> None:
        if isinstance(weights, torch.Tensor):
            weights = weights.detach().cpu().numpy()
        weights = np.asarray(weights, dtype="float64")
        given = vocab_size if has_special else vocab_size - self._token_start_index()
        if weights.ndim != 1 or len(weights) != given:
            raise ValueError(
                f"{self._prefix()} expected idf_weights to be a 1-D list with "
                f"one weight per vocabulary entry ({given}), but received shape "
                f"{weights.shape}."
            )
        # Special slots get the average weight: there are no document counts
        # for them.
        front = 0 if has_special else self._token_start_index()
        front_value = 0.0 if has_special else np.average(weights)
        back = self.max_tokens - front - len(weights) if self.pad_to_max_tokens else 0
        padded = np.pad(weights, (front, back), constant_values=(front_value, 0.0))
        self._store_idf(padded.astype("float32"))

    def _store_idf(self, weights: np.ndarray) -> None:
        tensor = torch.as_tensor(weights).to(self._buffer_device("_idf_weights"))
        self.register_buffer("_idf_weights", tensor, persistent=False)

    def _buffer_device(self, name: str) -> torch.device:
        """Where a table goes: beside its old version (the layer may have been
        moved with `.to()`), else on the default device."""
        previous = self._buffers.get(name)
        return previous.device if previous is not None else backend.get_device()

    def _set_tokens(self, tokens: list[Any]) -> None:
        size = self._token_start_index() + len(tokens)
        frozen = self._frozen_vocab_size
        fixed_width = self.output_mode == "int" or self.pad_to_max_tokens
        if not fixed_width and frozen is not None and size != frozen:
            raise RuntimeError(
                f"{self._prefix()} has output_mode={self.output_mode!r}, whose "
                f"output width is the vocabulary size {frozen}; a vocabulary of "
                f"{size} would change it. Create a new layer for the new "
                f"vocabulary, or set pad_to_max_tokens=True."
            )
        self._tokens = list(tokens)
        self._frozen_vocab_size = size
        self._build_tables(self._tokens)

    # ------------------------------------------------------------ adapt
    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Learns the vocabulary (and IDF weights) from `data`.

        Tokens are ordered by count, most frequent first; ties put the
        larger token first. With `max_tokens`, only the most frequent are
        kept.

        Args:
            data: A list, NumPy array or tensor of tokens (one batch), or an
                iterable of batches (a generator, a `DataLoader`). In a 2-D
                batch each row is one document for `"tf_idf"`.
            steps: Number of batches to read from an iterable. Defaults to
                all of them.
        """
        self.reset_state()
        if is_single_batch(data, sequences_are_batches=True):
            tokens = self._adapt_array(data)
            if tokens.ndim == 1:
                tokens = tokens[:, None]  # (tokens, 1): one document each
            self.update_state(tokens)
        else:
            for batch in iterate_batches(data, steps, type(self).__name__):
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        """Counts the tokens of one batch (a row is one document)."""
        tokens = self._adapt_array(data)
        if tokens.ndim == 0:
            tokens = tokens.reshape(1, 1)
        elif tokens.ndim == 1:
            tokens = tokens[None, :]  # one document
        self._count_documents(row.reshape(-1).tolist() for row in tokens)

    def _count_documents(self, documents: Any) -> None:
        """Adds token (and, for `"tf_idf"`, document) counts of some documents."""
        if self._has_input_vocabulary:
            raise ValueError(
                f"{self._prefix()} has a fixed vocabulary (given at creation or "
                f"by set_vocabulary()), so it cannot adapt. Create the layer "
                f"without vocabulary= to learn one."
            )
        self._counter.count(documents, documents=self.output_mode == "tf_idf")

    def finalize_state(self) -> None:
        """Turns the counts into the vocabulary, then forgets them."""
        if self._has_input_vocabulary or not self._counter:
            return
        limit = self.max_tokens - self._token_start_index() if self.max_tokens else None
        tokens = self._counter.most_frequent((self.mask_token, self.oov_token), limit)
        if self.output_mode == "tf_idf":
            weights = self._counter.idf_weights(tokens)
            # The special slots get the mean weight: nothing counts them.
            front = np.full(self._token_start_index(), np.mean(weights), "float32")
            weights = np.concatenate([front, weights])
            if self.pad_to_max_tokens:
                weights = np.pad(weights, (0, self.max_tokens - len(weights)))
        self._set_tokens(tokens)
        if self.output_mode == "tf_idf":
            self._store_idf(weights)
        self.reset_state()

    def reset_state(self) -> None:
        """Forgets the counts gathered by `update_state`."""
        self._counter = VocabularyCounter()

    # ------------------------------------------------------------ call
    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._symbolic_inputs_allowed() and any_symbolic(inputs):
            raise TypeError(
                f"{self._prefix()} takes strings, which a symbolic lamina.Input "
                f"cannot hold. Apply the layer to the data before the model "
                f"(e.g. x = layer(texts); model.fit(x, y)), as Keras advises "
                f"for backends other than TensorFlow."
            )
        return super().__call__(inputs, *args, **kwargs)

    def _symbolic_inputs_allowed(self) -> bool:
        return self._integer_vocabulary() or self.invert

    def call(self, inputs: Any) -> Any:
        if self.invert:
            return self._tokens_of(inputs)
        indices = self._indices_of(inputs)  # input shape
        if self.output_mode == "int":
            return indices
        depth = self.max_tokens if self.pad_to_max_tokens else self._output_depth()
        if self.output_mode != "tf_idf":
            return encode_categorical(indices, self.output_mode, depth, torch.int64)
        counts = encode_categorical(indices, "count", depth, torch.float32)
        return counts * self._idf_weights.to(counts.device)  # (..., depth)

    def _output_depth(self) -> int:
        depth = self._frozen_vocab_size or self._config_vocab_size
        if depth is None:
            raise RuntimeError(
                f"{self._prefix()} has output_mode={self.output_mode!r}, whose "
                f"width is the vocabulary size, but it has no vocabulary yet. "
                f"Pass vocabulary=[...] or call adapt(data) before using it."
            )
        return depth

    def _oov_indices(self, oov_values: np.ndarray) -> np.ndarray:
        """OOV slot of each out-of-vocabulary value, hashed when there are several."""
        start = self._oov_start_index()
        if self.num_oov_indices == 1:
            return np.full(oov_values.shape, start, dtype=np.int64)
        return hash_to_bins(oov_values, self.num_oov_indices, self.salt) + start

    def _raise_oov(self, oov_values: list[Any]) -> None:
        raise ValueError(
            f"{self._prefix()} has num_oov_indices=0, so every input must be in "
            f"the vocabulary, but it received {oov_values[:10]}. Set "
            f"num_oov_indices=1 to map unknown tokens to an OOV index."
        )

    # ------------------------------------------------------------ saving
    def load_own_variables(self, store: Any) -> None:
        """Reads the `"tf_idf"` weights Keras stores as `idf_weights` (or `"0"`)."""
        if self.output_mode != "tf_idf":
            return
        for key in ("idf_weights", "0"):
            if key in store:
                self._store_idf(np.asarray(store[key], dtype="float32"))
                return

    def load_asset_files(self, files: dict[str, bytes]) -> None:
        """Sets the vocabulary from a Keras file's `vocabulary.txt` asset.

        Keras writes an adapted vocabulary (special tokens first, one per
        line) next to the model's weights instead of into its config. The
        bytes come from inside the model file; nothing is read from disk.

        Args:
            files: This layer's asset files, by name.
        """
        data = files.get("vocabulary.txt")
        if data is None or self.input_vocabulary is not None:
            return
        tokens = parse_vocabulary_asset(data, self._integer_vocabulary())
        idf_weights = None
        if self.output_mode == "tf_idf":
            if self._idf_weights is None:
                raise ValueError(
                    f"{self._prefix()} read a vocabulary asset in output_mode="
                    f"'tf_idf', but no idf_weights were loaded for it. Load the "
                    f"weights (load_own_variables) before the assets."
                )
            idf_weights = self._idf_weights.cpu().numpy()[: len(tokens)]
        self.set_vocabulary(tokens, idf_weights)

    def get_build_config(self) -> dict[str, Any]:
        return {}

    def get_config(self) -> dict[str, Any]:
        vocabulary, idf_weights = self._config_vocabulary()
        config = {
            "invert": self.invert,
            "max_tokens": self.max_tokens,
            "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token,
            "mask_token": self.mask_token,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype,
            "idf_weights": idf_weights,
            "vocabulary": vocabulary,
            "vocabulary_size": self._frozen_vocab_size or self._config_vocab_size,
            "oov_method": self.oov_method,
            "salt": self.salt,
        }
        return {**super().get_config(), **config}

    def _config_vocabulary(self) -> tuple[Any, Any]:
        """The vocabulary and IDF weights the config carries.

        A vocabulary given as a list is written as given, as Keras does. One
        learned by `adapt()` or read from a file is written too, with its
        special tokens, because a lamina file keeps no side files: the model
        file alone rebuilds the layer, and loading never reads another file
        (Keras writes such vocabularies to `assets/` instead, and reads both
        forms).
        """
        if self.input_vocabulary is not None:
            return (
                listify(self.input_vocabulary),
                listify(self.input_idf_weights),
            )
        if not self._tokens:
            return None, None
        vocabulary = self.get_vocabulary(include_special_tokens=True)
        idf_weights = None
        if self.output_mode == "tf_idf":
            size = len(vocabulary)
            idf_weights = self._idf_weights[:size].cpu().tolist()
        return vocabulary, idf_weights

    @classmethod
    def from_config(cls, config: dict[str, Any], safe_mode: bool = True) -> Any:
        """Rebuilds the layer; a vocabulary *file path* is read only if unsafe.

        A config written by Keras or lamina holds the vocabulary itself. A
        config naming a file would make loading read an arbitrary path, so
        it is refused unless `safe_mode=False`.
        """
        check_no_vocabulary_path(cls.__name__, config, safe_mode)
        return cls(**config)
