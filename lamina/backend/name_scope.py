"""`name_scope`: prefixes for the paths of weights created inside it."""

import threading
from typing import Any

# One stack of open scopes per thread, as Keras keeps it.
_STATE = threading.local()


class name_scope:  # lower case: Keras's public spelling, `keras.name_scope`
    """Opens a sub-namespace: weights created inside get `name/` prefixed.

    Scopes nest; `current_path()` returns the open ones joined by `/`. A
    layer's weights made inside `name_scope("block")` get the path
    `"block/dense/kernel"` instead of `"dense/kernel"`.

    Args:
        name: Name of the scope; must not contain `/`.
        caller: Object opening the scope (a layer, say). With `deduplicate`,
            the same caller reopening a scope of the same name adds no level.
        deduplicate: Whether to skip reopening the caller's own scope.
            Defaults to `True`.
        override_parent: Absolute path that replaces the enclosing scopes.

    Example:
    >>> with name_scope("outer"):
    ...     with name_scope("inner"):
    ...         print(current_path())
    outer/inner
    """

    def __init__(
        self,
        name: str,
        caller: Any = None,
        deduplicate: bool = True,
        override_parent: str | None = None,
    ) -> None:
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                f"name_scope expected a string name without '/', but received "
                f"name={name!r}. Open one scope per level: "
                f"name_scope('a') then name_scope('b'), not name_scope('a/b')."
            )
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        self.override_parent = override_parent
        self._pop_on_exit = False

    def __enter__(self) -> "name_scope":
        stack = _stack()
        if self.deduplicate and stack and self.caller is not None:
            parent = stack[-1]
            if parent.caller is self.caller and parent.name == self.name:
                return self
        stack.append(self)
        self._pop_on_exit = True
        return self

    def __exit__(self, *exc_info: Any) -> None:
        if self._pop_on_exit:
            _stack().pop()
            self._pop_on_exit = False


def current_path() -> str:
    """The open scopes joined by `/`, or `""` outside any scope.

    Example:
    >>> current_path()
    ''
    """
    parts: list[str] = []
    for scope in getattr(_STATE, "stack", ()):
        if scope.override_parent is not None:
            parts = [part for part in scope.override_parent.split("/") if part]
        parts.append(scope.name)
    return "/".join(parts)


def _stack() -> list[name_scope]:
    if not hasattr(_STATE, "stack"):
        _STATE.stack = []
    return _STATE.stack
