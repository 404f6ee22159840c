"""`Wrapper`: the base of layers that wrap another layer."""

import copy
from typing import Any

from lamina.layers.layer import Layer


class Wrapper(Layer):
    """Base class of layers that take another layer and change how it runs.

    Not used directly: subclasses such as `SpectralNormalization` define
    `call`. The wrapped layer is the `layer` attribute; it is built with the
    wrapper (its weights are nested under the wrapper's name) and stored in
    the config as a nested layer config, as Keras does.

    Args:
        layer: The layer to wrap.

    Example:
    >>> import torch
    >>> from lamina.layers import Dense
    >>> class Twice(Wrapper):
    ...     def call(self, inputs):
    ...         return 2 * self.layer(inputs)
    >>> tuple(Twice(Dense(3))(torch.ones(2, 4)).shape)
    (2, 3)
    """

    def __init__(self, layer: Layer, **kwargs: Any) -> None:
        if not isinstance(layer, Layer):
            raise ValueError(
                f"{type(self).__name__} expected a lamina Layer to wrap, but "
                f"received layer={layer!r}. Pass a layer instance, e.g. "
                f"{type(self).__name__}(Dense(8))."
            )
        super().__init__(**kwargs)
        self.layer = layer

    def build(self, input_shape: Any = None) -> None:
        if not self.layer.built:
            self.layer._build_once(input_shape)

    def get_config(self) -> dict[str, Any]:
        from lamina.saving.serialization_lib import serialize_keras_object

        config = {"layer": serialize_keras_object(self.layer)}
        return {**super().get_config(), **config}

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> Any:
        from lamina.saving.serialization_lib import deserialize_keras_object

        config = copy.deepcopy(config)
        layer = deserialize_keras_object(
            config.pop("layer"), custom_objects=custom_objects
        )
        return cls(layer, **config)
