"""Batches drawn from generators, `PyDataset`s and torch data loaders."""

import itertools
from collections.abc import Iterator
from typing import Any

import torch

from lamina.utils.py_dataset import PyDataset


class IteratorDataAdapter:
    """Serves batches from a source that already yields whole batches.

    Sources: a Python generator or iterator, a `PyDataset`/`Sequence`, a
    `torch.utils.data.DataLoader`, or a `torch.utils.data.Dataset` (wrapped
    in a DataLoader with `batch_size`). Each batch is `x`, `(x,)`, `(x, y)`
    or `(x, y, sample_weight)`.

    Args:
        source: The data source.
        batch_size: Batch size for a plain torch `Dataset`.
        steps: Batches per epoch; `None` runs until the source is exhausted.
        shuffle: Shuffle order (PyDataset and torch Dataset only).
    """

    def __init__(
        self, source: Any, batch_size: int | None, steps: int | None, shuffle: Any
    ) -> None:
        if isinstance(source, torch.utils.data.Dataset) and not isinstance(
            source, torch.utils.data.IterableDataset
        ):
            source = torch.utils.data.DataLoader(
                source, batch_size=batch_size or 32, shuffle=bool(shuffle)
            )
        elif isinstance(source, torch.utils.data.IterableDataset):
            source = torch.utils.data.DataLoader(source, batch_size=batch_size or 32)
        self.source = source
        self.steps = steps
        self.shuffle = shuffle
        self._iterator: Iterator[Any] | None = None

    # Batches come as the source made them; the trainer unpacks them.
    yields_device_batches = False

    @property
    def num_batches(self) -> int | None:
        if self.steps is not None:
            return self.steps
        try:
            return len(self.source)
        except TypeError:
            return None

    def batches(self) -> Iterator[Any]:
        """Yields one epoch of batches (`steps` of them when given)."""
        if isinstance(self.source, PyDataset):
            yield from self._dataset_batches()
            return
        if not isinstance(self.source, Iterator):
            iterator = iter(self.source)
        else:  # a generator: continue where the last epoch stopped
            if self._iterator is None:
                self._iterator = iter(self.source)
            iterator = self._iterator
        yield from itertools.islice(iterator, self.steps)

    def _dataset_batches(self) -> Iterator[Any]:
        order = list(range(len(self.source)))
        if self.shuffle:
            order = [order[i] for i in torch.randperm(len(order)).tolist()]
        if self.steps is not None:
            order = list(itertools.islice(itertools.cycle(order), self.steps))
        yield from self.source.iterate(order)
        self.source.on_epoch_end()
