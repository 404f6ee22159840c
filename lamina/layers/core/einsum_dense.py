"""`EinsumDense`: a dense layer whose contraction is any `einsum` equation."""

import re
from typing import Any

import torch

from lamina import activations
from lamina import constraints
from lamina import initializers
from lamina import regularizers
from lamina.initializers.variance_scaling import VarianceScaling
from lamina.layers._unsupported_options import check_lora_off
from lamina.layers._unsupported_options import check_quantization_off
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer

Shape = tuple[int | None, ...]

# The three equation forms Keras accepts: `ab,bc->ac`, `...ab,bc->...ac` and
# `ab...,bc->ac...` (the right-elided input names at least two axes).
_PLAIN = re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)")
_LEFT_ELIDED = re.compile(r"\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)")
_RIGHT_ELIDED = re.compile(r"([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\.")


class EinsumDense(Layer):
    """Dense layer computing `activation(einsum(equation, inputs, kernel) + bias)`.

    The `equation` names the input, kernel and output axes with letters, e.g.
    `"abc,cd->abd"` applies a `(c, d)` kernel to every step of a sequence.
    The kernel's shape follows from the equation, the input shape and
    `output_shape`; the bias spans the `bias_axes` letters of the output
    (and broadcasts over the output axes after the first of them).

    Args:
        equation: Einsum equation `"X,Y->Z"`, `"...X,Y->...Z"` or
            `"X...,Y->Z..."`, where `X`, `Y`, `Z` are runs of letters for the
            input, kernel and output axes.
        output_shape: Int or tuple, the output shape without the batch axis
            and without the axes covered by `...`; `None` for an axis taken
            from the input.
        activation: Activation name or function. Defaults to `None` (linear).
        bias_axes: String of output letters that the bias spans, or `None`
            for no bias. Defaults to `None`.
        kernel_initializer: Initializer of the kernel. Defaults to
            `"glorot_uniform"` (fans computed from the kernel's input and
            output letters, as Keras does).
        bias_initializer: Initializer of the bias. Defaults to `"zeros"`.
        kernel_regularizer: Regularizer of the kernel. Defaults to `None`.
        bias_regularizer: Regularizer of the bias. Defaults to `None`.
        kernel_constraint: Constraint on the kernel. Defaults to `None`.
        bias_constraint: Constraint on the bias. Defaults to `None`.
        lora_rank: Keras's LoRA rank; lamina accepts only `None` (no LoRA).
        lora_alpha: Keras's LoRA scale; ignored while `lora_rank` is `None`.
        gptq_unpacked_column_size: Keras's GPTQ bookkeeping; lamina accepts
            only `None` (a float layer).
        quantization_config: Keras's quantization settings; lamina accepts
            only `None` (a float layer).

    Input shape:
        `(batch, ...)` with as many axes as the equation's input letters (or
        more, where the equation has `...`).

    Output shape:
        `(batch, *output_shape)`, with the `...` axes in place.

    Example:
    >>> layer = EinsumDense("abc,cd->abd", output_shape=(None, 64), bias_axes="d")
    >>> tuple(layer(torch.ones(2, 5, 16)).shape)
    (2, 5, 64)
    """

    def __init__(
        self,
        equation: str,
        output_shape: int | tuple[int | None, ...] | list[int | None],
        activation: Any = None,
        bias_axes: str | None = None,
        kernel_initializer: Any = "glorot_uniform",
        bias_initializer: Any = "zeros",
        kernel_regularizer: Any = None,
        bias_regularizer: Any = None,
        kernel_constraint: Any = None,
        bias_constraint: Any = None,
        lora_rank: int | None = None,
        lora_alpha: float | None = None,
        gptq_unpacked_column_size: int | None = None,
        quantization_config: Any = None,
        **kwargs: Any,
    ) -> None:
        check_lora_off("EinsumDense", lora_rank)
        check_quantization_off("EinsumDense", quantization_config)
        if gptq_unpacked_column_size is not None:
            raise ValueError(
                f"EinsumDense received gptq_unpacked_column_size="
                f"{gptq_unpacked_column_size!r}, but lamina has no GPTQ-quantized "
                f"layers. Pass None (the default) and load the float model."
            )
        self._spec = parse_equation(equation)
        partial_output_shape = _partial_output_shape(output_shape)
        _check_output_shape(self._spec, equation, partial_output_shape)
        _check_bias_axes(self._spec, equation, bias_axes)
        super().__init__(**kwargs)
        self.equation = equation
        self.partial_output_shape = partial_output_shape
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = regularizers.get(kernel_regularizer)
        self.bias_regularizer = regularizers.get(bias_regularizer)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.bias_constraint = constraints.get(bias_constraint)

    def build(self, input_shape: Shape) -> None:
        shapes = weight_shapes(
            self._spec,
            self.bias_axes,
            tuple(input_shape),
            self.partial_output_shape,
            self._describe(),
        )
        self.input_spec = InputSpec(ndim=len(input_shape))
        self.kernel = self.add_weight(
            name="kernel",
            shape=shapes.kernel,
            initializer=self._kernel_initializer_for(shapes),
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.bias = None
        if shapes.bias is not None:
            self.bias = self.add_weight(
                name="bias",
                shape=shapes.bias,
                initializer=self.bias_initializer,
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )

    def _kernel_initializer_for(self, shapes: "WeightShapes") -> Any:
        """A variance-scaling initializer counts fans over the kernel's input
        and output letters (Keras does the same), not over its last two axes."""
        initializer = self.kernel_initializer
        if not isinstance(initializer, VarianceScaling):
            return initializer
        if initializer.input_axes is not None and initializer.output_axes is not None:
            return initializer
        config = {
            **initializer.get_config(),
            "input_axes": shapes.input_axes,
            "output_axes": shapes.output_axes,
        }
        return type(initializer).from_config(config)

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        outputs = torch.einsum(self.equation, inputs, self.kernel)  # (batch, *out)
        if self.bias is not None:
            outputs = outputs + self.bias
        return self.activation(outputs)

    def _describe(self) -> str:
        return f"Layer '{self.name}' (EinsumDense) with equation='{self.equation}'"

    def get_config(self) -> dict[str, Any]:
        config = {
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
            "bias_regularizer": regularizers.serialize(self.bias_regularizer),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "quantization_config": None,
        }
        return {**super().get_config(), **config}


class EquationSpec:
    """The letters of an `EinsumDense` equation and where `...` stands."""

    def __init__(self, inputs: str, kernel: str, outputs: str, elided: str) -> None:
        self.inputs = inputs
        self.kernel = kernel
        self.outputs = outputs
        self.elided = elided  # "none", "left" or "right"


class WeightShapes:
    """Kernel and bias shapes of an `EinsumDense`, and the kernel's fan axes."""

    def __init__(
        self,
        kernel: tuple[int, ...],
        bias: tuple[int, ...] | None,
        input_axes: list[int],
        output_axes: list[int],
    ) -> None:
        self.kernel = kernel
        self.bias = bias
        self.input_axes = input_axes
        self.output_axes = output_axes


def parse_equation(equation: Any) -> EquationSpec:
    """Splits an `EinsumDense` equation into its input, kernel and output letters.

    Example:
    >>> spec = parse_equation("...b,bc->...c")
    >>> spec.inputs, spec.kernel, spec.outputs, spec.elided
    ('b', 'bc', 'c', 'left')
    """
    if isinstance(equation, str):
        for pattern, elided in (
            (_PLAIN, "none"),
            (_LEFT_ELIDED, "left"),
            (_RIGHT_ELIDED, "right"),
        ):
            match = pattern.fullmatch(equation)
            if match:
                return EquationSpec(*match.groups(), elided)
    raise ValueError(
        f"EinsumDense received equation={equation!r}, which is not of the form "
        f"'X,Y->Z', '...X,Y->...Z' or 'X...,Y->Z...' (X, Y, Z: letters naming "
        f"the input, kernel and output axes). Example: 'abc,cd->abd'."
    )


def _partial_output_shape(output_shape: Any) -> tuple[int | None, ...]:
    if isinstance(output_shape, int) and not isinstance(output_shape, bool):
        return (output_shape,)
    if isinstance(output_shape, (list, tuple)) and all(
        dim is None or (isinstance(dim, int) and not isinstance(dim, bool))
        for dim in output_shape
    ):
        return tuple(output_shape)
    raise TypeError(
        f"EinsumDense expected output_shape to be an int or a tuple of ints "
        f"and None, but received output_shape={output_shape!r}. Example: "
        f"output_shape=(None, 64)."
    )


def _check_output_shape(spec: EquationSpec, equation: str, shape: tuple) -> None:
    # The batch letter leads the output unless `...` covers it.
    expected = len(spec.outputs) - (0 if spec.elided == "left" else 1)
    if len(shape) != expected:
        raise ValueError(
            f"EinsumDense with equation={equation!r} expects output_shape to "
            f"give {expected} size(s), one per output letter after the batch "
            f"letter, but received output_shape={shape}. Use None for sizes "
            f"taken from the input."
        )
    missing = [
        letter
        for letter in spec.outputs
        if letter not in spec.inputs and letter not in spec.kernel
    ]
    if missing:
        raise ValueError(
            f"EinsumDense with equation={equation!r} has output letter(s) "
            f"{missing} that appear in neither the input nor the kernel. Every "
            f"output letter must come from one of them."
        )


def _check_bias_axes(spec: EquationSpec, equation: str, bias_axes: Any) -> None:
    if bias_axes is None:
        return
    if not isinstance(bias_axes, str) or not bias_axes:
        raise TypeError(
            f"EinsumDense expected bias_axes to be a string of output letters "
            f"or None, but received bias_axes={bias_axes!r}."
        )
    unknown = [letter for letter in bias_axes if letter not in spec.outputs]
    if unknown:
        raise ValueError(
            f"EinsumDense received bias_axes={bias_axes!r}, but letter(s) "
            f"{unknown} are not in the output '{spec.outputs}' of "
            f"equation={equation!r}. Pick bias letters from the output."
        )


def weight_shapes(
    spec: EquationSpec,
    bias_axes: str | None,
    input_shape: Shape,
    partial_output_shape: tuple[int | None, ...],
    owner: str,
) -> WeightShapes:
    """Kernel and bias shapes for an input shape, as Keras derives them."""
    extra_axes = len(input_shape) - len(spec.inputs)
    if extra_axes < 0 or (extra_axes > 0 and spec.elided == "none"):
        raise ValueError(
            f"{owner} expects inputs with {len(spec.inputs)} axes"
            f"{' or more' if spec.elided != 'none' else ''}, but received input "
            f"shape {input_shape}. Reshape the data or change the equation."
        )
    offset = extra_axes if spec.elided == "left" else 0
    input_sizes = {
        letter: input_shape[offset + index] for index, letter in enumerate(spec.inputs)
    }
    full_outputs = (
        partial_output_shape
        if spec.elided == "left"
        else (input_shape[0], *partial_output_shape)
    )
    output_sizes = dict(zip(spec.outputs, full_outputs, strict=True))
    _check_shared_sizes(input_sizes, output_sizes, owner)
    for letter, size in output_sizes.items():
        if size is None:  # `None` in output_shape: the input's size
            output_sizes[letter] = input_sizes.get(letter)
    kernel, input_axes, output_axes = [], [], []
    for index, letter in enumerate(spec.kernel):
        if letter in output_sizes:
            kernel.append(output_sizes[letter])
            output_axes.append(index)
        elif letter in input_sizes:
            kernel.append(input_sizes[letter])
            input_axes.append(index)
        else:
            raise ValueError(
                f"{owner} has kernel letter '{letter}' in neither the input "
                f"'{spec.inputs}' nor the output '{spec.outputs}'. Every kernel "
                f"letter must name an input or an output axis."
            )
    if any(size is None for size in kernel):
        raise ValueError(
            f"{owner} needs a known size for every kernel axis, but the kernel "
            f"'{spec.kernel}' would have shape {tuple(kernel)} for input shape "
            f"{input_shape} and output_shape={partial_output_shape}. Give "
            f"output_shape (or the Input) the missing sizes."
        )
    bias = _bias_shape(spec, bias_axes, output_sizes, extra_axes)
    return WeightShapes(tuple(kernel), bias, input_axes, output_axes)


def _check_shared_sizes(input_sizes: dict, output_sizes: dict, owner: str) -> None:
    for letter, size in input_sizes.items():
        wanted = output_sizes.get(letter)
        if wanted is not None and size is not None and wanted != size:
            raise ValueError(
                f"{owner} maps input axis '{letter}' of size {size} to the "
                f"output, but output_shape gives it size {wanted}. Make the "
                f"output_shape entry {size} or None."
            )


def _bias_shape(
    spec: EquationSpec, bias_axes: str | None, output_sizes: dict, extra_axes: int
) -> tuple[int, ...] | None:
    """The bias spans the output from its first bias letter on, broadcast (size
    1) over the other letters there and over right-elided axes."""
    if bias_axes is None:
        return None
    first = min(spec.outputs.index(letter) for letter in bias_axes)
    shape = [
        output_sizes[letter] if letter in bias_axes else 1
        for letter in spec.outputs[first:]
    ]
    if spec.elided == "right":
        shape.extend([1] * extra_axes)
    if any(size is None for size in shape):
        raise ValueError(
            f"EinsumDense needs known sizes for bias_axes='{bias_axes}', but "
            f"they resolve to {tuple(shape)}. Give output_shape the sizes."
        )
    return tuple(shape)
