"""Helpers of the image preprocessing layer tests."""

import contextlib
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import numpy as np
import torch

from lamina.layers.call_context import CALL_CONTEXT
from lamina.testing import check_layer


def random_images(*shape: int, seed: int = 0) -> torch.Tensor:
    """Float32 pixels uniform in [0, 1)."""
    return torch.as_tensor(np.random.default_rng(seed).random(shape, dtype="float32"))


@contextlib.contextmanager
def calls_with_training(flag: bool) -> Iterator[None]:
    """Layer calls that do not pass `training` see `flag`, as inside `fit`
    (True) or `predict` (False)."""
    previous = CALL_CONTEXT.training
    CALL_CONTEXT.training = flag
    try:
        yield
    finally:
        CALL_CONTEXT.training = previous


def check_image_layer(
    make_layer: Callable[[], Any],
    data: Any,
    expected_shape: tuple[int, ...] | None = None,
    training: bool = False,
    check_compile: bool = True,
) -> None:
    """`check_layer` with every call made in training or inference mode.

    The layers have no weights, so the gradient step has nothing to check.
    A random layer's training output changes call to call, so its checks run
    in inference, or in training with factors that fix the draw.
    """
    with calls_with_training(training):
        check_layer(
            make_layer,
            data,
            expected_shape,
            expected_num_weights=0,
            check_training=False,
            check_compile=check_compile,
        )
