"""`Model`: a layer with training, evaluation, prediction, summary and saving."""

from typing import Any

from lamina.layers.layer import Layer
from lamina.trainers.trainer import Trainer


class Model(Trainer, Layer):
    """Groups layers into an object with `fit`, `evaluate` and `predict`.

    Two ways to make one:
    - functional: `Model(inputs, outputs)` from `lamina.Input` tensors;
    - subclassing: define layers in `__init__` and the forward pass in `call`.

    Args:
        inputs: Input tensor(s) of a functional model.
        outputs: Output tensor(s) of a functional model.
        name: Model name.

    Example:
    >>> import lamina
    >>> inputs = lamina.Input(shape=(4,))
    >>> outputs = lamina.layers.Dense(2)(inputs)
    >>> model = lamina.Model(inputs, outputs)
    >>> model.output_shape
    (None, 2)
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> "Model":
        if cls is Model and (len(args) >= 2 or "inputs" in kwargs):
            from lamina.models.functional import Functional

            return Functional.__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if args or "inputs" in kwargs or "outputs" in kwargs:
            # `class CustomModel(Model)` made from inputs and outputs (to
            # override train_step, say) becomes a functional model, as in Keras.
            from lamina.models.functional import Functional

            _make_functional(type(self))
            Functional.__init__(self, *args, **kwargs)
            return
        Layer.__init__(self, **kwargs)
        Trainer.__init__(self)

    def build(self, input_shape: Any) -> None:
        """Builds a subclassed model by calling it on zeros of `input_shape`."""
        self.built = True

    @property
    def metrics_names(self) -> list[str]:
        return [metric.name for metric in self.metrics]

    def summary(
        self,
        line_length: int | None = None,
        positions: list[float] | None = None,
        print_fn: Any = None,
        expand_nested: bool = False,
        show_trainable: bool = False,
        layer_range: Any = None,
    ) -> None:
        """Prints a table of the layers, their output shapes and parameter counts.

        Args:
            line_length: Total width of the table. Defaults to a width that
                fits the contents.
            positions: Accepted for Keras compatibility.
            print_fn: Function called with the whole text instead of printing.
            expand_nested: Whether to list the layers of nested models too.
            show_trainable: Whether to add a column saying if each layer is
                trainable.
            layer_range: Accepted for Keras compatibility.
        """
        from lamina.utils.summary import print_summary

        print_summary(
            self,
            line_length=line_length,
            print_fn=print_fn,
            expand_nested=expand_nested,
            show_trainable=show_trainable,
        )

    def get_layer(self, name: str | None = None, index: int | None = None) -> Layer:
        """Returns a layer by name or by index in `model.layers`."""
        if index is not None and name is not None:
            raise ValueError(
                f"get_layer received name={name!r} and index={index}. Pass only "
                f"one of them."
            )
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(
                    f"get_layer received index={index}, but model "
                    f"'{self.name}' has only {len(layers)} layers."
                )
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(
            f"No layer named {name!r} in model '{self.name}'. Available layers: "
            f"{[layer.name for layer in layers]}."
        )

    def get_config(self) -> dict[str, Any]:
        return Layer.get_config(self)

    # ------------------------------------------------------------------ saving
    def save(self, filepath: Any, overwrite: bool = True, **kwargs: Any) -> None:
        """Saves the model: `.keras` (Keras 3 zip) or `.h5` (Keras 2 HDF5).

        See `lamina.saving.save_model`.
        """
        from lamina.saving import save_model

        save_model(self, filepath, overwrite=overwrite, **kwargs)

    def save_weights(self, filepath: Any, overwrite: bool = True) -> None:
        """Saves the weights: `.weights.h5` (Keras 3) or `.h5` (Keras 2 layout)."""
        from lamina.saving import save_weights

        save_weights(self, filepath, overwrite=overwrite)

    def load_weights(
        self, filepath: Any, skip_mismatch: bool = False, by_name: bool = False
    ) -> None:
        """Loads weights from `.weights.h5`, `.h5` or `.keras`.

        See `lamina.saving.load_weights`.
        """
        from lamina.saving import load_weights

        load_weights(self, filepath, skip_mismatch=skip_mismatch, by_name=by_name)

    def to_json(self, **kwargs: Any) -> str:
        """The architecture as Keras 3 JSON; `json.dumps` options pass through."""
        from lamina.saving.json_api import model_to_json

        return model_to_json(self, **kwargs)

    def to_yaml(self, **kwargs: Any) -> str:
        """Removed in Keras for security; raises `RuntimeError` saying so."""
        from lamina.saving.json_api import YAML_REMOVED

        raise RuntimeError(YAML_REMOVED)

    def get_compile_config(self) -> dict[str, Any] | None:
        """The `compile()` arguments in Keras 3's form; `None` if not compiled."""
        from lamina.saving.compile_config import get_compile_config

        return get_compile_config(self)

    def compile_from_config(
        self, config: dict[str, Any], custom_objects: Any = None
    ) -> None:
        """Compiles the model from `get_compile_config()` output."""
        from lamina.saving.compile_config import compile_from_config

        compile_from_config(self, config, custom_objects)

    def export(self, filepath: Any, format: str = "onnx", **kwargs: Any) -> Any:
        """Exports the model for inference: `format="onnx"` or `"torch"`.

        See `lamina.saving.export.export_model`.
        """
        from lamina.saving.export import export_model

        return export_model(self, filepath, format=format, **kwargs)

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: Any = None) -> "Model":
        if "layers" in config and "input_layers" in config:
            from lamina.models.functional import functional_from_config

            return functional_from_config(config, custom_objects)
        return cls(**config)


def _make_functional(cls: type) -> None:
    """Puts `Functional` in place of `Model` among the bases of `cls` and of
    its `Model` ancestors, so its instances run as functional models."""
    from lamina.models.functional import Functional

    if issubclass(cls, Functional):
        return
    for base in cls.__bases__:
        if base is not Model and issubclass(base, Model):
            _make_functional(base)
    cls.__bases__ = tuple(
        Functional if base is Model else base for base in cls.__bases__
    )
