"""Helpers for code that `torch.compile` must leave alone."""

import functools
from collections.abc import Callable
from typing import Any


def run_eagerly(function: Callable[..., Any]) -> Callable[..., Any]:
    """Marks `function` to run outside `torch.compile` graphs, decided lazily.

    Same as decorating with `torch.compiler.disable`, except that the
    decorator is applied on the first call: `torch.compiler.disable` imports
    `torch._dynamo`, which costs about a second at `import lamina` time.

    Example:
    >>> @run_eagerly
    ... def double(x):
    ...     return 2 * x
    >>> double(3)
    6
    """
    disabled: Callable[..., Any] | None = None

    @functools.wraps(function)
    def call_eagerly(*args: Any, **kwargs: Any) -> Any:
        nonlocal disabled
        if disabled is None:
            import torch

            disabled = torch.compiler.disable(function)
        return disabled(*args, **kwargs)

    return call_eagerly
