"""The reference API of fixtures/probe/reference.yaml, with switchable defects, one per probe
check. ``make_app()`` is correct; ``state.defect = NAME`` breaks exactly one promise.

``serve(app)`` runs it under uvicorn on 127.0.0.1 and a free port, in a thread, and stops it;
the tests' fixtures and the benchmark use it. Nothing here listens on any other address.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

#: Every defect, and the one probe rule it must trigger.
DEFECTS = {
    "status-200": "probe-create-status",
    "no-location": "probe-location",
    "location-404": "probe-read-after-create",
    "lag": "probe-read-delay",
    "bad-body": "probe-created-body",
    "pending": "probe-created-pending",
    "no-monitor": "probe-accepted-monitor",
    "monitor-never-finishes": "probe-accepted-completion",
    "replay-duplicates": "probe-idempotent-replay",
    "key-reuse-accepted": "probe-idempotency-key-reuse",
    "key-not-required": "probe-idempotency-keyless",
    "duplicate-accepted": "probe-duplicate-answer",
    "invalid-accepted": "probe-invalid-input",
}
#: How long a new resource stays unreadable under the ``lag`` defect.
LAG_SECONDS = 0.3


@dataclass
class State:
    defect: str | None = None
    pets: dict[str, dict[str, Any]] = field(default_factory=dict)
    tags: dict[str, dict[str, Any]] = field(default_factory=dict)
    payments: dict[str, dict[str, Any]] = field(default_factory=dict)
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    keys: dict[tuple[str, str], tuple[str, Response]] = field(default_factory=dict)
    born: dict[str, float] = field(default_factory=dict)
    next_id: int = 1
    requests: int = 0
    methods: list[str] = field(default_factory=list)

    def reset(self, defect: str | None = None) -> None:
        fresh = State(defect=defect)
        self.__dict__.update(fresh.__dict__)

    def new_id(self) -> str:
        value = str(self.next_id)
        self.next_id += 1
        return value


def _problem(status: int, title: str) -> Response:
    return JSONResponse({"title": title}, status_code=status, media_type="application/problem+json")


def _fingerprint(body: Any) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()


async def _json(request: Request) -> Any:
    try:
        return await request.json()
    except ValueError:
        return None


def make_app() -> Starlette:
    state = State()

    def created(
        kind: str, store: dict[str, dict[str, Any]], path: str, item: dict[str, Any]
    ) -> Response:
        store[item["id"]] = item
        state.born[f"{kind}:{item['id']}"] = time.monotonic()
        headers = {} if state.defect == "no-location" else {"Location": path}
        if state.defect == "location-404":
            headers["Location"] = path.rsplit("/", 1)[0] + "/no-such-thing"
        body = dict(item)
        if state.defect == "bad-body":
            body.pop("id")
        if state.defect == "pending":
            body["status"] = "pending"
        status = 200 if state.defect == "status-200" else 201
        return JSONResponse(body, status_code=status, headers=headers)

    def readable(kind: str, key: str) -> bool:
        born = state.born.get(f"{kind}:{key}")
        return not (
            state.defect == "lag" and born is not None and time.monotonic() - born < LAG_SECONDS
        )

    async def idempotent(request: Request, scope: str, body: Any, make: Any) -> Response:
        """Answer a create under an Idempotency-Key as the draft says."""
        key = request.headers.get("idempotency-key")
        if key is None:
            return await make()
        fingerprint = _fingerprint(body)
        stored = state.keys.get((scope, key))
        if stored is not None:
            if stored[0] != fingerprint and state.defect != "key-reuse-accepted":
                return _problem(422, "Idempotency-Key reused with another payload")
            if stored[0] == fingerprint and state.defect != "replay-duplicates":
                return stored[1]
            return await make(skip_duplicate_check=True)
        response = await make()
        if response.status_code < 300:
            state.keys[(scope, key)] = (fingerprint, response)
        return response

    async def pets(request: Request) -> Response:
        state.requests += 1
        state.methods.append(request.method)
        if request.method == "GET":
            return JSONResponse([p for k, p in state.pets.items() if readable("pet", k)])
        body = await _json(request)
        name = body.get("name") if isinstance(body, dict) else None
        valid = isinstance(name, str) and name and isinstance(body.get("tag", ""), str)
        if not valid and state.defect != "invalid-accepted":
            return _problem(422, "name is required and must be a string")

        async def make(skip_duplicate_check: bool = False) -> Response:
            taken = any(p["name"] == name for p in state.pets.values())
            if taken and not skip_duplicate_check and state.defect != "duplicate-accepted":
                return _problem(409, f"a pet named {name!r} exists")
            pet = {"id": state.new_id(), **(body if isinstance(body, dict) else {})}
            return created("pet", state.pets, f"/pets/{pet['id']}", pet)

        return await idempotent(request, "pets", body, make)

    async def pet(request: Request) -> Response:
        state.requests += 1
        state.methods.append(request.method)
        key = request.path_params["petId"]
        if key not in state.pets or not readable("pet", key):
            return _problem(404, "no such pet")
        if request.method == "DELETE":
            del state.pets[key]
            return Response(status_code=204)
        return JSONResponse(state.pets[key])

    async def tags(request: Request) -> Response:
        state.requests += 1
        state.methods.append(request.method)
        owner = request.path_params["petId"]
        if owner not in state.pets:
            return _problem(404, "no such pet")
        body = await _json(request)
        label = body.get("label") if isinstance(body, dict) else None
        if not (isinstance(label, str) and len(label) >= 3) and state.defect != "invalid-accepted":
            return _problem(422, "label is required")
        tag = {"id": state.new_id(), "label": label}
        return created("tag", state.tags, f"/pets/{owner}/tags/{tag['id']}", tag)

    async def tag(request: Request) -> Response:
        state.requests += 1
        state.methods.append(request.method)
        key = request.path_params["tagId"]
        if key not in state.tags or not readable("tag", key):
            return _problem(404, "no such tag")
        if request.method == "DELETE":
            del state.tags[key]
            return Response(status_code=204)
        return JSONResponse(state.tags[key])

    async def payments(request: Request) -> Response:
        state.requests += 1
        state.methods.append(request.method)
        if request.method == "GET":
            return JSONResponse(
                {"items": [p for k, p in state.payments.items() if readable("payment", k)]}
            )
        if "idempotency-key" not in request.headers and state.defect != "key-not-required":
            return _problem(400, "Idempotency-Key is required")
        body = await _json(request)
        ok = (
            isinstance(body, dict)
            and isinstance(body.get("amount"), int)
            and body["amount"] >= 1
            and body.get("currency") in ("EUR", "USD")
        )
        if not ok and state.defect != "invalid-accepted":
            return _problem(422, "amount and currency are required")

        async def make(skip_duplicate_check: bool = False) -> Response:
            payment = {"id": state.new_id(), **(body if isinstance(body, dict) else {})}
            return created("payment", state.payments, f"/payments/{payment['id']}", payment)

        return await idempotent(request, "payments", body, make)

    async def payment(request: Request) -> Response:
        state.requests += 1
        state.methods.append(request.method)
        key = request.path_params["paymentId"]
        if key not in state.payments or not readable("payment", key):
            return _problem(404, "no such payment")
        if request.method == "DELETE":
            del state.payments[key]
            return Response(status_code=204)
        return JSONResponse(state.payments[key])

    async def reports(request: Request) -> Response:
        state.requests += 1
        state.methods.append(request.method)
        body = await _json(request)
        title = body.get("title") if isinstance(body, dict) else None
        if not isinstance(title, str) and state.defect != "invalid-accepted":
            return _problem(422, "title is required")
        job = {"id": state.new_id(), "status": "running", "title": title, "polls": 0}
        state.jobs[job["id"]] = job
        if state.defect == "no-monitor":
            return Response(status_code=202)
        return JSONResponse(
            {"id": job["id"], "status": "running"},
            status_code=202,
            headers={"Location": f"/reports/jobs/{job['id']}"},
        )

    async def report_job(request: Request) -> Response:
        state.requests += 1
        state.methods.append(request.method)
        job = state.jobs.get(request.path_params["jobId"])
        if job is None:
            return _problem(404, "no such job")
        job["polls"] += 1
        if job["polls"] < 3 or state.defect == "monitor-never-finishes":
            return JSONResponse({"id": job["id"], "status": "running"})
        if "report" not in job:
            report = {"id": state.new_id(), "title": job["title"]}
            state.reports[report["id"]] = report
            job["report"] = report["id"]
        return Response(status_code=303, headers={"Location": f"/reports/{job['report']}"})

    async def report(request: Request) -> Response:
        state.requests += 1
        state.methods.append(request.method)
        key = request.path_params["reportId"]
        if key not in state.reports:
            return _problem(404, "no such report")
        if request.method == "DELETE":
            del state.reports[key]
            return Response(status_code=204)
        return JSONResponse(state.reports[key])

    app = Starlette(
        routes=[
            Route("/pets", pets, methods=["GET", "POST"]),
            Route("/pets/{petId}", pet, methods=["GET", "DELETE"]),
            Route("/pets/{petId}/tags", tags, methods=["POST"]),
            Route("/pets/{petId}/tags/{tagId}", tag, methods=["GET", "DELETE"]),
            Route("/payments", payments, methods=["GET", "POST"]),
            Route("/payments/{paymentId}", payment, methods=["GET", "DELETE"]),
            Route("/reports", reports, methods=["POST"]),
            Route("/reports/jobs/{jobId}", report_job, methods=["GET"]),
            Route("/reports/{reportId}", report, methods=["GET", "DELETE"]),
        ]
    )
    app.state.probe = state
    return app


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serve(app: Any, port: int | None = None) -> Iterator[str]:
    """Run ``app`` under uvicorn on 127.0.0.1 in a thread; yields its base URL."""
    import uvicorn

    port = port or free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the reference server did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextlib.contextmanager
def raw_server(handler: Any) -> Iterator[str]:
    """A bare TCP server on 127.0.0.1 whose ``handler(conn)`` answers each connection: for
    servers that hang or talk garbage, which no framework would write."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.settimeout(0.2)
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            threading.Thread(target=handler, args=(conn, stop), daemon=True).start()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        sock.close()


__all__ = ["DEFECTS", "free_port", "make_app", "raw_server", "serve"]
