"""`SpectralNormalization`: keeps a layer's kernel at spectral norm 1."""

from typing import Any

import torch

from lamina import backend
from lamina.backend.variable import Variable
from lamina.initializers import TruncatedNormal
from lamina.layers.core.wrapper import Wrapper
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer

Tensor = torch.Tensor


class SpectralNormalization(Wrapper):
    """Divides the wrapped layer's kernel by its spectral norm while training.

    Each training call runs `power_iterations` steps of the power method
    from the stored estimate `vector_u` of the leading singular vector,
    then writes `kernel / sigma` back into the wrapped layer's kernel and
    the new estimate into `vector_u`, as Keras does (Miyato et al., 2018,
    https://arxiv.org/abs/1802.05957). The kernel is viewed as a matrix
    `(-1, kernel.shape[-1])`. Inference calls use the kernel as stored. An
    all-zero kernel is left unchanged.

    Args:
        layer: A layer with a `kernel` (e.g. `Dense`, `Conv2D`) or
            `embeddings` (`Embedding`) weight.
        power_iterations: Positive int, power-method steps per training
            call. Defaults to `1`.

    Input shape:
        The wrapped layer's input shape.

    Output shape:
        The wrapped layer's output shape.

    Call arguments:
        inputs: The input.
        training: Whether to normalize the kernel before the call. Defaults
            to `False`.

    Example:
    >>> import torch
    >>> from lamina.layers import Dense
    >>> layer = SpectralNormalization(Dense(3, kernel_initializer="ones"))
    >>> _ = layer(torch.ones(2, 4), training=True)
    >>> round(float(torch.linalg.matrix_norm(layer.kernel.detach(), ord=2)), 1)
    1.0
    """

    def __init__(self, layer: Layer, power_iterations: int = 1, **kwargs: Any) -> None:
        if (
            not isinstance(power_iterations, int)
            or isinstance(power_iterations, bool)
            or power_iterations <= 0
        ):
            raise ValueError(
                f"SpectralNormalization expected power_iterations to be a "
                f"positive integer, but received power_iterations="
                f"{power_iterations!r}. Pass e.g. power_iterations=1."
            )
        super().__init__(layer, **kwargs)
        self.power_iterations = power_iterations

    def build(self, input_shape: Any) -> None:
        super().build(input_shape)
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        kernel = self._wrapped_kernel()
        # Keras tracks the wrapped kernel as the wrapper's own first weight,
        # so its files store it again under the wrapper; lamina lists it the
        # same way without registering a second Parameter.
        if kernel.trainable:
            self._trainable_variables.append(kernel)
        else:
            self._non_trainable_variables.append(kernel)
        self.vector_u = self.add_weight(
            name="vector_u",
            shape=(1, kernel.shape[-1]),
            initializer=TruncatedNormal(stddev=0.02),
            trainable=False,
            dtype=kernel.dtype,
        )

    def _wrapped_kernel(self) -> Variable:
        for name in ("kernel", "embeddings"):
            weight = getattr(self.layer, name, None)
            if isinstance(weight, torch.Tensor):
                return weight
        raise ValueError(
            f"Layer '{self.name}' (SpectralNormalization) can only wrap a layer "
            f"with a 'kernel' or 'embeddings' weight, but "
            f"'{self.layer.name}' ({type(self.layer).__name__}) has neither. "
            f"Wrap a Dense, convolution or Embedding layer."
        )

    @property
    def kernel(self) -> Variable:
        """The wrapped layer's kernel (or embeddings), which is normalized."""
        return self._wrapped_kernel()

    def call(self, inputs: Tensor, training: bool | None = False) -> Tensor:
        if training:
            self._normalize_kernel()
        outputs = self.layer(inputs)
        if inputs.is_floating_point():
            outputs = outputs.to(inputs.dtype)
        return outputs

    @torch.no_grad()
    def _normalize_kernel(self) -> None:
        kernel = self.kernel
        vector_u, normalized = self.normalized_weights()
        is_zero = (kernel == 0).all()  # stays on the device: no host sync
        kernel.copy_(torch.where(is_zero, kernel, normalized))
        self.vector_u.copy_(torch.where(is_zero, self.vector_u, vector_u))

    def normalized_weights(self) -> tuple[Tensor, Tensor]:
        """`(new vector_u, kernel / sigma)` from `power_iterations` steps."""
        kernel = self.kernel
        weights = kernel.reshape(-1, kernel.shape[-1])  # (fan_in, units)
        vector_u = self.vector_u.detach()  # (1, units)
        for _ in range(self.power_iterations):
            vector_v = _l2_normalize(vector_u @ weights.T)  # (1, fan_in)
            vector_u = _l2_normalize(vector_v @ weights)  # (1, units)
        vector_u, vector_v = vector_u.detach(), vector_v.detach()
        sigma = (vector_v @ weights) @ vector_u.T  # (1, 1)
        return vector_u.to(self.vector_u.dtype), (kernel / sigma).to(kernel.dtype)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "power_iterations": self.power_iterations}


def _l2_normalize(x: Tensor) -> Tensor:
    """`x / ||x||` over all entries, with Keras's cap on `1 / ||x||`."""
    inverse_norm = torch.rsqrt(x.square().sum())
    return x * torch.clamp(inverse_norm, max=1.0 / backend.epsilon())
