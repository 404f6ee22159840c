"""The per-thread state of the layer calls in progress: `training` and losses."""

import threading


class CallContext(threading.local):
    """Per-thread state of the layer calls in progress.

    `training` is the flag of the outermost call that set one, so nested
    layers inherit it. `depth` counts nested calls; each outermost call
    starts a new `generation`, and a layer's `add_loss` losses belong to the
    generation of its last call (so no recursive clearing walk is needed per
    call). `generation_losses` counts `add_loss` calls in the current
    generation.
    """

    training: bool | None = None
    depth = 0
    generation = 0
    generation_losses = 0


CALL_CONTEXT = CallContext()


def current_training() -> bool | None:
    """The `training` flag of the outermost layer call in progress, if any.

    Example:
    >>> current_training() is None
    True
    """
    return CALL_CONTEXT.training


def losses_added_in_last_call() -> int:
    """How many `add_loss` calls the last outermost layer call made."""
    return CALL_CONTEXT.generation_losses
