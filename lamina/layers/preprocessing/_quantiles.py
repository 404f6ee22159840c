"""Streaming approximate quantiles for `Discretization.adapt`.

A summary is a `(2, n)` array: sorted sample values and the number of data
points each stands for. Batches are summarized, merged, and compressed back
to about `1 / epsilon` points by interpolating the cumulative weights. The
steps (and their float32/float64 precisions) are those of Keras 3, so the
learned boundaries are the same numbers.
"""

import numpy as np


def summarize(values: np.ndarray, epsilon: float) -> np.ndarray:
    """Every `step`-th sorted value, each weighted `step`, about `1/epsilon` of them."""
    ordered = np.sort(np.reshape(values, [-1]))
    step = max(ordered.size / (1.0 / epsilon), 1)
    picked = ordered[int(step - 1) :: int(step)]
    return np.stack([picked, np.ones_like(picked) * step])


def merge_summaries(
    first: np.ndarray, second: np.ndarray, epsilon: float
) -> np.ndarray:
    """Sorts two summaries together by value, then compresses the result."""
    merged = np.concatenate((first, second), axis=1)
    merged = np.take(merged, np.argsort(merged[0]), axis=1)
    return compress_summary(merged, epsilon)


def compress_summary(summary: np.ndarray, epsilon: float) -> np.ndarray:
    """Resamples the summary at cumulative-weight fractions epsilon, 2 epsilon, ..."""
    if summary.shape[1] * epsilon < 1:
        return summary
    fractions = epsilon + np.arange(0.0, 1.0, epsilon)
    cumulative = summary[1].cumsum()
    cumulative_fractions = cumulative / cumulative[-1]
    values = np.interp(fractions, cumulative_fractions, summary[0])
    cumulative = np.interp(fractions, cumulative_fractions, cumulative)
    weights = np.diff(cumulative, prepend=0.0)
    return np.stack((values, weights)).astype("float32")


def bin_boundaries_of(summary: np.ndarray, num_bins: int) -> np.ndarray:
    """The `num_bins - 1` inner edges that split the summary into equal bins."""
    return compress_summary(summary, 1.0 / num_bins)[0, :-1]
