"""Switch for interactive logging: messages to stdout, or to Python logging."""

import logging

_STATE = {"interactive_logging": True}


def enable_interactive_logging() -> None:
    """Sends lamina's messages (progress bars, `summary()`) to stdout.

    This is the default.

    Example:
    >>> enable_interactive_logging()
    >>> is_interactive_logging_enabled()
    True
    """
    _STATE["interactive_logging"] = True


def disable_interactive_logging() -> None:
    """Sends lamina's messages to the `"lamina"` logger instead of stdout.

    Useful in batch jobs whose output goes to log files.

    Example:
    >>> disable_interactive_logging()
    >>> is_interactive_logging_enabled()
    False
    >>> enable_interactive_logging()
    """
    _STATE["interactive_logging"] = False


def is_interactive_logging_enabled() -> bool:
    """Whether messages go to stdout (`True`) or to Python logging (`False`).

    Example:
    >>> is_interactive_logging_enabled()
    True
    """
    return _STATE["interactive_logging"]


def log_message(message: str) -> None:
    """Writes `message` to the `"lamina"` logger at INFO level.

    `print_msg` calls this instead of writing to stdout while interactive
    logging is disabled.

    Example:
    >>> log_message("Epoch 1/2")
    """
    logging.getLogger("lamina").info(message)
