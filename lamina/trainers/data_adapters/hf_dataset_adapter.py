"""Hugging Face `datasets.Dataset` as `fit` data: columns become arrays.

`model.fit(dataset, y="label")` trains on a Hugging Face dataset: the
columns named by `y` (and `sample_weight`) are the targets (and weights),
the other columns the inputs. One input column is passed as an array; several
as a dict keyed by column name, which a functional model matches to its
`Input(name=...)`s. The columns are read into arrays once, then batched like
any arrays. `datasets` is never imported here.
"""

from typing import Any

import numpy as np


def is_hf_dataset(value: Any) -> bool:
    """Whether `value` is a Hugging Face `datasets.Dataset` (map-style).

    Example:
    >>> is_hf_dataset(np.zeros(3))
    False
    """
    return any(
        cls.__name__ == "Dataset" and cls.__module__.startswith("datasets.")
        for cls in type(value).__mro__
    )


def hf_dataset_to_arrays(dataset: Any, y: Any, sample_weight: Any) -> tuple:
    """Returns `(x, y, sample_weight)` arrays read from `dataset`'s columns.

    Args:
        dataset: A `datasets.Dataset`.
        y: Target column name, list of names, or `None` (no targets).
        sample_weight: Weight column name, or `None`.

    Returns:
        `(x, y, sample_weight)`: `x` an array (one input column) or a dict
        of arrays keyed by column name; `y` an array, a list of arrays or
        `None`; `sample_weight` an array or `None`.

    Example:
    >>> import datasets
    >>> data = datasets.Dataset.from_dict({"a": [1.0, 2.0], "label": [0, 1]})
    >>> x, y, _ = hf_dataset_to_arrays(data, "label", None)
    >>> x.tolist(), y.tolist()
    ([1.0, 2.0], [0, 1])
    """
    target_columns = _names(y, "y", dataset)
    weight_columns = _names(sample_weight, "sample_weight", dataset)
    taken = set(target_columns) | set(weight_columns)
    input_columns = [name for name in dataset.column_names if name not in taken]
    if not input_columns:
        raise ValueError(
            f"The Hugging Face dataset has no input columns left: all of "
            f"{dataset.column_names} are targets or weights. Keep at least one "
            f"column for x."
        )
    table = dataset.with_format("numpy")
    inputs = {name: _column(table, name) for name in input_columns}
    x = inputs[input_columns[0]] if len(inputs) == 1 else inputs
    targets = [_column(table, name) for name in target_columns]
    y = targets[0] if isinstance(y, str) else (targets or None)
    weights = _column(table, weight_columns[0]) if weight_columns else None
    return x, y, weights


def _names(selection: Any, argument: str, dataset: Any) -> list[str]:
    if selection is None:
        return []
    names = [selection] if isinstance(selection, str) else list(selection)
    if argument == "sample_weight" and len(names) != 1:
        raise ValueError(
            f"With a Hugging Face dataset, sample_weight names one column, but "
            f"received sample_weight={selection!r}."
        )
    for name in names:
        if not isinstance(name, str):
            raise TypeError(
                f"With a Hugging Face dataset as x, {argument} must name "
                f"columns (a string or a list of strings), but received "
                f"{argument}={selection!r}. Pass e.g. {argument}='label'."
            )
        if name not in dataset.column_names:
            raise ValueError(
                f"{argument}={name!r} is not a column of the Hugging Face "
                f"dataset. Available columns: {', '.join(dataset.column_names)}."
            )
    return names


def _column(table: Any, name: str) -> np.ndarray:
    values = table[name]
    array = values if isinstance(values, np.ndarray) else np.asarray(values)
    if array.dtype == object or array.dtype.kind in "USO":
        raise ValueError(
            f"Column {name!r} of the Hugging Face dataset holds "
            f"{'strings' if array.dtype.kind in 'US' else 'ragged values'}, "
            f"which cannot be batched as numbers. Turn it into fixed-length "
            f"numbers first (dataset.map with a tokenizer and padding), or "
            f"drop it with dataset.remove_columns({name!r})."
        )
    return array
