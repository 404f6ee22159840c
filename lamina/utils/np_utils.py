"""Keras 2's `keras.utils.np_utils`: `to_categorical` and `normalize`.

Kept so that `from lamina.utils import np_utils` (as in Keras 2 tutorials)
works; the functions are those of `lamina.utils.numerical_utils`.

Example:
>>> to_categorical([1], num_classes=2).tolist()
[[0.0, 1.0]]
"""

from lamina.utils.numerical_utils import normalize
from lamina.utils.numerical_utils import to_categorical

__all__ = ["normalize", "to_categorical"]
