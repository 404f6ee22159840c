"""Unique default names for optimizers, as Keras makes them (`adam`, `adam_1`)."""

import collections
import re

_NAME_COUNTS: collections.Counter[str] = collections.Counter()


def to_snake_case(name: str) -> str:
    """Converts a class name to Keras's snake case (`RMSprop` -> `rm_sprop`).

    Example:
    >>> to_snake_case("AdamW")
    'adam_w'
    """
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def auto_name(class_name: str) -> str:
    """Returns the snake-case name, suffixed `_1`, `_2`, ... when reused.

    Example:
    >>> auto_name("MyDocOptimizer"), auto_name("MyDocOptimizer")
    ('my_doc_optimizer', 'my_doc_optimizer_1')
    """
    base = to_snake_case(class_name)
    count = _NAME_COUNTS[base]
    _NAME_COUNTS[base] += 1
    return f"{base}_{count}" if count else base
