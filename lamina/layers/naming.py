"""Automatic layer names: `dense`, `dense_1`, ... as Keras gives them."""

import re
from collections import defaultdict

_NAME_COUNTERS: defaultdict[str, int] = defaultdict(int)


def reset_name_counters() -> None:
    """Restarts automatic layer names (`dense`, `dense_1`, ...) from zero."""
    _NAME_COUNTERS.clear()


def to_snake_case(name: str) -> str:
    """Turns `"MaxPooling2D"` into `"max_pooling2d"`, as Keras names layers.

    Example:
    >>> to_snake_case("MaxPooling2D")
    'max_pooling2d'
    """
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(base: str) -> str:
    """Returns `base`, then `base_1`, `base_2`, ... on later calls."""
    count = _NAME_COUNTERS[base]
    _NAME_COUNTERS[base] += 1
    return base if count == 0 else f"{base}_{count}"
