"""``--app module:attr``: probe a Python web application in process, without a network.

A WSGI app (Flask, Django) goes through httpx's ``WSGITransport``. An ASGI app (Starlette,
FastAPI) goes through ``ASGITransport``, driven from the probe's synchronous client by an anyio
portal thread, under the same per-request timeout as the network.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path
from typing import Any

import httpx

from oas_create_check.model import ToolError


def load_app(spec: str) -> Any:
    """The object named by ``module:attr`` (the working directory importable, as for uvicorn)."""
    module_name, _, attr = spec.partition(":")
    if not module_name or not attr:
        raise ToolError(f"--app {spec!r}: expected module:attribute, e.g. myapi.main:app")
    cwd = str(Path.cwd())
    if cwd not in sys.path:
        sys.path.insert(0, cwd)
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # the app's own import may fail in any way
        raise ToolError(f"--app {spec!r}: cannot import {module_name}: {exc}") from None
    target: Any = module
    for part in attr.split("."):
        if not hasattr(target, part):
            raise ToolError(f"--app {spec!r}: {module_name} has no attribute {attr!r}")
        target = getattr(target, part)
    if not callable(target):
        raise ToolError(f"--app {spec!r}: {attr} is not an ASGI or WSGI application")
    return target


def is_asgi(app: Any) -> bool:
    call = app if inspect.isfunction(app) or inspect.ismethod(app) else type(app).__call__
    return inspect.iscoroutinefunction(call) or inspect.iscoroutinefunction(app)


def transport(app: Any, timeout: float) -> httpx.BaseTransport:
    if is_asgi(app):
        return PortalASGITransport(app, timeout)
    return httpx.WSGITransport(app=app, raise_app_exceptions=False)


class PortalASGITransport(httpx.BaseTransport):
    """A synchronous transport over ``httpx.ASGITransport``: each request runs on an event
    loop in a portal thread, and a request past ``timeout`` raises ``TimeoutError``."""

    def __init__(self, app: Any, timeout: float) -> None:
        from anyio.from_thread import start_blocking_portal

        self._inner = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        self._timeout = timeout
        self._portal_cm = start_blocking_portal()
        self._portal = self._portal_cm.__enter__()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        import anyio

        body = request.read()

        async def call() -> httpx.Response:
            copy = httpx.Request(request.method, request.url, headers=request.headers, content=body)
            with anyio.fail_after(self._timeout):
                response = await self._inner.handle_async_request(copy)
                content = await response.aread()
            return httpx.Response(
                response.status_code, headers=response.headers, content=content, request=request
            )

        return self._portal.call(call)

    def close(self) -> None:
        self._portal_cm.__exit__(None, None, None)
