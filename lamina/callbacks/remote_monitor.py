"""`RemoteMonitor`: POSTs each epoch's logs to an HTTP server."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
import warnings
from typing import Any

import numpy as np
import torch

from lamina.callbacks.callback import Callback
from lamina.callbacks.callback import Logs

# Keras (through `requests`) waits for ever; a dead server should not stall
# training that long.
_TIMEOUT_SECONDS = 30.0


def _plain(value: Any) -> Any:
    """NumPy and torch scalars (and one-element arrays) as Python numbers."""
    if isinstance(value, (np.ndarray, np.generic, torch.Tensor)):
        return value.item()
    return value


class RemoteMonitor(Callback):
    """Sends the logs of every epoch to a server as an HTTP POST.

    The payload is the epoch (from 0) and the logs, JSON-encoded: as a form
    field `field=<json>` (`application/x-www-form-urlencoded`), or, with
    `send_as_json=True`, as the request body (`application/json`). A server
    that cannot be reached, or that answers with an error status, gets a
    warning; training goes on. Uses only the standard library (Keras needs
    `requests`).

    Args:
        root: Root URL of the server. Defaults to `"http://localhost:9000"`.
        path: Path, relative to `root`, of the events. Defaults to
            `"/publish/epoch/end/"`.
        field: Name of the form field that holds the JSON, when
            `send_as_json=False`. Defaults to `"data"`.
        headers: Dict of extra HTTP headers. Defaults to `None`.
        send_as_json: Whether to send the JSON as the body. Defaults to
            `False`.

    Example:
    >>> monitor = RemoteMonitor("http://127.0.0.1:9", send_as_json=True)
    >>> monitor.root + monitor.path
    'http://127.0.0.1:9/publish/epoch/end/'
    """

    def __init__(
        self,
        root: str = "http://localhost:9000",
        path: str = "/publish/epoch/end/",
        field: str = "data",
        headers: dict[str, str] | None = None,
        send_as_json: bool = False,
    ):
        super().__init__()
        if not isinstance(root, str) or not root.startswith(("http://", "https://")):
            raise ValueError(
                f"RemoteMonitor received root={root!r}, but it must be an "
                f"http:// or https:// URL, e.g. root='http://localhost:9000'."
            )
        if headers is not None and not isinstance(headers, dict):
            raise TypeError(
                f"RemoteMonitor received headers={headers!r}, but it must be a "
                f"dict of header name to value, or None."
            )
        self.root = root
        self.path = path
        self.field = field
        self.headers = headers
        self.send_as_json = send_as_json

    def on_epoch_end(self, epoch: int, logs: Logs | None = None) -> None:
        send = {"epoch": epoch}
        send.update((key, _plain(value)) for key, value in (logs or {}).items())
        url = self.root + self.path
        if self.send_as_json:
            body = json.dumps(send).encode("utf-8")
            content_type = "application/json"
        else:
            form = {self.field: json.dumps(send)}
            body = urllib.parse.urlencode(form).encode("ascii")
            content_type = "application/x-www-form-urlencoded"
        headers = {"Content-Type": content_type, **(self.headers or {})}
        request = urllib.request.Request(url, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT_SECONDS):
                pass
        except urllib.error.HTTPError as err:
            warnings.warn(
                f"RemoteMonitor's server at {url} answered the epoch {epoch} "
                f"logs with HTTP {err.code} ({err.reason}). Check root= and "
                f"path=, and that the server accepts POST requests.",
                stacklevel=2,
            )
        except (urllib.error.URLError, OSError) as err:
            warnings.warn(
                f"Could not reach RemoteMonitor root server at {self.root} "
                f"({err}); the epoch {epoch} logs were not sent. Start the "
                f"server or fix root=.",
                stacklevel=2,
            )
