"""`PyDataset` (Keras 2 name `Sequence`): batches served by index."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any


class PyDataset:
    """Base class for data sets that return whole batches by index.

    Subclasses define `__len__` (number of batches) and `__getitem__(index)`
    (one batch: `x`, `(x, y)` or `(x, y, sample_weight)`), and may define
    `on_epoch_end`. `fit` calls them in order, or in a shuffled order
    when `shuffle=True`.

    Args:
        workers: Number of threads that prepare batches ahead. Defaults to `1`.
        use_multiprocessing: Accepted for Keras compatibility; batches are
            prepared in threads, which suits loaders that release the GIL
            (file reads, NumPy, PIL).
        max_queue_size: How many batches may be prepared ahead. Defaults to
            `10`.

    Example:
    >>> class Squares(PyDataset):
    ...     def __len__(self):
    ...         return 2
    ...     def __getitem__(self, index):
    ...         return [index], [index ** 2]
    >>> list(Squares().iterate())
    [([0], [0]), ([1], [1])]
    """

    def __init__(
        self,
        workers: int = 1,
        use_multiprocessing: bool = False,
        max_queue_size: int = 10,
    ) -> None:
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    @property
    def workers(self) -> int:
        return getattr(self, "_workers", 1)

    @property
    def max_queue_size(self) -> int:
        return getattr(self, "_max_queue_size", 10)

    @property
    def use_multiprocessing(self) -> bool:
        return getattr(self, "_use_multiprocessing", False)

    @property
    def num_batches(self) -> int | None:
        return len(self)

    def __len__(self) -> int:
        raise NotImplementedError(
            f"{type(self).__name__} must define __len__, the number of batches."
        )

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__} must define __getitem__(index), returning "
            f"one batch."
        )

    def on_epoch_end(self) -> None:
        """Called after each epoch; override to reshuffle, say."""

    def iterate(self, order: list[int] | None = None) -> Iterator[Any]:
        """Yields the batches of one epoch, prefetched by `workers` threads."""
        order = list(range(len(self))) if order is None else order
        if self.workers <= 1:
            for index in order:
                yield self[index]
            return
        with ThreadPoolExecutor(self.workers) as pool:
            ahead = max(self.max_queue_size, self.workers)
            pending = [pool.submit(self.__getitem__, i) for i in order[:ahead]]
            for position in range(len(order)):
                batch = pending[position].result()
                following = position + ahead
                if following < len(order):
                    pending.append(pool.submit(self.__getitem__, order[following]))
                pending[position] = None
                yield batch


Sequence = PyDataset
