"""No reach beyond the spec: nothing fetched, nothing read outside the spec's root, nothing leaked.

A spec from a stranger's pull request is checked on a CI machine that holds secrets. So:

* remote ``$ref``s are never fetched, and no network connection is even attempted -- proved twice:
  in-process with Python's audit hooks (every ``open`` and socket call is recorded, and
  ``socket.connect`` raises), and in a child process whose only reachable "internet" (the refs and
  every proxy variable) is a local listening socket that must see no connection at all;
* a ``$ref`` that leaves the root directory, by ``..``, an absolute path, a ``file:`` URI,
  percent-encoding, a symlinked file or directory, or from a referenced file in between, is refused
  before the target is opened -- the audit log shows it never was;
* the target's content (a unique marker) appears in no output format, nor stderr, nor a report file,
  nor a fix, with or without ``--validate``.
"""

from __future__ import annotations

import os
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_subprocess import run_cli as run_isolated
from conftest import RunCli

from oas_create_check.report import FORMATS

MARKER = "SECRET-MARKER-c0ffee"

#: Where each hostile reference leads; ``{outside}`` is the secret folder's absolute path.
ESCAPES = [
    "../outside/secret.yaml#/ok",
    "../outside/secret.json#/ok",
    "../../../../../../../../{outside}/secret.yaml#/ok",
    "{outside}/secret.yaml#/ok",
    "file://{outside}/secret.yaml#/ok",
    "FILE:{outside}/secret.yaml#/ok",
    "..%2Foutside%2Fsecret.yaml#/ok",
    "%2e%2e/outside/secret.yaml#/ok",
    "link/secret.yaml#/ok",  # a symlinked directory inside the root
    "evil.yaml#/ok",  # a symlinked file inside the root
    "inner.yaml#/ok",  # inside the root, but it refers outside
    "sub/../../outside/secret.yaml#/ok",
]
REMOTE = [
    "http://127.0.0.1:{port}/secret.yaml#/ok",
    "https://127.0.0.1:{port}/secret.yaml#/ok",
    "//127.0.0.1:{port}/secret.yaml#/ok",
    "ftp://127.0.0.1:{port}/secret.yaml",
    "http://localhost:{port}/x.yaml",
    "https://example.invalid/api.yaml#/ok",
]


def _spec(refs: list[str]) -> str:
    responses = "".join(f'        "{400 + i}": {{$ref: "{ref}"}}\n' for i, ref in enumerate(refs))
    return (
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    post:\n"
        "      operationId: createPet\n      responses:\n"
        '        "200": {description: ok}\n'
        f"{responses}"
        "  /pets/{id}:\n    get: {responses: {'200': {description: ok}}}\n"
    )


@pytest.fixture
def layout(tmp_path: Path) -> Iterator[tuple[Path, Path, int]]:
    """``root/spec.yaml`` full of escaping and remote references; ``outside/`` holds the secrets.
    Yields (root, outside, port of a listening socket that no one may connect to)."""
    outside = tmp_path / "outside"
    root = tmp_path / "root"
    outside.mkdir()
    root.mkdir()
    (root / "sub").mkdir()
    secret = (
        f"ok:\n  description: {MARKER} description\n  headers:\n"
        f"    {MARKER}-header: {{schema: {{type: string}}}}\n"
        f"  content: {{application/json: {{schema: {{$ref: '#/{MARKER}'}}}}}}\n"
        f"{MARKER}: [unclosed {MARKER}\n"  # invalid YAML: a parse error would quote this line
    )
    (outside / "secret.yaml").write_text(secret, encoding="utf-8")
    (outside / "secret.json").write_text(f'{{"ok": {{"description": "{MARKER}"', encoding="utf-8")
    (root / "link").symlink_to(outside, target_is_directory=True)
    (root / "evil.yaml").symlink_to(outside / "secret.yaml")
    (root / "inner.yaml").write_text("ok: {$ref: '../outside/secret.yaml#/ok'}\n", "utf-8")
    with _Listener() as listener:
        refs = [
            r.format(outside=outside.as_posix().lstrip("/"), port=listener.port) for r in ESCAPES
        ]
        refs[3] = refs[3].replace(refs[3], "/" + refs[3])  # the absolute one
        refs += [r.format(port=listener.port) for r in REMOTE]
        (root / "spec.yaml").write_text(_spec(refs), encoding="utf-8")
        yield root, outside, listener.port
        assert listener.connections == 0, "something connected to the network"


class _Listener:
    """A local TCP socket standing in for the internet: it counts connection attempts."""

    def __init__(self) -> None:
        self.server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(16)
        self.server.settimeout(0.05)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def __enter__(self) -> _Listener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.server.close()


# ------------------------------------------------------------------------------------------
# In-process: an audit hook sees every file opened and every socket call
# ------------------------------------------------------------------------------------------

_RECORDING: list[tuple[str, tuple[Any, ...]]] | None = None
_HOOKED = False
_WATCHED = ("open", "socket.", "urllib.", "http.client.", "ftplib.", "smtplib.")
#: Events that reach for the network. Not ``socket.__new__``/``socket.bind``: importing urllib3
#: (a dependency of the validator's stack) binds a socket to ``::1`` to probe for IPv6.
_NETWORK = {
    "socket.connect",
    "socket.getaddrinfo",
    "socket.gethostbyname",
    "socket.gethostbyaddr",
    "socket.sendto",
    "socket.sendmsg",
    "http.client.connect",
    "ftplib.connect",
    "smtplib.connect",
}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _RECORDING is not None and event.startswith(_WATCHED):
        _RECORDING.append((event, args))


@pytest.fixture
def audit(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    """Record audited events for the duration of one test; ``socket.connect`` also raises, so a
    fetch attempt that swallows its own errors is still caught by the record."""
    global _RECORDING, _HOOKED
    if not _HOOKED:
        sys.addaudithook(_audit)  # hooks cannot be removed; this one idles outside the fixture
        _HOOKED = True

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    events: list[tuple[str, tuple[Any, ...]]] = []
    _RECORDING = events
    try:
        yield events
    finally:
        _RECORDING = None


def _network(events: list[tuple[str, tuple[Any, ...]]]) -> list[tuple[str, tuple[Any, ...]]]:
    """Network attempts; ``urllib.Request`` only for a URL that is not a local ``file:`` (the
    validator reads its own bundled meta-schemas that way)."""
    return [
        (event, args)
        for event, args in events
        if event in _NETWORK
        or (event == "urllib.Request" and not str(args[0]).lower().startswith("file:"))
    ]


def _opened_outside(events: list[tuple[str, tuple[Any, ...]]], outside: Path) -> list[str]:
    """Files opened (or only tried) whose real location is in ``outside``."""
    fence = os.path.realpath(outside) + os.sep
    opened = [args[0] for event, args in events if event == "open" and args]
    names = [os.fsdecode(p) for p in opened if isinstance(p, (str, bytes, os.PathLike))]
    return [name for name in names if os.path.realpath(name).startswith(fence)]


def _stats(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.mark.parametrize("fmt", FORMATS)
def test_escapes_and_remotes_are_refused_unopened_and_unfetched(
    layout: tuple[Path, Path, int],
    audit: list[tuple[str, tuple[Any, ...]]],
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    fmt: str,
) -> None:
    root, outside, _ = layout
    monkeypatch.chdir(root)
    code, out, err = run_cli("--format", fmt, "spec.yaml")
    assert code == 1, err
    assert MARKER not in out and MARKER not in err
    assert not _opened_outside(audit, outside)
    assert not _network(audit)
    if fmt == "text":
        refused = [line for line in out.splitlines() if "[unresolved-ref]" in line]
        assert len(refused) == len(ESCAPES) + len(REMOTE), out
        for line in refused:
            assert "refused" in line or "remote reference not followed" in line, line


def test_validate_and_fixes_reach_no_further(
    layout: tuple[Path, Path, int],
    audit: list[tuple[str, tuple[Any, ...]]],
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """openapi-spec-validator resolves references itself; it gets our sandboxed resolver. The
    fixer edits only files inside the root."""
    root, outside, _ = layout
    monkeypatch.chdir(root)
    before = _stats(outside)  # stat, not read: the audit log must stay free of these files
    outputs = [
        run_cli("--validate", "--format", "json", "--output", "report.json", "spec.yaml"),
        run_cli("--diff", "--unsafe-fixes", "spec.yaml"),
        run_cli("--fix", "--unsafe-fixes", "--validate", "spec.yaml"),
    ]
    for code, out, err in outputs:
        assert code in (0, 1), err
        assert MARKER not in out + err
    assert MARKER not in (root / "report.json").read_text(encoding="utf-8")
    assert _stats(outside) == before
    assert not _opened_outside(audit, outside)
    assert not _network(audit)


# ------------------------------------------------------------------------------------------
# A child process: the proxies and the refs all point at a socket that must stay silent
# ------------------------------------------------------------------------------------------


def test_no_connection_even_with_proxies_configured(layout: tuple[Path, Path, int]) -> None:
    root, _, port = layout
    proxy = f"http://127.0.0.1:{port}"
    env = {
        name: proxy
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")
    }
    env.update({"NO_PROXY": "", "no_proxy": ""})
    for args in (["--format", "sarif"], ["--validate"], ["--diff"]):
        done = run_isolated(*args, "spec.yaml", cwd=root, env=env)
        assert done.code == 1, done
        assert MARKER not in done.stdout + done.stderr
    # the layout fixture then asserts that the socket saw no connection


def test_ref_root_widens_the_sandbox_only_as_configured(
    layout: tuple[Path, Path, int], run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``ref-root`` is the user's own decision: with it set to the parent, ``../outside`` is inside
    and is read (and its broken YAML reported without quoting the offending line)."""
    root, _, _ = layout
    monkeypatch.chdir(root)
    (root / ".oas-create-check.toml").write_text('ref-root = ".."\n', encoding="utf-8")
    code, out, err = run_cli("spec.yaml")
    assert code == 1, err
    assert "secret.yaml:6: invalid YAML" in out
    assert MARKER not in out + err
