"""`Pipeline`: a layer that applies a list of layers one after another."""

from typing import Any

import torch

from lamina.layers.layer import Layer
from lamina.utils import tree


class Pipeline(Layer):
    """Applies `layers` in order, each to the previous one's output.

    Unlike `Sequential`, a pipeline is a plain layer, not a model: it has
    no `fit`, and it is meant for chains such as preprocessing and data
    augmentation. `training` defaults to `True`, so augmentation layers in
    it are active when it is called on its own; inside a model, the model's
    training flag wins. Each layer receives the previous layer's output mask
    if it takes a `mask`.

    Args:
        layers: List of layers to apply, first to last.
        name: Name of the pipeline. Defaults to one derived from the class.

    Input shape:
        The first layer's input shape.

    Output shape:
        The last layer's output shape.

    Call arguments:
        inputs: The input of the first layer.
        training: Passed to the layers that take it. Defaults to `True`.
        mask: Passed to the first layer if it takes a mask.

    Example:
    >>> import torch
    >>> from lamina.layers import Dense
    >>> pipeline = Pipeline([Dense(8), Dense(2)])
    >>> tuple(pipeline(torch.ones(3, 4)).shape)
    (3, 2)
    """

    def __init__(self, layers: list[Layer], name: str | None = None) -> None:
        if not isinstance(layers, (list, tuple)) or not all(
            isinstance(layer, Layer) for layer in layers
        ):
            raise TypeError(
                f"Pipeline expected layers to be a list of lamina layers, but "
                f"received layers={layers!r}. Pass e.g. Pipeline([Dense(8), "
                f"Dense(2)])."
            )
        super().__init__(name=name)
        # Registered as the module `layers` (not via setattr, which the
        # `layers` property would intercept) so that weight files nest the
        # layers under `pipeline/layers/...`, as Keras writes them.
        self._modules["layers"] = torch.nn.ModuleList(layers)

    @property
    def layers(self) -> list[Layer]:
        return list(self._modules["layers"])

    def call(self, inputs: Any, training: bool | None = True, mask: Any = None) -> Any:
        outputs = inputs
        for layer in self._modules["layers"]:
            kwargs: dict[str, Any] = {}
            if layer._takes_mask:
                kwargs["mask"] = mask
            if layer._takes_training and training is not None:
                kwargs["training"] = training
            outputs = layer(inputs, **kwargs)
            mask = tree.map_structure(_mask_of, outputs)
            inputs = outputs
        return outputs

    def get_config(self) -> dict[str, Any]:
        from lamina.saving.serialization_lib import serialize_keras_object

        layers = [serialize_keras_object(layer) for layer in self.layers]
        return {"layers": layers, "name": self.name}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Any:
        from lamina.saving.serialization_lib import deserialize_keras_object

        layers = config.get("layers")
        if not isinstance(layers, (list, tuple)):
            raise ValueError(
                f"A Pipeline config needs 'layers', a list of layer configs, but "
                f"received layers={layers!r}. Save the pipeline with get_config()."
            )
        layers = [
            deserialize_keras_object(layer, custom_objects=custom_objects)
            for layer in layers
        ]
        return cls(layers, name=config.get("name"))


def _mask_of(output: Any) -> Any:
    return getattr(output, "_keras_mask", None)
