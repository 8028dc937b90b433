"""The probe end to end against a server nobody here wrote: json-server 0.17 from npm
(installed under tests/thirdparty by .ci/run), on 127.0.0.1 and a free port.

json-server stores whatever it is sent, so besides answering creates correctly (201, a
``Location`` that resolves, the body back) it accepts a post without its required title: the
probe must find exactly that, and ``--cleanup`` must leave the database as it was.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("httpx", reason="the probe extra is not installed")

from conftest import FIXTURES, REPO, RunCli
from probe_server import free_port

JSON_SERVER = REPO / "tests" / "thirdparty" / "node_modules" / ".bin" / "json-server"
SPEC = FIXTURES / "probe" / "json-server.yaml"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not JSON_SERVER.exists() or shutil.which("node") is None,
        reason="json-server is not installed: `npm ci --prefix tests/thirdparty` (.ci/run does it)",
    ),
]


@pytest.fixture
def json_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    db = tmp_path / "db.json"
    db.write_text('{"posts": [{"id": 1, "title": "already here"}]}', encoding="utf-8")
    port = free_port()
    process = subprocess.Popen(
        [str(JSON_SERVER), "--host", "127.0.0.1", "--port", str(port), "--quiet", str(db)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        import httpx

        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{url}/posts", timeout=1, trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(
                    f"json-server did not start: {process.stderr.read() if process.stderr else ''}"
                )
            time.sleep(0.1)
        yield url, db
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_json_server_end_to_end(json_server: tuple[str, Path], run_cli: RunCli) -> None:
    url, db = json_server
    code, out, err = run_cli(
        "probe", SPEC, "--base-url", url, "--format", "json", "--cleanup", "--propagation", "1"
    )
    report = json.loads(out)
    assert [f["rule"] for f in report["findings"]] == ["probe-invalid-input"], (err, out)
    finding = report["findings"][0]
    assert finding["line"] == 17 and finding["path"] == "/posts"
    assert "required property 'title' dropped" in finding["message"]
    assert finding["transcript"][0]["response"]["status"] == 201
    assert code == 1
    time.sleep(1.2)  # json-server writes its file a moment later
    posts = json.loads(db.read_text(encoding="utf-8"))["posts"]
    assert posts == [{"id": 1, "title": "already here"}], "--cleanup left posts behind"
