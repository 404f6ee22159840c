"""`TorchModuleWrapper`: any `torch.nn.Module` used as a lamina layer."""

import base64
import io
from typing import Any

import numpy as np
import torch

from lamina import backend
from lamina.backend.variable import Variable
from lamina.layers.layer import Layer


class TorchModuleWrapper(Layer):
    """Makes a `torch.nn.Module` a layer: its parameters become its weights.

    Each parameter of the module is replaced, in place and sharing storage, by
    a `lamina.Variable`, so `weights`, `get_weights()`, optimizers and
    `model.fit` see it. The module's `.train()`/`.eval()` mode follows the
    `training` call argument (and `model.train()`/`model.eval()`); buffers
    such as `BatchNorm2d` running statistics stay buffers of the module.
    `Sequential` wraps plain modules in this layer automatically.

    Args:
        module: An initialized `torch.nn.Module` (lazy modules must have
            run once first).
        output_shape: Optional output shape; inferred when `None`.

    Input shape:
        Whatever `module` takes (extra positional inputs are passed on).

    Output shape:
        Whatever `module` returns.

    Call arguments:
        training: `True` puts the module in train mode, `False` in eval
            mode; `None` keeps its current mode.

    Example:
    >>> layer = TorchModuleWrapper(torch.nn.Linear(4, 2))
    >>> [w.name for w in layer.weights], tuple(layer(torch.ones(3, 4)).shape)
    (['weight', 'bias'], (3, 2))
    """

    def __init__(
        self, module: torch.nn.Module, output_shape: Any = None, **kwargs: Any
    ) -> None:
        if not isinstance(module, torch.nn.Module):
            raise TypeError(
                f"TorchModuleWrapper expected a torch.nn.Module, but received "
                f"{type(module).__name__}. Pass e.g. torch.nn.Linear(4, 2)."
            )
        if isinstance(module, torch.nn.modules.lazy.LazyModuleMixin) and (
            module.has_uninitialized_params()
        ):
            raise ValueError(
                f"TorchModuleWrapper received the lazy module "
                f"{type(module).__name__} before its parameters exist. Run it "
                f"once on a sample batch first, or use its non-lazy version."
            )
        super().__init__(**kwargs)
        self.module = module.to(backend.get_device())
        self.output_shape = None if output_shape is None else tuple(output_shape)
        self._track_module_parameters()
        self.built = True

    def _track_module_parameters(self) -> None:
        seen: dict[int, Variable] = {}
        for module_name, submodule in self.module.named_modules():
            for name, parameter in list(submodule.named_parameters(recurse=False)):
                if id(parameter) not in seen:
                    seen[id(parameter)] = self._as_variable(
                        parameter, f"{module_name}.{name}".lstrip(".")
                    )
                setattr(submodule, name, seen[id(parameter)])

    def _as_variable(self, parameter: torch.nn.Parameter, path: str) -> Variable:
        if isinstance(parameter, Variable):
            variable = parameter
        else:
            variable = Variable(
                parameter.data,
                trainable=parameter.requires_grad,
                name=path.rsplit(".", 1)[-1],
                path=f"{self.name}/{path}",
            )
        if not self.trainable:
            variable.requires_grad_(False)
        own = (
            self._trainable_variables
            if variable.requires_grad
            else self._non_trainable_variables
        )
        own.append(variable)
        return variable

    def call(
        self, inputs: Any, *args: Any, training: bool | None = None, **kwargs: Any
    ) -> Any:
        kwargs.pop("mask", None)  # plain modules know nothing of Keras masks
        if training is not None and self.module.training != bool(training):
            self.module.train(bool(training))
        return self.module(inputs, *args, **kwargs)

    def save_own_variables(self, store: Any) -> None:
        """Writes the module's whole `state_dict` (buffers too), as Keras does."""
        for key, value in self.module.state_dict().items():
            store[key] = value.detach().cpu().numpy()

    def load_own_variables(self, store: Any) -> None:
        """Reads back what `save_own_variables` wrote."""
        state = {
            (key.decode() if isinstance(key, bytes) else key): torch.as_tensor(
                np.asarray(store[key])
            )
            for key in store.keys()
        }
        self.module.load_state_dict(state)

    def get_config(self) -> dict[str, Any]:
        # Keras 3 stores the module pickled by torch.save; loading it runs
        # code, so from_config accepts it only with safe_mode=False.
        buffer = io.BytesIO()
        torch.save(self.module, buffer)
        config = {
            "module": base64.b64encode(buffer.getvalue()).decode("ascii"),
            "output_shape": self.output_shape,
        }
        return {**super().get_config(), **config}

    @classmethod
    def from_config(
        cls,
        config: dict[str, Any],
        custom_objects: dict[str, Any] | None = None,
        safe_mode: bool = True,
    ) -> "TorchModuleWrapper":
        """Rebuilds the layer; the pickled module loads only with `safe_mode=False`.

        Args:
            config: The dict `get_config()` returned (or Keras wrote).
            custom_objects: Unused; accepted for a uniform signature.
            safe_mode: When `True` (the default), refuse to unpickle the module.
        """
        from lamina.saving.serialization_lib import resolve_safe_mode

        config = dict(config)
        module = config.get("module")
        if isinstance(module, str):
            if resolve_safe_mode(safe_mode):
                raise ValueError(
                    f"Layer '{config.get('name', 'torch_module_wrapper')}' "
                    f"(TorchModuleWrapper) holds a pickled torch.nn.Module; "
                    f"loading it would execute code from the file, so it is "
                    f"refused in safe mode. If you trust the file, pass "
                    f"safe_mode=False: lamina.models.load_model(..., "
                    f"safe_mode=False) or TorchModuleWrapper.from_config("
                    f"config, safe_mode=False)."
                )
            data = io.BytesIO(base64.b64decode(module.encode("ascii")))
            config["module"] = torch.load(data, weights_only=False)
        return cls(**config)
