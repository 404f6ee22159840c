"""Packing and unpacking the `(x, y, sample_weight)` tuples that `fit` reads."""

from typing import Any


def unpack_x_y_sample_weight(data: Any) -> tuple[Any, Any, Any]:
    """Splits a batch into `(x, y, sample_weight)`, with `None` for what is missing.

    Handy in a custom `train_step`: data may be `x`, `(x,)`, `(x, y)` or
    `(x, y, sample_weight)`; a list counts as a tuple.

    Args:
        data: A batch: `x`, or a tuple of 1 to 3 items.

    Returns:
        The tuple `(x, y, sample_weight)`.

    Example:
    >>> unpack_x_y_sample_weight(([1, 2], [0, 1]))
    ([1, 2], [0, 1], None)
    """
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return (data, None, None)
    if 1 <= len(data) <= 3:
        return (*data, None, None)[:3]
    raise ValueError(
        f"unpack_x_y_sample_weight expected data as x, (x,), (x, y) or "
        f"(x, y, sample_weight), but received a tuple of {len(data)} items. "
        f"Group several inputs into a list or dict first: ([x1, x2], y)."
    )


def pack_x_y_sample_weight(x: Any, y: Any = None, sample_weight: Any = None) -> Any:
    """Packs `x`, `y` and `sample_weight` into the tuple form `fit` reads.

    A lone `x` stays unwrapped unless it is itself a list or tuple (then it
    becomes `(x,)`, so that it is not read as `(x, y)`).

    Args:
        x: Inputs.
        y: Targets, or `None`.
        sample_weight: Per-sample weights, or `None`.

    Returns:
        `x`, `(x,)`, `(x, y)` or `(x, y, sample_weight)`.

    Example:
    >>> pack_x_y_sample_weight([1, 2])
    ([1, 2],)
    >>> pack_x_y_sample_weight(1, 2, 3)
    (1, 2, 3)
    """
    if y is None:
        return (x,) if isinstance(x, (tuple, list)) else x
    if sample_weight is None:
        return (x, y)
    return (x, y, sample_weight)
