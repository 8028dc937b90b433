"""The classifier against hand-labelled real operations, and its unit behaviour."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml
from conftest import CORPUS, REPO, needs_corpus

from oas_create_check.engine import load_spec
from oas_create_check.load.source import read_file
from oas_create_check.model import Kind
from oas_create_check.settings import Settings
from oas_create_check.spec.classify import classify, verb_kind, words
from oas_create_check.spec.operations import Operation

LABELS = REPO / "tests" / "data" / "labelled_operations.yaml"
CHECKED = {"create", "upsert"}


def _operations(spec: str) -> dict[tuple[str, str], Operation]:
    loaded = load_spec(read_file(CORPUS / spec), Settings())
    return {(op.path, op.method): op for op in loaded.operations}


@pytest.fixture(scope="module")
def verdicts() -> list[tuple[dict[str, object], Kind]]:
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    by_spec: dict[str, list[dict[str, object]]] = {}
    for entry in labels:
        by_spec.setdefault(str(entry["spec"]), []).append(entry)
    result = []
    for spec, entries in by_spec.items():
        ops = _operations(spec)
        for entry in entries:
            op = ops[(str(entry["path"]), str(entry["method"]))]
            result.append((entry, classify(op).kind))
    return result


@needs_corpus
def test_every_labelled_operation_exists_and_every_operation_is_labelled() -> None:
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    labelled = {(e["spec"], e["path"], e["method"]) for e in labels}
    for spec in {e["spec"] for e in labels}:
        for path, method in _operations(spec):
            assert (spec, path, method) in labelled, f"unlabelled: {spec} {method} {path}"


@needs_corpus
def test_checked_or_not_matches_the_labels(verdicts: list[tuple[dict[str, object], Kind]]) -> None:
    """What users feel: is an operation held to the creation rules or not. Measured on the
    non-ambiguous labels; the thresholds are the measured values with a little slack."""
    counts: Counter[tuple[bool, bool]] = Counter()
    for entry, kind in verdicts:
        if entry.get("ambiguous"):
            continue
        counts[(entry["kind"] in CHECKED, kind.value in CHECKED)] += 1
    tp, fp, fn = counts[(True, True)], counts[(False, True)], counts[(True, False)]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert tp + fp + fn + counts[(False, False)] > 450
    assert precision >= 0.96, f"precision {precision:.3f} (false positives: {fp})"
    assert recall >= 0.93, f"recall {recall:.3f} (missed creations: {fn})"


TRAPS = [
    # (spec, path, method): real operations a naive classifier calls "create"
    ("box-openapi.json", "/files/{file_id}", "post"),  # restore from trash, declares 201
    ("box-openapi.json", "/folders/{folder_id}", "post"),
    ("openai-openapi.yaml", "/evals/{eval_id}/runs/{run_id}", "post"),  # cancelEvalRun
    ("openai-openapi.yaml", "/embeddings", "post"),  # createEmbedding computes
    ("openai-openapi.yaml", "/moderations", "post"),
    ("openai-openapi.yaml", "/images/generations", "post"),
    ("openai-openapi.yaml", "/realtime/client_secrets", "post"),
    ("digitalocean/DigitalOcean-public.v2.yaml", "/v2/firewalls/{firewall_id}/tags", "post"),
    ("digitalocean/DigitalOcean-public.v2.yaml", "/v2/load_balancers/{lb_id}/droplets", "post"),
]


@needs_corpus
@pytest.mark.parametrize(("spec", "path", "method"), TRAPS)
def test_known_false_positive_traps_are_not_creations(spec: str, path: str, method: str) -> None:
    verdict = classify(_operations(spec)[(path, method)])
    assert verdict.kind.value not in CHECKED, verdict.reason


def test_words_split_every_naming_style() -> None:
    assert words("createOrUpdateThing") == ["create", "or", "update", "thing"]
    assert words("droplets_create") == ["droplets", "create"]
    assert words("post-createPermit") == ["post", "create", "permit"]
    assert words("HTTPServerCreate") == ["http", "server", "create"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("createPet", Kind.CREATE),
        ("Creates a chat completion", Kind.CREATE),
        ("Set up a webhook", Kind.CREATE),
        ("createOrUpdateBucket", Kind.UPSERT),
        ("Create or replace a bucket", Kind.UPSERT),
        ("searchOrders", Kind.ACTION),
        ("Cancels the run", Kind.ACTION),
        ("updateUser", Kind.UPDATE),
        ("droplets_create", Kind.CREATE),
    ],
)
def test_verbs(text: str, kind: Kind) -> None:
    found = verb_kind(text)
    assert found is not None and found[0] is kind


def _classify_text(tmp_path: Path, text: str, path: str, method: str = "post") -> str:
    spec_file = tmp_path / "openapi.yaml"
    spec_file.write_text(text, encoding="utf-8")
    loaded = load_spec(read_file(spec_file), Settings())
    op = next(o for o in loaded.operations if o.path == path and o.method == method)
    return classify(op).kind.value


SMALL = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /pets:
    get: {responses: {"200": {description: ok}}}
    post: {responses: {"200": {description: ok}}}
  /pets/{id}:
    post: {responses: {"200": {description: ok}}}
    put: {responses: {"200": {description: ok}}}
  /pets/{id}/cancel:
    post: {responses: {"201": {description: ok}}}
  /search:
    post: {responses: {"200": {description: ok}}}
  /things:batchGet:
    post: {responses: {"200": {description: ok}}}
  /verify:
    post: {responses: {"201": {description: ok}}}
  /buckets/{name}:
    put: {responses: {"201": {description: ok}}}
  /embeddings:
    post: {operationId: createEmbedding, responses: {"200": {description: ok}}}
  /overridden:
    post:
      x-oas-create-check: {kind: create}
      responses: {"200": {description: ok}}
"""


@pytest.mark.parametrize(
    ("path", "method", "kind"),
    [
        ("/pets", "post", "create"),
        ("/pets/{id}", "post", "update"),
        ("/pets/{id}", "put", "update"),
        ("/pets/{id}/cancel", "post", "create"),  # the spec's own 201 wins over a verb segment...
        ("/search", "post", "action"),
        ("/things:batchGet", "post", "action"),
        ("/verify", "post", "action"),  # ...except for segments that never create
        ("/buckets/{name}", "put", "upsert"),
        ("/embeddings", "post", "action"),  # "create" but nothing addressable results
        ("/overridden", "post", "create"),
    ],
)
def test_signals(tmp_path: Path, path: str, method: str, kind: str) -> None:
    assert _classify_text(tmp_path, SMALL, path, method) == kind
