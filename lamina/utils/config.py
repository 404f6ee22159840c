"""`Config`: a dict of named values with attribute access, freezing and JSON."""

import copy
import difflib
import json
from collections.abc import Iterator
from typing import Any


class Config:
    """A dict-like container of named values, readable as attributes.

    Values are set and read as attributes or items; `freeze()` forbids
    further changes; `to_json()` serialises the whole config.

    Args:
        **kwargs: The initial values.

    Example:
    >>> config = Config(learning_rate=0.1)
    >>> config.seed = 123
    >>> config["learning_rate"], config.seed, config.to_json()
    (0.1, 123, '{"learning_rate": 0.1, "seed": 123}')
    >>> config.freeze()
    >>> config.seed = 7
    Traceback (most recent call last):
    ...
    ValueError: Config is frozen, so seed=7 cannot be set. Call config.unfreeze() first.
    """

    __attrs__: set[str] | None = None

    def __init__(self, **kwargs: Any) -> None:
        self._config = kwargs
        self._frozen = False
        self.__attrs__ = set(dir(self))

    @property
    def frozen(self) -> bool:
        """Whether the config refuses changes."""
        return self._frozen

    def freeze(self) -> None:
        """Forbids any further change."""
        self._frozen = True

    def unfreeze(self) -> None:
        """Allows changes again."""
        self._frozen = False

    def _raise_if_frozen(self, change: str) -> None:
        if self._frozen:
            raise ValueError(
                f"Config is frozen, so {change} cannot be set. Call "
                f"config.unfreeze() first."
            )

    def as_dict(self) -> dict[str, Any]:
        """A shallow copy of the values as a plain dict."""
        return copy.copy(self._config)

    def to_json(self) -> str:
        """The values as a JSON string."""
        return json.dumps(self._config)

    def keys(self) -> Any:
        return self._config.keys()

    def values(self) -> Any:
        return self._config.values()

    def items(self) -> Any:
        return self._config.items()

    def get(self, keyname: str, value: Any = None) -> Any:
        return self._config.get(keyname, value)

    def pop(self, *args: Any) -> Any:
        self._raise_if_frozen(f"{args[0]!r} (pop)")
        return self._config.pop(*args)

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._raise_if_frozen("values (update)")
        self._config.update(*args, **kwargs)

    def __setattr__(self, name: str, value: Any) -> None:
        attrs = object.__getattribute__(self, "__attrs__")
        if attrs is None or name in attrs:
            object.__setattr__(self, name, value)
            return
        self._raise_if_frozen(f"{name}={value!r}")
        self._config[name] = value

    def __getattr__(self, name: str) -> Any:
        attrs = object.__getattribute__(self, "__attrs__")
        if attrs is None or name in attrs:
            return object.__getattribute__(self, name)
        config = object.__getattribute__(self, "_config")
        if name in config:
            return config[name]
        message = f"Config has no value named {name!r}."
        matches = difflib.get_close_matches(name, config.keys(), n=1, cutoff=0.7)
        if matches:
            message += f" Did you mean {matches[0]!r}?"
        raise AttributeError(message)

    def __setitem__(self, key: str, item: Any) -> None:
        self._raise_if_frozen(f"{key}={item!r}")
        self._config[key] = item

    def __getitem__(self, key: str) -> Any:
        return self._config[key]

    def __delitem__(self, key: str) -> None:
        self._raise_if_frozen(f"{key!r} (del)")
        del self._config[key]

    def __contains__(self, item: object) -> bool:
        return item in self._config

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._config))

    def __len__(self) -> int:
        return len(self._config)

    def __repr__(self) -> str:
        return f"<Config {self._config}>"
