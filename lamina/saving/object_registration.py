"""The registry of user classes and functions that configs may name.

Deserialisation finds classes only here, in `custom_objects` passed by the
caller, and among lamina's own public classes; never by importing a module
that a file names.
"""

import threading
from collections.abc import Callable
from typing import Any

GLOBAL_CUSTOM_OBJECTS: dict[str, Any] = {}
GLOBAL_CUSTOM_NAMES: dict[Any, str] = {}
_SCOPE = threading.local()


class CustomObjectScope:
    """Makes custom classes and functions visible to deserialisation.

    Inside the `with` block, configs that name these objects can be loaded
    without passing `custom_objects` again.

    Args:
        custom_objects: Dict mapping names (as they appear in configs) to
            classes or functions. Several dicts may be passed.

    Example:
    >>> def twice(x):
    ...     return 2 * x
    >>> with CustomObjectScope({"twice": twice}):
    ...     get_registered_object("twice") is twice
    True
    """

    def __init__(self, *custom_objects: dict[str, Any] | None) -> None:
        self.custom_objects = {}
        for objects in custom_objects:
            self.custom_objects.update(objects or {})
        self._previous: dict[str, Any] | None = None

    def __enter__(self) -> "CustomObjectScope":
        self._previous = scoped_objects()
        _SCOPE.objects = {**self._previous, **self.custom_objects}
        return self

    def __exit__(self, *exc_info: Any) -> None:
        _SCOPE.objects = self._previous or {}


custom_object_scope = CustomObjectScope


def scoped_objects() -> dict[str, Any]:
    """The objects of the `custom_object_scope` blocks now open in this thread."""
    return dict(getattr(_SCOPE, "objects", {}))


def get_custom_objects() -> dict[str, Any]:
    """Returns the global dict of registered objects (mutable, as in Keras).

    Example:
    >>> isinstance(get_custom_objects(), dict)
    True
    """
    return GLOBAL_CUSTOM_OBJECTS


def register_keras_serializable(
    package: str = "Custom", name: str | None = None
) -> Callable[[Any], Any]:
    """Registers a class or function so that configs can name it.

    The registered name is `"package>name"`; it is written into configs as
    `registered_name`, and a file that names it loads without
    `custom_objects`.

    Args:
        package: Namespace of the name. Defaults to `"Custom"`.
        name: Name inside the package. Defaults to the class or function name.

    Returns:
        A decorator that registers its argument and returns it unchanged.

    Example:
    >>> @register_keras_serializable(package="Doc")
    ... def cube(x):
    ...     return x ** 3
    >>> get_registered_name(cube)
    'Doc>cube'
    """
    if ">" in package:
        raise ValueError(
            f"register_keras_serializable received package={package!r}, but "
            f"'>' separates package and name. Pass a package without '>'."
        )

    def decorator(obj: Any) -> Any:
        short_name = name or getattr(obj, "__name__", None)
        if short_name is None:
            raise TypeError(
                f"register_keras_serializable can register classes and "
                f"functions, but received {obj!r}. Pass name=... or decorate "
                f"a class or function."
            )
        if isinstance(obj, type) and not hasattr(obj, "get_config"):
            raise ValueError(
                f"Class {obj.__name__} cannot be registered: it has no "
                f"get_config() method, so it cannot be saved. Define "
                f"get_config() (and from_config() if the keys differ)."
            )
        registered_name = f"{package}>{short_name}"
        GLOBAL_CUSTOM_OBJECTS[registered_name] = obj
        GLOBAL_CUSTOM_NAMES[obj] = registered_name
        return obj

    return decorator


register_serializable = register_keras_serializable


def get_registered_name(obj: Any) -> str:
    """The name `obj` was registered under, else its `__name__`.

    Example:
    >>> get_registered_name(len)
    'len'
    """
    if obj in GLOBAL_CUSTOM_NAMES:
        return GLOBAL_CUSTOM_NAMES[obj]
    return getattr(obj, "__name__", type(obj).__name__)


def get_registered_object(
    name: str,
    custom_objects: dict[str, Any] | None = None,
    module_objects: dict[str, Any] | None = None,
) -> Any:
    """Finds a registered or custom object by name; `None` if there is none.

    Looks in the open `custom_object_scope` blocks, the global registry,
    `custom_objects`, then `module_objects`.

    Example:
    >>> get_registered_object("nothing_by_this_name") is None
    True
    """
    for objects in (scoped_objects(), GLOBAL_CUSTOM_OBJECTS, custom_objects or {}):
        if name in objects:
            return objects[name]
    if module_objects and name in module_objects:
        return module_objects[name]
    return None
