"""``oas-create-check probe`` against the reference API (tests/probe_server.py) under uvicorn on
127.0.0.1: the correct server gives no finding, each defect exactly its own; the options
(--plan, --data, --header, --cleanup, --app) do what they say; every reporter carries the
findings; bad input ends in a clear message and the right exit code, within the time bound.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("httpx", reason="the probe extra is not installed")
pytest.importorskip("uvicorn", reason="uvicorn (test extra) is not installed")
pytest.importorskip("starlette", reason="starlette (test extra) is not installed")

from conftest import FIXTURES, RunCli
from probe_server import DEFECTS, free_port, make_app, raw_server, serve

from oas_create_check.report import FORMATS

SPEC = FIXTURES / "probe" / "reference.yaml"
#: Short waits keep the defects that make the probe wait (a Location that 404s, a monitor that
#: never finishes) to about half a second each.
QUICK = ("--propagation", "0.6", "--async-wait", "0.6")
#: The spec line of each create (what every finding must point at).
LINES = {"/pets": 20, "/pets/{petId}/tags": 60, "/payments": 111, "/reports": 151}


@pytest.fixture(scope="module")
def reference() -> Iterator[tuple[str, Any]]:
    app = make_app()
    with serve(app) as url:
        yield url, app.state.probe


@pytest.fixture
def server(reference: tuple[str, Any]) -> tuple[str, Any]:
    """The reference API, emptied and correct again for each test."""
    url, state = reference
    state.reset()
    return url, state


def probe_json(run_cli: RunCli, url: str, *extra: str) -> tuple[int, dict[str, Any], str]:
    code, out, err = run_cli("probe", SPEC, "--base-url", url, "--format", "json", *QUICK, *extra)
    return code, json.loads(out), err


def test_the_correct_server_gives_no_finding(server: tuple[str, Any], run_cli: RunCli) -> None:
    url, state = server
    code, report, err = probe_json(run_cli, url)
    assert code == 0, err
    assert report["findings"] == []
    assert {o["path"] for o in report["operations"]} == set(LINES)
    assert report["probe"]["requests"] == state.requests > 20
    assert set(state.methods) <= {"POST", "GET"}


@pytest.mark.slow
@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_each_defect_gives_exactly_its_finding(
    defect: str, server: tuple[str, Any], run_cli: RunCli
) -> None:
    url, state = server
    state.reset(defect)
    # the lag needs a window well past its 300 ms, however loaded the machine
    wider = ("--propagation", "3") if defect == "lag" else ()
    code, report, err = probe_json(run_cli, url, *wider)
    rules = {f["rule"] for f in report["findings"]}
    assert rules == {DEFECTS[defect]}, (defect, report["findings"])
    for finding in report["findings"]:
        assert finding["file"] == str(SPEC.relative_to(Path.cwd())) or finding["file"].endswith(
            "reference.yaml"
        )
        assert finding["line"] == LINES[finding["path"]]
        assert finding["method"] == "post"
        assert finding["transcript"], finding
        first = finding["transcript"][0]
        assert first["request"]["url"].startswith(url)
    expected_code = 0 if DEFECTS[defect] == "probe-read-delay" else 1  # an info does not fail
    assert code == expected_code, err


def test_plan_prints_the_requests_and_sends_nothing(
    server: tuple[str, Any], run_cli: RunCli
) -> None:
    url, state = server
    code, out, _ = run_cli("probe", SPEC, "--base-url", url, "--plan")
    assert code == 0
    assert state.requests == 0
    assert f"POST {url}/pets\n" in out
    assert '"name": "Rex"' in out and "(example)" in out  # the spec's own example first
    assert f"POST {url}/pets/<createPet>/tags" in out  # the parent is created first
    assert "Idempotency-Key: <new key>" in out
    assert re.search(r"reference\.yaml:111:5: POST /payments \(createPayment\)", out)


def test_data_overrides_bodies_and_path_parameters(
    server: tuple[str, Any], run_cli: RunCli, tmp_path: Path
) -> None:
    url, state = server
    owner = "42"
    state.pets[owner] = {"id": owner, "name": "Existing"}
    data = tmp_path / "data.yaml"
    data.write_text(
        "createPet:\n  body: {name: From data, tag: cat}\n"
        "POST /pets/{petId}/tags:\n  path: {petId: '42'}\n  body: {label: given}\n",
        encoding="utf-8",
    )
    code, report, err = probe_json(run_cli, url, "--data", str(data))
    assert code == 0, (err, report["findings"])
    assert any(p["name"] == "From data" for p in state.pets.values())
    assert any(t["label"] == "given" for t in state.tags.values())
    tag_posts = [
        e for e in report["findings"] if e["path"] == "/pets/{petId}/tags"
    ]  # none: the tag went to pet 42
    assert tag_posts == []


def test_bad_data_file_is_a_clear_error(run_cli: RunCli, tmp_path: Path) -> None:
    data = tmp_path / "data.yaml"
    data.write_text("createPet: [1, 2]\n", encoding="utf-8")
    code, _, err = run_cli("probe", SPEC, "--base-url", "http://127.0.0.1:9", "--data", data)
    assert code == 2 and "createPet" in err and "Traceback" not in err


class _Auth:
    """Asks the reference server for a bearer token on every request."""

    def __init__(self, app: Any, token: str) -> None:
        self.app, self.token = app, token
        self.seen: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"authorization", b"").decode()
        self.seen.append(given)
        if scope["type"] == "http" and given != f"Bearer {self.token}":
            from starlette.responses import JSONResponse

            await JSONResponse({"title": "unauthorized"}, status_code=401)(scope, receive, send)
            return
        await self.app(scope, receive, send)


@pytest.mark.slow
def test_header_is_sent_and_redacted_everywhere(
    run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    secret = "s3cr3t-token-value"
    app = make_app()
    app.state.probe.reset("no-location")
    guarded = _Auth(app, secret)
    monkeypatch.setenv("PROBE_TOKEN", secret)
    header = "Authorization: Bearer ${PROBE_TOKEN}"
    with serve(guarded) as url:
        code, out, err = run_cli(
            "probe", SPEC, "--base-url", url, "--header", header, "--format", "json", *QUICK
        )
        plan_code, plan_out, _ = run_cli(
            "probe", SPEC, "--base-url", url, "--header", header, "--plan"
        )
        for fmt in FORMATS:
            _, text, text_err = run_cli(
                "probe", SPEC, "--base-url", url, "--header", header, "--format", fmt, *QUICK
            )
            assert secret not in text + text_err
    assert code == 1, err
    assert guarded.seen and set(guarded.seen) == {f"Bearer {secret}"}
    report = json.loads(out)
    assert {f["rule"] for f in report["findings"]} == {"probe-location"}
    assert secret not in out + err and secret not in plan_out
    sent = report["findings"][0]["transcript"][0]["request"]["headers"]
    assert sent["authorization"] == "***"
    assert plan_code == 0 and "authorization: ***" in plan_out.lower()


def test_unset_environment_variable_in_a_header_is_an_error(run_cli: RunCli) -> None:
    code, _, err = run_cli(
        "probe",
        SPEC,
        "--base-url",
        "http://127.0.0.1:9",
        "--header",
        "Authorization: Bearer ${NO_SUCH_VARIABLE_HERE}",
    )
    assert code == 2 and "NO_SUCH_VARIABLE_HERE" in err


def test_cleanup_deletes_only_what_the_probe_created(
    server: tuple[str, Any], run_cli: RunCli
) -> None:
    url, state = server
    state.pets["7"] = {"id": "7", "name": "Someone else's"}
    code, _report, err = probe_json(run_cli, url, "--cleanup")
    assert code == 0, err
    assert state.pets == {"7": {"id": "7", "name": "Someone else's"}}
    assert state.tags == {} and state.payments == {} and state.reports == {}
    assert "DELETE" in state.methods
    assert "--cleanup" not in err  # no DELETE failed


def test_without_cleanup_nothing_is_deleted(server: tuple[str, Any], run_cli: RunCli) -> None:
    url, state = server
    probe_json(run_cli, url)
    assert "DELETE" not in state.methods and state.pets


@pytest.mark.parametrize("defect", [None, "no-location"])
def test_app_probes_an_asgi_app_in_process(
    defect: str | None, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    import probe_server

    app = make_app()
    app.state.probe.reset(defect)
    monkeypatch.setattr(probe_server, "app", app, raising=False)
    code, out, err = run_cli("probe", SPEC, "--app", "probe_server:app", "--format", "json", *QUICK)
    report = json.loads(out)
    rules = {f["rule"] for f in report["findings"]}
    assert rules == (set() if defect is None else {"probe-location"}), err
    assert code == (0 if defect is None else 1)
    assert app.state.probe.requests > 20


WSGI_SPEC = """\
openapi: 3.0.3
info: {title: notes, version: "1"}
paths:
  /notes:
    post:
      operationId: createNote
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [text]
              properties: {text: {type: string}}
      responses:
        "201":
          description: Created
          headers: {Location: {schema: {type: string}}}
        "422": {description: Invalid}
  /notes/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "200": {description: One note}
"""


def notes_wsgi(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """A plain WSGI app: ``POST /notes`` creates, ``GET /notes/{id}`` reads."""
    store = notes_wsgi.__dict__.setdefault("store", {})
    path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
    if method == "POST" and path == "/notes":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length) or b"null")
        if not isinstance(body, dict) or not isinstance(body.get("text"), str):
            start_response("422 Unprocessable Content", [("Content-Type", "application/json")])
            return [b'{"title": "text is required"}']
        key = str(len(store) + 1)
        store[key] = {"id": key, **body}
        start_response("201 Created", [("Location", f"/notes/{key}")])
        return [b""]
    if method == "GET" and path.startswith("/notes/") and path[7:] in store:
        start_response("200 OK", [("Content-Type", "application/json")])
        return [json.dumps(store[path[7:]]).encode()]
    start_response("404 Not Found", [("Content-Type", "application/json")])
    return [b"{}"]


def test_app_probes_a_wsgi_app_in_process(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec = tmp_path / "notes.yaml"
    spec.write_text(WSGI_SPEC, encoding="utf-8")
    code, out, err = run_cli(
        "probe", spec, "--app", "test_probe:notes_wsgi", "--format", "json", *QUICK
    )
    assert code == 0, (err, out)
    assert json.loads(out)["findings"] == []
    assert len(notes_wsgi.store) == 1  # type: ignore[attr-defined]


def test_app_that_cannot_be_loaded_is_a_clear_error(run_cli: RunCli) -> None:
    code, _, err = run_cli("probe", SPEC, "--app", "no_such_module_here:app")
    assert code == 2 and "cannot import no_such_module_here" in err
    code, _, err = run_cli("probe", SPEC, "--app", "probe_server:no_such_attribute")
    assert code == 2 and "no attribute" in err


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_reporter_carries_probe_findings(
    fmt: str, server: tuple[str, Any], run_cli: RunCli
) -> None:
    url, state = server
    state.reset("no-location")
    code, out, _ = run_cli("probe", SPEC, "--base-url", url, "--format", fmt, *QUICK)
    assert code == 1
    assert "probe-location" in out
    assert "reference.yaml" in out.replace("\\.", ".")  # Markdown escapes the dot
    if fmt in ("json", "sarif", "gitlab"):
        document = json.loads(out)
        if fmt == "sarif":
            results = document["runs"][0]["results"]
            assert {r["ruleId"] for r in results} == {"probe-location"}
            region = results[0]["locations"][0]["physicalLocation"]["region"]
            assert region["startLine"] in LINES.values()
            rules = {r["id"] for r in document["runs"][0]["tool"]["driver"]["rules"]}
            assert "probe-location" in rules
        if fmt == "gitlab":
            assert {i["check_name"] for i in document} == {"probe-location"}
    if fmt == "junit":
        ET.fromstring(out)
    if fmt == "github":
        assert re.search(r"^::error file=.*reference\.yaml,line=20", out, re.MULTILINE)
    if fmt == "text":
        assert re.search(r"reference\.yaml:20:5: error \[probe-location\]", out)


def test_output_file_gets_the_format_and_the_terminal_text(
    server: tuple[str, Any], run_cli: RunCli, tmp_path: Path
) -> None:
    url, state = server
    state.reset("no-location")
    report = tmp_path / "out" / "probe.sarif"
    code, out, _ = run_cli(
        "probe", SPEC, "--base-url", url, "--format", "sarif", "--output", report, *QUICK
    )
    assert code == 1
    assert json.loads(report.read_text(encoding="utf-8"))["runs"]
    assert "[probe-location]" in out


def test_config_ignore_and_severity_apply(
    server: tuple[str, Any], run_cli: RunCli, tmp_path: Path
) -> None:
    url, state = server
    state.reset("no-location")
    config = tmp_path / ".oas-create-check.toml"
    config.write_text('severity = { probe-location = "info" }\n', encoding="utf-8")
    code, report, _ = probe_json(run_cli, url, "--config", str(config))
    assert code == 0 and {f["severity"] for f in report["findings"]} == {"info"}
    config.write_text('ignore = ["probe-location"]\n', encoding="utf-8")
    state.reset("no-location")
    code, report, _ = probe_json(run_cli, url, "--config", str(config))
    assert code == 0 and report["findings"] == []


def test_suppression_on_the_operation_applies(run_cli: RunCli, tmp_path: Path) -> None:
    app = make_app()
    app.state.probe.reset("no-location")
    spec = tmp_path / "reference.yaml"
    text = SPEC.read_text(encoding="utf-8").replace(
        "      operationId: createPet\n",
        "      operationId: createPet\n      x-oas-create-check: {ignore: [probe-location]}\n",
    )
    spec.write_text(text, encoding="utf-8")
    with serve(app) as url:
        _code, out, _ = run_cli("probe", spec, "--base-url", url, "--format", "json", *QUICK)
    paths = {f["path"] for f in json.loads(out)["findings"]}
    assert "/pets" not in paths and "/payments" in paths


# -- bad input -------------------------------------------------------------------------------
def test_an_unreachable_url_is_a_clear_error(run_cli: RunCli) -> None:
    started = time.monotonic()
    code, _out, err = run_cli("probe", SPEC, "--base-url", f"http://127.0.0.1:{free_port()}")
    assert code == 2
    assert "cannot reach http://127.0.0.1:" in err and "Traceback" not in err
    assert time.monotonic() - started < 5


def test_a_spec_with_no_creates_is_a_clear_error(run_cli: RunCli) -> None:
    code, _, err = run_cli(
        "probe", FIXTURES / "specs" / "petstore.yaml", "--base-url", "http://127.0.0.1:9", "--plan"
    )
    # petstore.yaml's POST /pets is a create; a spec with only an action has none:
    assert code == 0
    spec = FIXTURES / "probe" / "no-creates.yaml"
    code, _, err = run_cli("probe", spec, "--base-url", "http://127.0.0.1:9")
    assert code == 2 and "nothing to probe" in err


def test_a_body_that_cannot_be_generated_is_a_clear_error(
    run_cli: RunCli, server: tuple[str, Any], tmp_path: Path
) -> None:
    url, _state = server
    spec = tmp_path / "impossible.yaml"
    text = SPEC.read_text(encoding="utf-8").replace(
        "                amount: {type: integer, minimum: 1}",
        "                amount: {type: integer, minimum: 10, maximum: 5}",
    )
    spec.write_text(text, encoding="utf-8")
    code, out, err = run_cli("probe", spec, "--base-url", url, "--format", "json", *QUICK)
    assert code == 2
    assert "POST /payments: cannot build a valid request body" in err
    assert "--data" in err and "Traceback" not in err
    # the other creates were still probed
    assert {o["path"] for o in json.loads(out)["operations"]} == set(LINES) - {"/payments"}


def _hang(conn: socket.socket, stop: threading.Event) -> None:
    """Read the request, never answer."""
    with conn, contextlib.suppress(OSError):
        conn.recv(65536)
        stop.wait(10)


def _garbage(conn: socket.socket, stop: threading.Event) -> None:
    with conn, contextlib.suppress(OSError):
        conn.recv(65536)
        conn.sendall(b"\x00\x01\x02 this is not HTTP at all\r\n\r\n")


def _not_json(conn: socket.socket, stop: threading.Event) -> None:
    with conn, contextlib.suppress(OSError):  # the client may hang up first
        while conn.recv(65536):
            body = b"<html>created!</html>"
            conn.sendall(
                b"HTTP/1.1 201 Created\r\nLocation: /pets/1\r\nContent-Type: text/html\r\n"
                b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
            )


@pytest.mark.slow
def test_a_server_that_hangs_is_a_finding_within_the_time_bound(run_cli: RunCli) -> None:
    with raw_server(_hang) as url:
        started = time.monotonic()
        code, out, err = run_cli(
            "probe", SPEC, "--base-url", url, "--format", "json", "--timeout", "0.3", *QUICK
        )
        elapsed = time.monotonic() - started
    assert code == 1, err
    messages = [f["message"] for f in json.loads(out)["findings"]]
    assert messages and all("no answer within 0.3 s" in m for m in messages)
    assert elapsed < 5


@pytest.mark.slow
def test_the_time_limit_stops_the_run(run_cli: RunCli) -> None:
    with raw_server(_hang) as url:
        started = time.monotonic()
        code, _, err = run_cli(
            "probe", SPEC, "--base-url", url, "--timeout", "0.8", "--time-limit", "1", *QUICK
        )
        elapsed = time.monotonic() - started
    assert code == 2 and "--time-limit" in err
    assert elapsed < 4


def test_a_server_that_talks_garbage_is_a_finding(run_cli: RunCli) -> None:
    with raw_server(_garbage) as url:
        code, out, err = run_cli("probe", SPEC, "--base-url", url, "--format", "json", *QUICK)
    assert code == 1, err
    findings = json.loads(out)["findings"]
    assert findings and {f["rule"] for f in findings} == {"probe-create-status"}
    assert "Traceback" not in err


@pytest.mark.slow
def test_a_body_that_is_not_json_is_a_finding(run_cli: RunCli) -> None:
    with raw_server(_not_json) as url:
        code, out, _ = run_cli("probe", SPEC, "--base-url", url, "--format", "json", *QUICK)
    findings = json.loads(out)["findings"]
    assert code == 1
    assert any(f["rule"] == "probe-created-body" and "not JSON" in f["message"] for f in findings)


def test_max_requests_bounds_the_run(server: tuple[str, Any], run_cli: RunCli) -> None:
    url, state = server
    code, _, err = run_cli("probe", SPEC, "--base-url", url, "--max-requests", "5")
    assert code == 2 and "stopped after 5 requests" in err
    assert state.requests == 5


def test_a_base_url_that_is_not_http_is_refused(run_cli: RunCli) -> None:
    code, _, err = run_cli("probe", SPEC, "--base-url", "file:///etc/passwd")
    assert code == 2 and "http://" in err


async def crashing_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """An ASGI app that fails on every request."""
    raise RuntimeError("boom")


def test_an_app_that_crashes_is_a_finding_not_a_traceback(run_cli: RunCli) -> None:
    code, out, err = run_cli(
        "probe", SPEC, "--app", "test_probe:crashing_app", "--format", "json", *QUICK
    )
    assert code == 1 and "Traceback" not in err
    findings = json.loads(out)["findings"]
    assert findings and all("answered 500" in f["message"] for f in findings)


def test_the_lint_path_does_not_import_the_probe() -> None:
    import subprocess
    import sys

    script = (
        "import sys; from oas_create_check.cli import main; "
        f"main([{str(SPEC)!r}]); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('httpx', 'jsonschema_rs', 'anyio') or m.startswith('oas_create_check.probe')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout
