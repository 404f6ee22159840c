"""`Discretization`: buckets continuous values into integer bin indices."""

from typing import Any

import numpy as np
import torch

from lamina import backend
from lamina.layers.layer import Layer
from lamina.layers.preprocessing._adapt_data import is_single_batch
from lamina.layers.preprocessing._adapt_data import iterate_batches
from lamina.layers.preprocessing._encoding import OUTPUT_MODES
from lamina.layers.preprocessing._encoding import encode_categorical
from lamina.layers.preprocessing._quantiles import bin_boundaries_of
from lamina.layers.preprocessing._quantiles import merge_summaries
from lamina.layers.preprocessing._quantiles import summarize


class Discretization(Layer):
    """Maps each value to the index of the bin it falls in.

    With boundaries `[b0, b1, ...]`, bin 0 is `x < b0`, bin 1 is
    `b0 <= x < b1`, and so on up to bin `len(boundaries)` (as
    `numpy.digitize`). Boundaries are given, or learned with `adapt()` as
    approximate quantiles that split the data into `num_bins` bins of equal
    population.

    Args:
        bin_boundaries: Sorted list of floats, the bin edges. Set this or
            `num_bins`, not both. Defaults to `None`.
        num_bins: Integer, the number of bins `adapt()` learns. Defaults to
            `None`.
        epsilon: Error tolerance of the learned quantiles, a float in
            `(0, 1)`; smaller is more exact and uses more memory. Defaults to
            `0.01`.
        output_mode: `"int"` (the bin index), `"one_hot"`, `"multi_hot"` or
            `"count"` (vectors of length `num_bins`, as `CategoryEncoding`).
            Defaults to `"int"`.
        sparse: Must be `False`: torch has no sparse output here.

    Input shape:
        Any, e.g. `(batch, features)`.

    Output shape:
        Same as the input for `"int"`; for the vector modes see
        `CategoryEncoding`.

    Example:
    >>> layer = Discretization(bin_boundaries=[0.0, 1.0])
    >>> layer(torch.tensor([[-0.5, 0.0, 0.5, 2.0]])).tolist()
    [[0, 1, 1, 2]]
    """

    def __init__(
        self,
        bin_boundaries: list[float] | None = None,
        num_bins: int | None = None,
        epsilon: float = 0.01,
        output_mode: str = "int",
        sparse: bool = False,
        dtype: Any = None,
        name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(dtype=dtype, name=name, **kwargs)
        self._check_arguments(bin_boundaries, num_bins, epsilon, output_mode, sparse)
        self.bin_boundaries = bin_boundaries
        self.num_bins = num_bins
        self.epsilon = epsilon
        self.output_mode = output_mode
        self.sparse = sparse
        self.autocast = False  # integers become floats in `call`
        self._summary = np.zeros((2, 0), dtype="float32")

    @property
    def bin_boundaries(self) -> list[float] | None:
        """The bin edges, given or learned by `adapt()`; `None` before that."""
        return self._bin_boundaries

    @bin_boundaries.setter
    def bin_boundaries(self, value: Any) -> None:
        self._bin_boundaries = None if value is None else [float(b) for b in value]
        previous = self._buffers.get("_boundaries")
        device = backend.get_device() if previous is None else previous.device
        edges = torch.tensor(self._bin_boundaries or [], dtype=torch.float32)
        self.register_buffer("_boundaries", edges.to(device), persistent=False)

    def _check_arguments(
        self,
        bin_boundaries: Any,
        num_bins: Any,
        epsilon: Any,
        output_mode: str,
        sparse: bool,
    ) -> None:
        prefix = f"Layer '{self.name}' (Discretization)"
        if output_mode not in OUTPUT_MODES:
            raise ValueError(
                f"{prefix} received output_mode={output_mode!r}. Expected one "
                f"of {', '.join(OUTPUT_MODES)}."
            )
        if sparse:
            raise ValueError(
                f"{prefix} received sparse=True, but lamina returns dense torch "
                f"tensors only. Pass sparse=False."
            )
        if num_bins is not None and bin_boundaries is not None:
            raise ValueError(
                f"{prefix} received both num_bins={num_bins} and "
                f"bin_boundaries={bin_boundaries}. Pass bin_boundaries to fix "
                f"the bins, or num_bins to learn them with adapt()."
            )
        if num_bins is None and bin_boundaries is None:
            raise ValueError(
                f"{prefix} needs bin_boundaries=[...] or num_bins=N (then call "
                f"adapt(data)); it received neither."
            )
        if num_bins is not None and (not isinstance(num_bins, int) or num_bins < 0):
            raise ValueError(
                f"{prefix} expected num_bins to be a non-negative integer, but "
                f"received num_bins={num_bins!r}."
            )
        if not isinstance(epsilon, (int, float)) or not 0 < epsilon < 1:
            raise ValueError(
                f"{prefix} expected epsilon to be a float in (0, 1), but "
                f"received epsilon={epsilon!r}."
            )

    def call(self, inputs: torch.Tensor) -> torch.Tensor:
        if self.bin_boundaries is None:
            raise ValueError(
                f"Layer '{self.name}' (Discretization) has no bin boundaries "
                f"yet. Pass bin_boundaries=[...] when creating it, or call "
                f"adapt(data) before using it."
            )
        values = inputs.to(torch.float32)
        # `right=True` puts a value equal to an edge in the upper bin, as
        # `numpy.digitize` does.
        indices = torch.bucketize(values, self._boundaries, right=True)
        if self.output_mode == "int":
            return indices.to(torch.int32)
        depth = len(self.bin_boundaries) + 1
        return encode_categorical(indices, self.output_mode, depth, self._dtype)

    def adapt(self, data: Any, steps: int | None = None) -> None:
        """Learns `num_bins` quantile boundaries from `data`.

        Args:
            data: A NumPy array or tensor, or an iterable of batches (a list
                of arrays, a generator, a `DataLoader`).
            steps: Number of batches to read from an iterable. Defaults to
                all of them.
        """
        if self.num_bins is None:
            raise ValueError(
                f"Layer '{self.name}' (Discretization) was created with "
                f"bin_boundaries=, so it cannot adapt. Create it with "
                f"num_bins=N instead."
            )
        self.reset_state()
        if is_single_batch(data, sequences_are_batches=False):
            self.update_state(data)
        else:
            for batch in iterate_batches(data, steps, "Discretization"):
                self.update_state(batch)
        self.finalize_state()

    def update_state(self, data: Any) -> None:
        """Adds one batch to the running quantile summary."""
        if isinstance(data, torch.Tensor):
            data = data.detach().cpu().numpy()
        values = np.asarray(data).astype("float32")
        self._summary = merge_summaries(
            summarize(values, self.epsilon), self._summary, self.epsilon
        )

    def finalize_state(self) -> None:
        """Turns the summary into `bin_boundaries`."""
        if self.num_bins is None:
            return
        self.bin_boundaries = bin_boundaries_of(self._summary, self.num_bins).tolist()

    def reset_state(self) -> None:
        """Forgets the data seen by `update_state`."""
        self._summary = np.zeros((2, 0), dtype="float32")

    @property
    def output_dtype(self) -> str:
        return backend.dtype_name(self._dtype) if self.output_mode != "int" else "int32"

    def get_config(self) -> dict[str, Any]:
        return {
            "bin_boundaries": self.bin_boundaries,
            "num_bins": self.num_bins,
            "epsilon": self.epsilon,
            "output_mode": self.output_mode,
            "sparse": self.sparse,
            "name": self.name,
            "dtype": backend.dtype_name(self._dtype),  # a plain name, as Keras
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Discretization":
        """Rebuilds the layer; an adapted one has both boundaries and `num_bins`."""
        config = dict(config)
        boundaries = config.get("bin_boundaries")
        if boundaries is not None and config.get("num_bins") is not None:
            del config["bin_boundaries"]
            layer = cls(**config)
            layer.bin_boundaries = boundaries
            return layer
        return cls(**config)
