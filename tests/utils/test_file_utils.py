"""get_file: cache, atomic download, hashes, retries, offline errors, archives."""

import hashlib
import http.server
import io
import os
import tarfile
import threading
import zipfile

import pytest

from lamina.utils.file_utils import extract_archive
from lamina.utils.file_utils import get_file

PAYLOAD = b"lamina test payload\n" * 100


class _Handler(http.server.BaseHTTPRequestHandler):
    files: dict = {}
    drops: dict = {}
    hits: dict = {}

    def do_GET(self):  # noqa: N802 (http.server's name)
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.drops.get(self.path, 0) > 0:
            self.drops[self.path] -= 1
            self.wfile.write(body[: len(body) // 2])  # then hang up early
            return
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Handler.files, _Handler.drops, _Handler.hits = {}, {}, {}
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield _Handler, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch):
    monkeypatch.setattr("lamina.utils.file_utils._RETRY_DELAY_S", 0.0)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_get_file_downloads_once_into_lamina_home(server, tmp_path, monkeypatch):
    handler, url = server
    handler.files["/data.bin"] = PAYLOAD
    monkeypatch.setenv("LAMINA_HOME", str(tmp_path))
    path = get_file("data.bin", origin=f"{url}/data.bin", file_hash=_sha256(PAYLOAD))
    assert path == str(tmp_path / "datasets" / "data.bin")
    assert open(path, "rb").read() == PAYLOAD
    get_file("data.bin", origin=f"{url}/data.bin", file_hash=_sha256(PAYLOAD))
    assert handler.hits["/data.bin"] == 1
    assert os.listdir(tmp_path / "datasets") == ["data.bin"]


def test_get_file_derives_fname_and_accepts_md5(server, tmp_path):
    handler, url = server
    handler.files["/x.txt"] = PAYLOAD
    md5 = hashlib.md5(PAYLOAD).hexdigest()
    path = get_file(origin=f"{url}/x.txt", md5_hash=md5, cache_dir=tmp_path)
    assert os.path.basename(path) == "x.txt"


def test_get_file_force_download_and_stale_cache(server, tmp_path):
    handler, url = server
    handler.files["/d"] = PAYLOAD
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "d").write_bytes(b"stale")
    path = get_file(
        "d", origin=f"{url}/d", file_hash=_sha256(PAYLOAD), cache_dir=tmp_path
    )
    assert open(path, "rb").read() == PAYLOAD
    get_file("d", origin=f"{url}/d", cache_dir=tmp_path, force_download=True)
    assert handler.hits["/d"] == 2


def test_get_file_corrupted_download_is_removed(server, tmp_path):
    handler, url = server
    handler.files["/bad"] = b"not the expected bytes"
    with pytest.raises(ValueError, match="corrupted file"):
        get_file("bad", origin=f"{url}/bad", file_hash="0" * 64, cache_dir=tmp_path)
    assert os.listdir(tmp_path / "datasets") == []


def test_get_file_retries_dropped_connection(server, tmp_path):
    handler, url = server
    handler.files["/flaky"] = PAYLOAD
    handler.drops["/flaky"] = 2
    path = get_file("flaky", origin=f"{url}/flaky", cache_dir=tmp_path)
    assert open(path, "rb").read() == PAYLOAD
    assert handler.hits["/flaky"] == 3


def test_get_file_gives_up_after_repeated_drops(server, tmp_path):
    handler, url = server
    handler.files["/dead"] = PAYLOAD
    handler.drops["/dead"] = 10
    with pytest.raises(ConnectionError, match="connection dropped"):
        get_file("dead", origin=f"{url}/dead", cache_dir=tmp_path)
    assert os.listdir(tmp_path / "datasets") == []


def test_get_file_offline_error_says_where_to_place_file(tmp_path):
    with pytest.raises(ConnectionError, match="place it at .*datasets.*x.npz"):
        get_file("x.npz", origin="http://127.0.0.1:9/x.npz", cache_dir=tmp_path)


def test_get_file_404_is_not_retried(server, tmp_path):
    handler, url = server
    with pytest.raises(ConnectionError, match="HTTP 404"):
        get_file("missing", origin=f"{url}/missing", cache_dir=tmp_path)
    assert handler.hits["/missing"] == 1


def test_get_file_rejects_paths_as_fname(tmp_path):
    with pytest.raises(ValueError, match="bare file name"):
        get_file("a/b.txt", origin="http://127.0.0.1:9/b", cache_dir=tmp_path)
    with pytest.raises(ValueError, match="origin="):
        get_file("b.txt", cache_dir=tmp_path)


def _tar_bytes(members: dict) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def test_get_file_extracts_tar(server, tmp_path):
    handler, url = server
    handler.files["/pack.tar.gz"] = _tar_bytes({"pack/a.txt": b"A"})
    folder = get_file(
        "pack", origin=f"{url}/pack.tar.gz", extract=True, cache_dir=tmp_path
    )
    assert folder == str(tmp_path / "datasets" / "pack")
    assert open(os.path.join(folder, "pack", "a.txt")).read() == "A"
    with_ext = get_file(
        "pack.tar.gz", origin=f"{url}/pack.tar.gz", extract=True, cache_dir=tmp_path
    )
    assert with_ext.endswith("pack_extracted")


@pytest.mark.parametrize("member", ["../evil.txt", "/tmp/evil.txt", "a/../../evil"])
def test_extract_archive_refuses_unsafe_tar_members(tmp_path, member):
    archive = tmp_path / "bad.tar.gz"
    archive.write_bytes(_tar_bytes({member: b"x"}))
    with pytest.raises(ValueError, match="Refusing to extract"):
        extract_archive(archive, tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "evil.txt").exists()


def test_extract_archive_refuses_tar_symlink_escape(tmp_path):
    archive = tmp_path / "link.tar"
    with tarfile.open(archive, "w") as tar:
        info = tarfile.TarInfo("link")
        info.type = tarfile.SYMTYPE
        info.linkname = "../../etc/passwd"
        tar.addfile(info)
    with pytest.raises(ValueError, match="links outside"):
        extract_archive(archive, tmp_path / "out")


def test_extract_archive_refuses_unsafe_zip_members(tmp_path):
    archive = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("../evil.txt", "x")
    with pytest.raises(ValueError, match="contains '..'"):
        extract_archive(archive, tmp_path / "out")


def test_extract_archive_returns_false_for_non_archives(tmp_path):
    plain = tmp_path / "plain.txt"
    plain.write_text("hello")
    assert extract_archive(plain, tmp_path / "out") is False
    with pytest.raises(ValueError, match="archive_format"):
        extract_archive(plain, tmp_path / "out", archive_format="rar")
