"""The path of a weight, as optimizers that route weights by name read it."""

from typing import Any


def variable_path(variable: Any) -> str:
    """The weight's Keras path (`"dense/kernel"`), else its name, else `""`.

    Example:
    >>> from lamina.backend import Variable
    >>> import torch
    >>> variable_path(Variable(torch.zeros(1), name="bias", path="dense/bias"))
    'dense/bias'
    >>> variable_path(torch.zeros(1))
    ''
    """
    return getattr(variable, "path", None) or getattr(variable, "name", None) or ""
