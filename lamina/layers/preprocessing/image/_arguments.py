"""Private: checks of the image layers' `factor`, `value_range` and choices.

The accepted values follow Keras 3 exactly, so every config Keras writes loads.

Example:
>>> factor_range("RandomRotation", "factor", 0.2, (-1, 1))
(-0.2, 0.2)
>>> symmetric_range("RandomZoom", "height_factor", (0.3, -0.1), (-1, 1))
(-0.1, 0.3)
"""

from typing import Any


def factor_range(
    owner: str, argument: str, factor: Any, bounds: tuple[float, float]
) -> tuple[float, float]:
    """The base layers' rule: a number `f` means `(max(-|f|, low), |f|)`.

    A pair is sorted; it is refused only when it lies wholly outside `bounds`
    (Keras's check).
    """
    low, high = bounds
    message = (
        f"{owner} expected {argument} to be a number or a pair of numbers in "
        f"[{low}, {high}], but received {argument}={factor!r}."
    )
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or not all(_is_number(value) for value in factor):
            raise ValueError(message)
        if factor[0] > high or factor[1] < low:
            raise ValueError(message)
        lower, upper = sorted(factor)
        return lower, upper
    if not _is_number(factor) or not low <= factor <= high:
        raise ValueError(message)
    return max(-abs(factor), low), abs(factor)


def symmetric_range(
    owner: str,
    argument: str,
    factor: Any,
    bounds: tuple[float, float],
    low_inclusive: bool = True,
) -> tuple[float, float]:
    """The per-axis rule: a number `f` means `(-|f|, |f|)`; a pair is sorted.

    Every number given must lie in `bounds` (`(low, high]` when not
    `low_inclusive`).
    """
    low, high = bounds
    interval = f"[{low}, {high}]" if low_inclusive else f"({low}, {high}]"
    is_pair = isinstance(factor, (tuple, list))
    values = list(factor) if is_pair else [factor]
    inside = all(_inside(value, bounds, low_inclusive) for value in values)
    if (is_pair and len(values) != 2) or not inside:
        raise ValueError(
            f"{owner} expected {argument} to be a number or a pair of numbers "
            f"in {interval}, but received {argument}={factor!r}."
        )
    if is_pair:
        lower, upper = sorted(values)
        return lower, upper
    return -abs(factor), abs(factor)


def check_value_range(owner: str, value_range: Any) -> None:
    """Raises unless `value_range` is a pair of numbers."""
    if (
        not isinstance(value_range, (tuple, list))
        or len(value_range) != 2
        or not all(_is_number(value) for value in value_range)
    ):
        raise ValueError(
            f"{owner} expected value_range to be a pair of numbers such as "
            f"(0, 255) or (0, 1), but received value_range={value_range!r}."
        )


def check_choice(owner: str, argument: str, value: Any, choices: tuple) -> None:
    """Raises unless `value` is one of `choices`, listing them."""
    if value not in choices:
        raise ValueError(
            f"{owner} received {argument}={value!r}. Expected one of "
            f"{', '.join(repr(choice) for choice in choices)}."
        )


def check_size(owner: str, height: Any, width: Any) -> None:
    """Raises unless `height` and `width` are positive integers."""
    for argument, value in (("height", height), ("width", width)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(
                f"{owner} expected {argument} to be a positive integer, but "
                f"received {argument}={value!r}."
            )


def _inside(value: Any, bounds: tuple[float, float], low_inclusive: bool) -> bool:
    low, high = bounds
    if not _is_number(value) or value > high:
        return False
    return value >= low if low_inclusive else value > low


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
