"""`Embedding`: turns integer indices into dense vectors."""

from typing import Any

import torch

from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.backend.compilation import run_eagerly
from lamina.layers._unsupported_options import check_lora_off
from lamina.layers._unsupported_options import check_quantization_off
from lamina.layers.layer import Layer

_INDEX_DTYPES = (torch.int32, torch.int64)


class Embedding(Layer):
    """Maps each integer index in `[0, input_dim)` to a learned vector.

    `output[..., :] = embeddings[inputs[...]]`. Float inputs are cast to
    integers first. An index outside `[0, input_dim)` raises a `ValueError`
    that names the layer and the offending index.

    Args:
        input_dim: Positive integer, size of the vocabulary (largest index + 1).
        output_dim: Positive integer, size of each vector.
        embeddings_initializer: Initializer of the `(input_dim, output_dim)`
            matrix. Defaults to `"uniform"`.
        embeddings_regularizer: Regularizer of the matrix. Defaults to `None`.
        embeddings_constraint: Constraint on the matrix. Defaults to `None`.
        mask_zero: Whether index 0 is padding: the output mask is then
            `inputs != 0`, and later layers (RNNs, pooling, ...) skip those
            steps. Defaults to `False`.
        weights: Keras 2 style initial value: the `(input_dim, output_dim)`
            matrix, or a list holding it. Defaults to `None`.
        lora_rank: Keras's LoRA rank; lamina accepts only `None` (no LoRA).
        lora_alpha: Keras's LoRA scale; ignored while `lora_rank` is `None`.
        quantization_config: Keras's quantization settings; lamina accepts
            only `None` (a float layer).
        activity_regularizer: Regularizer of the output. Defaults to `None`.

    Input shape:
        `(batch, ...)` of integer indices, e.g. `(batch, sequence_length)`.

    Output shape:
        `(batch, ..., output_dim)`.

    Example:
    >>> tuple(Embedding(10, 4)(torch.tensor([[1, 2, 3]])).shape)
    (1, 3, 4)
    """

    def __init__(
        self,
        input_dim: int,
        output_dim: int,
        embeddings_initializer: Any = "uniform",
        embeddings_regularizer: Any = None,
        embeddings_constraint: Any = None,
        mask_zero: bool = False,
        weights: Any = None,
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        quantization_config: Any = None,
        **kwargs: Any,
    ) -> None:
        _check_positive("input_dim", input_dim)
        _check_positive("output_dim", output_dim)
        check_lora_off("Embedding", lora_rank)
        check_quantization_off("Embedding", quantization_config)
        if weights is not None and not isinstance(weights, (list, tuple)):
            weights = [weights]
        super().__init__(weights=weights, **kwargs)
        self.input_dim = input_dim
        self.output_dim = output_dim
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = regularizers.get(embeddings_regularizer)
        self.embeddings_constraint = constraints.get(embeddings_constraint)
        self.mask_zero = mask_zero
        self.supports_masking = mask_zero
        self.autocast = False  # indices must not be cast to the float dtype

    def build(self, input_shape: Any = None) -> None:
        self.embeddings = self.add_weight(
            name="embeddings",
            shape=(self.input_dim, self.output_dim),
            initializer=self.embeddings_initializer,
            regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint,
        )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if inputs.dtype not in _INDEX_DTYPES:
            inputs = inputs.to(torch.int64)
        if inputs.device.type != "meta" and (
            inputs.device.type != "cpu" or torch.compiler.is_compiling()
        ):
            # On accelerators a bad index is an asynchronous device assert, and
            # in compiled CPU code an abort; both kill the process, so check
            # first (one fused reduction, one host sync).
            self._check_indices(inputs)
        try:
            return torch.nn.functional.embedding(inputs, self.embeddings)
        except (IndexError, RuntimeError) as err:
            # The CPU kernel checks indices for free; find the culprit only now.
            error = self._index_error(inputs)
            if error is None:
                raise
            raise error from err

    @run_eagerly  # the check needs a Python branch
    def _check_indices(self, inputs: torch.Tensor) -> None:
        lowest, highest = torch.aminmax(inputs)
        if bool((lowest < 0) | (highest >= self.input_dim)):
            raise self._index_error(inputs)

    def _index_error(self, inputs: torch.Tensor) -> ValueError | None:
        """Describes the out-of-range index in `inputs`, `None` if there is none."""
        lowest, highest = (int(value) for value in torch.aminmax(inputs))
        if 0 <= lowest and highest < self.input_dim:
            return None
        prefix = f"Layer '{self.name}' (Embedding) received index"
        if highest >= self.input_dim:
            return ValueError(
                f"{prefix} {highest}, but input_dim={self.input_dim}. Raise "
                f"input_dim or load the data with num_words={self.input_dim}."
            )
        return ValueError(
            f"{prefix} {lowest}, but indices must lie in [0, input_dim="
            f"{self.input_dim}). Remove negative indices from the data (pad "
            f"with 0) or map them into the vocabulary."
        )

    def compute_mask(self, inputs: torch.Tensor, mask: Any = None) -> Any:
        if not self.mask_zero:
            return None
        return inputs != 0  # (batch, ...)

    def get_config(self) -> dict[str, Any]:
        config = {
            "input_dim": self.input_dim,
            "output_dim": self.output_dim,
            "embeddings_initializer": initializers.serialize(
                self.embeddings_initializer
            ),
            "embeddings_regularizer": regularizers.serialize(
                self.embeddings_regularizer
            ),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "embeddings_constraint": constraints.serialize(self.embeddings_constraint),
            "mask_zero": self.mask_zero,
            "quantization_config": None,
        }
        return {**super().get_config(), **config}


def _check_positive(name: str, value: Any) -> None:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return
    raise ValueError(
        f"Embedding expected {name} to be a positive integer, but received "
        f"{name}={value!r}. Pass e.g. Embedding(input_dim=5000, output_dim=32)."
    )
