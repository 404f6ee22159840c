"""`Layer`: the base of every lamina layer and model, a `torch.nn.Module`."""

import functools
import inspect
import os
import sys
import threading
import warnings
from typing import Any

import numpy as np
import torch

from lamina import backend
from lamina import dtype_policies
from lamina.backend.name_scope import current_path
from lamina.backend.name_scope import name_scope
from lamina.backend.variable import Variable
from lamina.layers.call_context import CALL_CONTEXT
from lamina.layers.call_context import CallContext
from lamina.layers.input_spec import assert_input_compatibility
from lamina.layers.keras_tensor import KerasTensor
from lamina.layers.keras_tensor import any_symbolic
from lamina.layers.naming import to_snake_case
from lamina.layers.naming import unique_name
from lamina.layers.node import Node
from lamina.layers.shape_inference import infer_output_spec
from lamina.utils import tree

Shape = tuple[int | None, ...]


_BASE_KWARGS = (
    "input_shape",
    "batch_input_shape",
    "input_dim",
    "batch_size",
    "input_length",
    "weights",
)


class Layer(torch.nn.Module):
    """Base class of all layers: a `torch.nn.Module` with Keras's layer API.

    A layer stores its configuration in `__init__`, creates its weights in
    `build(input_shape)` on the first call, and computes in `call`. Weights
    live in Keras's layout and are `lamina.Variable`s (Parameters).

    Args:
        trainable: Whether the layer's weights are updated by training.
            Defaults to `True`.
        name: Unique name; derived from the class name when `None`.
        dtype: The dtype policy: a policy name (`"float32"`,
            `"mixed_float16"`, `"mixed_bfloat16"`, ...), a `DTypePolicy`, or
            a dtype. Weights are created in its `variable_dtype`; inputs are
            cast to its `compute_dtype`, which the outputs come out in.
            Defaults to the global policy (`lamina.config.dtype_policy()`).
        autocast: Whether to cast float inputs to the compute dtype and, for
            a mixed policy, compute under `torch.autocast`. Defaults to
            `True`.
        input_shape: Keras 2 style shape of one sample, without the batch axis;
            a `Sequential` model starts from it.
        input_dim: Keras 2 shorthand for `input_shape=(input_dim,)`.
        batch_size: Fixed batch size that goes with `input_shape`.
        weights: Keras 2 style list of initial weight arrays.

    Example:
    >>> class Double(Layer):
    ...     def call(self, inputs):
    ...         return inputs * 2
    >>> Double()(torch.ones(2)).tolist()
    [2.0, 2.0]
    """

    # An `InputSpec` (or a structure of them) that each call's first argument
    # must match; layers set it in `__init__` or `build`, as in Keras.
    input_spec: Any = None
    _has_been_called = False  # set on the instance by the first call

    def __init__(
        self,
        *,
        trainable: bool = True,
        name: str | None = None,
        dtype: Any = None,
        autocast: bool = True,
        activity_regularizer: Any = None,
        **kwargs: Any,
    ) -> None:
        from lamina import regularizers

        super().__init__()
        unknown = sorted(set(kwargs) - set(_BASE_KWARGS))
        if unknown:
            raise TypeError(
                f"{type(self).__name__} got unexpected keyword argument(s) "
                f"{unknown}. Check the spelling against the layer's documented "
                f"arguments."
            )
        self.name = name or unique_name(to_snake_case(type(self).__name__))
        self._set_dtype_policy(dtype)
        self.autocast = autocast
        self.activity_regularizer = regularizers.get(activity_regularizer)
        self._trainable = trainable
        self.built = False
        self.supports_masking = False
        self._trainable_variables: list[Variable] = []
        self._non_trainable_variables: list[Variable] = []
        self._activity_losses: list[torch.Tensor] = []
        self._loss_generation = -1
        self._inbound_nodes: list[Node] = []
        self._build_shapes: Any = None
        self._has_warned_shape = False
        self._initial_weights = kwargs.get("weights")
        self._declared_input_shape = _declared_input_shape(kwargs)
        self._call_arguments = _call_arguments(type(self).call)
        self._takes_training = "training" in self._call_arguments
        self._takes_mask = "mask" in self._call_arguments

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Makes every subclass's `build` mark the layer built, as in Keras.

        So `layer.build(shape)` followed by `layer.set_weights(...)` keeps the
        weights: the next call does not build again. It also runs in the
        layer's name scope, so sublayers built there get nested paths.
        """
        super().__init_subclass__(**kwargs)
        build = cls.__dict__.get("build")
        if build is None or getattr(build, "_marks_built", False):
            return

        @functools.wraps(build)
        def build_and_mark(self: "Layer", *args: Any, **kwargs: Any) -> None:
            with name_scope(self.name, caller=self):
                build(self, *args, **kwargs)
            self.built = True
            if self._build_shapes is None and args:
                self._build_shapes = args[0]

        build_and_mark._marks_built = True
        cls.build = build_and_mark

    # ----------------------------------------------------------------- weights
    def add_weight(
        self,
        shape: tuple[int, ...] | None = None,
        initializer: Any = None,
        dtype: Any = None,
        trainable: bool = True,
        regularizer: Any = None,
        constraint: Any = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> Variable:
        """Creates a weight of this layer in Keras's layout.

        Args:
            shape: Shape of the weight. Defaults to a scalar `()`.
            initializer: Initializer instance, name or callable. Defaults to
                `"glorot_uniform"` for floats, `"zeros"` otherwise.
            dtype: Dtype. Defaults to the layer's `variable_dtype`.
            trainable: Whether training updates it. Defaults to `True`.
            regularizer: Regularizer instance or name adding to `losses`.
            constraint: Constraint instance or name applied after each update.
            name: Short name such as `"kernel"`.

        Returns:
            The new `Variable`, also registered as a Parameter of the module.
        """
        from lamina import constraints
        from lamina import initializers
        from lamina import regularizers

        shape = tuple(int(dim) for dim in (shape or ()))
        dtype = backend.standardize_dtype(dtype or self._variable_dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating_point else "zeros"
        value = initializers.get(initializer)(shape, dtype=dtype)
        value = torch.as_tensor(value, dtype=dtype).to(backend.get_device())
        name = name or f"variable_{len(self._all_own_variables())}"
        with name_scope(self.name, caller=self):  # `outer/layer/` prefixes
            path = f"{current_path()}/{name}"
        variable = Variable(value, trainable=trainable, name=name, path=path)
        variable.regularizer = regularizers.get(regularizer)
        variable.constraint = constraints.get(constraint)
        if not self.trainable:
            variable.requires_grad_(False)
        self.register_parameter(_free_parameter_name(self, name), variable)
        own = self._trainable_variables if trainable else self._non_trainable_variables
        own.append(variable)
        return variable

    def _all_own_variables(self) -> list[Variable]:
        return self._trainable_variables + self._non_trainable_variables

    def _sublayers(self) -> list["Layer"]:
        """Direct child layers, in the order they were attached."""
        return [m for m in self.children() if isinstance(m, Layer)] + [
            layer
            for container in self.children()
            if isinstance(container, torch.nn.ModuleList)
            for layer in container
            if isinstance(layer, Layer)
        ]

    @property
    def layers(self) -> list["Layer"]:
        return self._sublayers()

    @property
    def weights(self) -> list[Variable]:
        """All weights: own trainable, own non-trainable, then sublayers'."""
        seen: set[int] = set()
        result = []
        candidates = list(self._all_own_variables())
        for layer in self._sublayers():
            candidates.extend(layer.weights)
        for weight in candidates:
            if id(weight) not in seen:
                seen.add(id(weight))
                result.append(weight)
        return result

    @property
    def variables(self) -> list[Variable]:
        return self.weights

    @property
    def trainable_weights(self) -> list[Variable]:
        if not self.trainable:
            return []
        return [w for w in self.weights if w.requires_grad]

    @property
    def trainable_variables(self) -> list[Variable]:
        return self.trainable_weights

    @property
    def non_trainable_weights(self) -> list[Variable]:
        if not self.trainable:
            return self.weights
        return [w for w in self.weights if not w.requires_grad]

    @property
    def non_trainable_variables(self) -> list[Variable]:
        return self.non_trainable_weights

    @property
    def trainable(self) -> bool:
        return self._trainable

    @trainable.setter
    def trainable(self, value: bool) -> None:
        self._trainable = bool(value)
        for weight in self._all_own_variables():
            weight.requires_grad_(self._trainable and weight.trainable)
        for layer in self._sublayers():
            layer.trainable = value

    def get_weights(self) -> list[np.ndarray]:
        """Returns the weights as NumPy arrays, in `weights` order."""
        return [weight.numpy() for weight in self.weights]

    def set_weights(self, weights: list[Any]) -> None:
        """Sets the weights from arrays in `weights` order and Keras layout."""
        own = self.weights
        if len(weights) != len(own):
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) has {len(own)} "
                f"weights, but set_weights() received {len(weights)} arrays. "
                f"Pass one array per weight, in the order of layer.weights: "
                f"{[w.path for w in own]}."
            )
        for weight, value in zip(own, weights, strict=True):
            array = np.asarray(value)
            if tuple(array.shape) != tuple(weight.shape):
                raise ValueError(
                    f"Layer '{self.name}' ({type(self).__name__}) weight "
                    f"'{weight.path}' has shape {tuple(weight.shape)}, but "
                    f"set_weights() received an array of shape {array.shape}."
                )
            weight.assign(array)

    def count_params(self) -> int:
        """Total number of scalars in the layer's weights."""
        if not self.built:
            raise ValueError(
                f"Layer '{self.name}' ({type(self).__name__}) is not built yet, "
                f"so it has no weights to count. Call it on data or call "
                f"build(input_shape) first."
            )
        return int(sum(weight.numel() for weight in self.weights))

    # ------------------------------------------------------------------ losses
    def add_loss(self, loss: torch.Tensor) -> None:
        """Adds a scalar loss (activity regularization, say) to `losses`."""
        self._activity_losses.append(loss)
        CALL_CONTEXT.generation_losses += 1

    @property
    def losses(self) -> list[torch.Tensor]:
        """Losses from `add_loss` during the last call, plus weight penalties."""
        losses = list(self._activity_losses)
        for layer in self._sublayers():
            losses.extend(layer._activity_losses_recursive())
        for weight in self.trainable_weights:
            if weight.regularizer is not None:
                losses.append(weight.regularizer(weight))
        return losses

    def _activity_losses_recursive(self) -> list[torch.Tensor]:
        losses = list(self._activity_losses)
        for layer in self._sublayers():
            losses.extend(layer._activity_losses_recursive())
        return losses

    # ------------------------------------------------------------------- dtype
    @property
    def dtype_policy(self) -> dtype_policies.DTypePolicy:
        """The layer's `DTypePolicy`; assign a policy, a name or a dtype."""
        return self._dtype_policy

    @dtype_policy.setter
    def dtype_policy(self, value: Any) -> None:
        self._set_dtype_policy(value)

    @property
    def dtype(self) -> str:
        """The dtype of the weights, `variable_dtype` (as in Keras)."""
        return self._dtype_policy.variable_dtype

    @property
    def compute_dtype(self) -> str:
        """The dtype inputs are cast to and outputs come out in."""
        return self._dtype_policy.compute_dtype

    @property
    def variable_dtype(self) -> str:
        """The dtype the layer creates its weights in."""
        return self._dtype_policy.variable_dtype

    @property
    def input_dtype(self) -> str:
        """The dtype float inputs are cast to: the compute dtype."""
        return self._dtype_policy.compute_dtype

    def _set_dtype_policy(self, dtype: Any) -> None:
        try:
            policy = dtype_policies.get(dtype)
        except (TypeError, ValueError) as err:
            raise type(err)(
                f"Layer '{self.name}' ({type(self).__name__}) received "
                f"dtype={dtype!r}, which is not a dtype policy. {err}"
            ) from None
        self._dtype_policy = policy
        # Torch dtypes, read on every call: `_dtype` is the compute dtype.
        self._dtype = backend.standardize_dtype(policy.compute_dtype)
        self._variable_dtype = backend.standardize_dtype(policy.variable_dtype)
        self._is_mixed = (
            self._dtype.is_floating_point and self._dtype != self._variable_dtype
        )
        # A model's outputs are its last layers', which may be float32 on
        # purpose (`Activation("linear", dtype="float32")` last).
        self._casts_outputs = self._is_mixed and not _is_model(self)

    # ------------------------------------------------------------------- build
    def build(self, input_shape: Any) -> None:
        """Creates the weights; layers with weights override this."""
        self.built = True

    def _first_call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """The first call runs in this layer's name scope, so that sublayers
        it builds get `<layer>/<sublayer>/kernel` paths, as in Keras."""
        self.__dict__["_has_been_called"] = True
        with name_scope(self.name, caller=self):
            return self(inputs, *args, **kwargs)

    def _build_once(self, input_shapes: Any) -> None:
        if self.built:
            return
        self.build(input_shapes)
        self.built = True
        self._build_shapes = input_shapes
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def compute_mask(self, inputs: Any, mask: Any = None) -> Any:
        """Returns the output mask: the input's mask where masking is supported."""
        if not self.supports_masking:
            return None
        return mask

    def compute_output_shape(self, input_shape: Any) -> Any:
        """Output shape for an input shape, inferred by a `meta`-device call."""
        specs = tree.map_structure(
            lambda shape: KerasTensor(shape, self.compute_dtype), input_shape
        )
        outputs = self.compute_output_spec(specs)
        return tree.map_structure(lambda spec: spec.shape, outputs)

    def compute_output_spec(self, inputs: Any, **kwargs: Any) -> Any:
        self._build_once(tree.map_structure(lambda t: t.shape, inputs))
        return infer_output_spec(self, inputs, kwargs)

    # -------------------------------------------------------------------- call
    def call(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        """Computes the layer's output; every layer overrides this."""
        raise NotImplementedError(
            f"Layer '{self.name}' ({type(self).__name__}) has no call() method. "
            f"Subclasses of Layer must define call(self, inputs)."
        )

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        return self.call(*args, **kwargs)

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._has_been_called:
            return self._first_call(inputs, *args, **kwargs)
        if isinstance(inputs, torch.Tensor):  # the common case, kept lean
            if self.autocast and inputs.dtype != self._dtype:
                inputs = self._autocast(inputs)
        elif any_symbolic(inputs):
            return self._symbolic_call(inputs, args, kwargs)
        else:
            inputs = tree.map_structure(self._to_input_tensor, inputs)
        if self.input_spec is not None:
            self._check_input_spec(inputs)
        if not self.built:
            self._build_once(tree.map_structure(_batch_shape, inputs))
            if self.input_spec is not None:  # build may have set it
                self._check_input_spec(inputs)
        context = CALL_CONTEXT
        self._start_loss_generation(context)
        kwargs = self._resolve_call_kwargs(inputs, kwargs)
        previous_training = context.training
        if kwargs.get("training") is not None:
            context.training = kwargs["training"]
        context.depth += 1
        try:
            if self._is_mixed or _AUTOCAST.dtype is not None:
                outputs = self._call_with_policy(inputs, args, kwargs)
            else:
                outputs = super().__call__(inputs, *args, **kwargs)
        except (RuntimeError, IndexError) as err:
            if isinstance(err, LayerCallError):
                raise
            raise self._call_error(inputs, err) from err
        finally:
            context.depth -= 1
            context.training = previous_training
        if self.supports_masking or type(self).compute_mask is not Layer.compute_mask:
            self._attach_mask(inputs, outputs, kwargs.get("mask"))
        if self.activity_regularizer is not None:
            self._add_activity_losses(outputs)
        return outputs

    def _start_loss_generation(self, context: CallContext) -> None:
        """Forgets the losses of this layer's previous call."""
        if context.depth == 0:
            context.generation += 1
            context.generation_losses = 0
        if self._loss_generation != context.generation:
            # Plain attributes: nn.Module.__setattr__ costs ~6 us per call.
            self.__dict__["_loss_generation"] = context.generation
            if self._activity_losses:
                self.__dict__["_activity_losses"] = []

    def _add_activity_losses(self, outputs: Any) -> None:
        for output in tree.flatten(outputs):
            if isinstance(output, torch.Tensor) and output.is_floating_point():
                penalty = self.activity_regularizer(output)
                if output.ndim > 0:  # Keras averages the penalty over the batch
                    penalty = penalty / output.shape[0]
                self.add_loss(penalty)

    def _call_error(self, inputs: Any, err: Exception) -> "LayerCallError":
        return LayerCallError(
            f"Layer '{self.name}' ({type(self).__name__}) could not compute "
            f"its output for input shape {_describe_shapes(inputs)}; it was "
            f"built for {self._build_shapes}. PyTorch said: {err}. Check "
            f"that the data has the shape the model was built for."
        )

    def _call_with_policy(self, inputs: Any, args: tuple, kwargs: dict) -> Any:
        """Calls `forward` in the autocast region the dtype policy asks for.

        A mixed layer computes under `torch.autocast` at its compute dtype
        (the ops cast its float32 weights as they read them, so gradients
        reach the float32 weights) and returns its outputs in that dtype;
        with `autocast=False` it computes in float32 (as Keras's Embedding
        and LayerNormalization do) and still returns the compute dtype. A
        layer of any other policy called inside such a region turns it off
        and computes in its own dtype. Regions the user opens around lamina
        layers are left alone.
        """
        wanted = self._dtype if self._is_mixed and self.autocast else None
        outer = _AUTOCAST.dtype
        if wanted == outer:  # the enclosing layer's region already fits
            outputs = torch.nn.Module.__call__(self, inputs, *args, **kwargs)
        else:
            outputs = self._call_in_region(wanted, inputs, args, kwargs)
        if not self._casts_outputs:
            return outputs
        if isinstance(outputs, torch.Tensor):
            return self._to_compute_dtype(outputs)
        return tree.map_structure(self._to_compute_dtype, outputs)

    def _call_in_region(
        self, wanted: torch.dtype | None, inputs: Any, args: tuple, kwargs: dict
    ) -> Any:
        device_type = _device_type(inputs)
        if not torch.amp.is_autocast_available(device_type):
            # `meta` tensors (shape inference) have no autocast: compute in
            # the variable dtype; the caller casts the outputs.
            if wanted is not None:
                inputs = tree.map_structure(self._to_variable_dtype, inputs)
            return torch.nn.Module.__call__(self, inputs, *args, **kwargs)
        outer = _AUTOCAST.dtype
        _AUTOCAST.dtype = wanted
        try:
            with torch.autocast(device_type, dtype=wanted, enabled=wanted is not None):
                return torch.nn.Module.__call__(self, inputs, *args, **kwargs)
        finally:
            _AUTOCAST.dtype = outer

    def _to_compute_dtype(self, value: Any) -> Any:
        if (
            not isinstance(value, torch.Tensor)
            or not value.is_floating_point()
            or value.dtype == self._dtype
        ):
            return value
        cast = value.to(self._dtype)
        mask = getattr(value, "_keras_mask", None)
        if mask is not None:
            cast._keras_mask = mask
        return cast

    def _to_variable_dtype(self, value: Any) -> Any:
        if isinstance(value, torch.Tensor) and value.is_floating_point():
            return value.to(self._variable_dtype)
        return value

    def _autocast(self, tensor: torch.Tensor) -> torch.Tensor:
        if tensor.is_floating_point():
            return tensor.to(self._dtype)
        return tensor

    def _to_input_tensor(self, value: Any) -> Any:
        if isinstance(value, torch.Tensor):
            tensor = value
        elif value is None or isinstance(value, (str, bytes)):
            return value
        else:
            array = np.asarray(value)
            if any(stride < 0 for stride in array.strides):
                array = array.copy()  # a reversed view (x[..., ::-1]): torch refuses it
            tensor = torch.as_tensor(array)
        return self._autocast(tensor) if self.autocast else tensor

    def _resolve_call_kwargs(self, inputs: Any, kwargs: dict) -> dict:
        """Drops `training`/`mask` that `call` does not take; fills them in from
        the enclosing call and the inputs' masks when `call` takes them."""
        if not self._takes_training:
            kwargs.pop("training", None)
        elif kwargs.get("training") is None:
            training = CALL_CONTEXT.training
            if training is not None or "training" in kwargs:
                kwargs["training"] = training
        if not self._takes_mask:
            kwargs.pop("mask", None)
        elif kwargs.get("mask") is None:
            mask = _input_masks(inputs)
            if mask is not None:
                kwargs["mask"] = mask
        return kwargs

    def _attach_mask(self, inputs: Any, outputs: Any, mask: Any) -> None:
        if not self.supports_masking and type(self).compute_mask is Layer.compute_mask:
            return
        if mask is None:  # a call without a mask argument still passes it on
            mask = _input_masks(inputs)
        output_mask = self.compute_mask(inputs, mask)
        if output_mask is None:
            return
        for output, one_mask in zip(
            tree.flatten(outputs), _broadcast_mask(output_mask, outputs), strict=False
        ):
            if isinstance(output, torch.Tensor):
                output._keras_mask = one_mask

    def _symbolic_call(self, inputs: Any, args: tuple, kwargs: dict) -> Any:
        self._check_declared_shape(tree.map_structure(lambda t: t.shape, inputs))
        if self.input_spec is not None:
            self._check_input_spec(inputs)
        if not self.built:
            self._build_once(tree.map_structure(lambda t: t.shape, inputs))
            if self.input_spec is not None:  # build may have set it
                self._check_input_spec(inputs)
        outputs = infer_output_spec(self, inputs, dict(kwargs), *args)
        Node(self, inputs, outputs, args, kwargs)
        return outputs

    def _check_input_spec(self, inputs: Any) -> None:
        assert_input_compatibility(
            self.input_spec, inputs, self.name, type(self).__name__
        )

    def _check_declared_shape(self, shapes: Any) -> None:
        declared = self._declared_input_shape
        if declared is None or not isinstance(shapes, tuple):
            return
        received = tuple(shapes)[1:]
        if shapes_compatible(declared, received):
            return
        raise ValueError(
            f"Layer '{self.name}' ({type(self).__name__}) was declared with "
            f"input_shape={declared}, but it is called on a tensor of shape "
            f"{tuple(shapes)}. Make input_shape match the data."
        )

    def warn_shape_mismatch(self, declared: Shape, received: Shape) -> None:
        """Warns once that data of another shape reached a declared input."""
        if self._has_warned_shape:
            return
        self._has_warned_shape = True
        warnings.warn(
            f"Layer '{self.name}' ({type(self).__name__}) was declared for input "
            f"shape {declared}, but received {received}. It still computes on "
            f"this shape, as Keras 2 did. To silence this warning, declare "
            f"input_shape={tuple(received[1:])} (or reshape the data to "
            f"{declared}).",
            UserWarning,
            stacklevel=_user_stacklevel(),
        )

    # ------------------------------------------------------------------ config
    def get_config(self) -> dict[str, Any]:
        """Returns the constructor arguments as a JSON-serialisable dict."""
        from lamina import regularizers

        config: dict[str, Any] = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": dtype_policies.serialize(self._dtype_policy),
        }
        if self.activity_regularizer is not None:
            config["activity_regularizer"] = regularizers.serialize(
                self.activity_regularizer
            )
        # A declared `input_shape` is not written here: Keras 3 layers reject
        # `batch_input_shape`, and a Sequential model writes it as its InputLayer.
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Layer":
        """Creates a layer from the dict `get_config()` returned."""
        return cls(**config)

    # --------------------------------------------------------------- functional
    @property
    def input(self) -> Any:
        return self._single_node("input").inputs

    @property
    def output(self) -> Any:
        return self._single_node("output").outputs

    def _single_node(self, what: str) -> Node:
        if not self._inbound_nodes:
            raise AttributeError(
                f"Layer '{self.name}' ({type(self).__name__}) has never been "
                f"called on a symbolic input, so it has no {what}. Call it on "
                f"lamina.Input(...) first."
            )
        return self._inbound_nodes[0]

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"

    def __setattr__(self, name: str, value: Any) -> None:
        if (
            isinstance(value, (list, tuple))
            and value
            and all(isinstance(item, torch.nn.Module) for item in value)
        ):
            value = torch.nn.ModuleList(value)
        if isinstance(value, torch.nn.Parameter):
            self._forget_parameter_alias(value, name)
        super().__setattr__(name, value)

    def _forget_parameter_alias(self, value: torch.nn.Parameter, name: str) -> None:
        """Lets `self.kernel = self.add_weight(...)` keep one registration."""
        parameters = self.__dict__.get("_parameters", {})
        for key, registered in list(parameters.items()):
            if registered is value and key != name:
                del parameters[key]
        if name in self.__dict__:
            del self.__dict__[name]


def _user_stacklevel() -> int:
    """Stack level of the first caller outside lamina and torch, for warnings."""
    library_folders = (
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
        os.path.dirname(os.path.abspath(torch.__file__)),
    )
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(library_folders):
        frame = frame.f_back
        level += 1
    return level


class LayerCallError(ValueError):
    """A layer could not compute on the input it received."""


class _AutocastRegion(threading.local):
    """The compute dtype of the autocast region a mixed layer opened, if any."""

    dtype: torch.dtype | None = None


_AUTOCAST = _AutocastRegion()


def _device_type(inputs: Any) -> str:
    """The device type (`"cpu"`, `"cuda"`, ...) of the first input tensor."""
    if isinstance(inputs, torch.Tensor):
        return inputs.device.type
    for value in tree.flatten(inputs):
        if isinstance(value, torch.Tensor):
            return value.device.type
    return torch.device(backend.get_device()).type


def _is_model(layer: Layer) -> bool:
    from lamina.models.model import Model  # models build on this module

    return isinstance(layer, Model)


def _declared_input_shape(kwargs: dict[str, Any]) -> Shape | None:
    if kwargs.get("batch_input_shape") is not None:
        return tuple(kwargs["batch_input_shape"])[1:]
    if kwargs.get("input_shape") is not None:
        return tuple(kwargs["input_shape"])
    if kwargs.get("input_dim") is not None:
        return (kwargs["input_dim"],)
    if kwargs.get("input_length") is not None:
        return (kwargs["input_length"],)
    return None


def _call_arguments(call: Any) -> frozenset[str]:
    parameters = inspect.signature(call).parameters
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()):
        return frozenset({*parameters, "training", "mask"})
    return frozenset(parameters)


def _free_parameter_name(layer: Layer, name: str) -> str:
    candidate = name.replace(".", "_")
    index = 1
    while candidate in layer._parameters or hasattr(layer, candidate):
        candidate = f"{name}_{index}"
        index += 1
    return candidate


def _input_masks(inputs: Any) -> Any:
    """The `_keras_mask` of the inputs (same structure), or `None` if none."""
    if isinstance(inputs, torch.Tensor):
        return getattr(inputs, "_keras_mask", None)
    masks = tree.map_structure(lambda t: getattr(t, "_keras_mask", None), inputs)
    return masks if any(m is not None for m in tree.flatten(masks)) else None


def _batch_shape(value: Any) -> Any:
    if isinstance(value, torch.Tensor):
        return (None, *value.shape[1:])
    return None


def _describe_shapes(inputs: Any) -> Any:
    shapes = tree.map_structure(
        lambda t: tuple(t.shape) if isinstance(t, torch.Tensor) else t, inputs
    )
    return shapes


def shapes_compatible(expected: Shape, received: Shape) -> bool:
    """Whether two shapes agree on rank and on every axis known in both.

    Example:
    >>> shapes_compatible((None, 3), (32, 3)), shapes_compatible((None, 3), (32, 4))
    (True, False)
    """
    if len(expected) != len(received):
        return False
    return all(
        a is None or b is None or a == b
        for a, b in zip(expected, received, strict=True)
    )


def _broadcast_mask(mask: Any, outputs: Any) -> list[Any]:
    flat_outputs = tree.flatten(outputs)
    if isinstance(mask, torch.Tensor):
        return [mask] * len(flat_outputs)
    return list(tree.flatten(mask))
