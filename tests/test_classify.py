"""The classifier against hand-labelled real operations, and its unit behaviour."""

from __future__ import annotations

import os
from pathlib import Path

import judgement
import pytest
import yaml
from conftest import CORPUS, REPO, needs_corpus
from judgement import DIRECTORY

from oas_create_check.engine import load_spec
from oas_create_check.load.source import read_file
from oas_create_check.model import Classification, Kind
from oas_create_check.settings import Settings
from oas_create_check.spec.classify import WEIGHTS, classify
from oas_create_check.spec.operations import Operation
from oas_create_check.spec.resource import Resource
from oas_create_check.spec.words import (
    ACTION_VERBS,
    ALL_VERBS,
    PUT_STATE_VERBS,
    adds_to,
    segment_is_verb,
    segment_words,
    singular,
    verb_kind,
    words,
)

LABELS = REPO / "tests" / "data" / "labelled_operations.yaml"
needs_directory = pytest.mark.skipif(
    not DIRECTORY.is_dir(),
    reason="the API directory bundle is not fetched: run benchmarks/fetch_directory.sh",
)
CHECKED = {"create", "upsert"}


def _operations(spec: str) -> dict[tuple[str, str], Operation]:
    loaded = load_spec(read_file(CORPUS / spec), Settings())
    return {(op.path, op.method): op for op in loaded.operations}


@needs_corpus
def test_every_labelled_operation_exists_and_every_operation_is_labelled() -> None:
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    labelled = {(e["spec"], e["path"], e["method"]) for e in labels}
    for spec in {e["spec"] for e in labels}:
        for path, method in _operations(spec):
            assert (spec, path, method) in labelled, f"unlabelled: {spec} {method} {path}"


#: (set, precision, recall): the figures measured when the classifier last changed, with a
#: little slack so that a small, deliberate change does not need a new number. Each blind set
#: was measured once untouched before it was tuned on; those figures are in docs/judgement.md.
FLOORS = [
    ("old", 0.98, 0.95),
    ("dev", 0.94, 0.89),
    ("heldout", 0.90, 0.85),
    pytest.param("blind2", 0.96, 0.93, marks=needs_directory),
    # measured once untouched at 0.892 / 0.830 (docs/judgement.md); this floor guards the
    # later figure, which is not a held-out one
    pytest.param("blind3", 0.90, 0.87, marks=needs_directory),
    # measured once untouched at 0.961 / 0.961 (0.953 / 0.941 with the classifier of the day it
    # was drawn): the held-out figures of docs/judgement.md
    pytest.param("blind4", 0.95, 0.95, marks=needs_directory),
]


@pytest.mark.slow
@needs_corpus
@pytest.mark.parametrize(("name", "precision", "recall"), FLOORS)
def test_creation_precision_and_recall(name: str, precision: float, recall: float) -> None:
    """What users feel: is an operation held to the creation rules or not. ``old`` is the set
    the classifier was tuned on; ``dev`` and ``heldout`` were labelled blind (heldout: never
    looked at while tuning). ``python tests/judgement.py NAME -v`` lists the disagreements."""
    scores = judgement.score(judgement.cases_of(name))
    assert scores.precision >= precision, f"{name}: {scores}"
    assert scores.recall >= recall, f"{name}: {scores}"


@pytest.mark.slow
@needs_directory
def test_blind4_weighed_back_to_the_population() -> None:
    """blind4 was drawn half from what the tool called a creation; weighed back to the share
    of that stratum in the specs drawn from, it still holds (0.961 / 0.929 when measured)."""
    precision, recall = judgement.weighted("blind4", judgement.cases_of("blind4"))
    assert precision >= 0.95 and recall >= 0.92, (precision, recall)


@pytest.mark.slow
@needs_directory
@pytest.mark.parametrize(("name", "size"), [("blind3", 280), ("blind4", 300)])
def test_every_card_has_two_labels_and_an_operation(name: str, size: int) -> None:
    """blind3, blind4: one card per spec, every card labelled by two sessions before any
    verdict."""
    labels = yaml.safe_load((REPO / f"tests/data/{name}/labels.yaml").read_text("utf-8"))
    cases = list(judgement.blind_cases(name))
    assert len(cases) == len(labels) == size == len({c.spec for c in cases})
    assert all(e["labeller_a"] and e["labeller_b"] for e in labels)


@pytest.mark.slow
@needs_corpus
def test_every_blind_card_has_a_label_and_an_operation() -> None:
    manifest = yaml.safe_load((REPO / "tests/data/blind/manifest.yaml").read_text("utf-8"))
    cases = [*judgement.blind_cases("dev"), *judgement.blind_cases("heldout")]
    assert len(cases) == len(manifest) == 480
    assert len({c.spec for c in cases}) >= 100


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
        ("people.batchCreateContacts", Kind.CREATE),  # "batch" says how many, not what
        ("bulkInsertRows", Kind.CREATE),
        ("batchGetThings", Kind.ACTION),
        ("runBatch", Kind.ACTION),
        ("ThingVulnerabilityAssessmentsCreateOrUpdate", Kind.UPSERT),
        ("Writes records into the store with upsert semantics", None),  # a detail, not the verb
    ],
)
def test_verbs(text: str, kind: Kind | None) -> None:
    found = verb_kind(text)
    assert (found[0] if found else None) is kind


def _verdict(tmp_path: Path, text: str, path: str, method: str = "post") -> Classification:
    spec_file = tmp_path / "openapi.yaml"
    spec_file.write_text(text, encoding="utf-8")
    loaded = load_spec(read_file(spec_file), Settings())
    op = next(o for o in loaded.operations if o.path == path and o.method == method)
    return classify(op)


def _classify_text(tmp_path: Path, text: str, path: str, method: str = "post") -> str:
    return _verdict(tmp_path, text, path, method).kind.value


def _fired(tmp_path: Path, text: str, path: str, method: str = "post") -> set[str]:
    """The names of the signals that fire."""
    return {s.name for s in _verdict(tmp_path, text, path, method).signals}


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
  /things/create:
    post: {responses: {"200": {description: ok}}}
  /things/{thing_id}:
    get: {responses: {"200": {description: ok}}}
  /widgets/new:
    post: {responses: {"200": {description: ok}}}
  /route:
    get:
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {type: object, properties: {eta: {type: integer}}}}}
    post: {responses: {"200": {description: ok}}}
  /cache/invalidate:
    post: {operationId: invalidateCache, responses: {"201": {description: ok}}}
  /deleteThings:
    post: {responses: {"202": {description: ok}}}
  /groups/{id}:
    put: {operationId: Groups_Put, responses: {"200": {description: ok}}}
  /sync_jobs:
    post: {operationId: ThingSyncJob_Create, responses: {"201": {description: ok}}}
  /apis/v1/namespaces/{ns}/deployments/{name}/status:
    put:
      operationId: replaceNamespacedDeploymentStatus
      responses: {"200": {description: ok}, "201": {description: ok}}
  /files/{file_id}/copy:
    post:
      operationId: copyFile
      responses:
        "201":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/File"}}}
  /files/{file_id}:
    get:
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/File"}}}
  /groups/{id}/instanceGroupManagers/{manager}/createInstances:
    post: {responses: {"200": {description: ok}}}
  /servers/{server}/auditingPolicies/{policyName}:
    put:
      operationId: ServerAuditingPolicies_CreateOrUpdate
      parameters:
        - {name: policyName, in: path, required: true, schema: {type: string, enum: [default]}}
      responses: {"200": {description: ok}, "201": {description: ok}}
  /servers/{server}/firewallRules/{ruleName}:
    put:
      operationId: FirewallRules_CreateOrUpdate
      responses: {"200": {description: ok}, "201": {description: ok}}
    delete: {responses: {"200": {description: ok}}}
  /v1/{parent}/contacts:batchCreate:
    post: {responses: {"200": {description: ok}}}
  /thing-groups/{thingGroupName}:
    post: {operationId: CreateThingGroup, responses: {"200": {description: ok}}}
  /v1/{parent}/subscriptions:
    post: {operationId: x.subscriptions.create, responses: {"200": {description: ok}}}
  /v1/{name}:
    get: {responses: {"200": {description: ok}}}
  /components/{name}/pricingPlans/current:
    put: {operationId: PricingPlan_CreateOrUpdate, responses: {"200": {description: ok}}}
  /service/{name}/notifications/{notificationName}:
    put:
      operationId: Notification_CreateOrUpdate
      parameters:
        - {name: notificationName, in: path, required: true, schema: {type: string, enum: [A, B, C, D, E]}}
      responses: {"200": {description: ok}}
  /budgets/{id}/transactions/import:
    post: {responses: {"201": {description: ok}}}
  /labs/{lab}/register:
    post: {operationId: Labs_Register, responses: {"200": {description: ok}}}
  /recognitions:
    post:
      responses:
        "202":
          description: started
          headers: {Operation-Location: {schema: {type: string}}}
  /cards/{id}/attachments:
    post: {operationId: addAttachment, responses: {"200": {description: ok}}}
  /cards/{id}/attachments/{attachment}:
    get: {responses: {"200": {description: ok}}}
  /customers/{id}/addresses:
    post: {responses: {"200": {description: ok}}}
  /customers/{id}/addresses/{address_id}:
    get: {responses: {"200": {description: ok}}}
  /matchingworkflows:
    post: {operationId: CreateMatchingWorkflow, responses: {"200": {description: ok}}}
  /matchingworkflows/{name}:
    get: {responses: {"200": {description: ok}}}
  /queryjobs:
    post: {operationId: createQueryJob, responses: {"200": {description: ok}}}
  /queryjobs/{id}:
    get: {responses: {"200": {description: ok}}}
  /rest/api/3/filter:
    post: {operationId: createFilter, responses: {"200": {description: ok}}}
  /rest/api/3/filter/{id}:
    get: {responses: {"200": {description: ok}}}
  /messages/{id}/modify:
    post:
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/File"}}}
  /messages/{id}:
    get:
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/File"}}}
  /reports/{id}/resolve:
    post: {responses: {"200": {description: ok}}}
  /messages/{id}/revert:
    post:
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/File"}}}
  /projects/{id}/status_updates:
    post: {operationId: createStatusUpdate, responses: {"200": {description: ok}}}
  /vrp/optimize:
    post:
      responses:
        "200":
          description: a job id
          links:
            solution: {operationId: getSolution, parameters: {jobId: $response.body#/job_id}}
  /vrp/solution/{jobId}:
    get: {operationId: getSolution, responses: {"200": {description: ok}}}
  /tickets:
    post: {operationId: logIn, responses: {"200": {description: ok}}}
  /tickets/{tgt}:
    get: {responses: {"200": {description: ok}}}
  /user/starred/{owner}/{repo}:
    put: {responses: {"204": {description: ok}}}
    delete: {responses: {"204": {description: ok}}}
  /user/votes/shows/{show_id}:
    put: {summary: Vote for a show, responses: {"200": {description: ok}}}
    delete: {responses: {"204": {description: ok}}}
  /v1/{parent}/products/{name}:
    put:
      operationId: manufacturers.accounts.products.update
      summary: Inserts or updates the attributes of the product
      responses: {"200": {description: ok}}
  /job:
    get:
      responses:
        "200":
          description: ok
          content: {application/json: {schema: {$ref: "#/components/schemas/File"}}}
    post: {summary: Queues a job, responses: {"200": {description: ok}}}
  /podcasts/submit:
    post: {responses: {"200": {description: ok}}}
  /disputes/{id}/submit:
    post: {responses: {"200": {description: ok}}}
  /file_requests/{id}/copy:
    post: {summary: Copy file request, responses: {"200": {description: ok}}}
  /notes/{id}:
    put: {responses: {"200": {description: ok}}}
    delete: {responses: {"204": {description: ok}}}
  /notes:
    post: {responses: {"200": {description: ok}}}
  /v1beta2/{name}:
    put: {operationId: pubsub.projects.topics.create, responses: {"200": {description: ok}}}
  /files/{file_id}/watermark:
    put:
      summary: Apply watermark to file
      responses: {"200": {description: ok}, "201": {description: ok}}
components:
  schemas:
    File: {type: object, properties: {id: {type: string}}}
"""


@pytest.mark.parametrize(
    ("path", "method", "kind"),
    [
        ("/pets", "post", "create"),
        ("/pets/{id}", "post", "update"),
        ("/pets/{id}", "put", "update"),
        ("/pets/{id}/cancel", "post", "action"),  # a 201 is weighed against the verb segment
        ("/search", "post", "action"),
        ("/things:batchGet", "post", "action"),
        ("/verify", "post", "action"),
        ("/buckets/{name}", "put", "upsert"),
        ("/embeddings", "post", "action"),  # "create" but nothing addressable results
        ("/overridden", "post", "create"),
        ("/things/create", "post", "create"),  # an RPC-style create after a collection noun
        ("/widgets/new", "post", "create"),
        ("/route", "post", "action"),  # a GET on the same path that is no list
        ("/cache/invalidate", "post", "action"),  # 201 misused on an invalidation
        ("/deleteThings", "post", "action"),  # 202 on an RPC command
        ("/groups/{id}", "put", "update"),  # "Put" names the method, not a creation
        ("/sync_jobs", "post", "create"),  # ThingSyncJob_Create: the verb after "_"
        ("/apis/v1/namespaces/{ns}/deployments/{name}/status", "put", "update"),
        ("/files/{file_id}/copy", "post", "create"),  # returns a type an item path returns
        ("/groups/{id}/instanceGroupManagers/{manager}/createInstances", "post", "create"),
        ("/servers/{server}/auditingPolicies/{policyName}", "put", "update"),  # a singleton
        ("/servers/{server}/firewallRules/{ruleName}", "put", "upsert"),
        ("/v1/{parent}/contacts:batchCreate", "post", "create"),
        ("/thing-groups/{thingGroupName}", "post", "create"),  # the words outweigh the URI
        ("/v1/{parent}/subscriptions", "post", "create"),  # read back by name at /v1/{name}
        ("/cards/{id}/attachments", "post", "create"),
        ("/recognitions", "post", "create"),  # a job started, its status monitor named
        ("/labs/{lab}/register", "post", "action"),  # registers to the lab, makes none
        ("/budgets/{id}/transactions/import", "post", "create"),  # as /transactions/create
        ("/components/{name}/pricingPlans/current", "put", "update"),  # the one in force
        ("/files/{file_id}/watermark", "put", "upsert"),  # "apply" names the state put; a 201
        ("/queryjobs", "post", "create"),  # createQueryJob: the segment is what it makes
        ("/rest/api/3/filter", "post", "create"),  # createFilter: a noun, not "filter"
        ("/messages/{id}/modify", "post", "action"),  # an update verb as the segment
        ("/reports/{id}/resolve", "post", "action"),
        ("/messages/{id}/revert", "post", "action"),  # returns the item, but reverts it
        ("/projects/{id}/status_updates", "post", "create"),  # read through its parent
        ("/vrp/optimize", "post", "create"),  # its response links to the GET that reads it
        ("/tickets", "post", "action"),  # logIn: "log in" is one verb, a login
        ("/user/starred/{owner}/{repo}", "put", "upsert"),  # deleted, never POSTed
        ("/user/votes/shows/{show_id}", "put", "upsert"),  # the vote is what the PUT puts
        ("/v1/{parent}/products/{name}", "put", "upsert"),  # the summary is exact
        ("/job", "post", "create"),  # "Queues a job" makes one
        ("/podcasts/submit", "post", "create"),  # after a collection: a new member
        ("/disputes/{id}/submit", "post", "action"),  # after an item: acts on it
        ("/file_requests/{id}/copy", "post", "create"),  # a copy is a new one, wherever
        ("/notes/{id}", "put", "update"),  # POST /notes makes notes; PUT replaces one
        ("/v1beta2/{name}", "put", "upsert"),  # says create; no DELETE weighs less
        ("/customers/{id}/addresses", "post", "create"),  # a noun, not "add" + "resses"
        ("/matchingworkflows", "post", "create"),  # not "match" + "ingworkflows"
        (
            "/service/{name}/notifications/{notificationName}",
            "put",
            "update",
        ),  # fixed names  # a noun, not "attach" + "ments"
    ],
)
def test_signals(tmp_path: Path, path: str, method: str, kind: str) -> None:
    assert _classify_text(tmp_path, SMALL, path, method) == kind


AWS_QUERY = """swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /#Action=CopyDBParameterGroup:
    post: {operationId: POST_CopyDBParameterGroup, responses: {"200": {description: ok}}}
  /#Action=DescribeDBInstances:
    post: {operationId: POST_DescribeDBInstances, responses: {"200": {description: ok}}}
  /#Action=RebootDBInstance:
    post: {operationId: POST_RebootDBInstance, responses: {"200": {description: ok}}}
  /#Action=DeleteDatasetImportJob:
    post: {operationId: DeleteDatasetImportJob, responses: {"200": {description: ok}}}
"""


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/#Action=CopyDBParameterGroup", "create"),  # no item paths in an RPC API: no penalty
        ("/#Action=DescribeDBInstances", "action"),
        ("/#Action=RebootDBInstance", "action"),
        ("/#Action=DeleteDatasetImportJob", "action"),  # "Delete" is the verb, not "import"
    ],
)
def test_an_rpc_api_is_judged_by_its_operation_names(tmp_path: Path, path: str, kind: str) -> None:
    assert _classify_text(tmp_path, AWS_QUERY, path) == kind


SPRINGFOX = """swagger: "2.0"
info: {title: t, version: "1"}
paths:
  /lookup/genes:
    post: {operationId: getGeneMappingUsingPOST, responses: {"201": {description: ok}}}
  /lookup/genes/{id}:
    get: {responses: {"200": {description: ok}}}
  /a:
    post: {responses: {"201": {description: ok}}}
  /b:
    post: {responses: {"201": {description: ok}}}
  /c:
    post: {responses: {"201": {description: ok}}}
  /d:
    post: {responses: {"201": {description: ok}}}
  /s1/topic:
    get:
      responses:
        "200": {description: ok, schema: {type: object, properties: {topic: {type: string}}}}
    post: {responses: {"201": {description: ok}}}
"""


def test_a_reading_verb_outweighs_a_generators_201_and_an_item_path(tmp_path: Path) -> None:
    assert _classify_text(tmp_path, SPRINGFOX, "/lookup/genes") == "action"


def test_a_generators_201_does_not_make_an_rpc_endpoint_a_collection(tmp_path: Path) -> None:
    assert _classify_text(tmp_path, SPRINGFOX, "/s1/topic") == "action"


def test_every_verdict_explains_itself(tmp_path: Path) -> None:
    """Signals carry their weights; the kind follows the sum; the confidence its margin."""
    spec_file = tmp_path / "openapi.yaml"
    spec_file.write_text(SMALL, encoding="utf-8")
    for op in load_spec(read_file(spec_file), Settings()).operations:
        verdict = classify(op)
        if op.extension:
            assert verdict.signals == () and "x-oas-create-check" in verdict.reason
            continue
        score = sum(s.weight for s in verdict.signals)
        assert (verdict.kind.value in CHECKED) == (score > 0), (op.path, verdict)
        assert all(s.weight == WEIGHTS[s.name] for s in verdict.signals)
        margin = abs(score)
        expected = "high" if margin >= 3 else "medium" if margin >= 1.5 else "low"
        assert verdict.confidence.value == expected, (op.path, score)


def test_reasons_are_the_same_on_every_run(tmp_path: Path) -> None:
    """A reason names the first identifier as written, not whichever a set yields first under
    the interpreter's hash seed (the JSON output, and baselines built on it, must not flicker)."""
    import subprocess
    import sys

    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /notes:\n    post:\n"
        "      operationId: createNote\n      responses:\n        '200':\n"
        "          description: ok\n          content:\n            application/json:\n"
        "              schema:\n                type: object\n                properties:\n"
        "                  link: {type: string}\n                  id: {type: string}\n"
        "                  href: {type: string}\n                  note_id: {type: string}\n",
        encoding="utf-8",
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-m", "oas_create_check", "--format", "json", str(spec)],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            check=False,
        ).stdout
        for seed in (1, 2, 3, 4)
    }
    assert len(outputs) == 1


# The review of the last round of judgement changes: each bug it found, on small inline specs.


@pytest.mark.parametrize(
    ("segment", "parts"),
    [
        # a verb and its object, however the object starts
        ("createentity", ("create", "entity")),
        ("createevent", ("create", "event")),
        ("createendpoint", ("create", "endpoint")),
        ("uploaddocument", ("upload", "document")),
        ("startinstance", ("start", "instance")),
        ("stopinstance", ("stop", "instance")),
        ("cancelorder", ("cancel", "order")),
        ("sendemail", ("send", "email")),
        ("sendinvoice", ("send", "invoice")),
        ("runanalysis", ("run", "analysis")),
        ("checkavailability", ("check", "availability")),
        ("deleteentries", ("delete", "entries")),
        # one word made from a verb, or a word that merely begins with one
        ("undocumented", ("undocumented",)),
        ("runners", ("runners",)),
        ("tagging", ("tagging",)),
        ("authorizations", ("authorizations",)),
        ("payables", ("payables",)),
        ("findings", ("findings",)),
        ("addresses", ("addresses",)),
        ("matchingworkflows", ("matchingworkflows",)),
    ],
)
def test_run_together_segments_split_only_into_a_verb_and_its_object(
    segment: str, parts: tuple[str, ...]
) -> None:
    assert segment_words(segment) == parts


RUN_TOGETHER = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /f/startinstance:
    post: {responses: {"200": {description: ok}}}
"""


def test_a_run_together_verb_segment_is_an_action(tmp_path: Path) -> None:
    assert "path-action-segment" in _fired(tmp_path, RUN_TOGETHER, "/f/startinstance")


@pytest.mark.parametrize("segment", ["queue", "book", "issue", "build", "save"])
def test_a_verb_that_is_a_noun_too_is_no_verb_as_a_bare_segment(segment: str) -> None:
    assert not segment_is_verb(segment)


PRINT_QUEUE = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /print/queue:
    post:
      summary: Add a job to the queue
      responses: {"201": {description: ok}}
  /print/queue/{id}:
    get: {responses: {"200": {description: ok}}}
"""


def test_a_post_to_a_bare_queue_segment_adds_to_the_queue(tmp_path: Path) -> None:
    assert _classify_text(tmp_path, PRINT_QUEUE, "/print/queue") == "create"


def test_every_put_state_verb_is_an_action_verb() -> None:
    """Verbs that name the state a PUT puts in place are exempt from word-action on a PUT: a
    verb that word-action never sees would be dead here."""
    assert PUT_STATE_VERBS <= ACTION_VERBS


def test_every_undoing_verb_has_its_verb() -> None:
    """``unpin`` and ``pin``, ``unblock`` and ``block``: one of a pair is no verb without the
    other."""
    undone = {verb[2:] for verb in ACTION_VERBS if verb.startswith("un") and verb != "undo"}
    assert undone <= ALL_VERBS, undone - ALL_VERBS


BELOW_AN_ITEM = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /projects/{id}/status_updates:
    post:
      operationId: createStatusUpdate
      responses:
        "200":
          description: ok
          headers: {Location: {schema: {type: string}}}
"""


def test_creates_below_an_item_only_softens_nothing_addressable(tmp_path: Path) -> None:
    """A ``Location`` makes the result addressable: the softening of nothing-addressable goes
    with it, not counted again."""
    fired = _fired(tmp_path, BELOW_AN_ITEM, "/projects/{id}/status_updates")
    assert "location-header" in fired
    assert "nothing-addressable" not in fired
    assert "creates-below-an-item" not in fired


def test_the_linked_get_is_read_whatever_the_resolved_responses_hold(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``linked_get`` reads the success response itself: whether the operation's resolved
    responses hold one does not decide whether it is asked."""
    spec_file = tmp_path / "openapi.yaml"
    spec_file.write_text(SMALL, encoding="utf-8")
    ops = load_spec(read_file(spec_file), Settings()).operations
    op = next(o for o in ops if o.path == "/vrp/optimize")
    monkeypatch.setattr(Resource, "own_success", property(lambda self: None))
    assert Resource.of(op).read_by == "GET /vrp/solution/{jobId} (linked)"


NAMED_OBJECTS = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /filter:
    post: {summary: Create a filter, responses: {"201": {description: ok}}}
  /match:
    post: {operationId: createMatches, responses: {"201": {description: ok}}}
"""


@pytest.mark.parametrize("path", ["/filter", "/match"])
def test_a_verb_segment_is_a_noun_when_the_words_create_it(tmp_path: Path, path: str) -> None:
    """The summary "Create a filter" on ``/filter`` (past the article), ``createMatches`` on ``/match``
    (the singular of an -es plural)."""
    assert "path-action-segment" not in _fired(tmp_path, NAMED_OBJECTS, path)


def test_singular() -> None:
    assert [singular(w) for w in ("matches", "filters", "queries", "boxes", "status")] == [
        "match",
        "filter",
        "query",
        "box",
        "status",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Add a user to an account", True),
        ("AddUserToGroup", True),
        ("add_video_to_album", True),
        ("addWordsToWordList", True),
        ("Adds tags to a resource", True),
        ("Add tokens", False),
        ("addToken", False),
        ("Add a user", False),
    ],
)
def test_add_x_to_y_in_every_naming_style(text: str, expected: bool) -> None:
    assert adds_to(text) is expected


ONLY_WAY_IN = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /{id}:
    put: {responses: {"200": {description: ok}}}
    delete: {responses: {"204": {description: ok}}}
  /things/{id}:
    post: {responses: {"200": {description: ok}}}
    put: {responses: {"200": {description: ok}}}
    delete: {responses: {"204": {description: ok}}}
  /accounts/{id}/users:
    post: {summary: Add a user to an account, responses: {"200": {description: ok}}}
"""


@pytest.mark.parametrize("path", ["/{id}", "/things/{id}"])
def test_put_is_not_the_only_way_in_below_the_root_or_next_to_a_post(
    tmp_path: Path, path: str
) -> None:
    """``PUT /{id}``: no collection to POST to is no evidence; ``POST /things/{id}`` is a way
    in besides the PUT."""
    assert "put-only-way-in" not in _fired(tmp_path, ONLY_WAY_IN, path, "put")


def test_adding_a_user_to_an_account_adds_to_it(tmp_path: Path) -> None:
    assert "word-add-to" in _fired(tmp_path, ONLY_WAY_IN, "/accounts/{id}/users")


def test_toggle_is_an_action() -> None:
    assert verb_kind("toggleFeature") == (Kind.ACTION, "toggle")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Recreate or update the index", (Kind.UPDATE, "update")),  # no "create or update"
        ("Pets_CreateOrUpdate", (Kind.UPSERT, "CreateOrUpdate")),
        ("Updates or inserts a record", (Kind.UPSERT, "Updates or inserts")),
        ("Inserts or updates a record", (Kind.UPSERT, "Inserts or updates")),
        ("Signing out a user", (Kind.ACTION, "signout")),  # a phrasal verb, however inflected
        ("Logs in a customer", (Kind.ACTION, "login")),
    ],
)
def test_upserts_and_phrasal_verbs_are_whole_words(text: str, found: tuple[Kind, str]) -> None:
    assert verb_kind(text) == found


ATTACH = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /instances/{id}/disks/{diskId}:
    put:
      summary: Attach a disk to an instance
      responses: {"200": {description: ok}, "201": {description: attached}}
"""


def test_a_puts_201_outweighs_a_plain_action_verb(tmp_path: Path) -> None:
    """The case declares-201-on-put's weight is for: word-action really fires here."""
    verdict = _verdict(tmp_path, ATTACH, "/instances/{id}/disks/{diskId}", "put")
    assert {"declares-201-on-put", "word-action"} <= {s.name for s in verdict.signals}
    assert verdict.kind is Kind.UPSERT


ISSUE = """openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /invoices/{id}/issue:
    post: {summary: Issue an invoice, responses: {"200": {description: ok}}}
"""


def test_a_verb_that_is_a_noun_too_is_a_verb_right_after_an_item(tmp_path: Path) -> None:
    """``/print/queue`` is the queue; ``/invoices/{id}/issue`` issues the invoice."""
    assert "path-action-segment" in _fired(tmp_path, ISSUE, "/invoices/{id}/issue")
