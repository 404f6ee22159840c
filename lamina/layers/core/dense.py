"""`Dense`: the fully connected layer."""

from typing import Any

import torch

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.layers._unsupported_options import check_lora_off
from lamina.layers._unsupported_options import check_quantization_off
from lamina.layers.layer import Layer


class Dense(Layer):
    """Fully connected layer: `output = activation(inputs @ kernel + bias)`.

    Args:
        units: Positive integer, size of the output's last axis.
        activation: Activation name or function. Defaults to `None` (linear).
        use_bias: Whether to add a bias vector. Defaults to `True`.
        kernel_initializer: Initializer of the `(input_dim, units)` kernel.
            Defaults to `"glorot_uniform"`.
        bias_initializer: Initializer of the bias. Defaults to `"zeros"`.
        kernel_regularizer: Regularizer of the kernel. Defaults to `None`.
        bias_regularizer: Regularizer of the bias. Defaults to `None`.
        activity_regularizer: Regularizer of the output. Defaults to `None`.
        kernel_constraint: Constraint on the kernel. Defaults to `None`.
        bias_constraint: Constraint on the bias. Defaults to `None`.
        lora_rank: Keras's LoRA rank; lamina accepts only `None` (no LoRA).
        lora_alpha: Keras's LoRA scale; ignored while `lora_rank` is `None`.
        quantization_config: Keras's quantization settings; lamina accepts
            only `None` (a float layer).

    Input shape:
        `(batch, ..., input_dim)`.

    Output shape:
        `(batch, ..., units)`.

    Example:
    >>> tuple(Dense(3)(torch.ones(2, 5)).shape)
    (2, 3)
    """

    def __init__(
        self,
        units: int,
        activation: Any = None,
        use_bias: bool = True,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        activity_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        quantization_config: Any = None,
        **kwargs: Any,
    ) -> None:
        check_lora_off("Dense", lora_rank)
        check_quantization_off("Dense", quantization_config)
        if not isinstance(units, int) or isinstance(units, bool) or units <= 0:
            raise ValueError(
                f"Dense expected units to be a positive integer, but received "
                f"units={units!r}. Pass the output size, e.g. Dense(64)."
            )
        super().__init__(activity_regularizer=activity_regularizer, **kwargs)
        self.units = units
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.supports_masking = True

    def build(self, input_shape: tuple[int | None, ...]) -> None:
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(
                f"Layer '{self.name}' (Dense) needs a known last input axis, but "
                f"received input shape {input_shape}. Give the Input a fixed "
                f"feature size."
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_dim, self.units),
            initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if self.use_bias:
            self.bias = self.add_weight(
                name="bias",
                shape=(self.units,),
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if inputs.shape[-1] != self.kernel.shape[0]:
            raise ValueError(
                f"Layer '{self.name}' (Dense) was built for inputs with "
                f"{self.kernel.shape[0]} features (input shape "
                f"{self._build_shapes}), but received input shape "
                f"{(None, *inputs.shape[1:])}. Make the data's last axis "
                f"{self.kernel.shape[0]} long, or rebuild the model for "
                f"{inputs.shape[-1]} features."
            )
        if inputs.ndim == 2 and self.bias is not None:
            outputs = torch.addmm(self.bias, inputs, self.kernel)  # (batch, units)
        else:
            outputs = torch.matmul(inputs, self.kernel)  # (batch, ..., units)
            if self.bias is not None:
                outputs = outputs + self.bias
        return self.activation(outputs)

    def get_config(self) -> dict[str, Any]:
        config = {
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": None,
        }
        return {**super().get_config(), **config}
