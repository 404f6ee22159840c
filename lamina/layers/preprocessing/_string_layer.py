"""`StringInputLayer`: a layer that also accepts strings, which torch cannot hold."""

from typing import Any

import numpy as np
import torch

from lamina.layers.layer import Layer
from lamina.layers.preprocessing._string_data import holds_strings
from lamina.layers.preprocessing._string_data import to_string_array


class StringInputLayer(Layer):
    """Base of the layers that take strings: lookups, hashing, text.

    Numeric inputs take the ordinary `Layer.__call__` path. String inputs
    (Python lists, NumPy `str`/`bytes`/`object` arrays) reach `call` as a
    NumPy `object` array of `str` (or a list of them, for a list of
    inputs); they cannot be symbolic, compiled or differentiated.
    """

    encoding = "utf-8"

    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._holds_any_strings(inputs):
            if isinstance(inputs, (list, tuple)) and not self._takes_input_list():
                inputs = np.asarray(inputs)  # one input, not a list of them
            return super().__call__(inputs, *args, **kwargs)
        kwargs.pop("training", None)
        kwargs.pop("mask", None)
        if not self.built:
            self._build_once(None)
        return self.call(self._string_inputs(inputs), *args, **kwargs)

    def _holds_any_strings(self, inputs: Any) -> bool:
        if isinstance(inputs, (list, tuple)) and self._takes_input_list():
            return any(holds_strings(item) for item in inputs)
        return holds_strings(inputs)

    def _string_inputs(self, inputs: Any) -> Any:
        what = f"Layer '{self.name}' ({type(self).__name__})"
        if isinstance(inputs, (list, tuple)) and self._takes_input_list():
            return [self._one_input(item, what) for item in inputs]
        return self._one_input(inputs, what)

    def _one_input(self, value: Any, what: str) -> Any:
        if holds_strings(value):
            return to_string_array(value, self.encoding, what)
        if isinstance(value, (np.ndarray, torch.Tensor)):
            return value
        return np.asarray(value)

    def _takes_input_list(self) -> bool:
        """Whether `call` takes a list of separate inputs (`HashedCrossing`)."""
        return False
