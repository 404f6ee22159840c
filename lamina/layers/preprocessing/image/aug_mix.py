"""`AugMix`: blends each batch with a mix of randomly augmented copies."""

import random
from typing import Any

import torch

from lamina.layers.preprocessing.image._arguments import check_choice
from lamina.layers.preprocessing.image._arguments import check_value_range
from lamina.layers.preprocessing.image._arguments import factor_range
from lamina.layers.preprocessing.image._augment_ops import COLOR
from lamina.layers.preprocessing.image._augment_ops import GEOMETRIC_AND_TONAL
from lamina.layers.preprocessing.image._augment_ops import build_operations
from lamina.layers.preprocessing.image.base_random_image_layer import (
    BaseRandomImageLayer,
)
from lamina.random.seed_generator import seeded


class AugMix(BaseRandomImageLayer):
    """Mixes the images with `num_chains` chains of random augmentations.

    Each chain applies up to `chain_depth` operations picked at random (a
    pick may be "none") to the whole batch; the chains are summed with
    Dirichlet(`alpha`) weights and the sum blended with the original by a
    Beta(`alpha`, `alpha`) weight, then clipped to `value_range`
    ([Hendrycks et al. 2019](https://arxiv.org/abs/1912.02781)). The
    operations are shear, translation, rotation, posterization,
    solarization, auto-contrast and equalization, plus brightness, colour
    degeneration, contrast and sharpness when `all_ops`. The picks are made
    on the host (Python's `random`, seeded by `seed`), as in Keras. Outside
    training the images pass through (as floats).

    Args:
        value_range: `(low, high)` range of the pixel values. Defaults to
            `(0, 255)`.
        num_chains: Integer number of chains. Defaults to `3`.
        chain_depth: Integer, the most operations per chain. Defaults to `3`.
        factor: A float `f` in `[0, 1]` for `(0, f)`, or a pair: the
            strength range of every operation. Defaults to `0.3`.
        alpha: Positive float, the Dirichlet and Beta concentration.
            Defaults to `1.0`.
        all_ops: Whether to add the four colour operations. Defaults to
            `True`.
        interpolation: `"bilinear"` or `"nearest"`. Defaults to `"bilinear"`.
        seed: Integer seed or `None`. Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `image_data_format()`.
        **kwargs: Base layer arguments (`name`, `dtype`, ...).

    Input shape:
        `(batch, height, width, 3)` or one RGB image.

    Output shape:
        Same as the input.

    Call arguments:
        training: Whether to augment. Defaults to `True`, as in Keras; a
            model passes `False` in `predict` and `evaluate`.

    Example:
    >>> layer = AugMix(value_range=(0, 1), seed=0)
    >>> tuple(layer(torch.rand(2, 8, 8, 3)).shape)
    (2, 8, 8, 3)
    """

    def __init__(
        self,
        value_range: tuple[float, float] = (0, 255),
        num_chains: int = 3,
        chain_depth: int = 3,
        factor: float | tuple[float, float] = 0.3,
        alpha: float = 1.0,
        all_ops: bool = True,
        interpolation: str = "bilinear",
        seed: int | None = None,
        data_format: str | None = None,
        **kwargs: Any,
    ) -> None:
        check_value_range("AugMix", value_range)
        for argument, value in (
            ("num_chains", num_chains),
            ("chain_depth", chain_depth),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(
                    f"AugMix expected {argument} to be a positive integer, but "
                    f"received {argument}={value!r}."
                )
        factor = factor_range("AugMix", "factor", factor, (0, 1))
        if isinstance(alpha, bool) or not isinstance(alpha, (int, float)) or alpha <= 0:
            raise ValueError(
                f"AugMix expected alpha to be a positive number (the Dirichlet "
                f"and Beta concentration), but received alpha={alpha!r}."
            )
        check_choice("AugMix", "interpolation", interpolation, ("nearest", "bilinear"))
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        self.value_range = value_range
        self.num_chains = num_chains
        self.chain_depth = chain_depth
        self.factor = factor
        self.alpha = alpha
        self.all_ops = bool(all_ops)
        self._operation_names = GEOMETRIC_AND_TONAL + (COLOR if all_ops else ())
        operations = build_operations(
            self._operation_names,
            factor,
            value_range,
            interpolation,
            seed,
            self.data_format,
        )
        for name, layer in operations.items():
            setattr(self, name, layer)
        self.interpolation = interpolation
        self._picker = random.Random(seed)  # seed=None: seeded from the OS

    def get_random_transformation(
        self, data: Any, training: bool = True, seed: Any = None
    ) -> dict[str, Any] | None:
        """`{"chain_mixing_weights": (num_chains,), "weight_sample": (),
        "chain_transforms": [[{"layer_name", "transformation"}, ...], ...]}`."""
        images = self._images_of(data)
        if self._skips_draws(images, training):
            return None
        source = self.generator if seed is None else seed
        with seeded(source, images.device) as device:
            concentration = torch.full(
                (self.num_chains,), float(self.alpha), device=device
            )
            chain_weights = torch.distributions.Dirichlet(concentration).sample()
            alpha = torch.tensor(float(self.alpha), device=device)
            weight = torch.distributions.Beta(alpha, alpha).sample()
        choices = [*self._operation_names, None]
        chains = []
        for _ in range(self.num_chains):
            picks = [self._picker.choice(choices) for _ in range(self.chain_depth)]
            chains.append(
                [
                    {
                        "layer_name": name,
                        "transformation": getattr(self, name).get_random_transformation(
                            images, training=True, seed=source
                        ),
                    }
                    for name in picks
                    if name is not None
                ]
            )
        return {
            "chain_mixing_weights": chain_weights,
            "weight_sample": weight,
            "chain_transforms": chains,
        }

    def _transform_batch(
        self, images: torch.Tensor, transformation: Any, training: bool
    ) -> torch.Tensor:
        images = self._to_compute_dtype(images)
        if not training or transformation is None:
            return images
        chain_weights = transformation["chain_mixing_weights"].to(images)
        weight = torch.as_tensor(transformation["weight_sample"]).to(images)
        mixed = torch.zeros_like(images)
        for index, chain in enumerate(transformation["chain_transforms"]):
            augmented = images
            for step in chain:
                augmented = getattr(self, step["layer_name"]).transform_images(
                    augmented, step["transformation"], training=True
                )
            mixed = mixed + augmented * chain_weights[index]
        images = weight * images + (1 - weight) * mixed
        return images.clamp(self.value_range[0], self.value_range[1])

    def get_config(self) -> dict[str, Any]:
        config = {
            "value_range": self.value_range,
            "num_chains": self.num_chains,
            "chain_depth": self.chain_depth,
            "factor": self.factor,
            "alpha": self.alpha,
            "all_ops": self.all_ops,
            "interpolation": self.interpolation,
        }
        return {**super().get_config(), **config}
