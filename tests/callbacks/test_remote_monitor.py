"""`RemoteMonitor` against a local HTTP server that the tests start."""

import http.server
import json
import socket
import threading
import urllib.parse

import numpy as np
import pytest

import lamina
from lamina.callbacks.remote_monitor import RemoteMonitor


class _Recorder(http.server.BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 (the http.server hook name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.requests.append((self.path, dict(self.headers), body))
        status = self.server.status
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass  # keep test output clean


@pytest.fixture
def server():
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.requests = []
    httpd.status = 200
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def _root(server):
    return f"http://127.0.0.1:{server.server_address[1]}"


def test_remote_monitor_posts_form_field(server):
    monitor = RemoteMonitor(root=_root(server))
    monitor.on_epoch_end(2, {"loss": 0.5, "val_loss": 0.25})
    ((path, headers, body),) = server.requests
    assert path == "/publish/epoch/end/"
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    form = urllib.parse.parse_qs(body.decode("ascii"))
    assert json.loads(form["data"][0]) == {"epoch": 2, "loss": 0.5, "val_loss": 0.25}


def test_remote_monitor_posts_json_with_numpy_values(server):
    monitor = RemoteMonitor(
        root=_root(server),
        path="/events",
        headers={"X-Run": "seven"},
        send_as_json=True,
    )
    monitor.on_epoch_end(0, {"loss": np.float32(1.5), "count": np.arange(1)})
    ((path, headers, body),) = server.requests
    assert path == "/events"
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Run"] == "seven"
    assert json.loads(body) == {"epoch": 0, "loss": 1.5, "count": 0}


def test_remote_monitor_custom_field(server):
    RemoteMonitor(root=_root(server), field="payload").on_epoch_end(1, {"loss": 1.0})
    form = urllib.parse.parse_qs(server.requests[0][2].decode("ascii"))
    assert json.loads(form["payload"][0]) == {"epoch": 1, "loss": 1.0}


def test_remote_monitor_during_fit(server):
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    history = model.fit(
        np.ones((8, 2)),
        np.ones((8, 1)),
        epochs=3,
        verbose=0,
        callbacks=[RemoteMonitor(root=_root(server), send_as_json=True)],
    )
    sent = [json.loads(body) for _, _, body in server.requests]
    assert [s["epoch"] for s in sent] == [0, 1, 2]
    assert [s["loss"] for s in sent] == history.history["loss"]


def test_remote_monitor_warns_when_server_is_down():
    with socket.socket() as probe:  # a port with nothing listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monitor = RemoteMonitor(root=f"http://127.0.0.1:{port}")
    with pytest.warns(UserWarning, match="Could not reach RemoteMonitor root server"):
        monitor.on_epoch_end(0, {"loss": 0.0})


def test_remote_monitor_warns_on_error_status(server):
    server.status = 404
    monitor = RemoteMonitor(root=_root(server))
    with pytest.warns(UserWarning, match="answered the epoch 0 logs with HTTP 404"):
        monitor.on_epoch_end(0, {"loss": 0.0})


def test_remote_monitor_rejects_url_without_scheme():
    with pytest.raises(ValueError, match="root='localhost:9000'"):
        RemoteMonitor(root="localhost:9000")


def test_remote_monitor_rejects_non_dict_headers():
    with pytest.raises(TypeError, match="headers="):
        RemoteMonitor(headers=[("X-Run", "1")])
