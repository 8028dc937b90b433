#!/usr/bin/env python3
"""What a probe run costs: 50 create operations against a local reference server.

The spec has 50 collections shaped like the reference API's pets (``/things0`` ... ``/things49``:
a JSON body with an example, ``201`` + ``Location``, an optional ``Idempotency-Key``, a ``409``
for a duplicate name, ``422`` for invalid input, a list ``GET`` and an item ``GET``), so every
create runs the whole sequence: create, read back, replay, key reuse, duplicate, two invalid
bodies, and the list counts around them. The server is Starlette under uvicorn on 127.0.0.1.

Prints the total time, the requests sent, and requests per second, for ``--runs`` runs (each
on a fresh server state) and their median. Needs the ``test`` extra (starlette, uvicorn).

Usage: python3 benchmarks/bench_probe.py [--runs 5] [--creates 50]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO))


def spec_text(creates: int) -> str:
    paths: dict[str, Any] = {}
    for i in range(creates):
        paths[f"/things{i}"] = {
            "get": {
                "operationId": f"listThings{i}",
                "responses": {
                    "200": {
                        "description": "All",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "array",
                                    "items": {"$ref": "#/components/schemas/Thing"},
                                }
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": f"createThing{i}",
                "parameters": [
                    {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/NewThing"},
                            "example": {"name": f"thing {i}", "size": 3},
                        }
                    },
                },
                "responses": {
                    "201": {
                        "description": "Created",
                        "headers": {"Location": {"schema": {"type": "string"}}},
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        },
                    },
                    "409": {"description": "A thing of that name exists"},
                    "422": {"description": "Invalid"},
                },
            },
        }
        paths[f"/things{i}/{{id}}"] = {
            "get": {
                "operationId": f"getThing{i}",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                ],
                "responses": {
                    "200": {
                        "description": "One",
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                        },
                    }
                },
            }
        }
    new_thing = {
        "type": "object",
        "required": ["name", "size"],
        "properties": {"name": {"type": "string"}, "size": {"type": "integer"}},
    }
    thing = {
        "allOf": [
            {"$ref": "#/components/schemas/NewThing"},
            {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
        ]
    }
    document = {
        "openapi": "3.0.3",
        "info": {"title": "bench", "version": "1"},
        "paths": paths,
        "components": {"schemas": {"NewThing": new_thing, "Thing": thing}},
    }
    return json.dumps(document, indent=2)


def make_app() -> Any:
    """Collections that behave as the reference API's pets do, whatever their name."""
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    stores: dict[str, dict[str, Any]] = {}
    keys: dict[tuple[str, str], tuple[str, Response]] = {}
    counter = {"next": 1, "requests": 0}

    async def collection(request: Request) -> Response:
        counter["requests"] += 1
        name = request.path_params["name"]
        store = stores.setdefault(name, {})
        if request.method == "GET":
            return JSONResponse(list(store.values()))
        try:
            body = await request.json()
        except ValueError:
            body = None
        if not (
            isinstance(body, dict)
            and isinstance(body.get("name"), str)
            and isinstance(body.get("size"), int)
        ):
            return JSONResponse({"title": "invalid"}, status_code=422)
        key = request.headers.get("idempotency-key")
        fingerprint = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
        if key is not None and (name, key) in keys:
            stored = keys[(name, key)]
            if stored[0] != fingerprint:
                return JSONResponse({"title": "key reused"}, status_code=422)
            return stored[1]
        if any(t["name"] == body["name"] for t in store.values()):
            return JSONResponse({"title": "exists"}, status_code=409)
        ident = str(counter["next"])
        counter["next"] += 1
        store[ident] = {"id": ident, **body}
        response = JSONResponse(
            store[ident], status_code=201, headers={"Location": f"/{name}/{ident}"}
        )
        if key is not None:
            keys[(name, key)] = (fingerprint, response)
        return response

    async def item(request: Request) -> Response:
        counter["requests"] += 1
        found = stores.get(request.path_params["name"], {}).get(request.path_params["id"])
        if found is None:
            return JSONResponse({"title": "not found"}, status_code=404)
        return JSONResponse(found)

    app = Starlette(
        routes=[
            Route("/{name}", collection, methods=["GET", "POST"]),
            Route("/{name}/{id}", item, methods=["GET"]),
        ]
    )
    app.state.counter = counter
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--creates", type=int, default=50)
    args = parser.parse_args(argv)

    from probe_server import serve

    from oas_create_check.probe.checks import Waits
    from oas_create_check.probe.client import Limits
    from oas_create_check.probe.runner import ProbeOptions, run
    from oas_create_check.settings import Settings

    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "bench.json"
        spec.write_text(spec_text(args.creates), encoding="utf-8")
        times: list[float] = []
        sent: list[int] = []
        for _ in range(args.runs):
            app = make_app()
            with serve(app) as url:
                options = ProbeOptions(
                    spec=spec,
                    base_url=url,
                    limits=Limits(max_requests=100_000, time_limit=600),
                    waits=Waits(),
                )
                started = time.perf_counter()
                result = run(options, Settings())
                elapsed = time.perf_counter() - started
            assert not result.errors, result.errors
            assert not result.findings, [f.message for f in result.findings]
            assert len(result.operations) == args.creates
            assert result.requests == app.state.counter["requests"]
            times.append(elapsed)
            sent.append(result.requests)
            print(
                f"run: {args.creates} creates, {result.requests} requests, {elapsed:.2f} s "
                f"({result.requests / elapsed:.0f} requests/s)"
            )
    median = statistics.median(times)
    print(
        f"median of {args.runs}: {median:.2f} s for {args.creates} creates, "
        f"{statistics.median(sent):.0f} requests ({statistics.median(sent) / args.creates:.0f} per create), "
        f"{median / args.creates * 1000:.1f} ms per create"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
