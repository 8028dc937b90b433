"""Kind + reason for every POST and PUT: the judgement the whole tool depends on.

A linter that calls ``/search`` or ``/orders/{id}/cancel`` a create gets uninstalled, so the
signals are weighed in a fixed order (docs/contract.md#classification) and each verdict says which signal won:

1. the user: ``x-oas-create-check: {kind: ...}`` or a config selector;
2. the spec: a declared ``201`` (unless the path names a non-creating action, like ``/verify``);
3. the words: the first known verb of ``operationId``, else of ``summary``;
4. the path: an item URI, a verb or custom-method segment, or a collection noun.

Words and a collection noun are weak evidence of creation: the result must also be addressable
(a ``GET`` on the collection or an item path below it), otherwise the POST computes something
(OpenAI's ``createEmbedding``) and is an action. ``tests/data/labelled_operations.yaml`` holds
hand-labelled real operations; ``tests/test_classify.py`` measures this module against them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from itertools import islice

from oas_create_check.model import Classification, Kind
from oas_create_check.spec.operations import Operation, Spec

CREATE_VERBS = frozenset(
    """
    create add new insert register open issue post make generate provision upload import
    enroll subscribe book reserve allocate clone copy duplicate fork spawn submit build
    initiate launch deploy start_new
    """.split()
)
ACTION_VERBS = frozenset(
    """
    search query list get find fetch retrieve read lookup look validate verify check test
    login logout signin signout sign authenticate auth authorize cancel approve reject
    decline accept send resend notify run execute trigger start stop restart reboot resume
    pause suspend enable disable activate deactivate calculate compute estimate preview
    simulate convert transform export download sync synchronize refresh reset revoke
    confirm complete close capture refund reverse void process apply assign unassign attach
    detach move merge lock unlock publish unpublish archive unarchive restore retry rotate
    renew reindex resize scale upgrade downgrade migrate redeem release promote purge flush
    clear count batch bulk evaluate analyze analyse classify recycle invoke reveal reassign hangup refer compact
    rollback moderate predict infer
    complete embed transcribe translate tokenize exchange introspect ping echo power
    shutdown rebuild reinstall snapshot finalize abort terminate dismiss acknowledge ack
    mark report share unshare invite respond reply answer vote rate follow unfollow join
    leave pay charge authorise
    """.split()
)
UPDATE_VERBS = frozenset(
    """
    update modify edit patch set change replace rename configure amend adjust save put
    overwrite upsert_update
    """.split()
)
#: Last path segments naming an action strongly enough to outweigh even a declared 201.
NON_CREATING_SEGMENTS = frozenset(
    """
    verify validate validation token login logout signin sign-in signout authenticate auth
    authorize search query check ping test preview estimate calculate lookup introspect
    refresh revoke
    """.split()
)
#: Action verbs that stay actions even when the POST goes to a collection with item paths
#: (``POST /orders`` with operationId ``searchOrders``); weaker ones (assign, attach, invite, run)
#: yield to that evidence, because the link or run they make is addressable.
STRONG_ACTION_VERBS = frozenset(
    """
    search query list get find fetch retrieve read lookup look validate verify check test
    login logout signin signout authenticate auth authorize cancel calculate compute estimate
    preview simulate count evaluate export convert transform
    """.split()
)
#: Creation verbs that make a PUT an upsert; others ("add a shared link") update the target.
PUT_CREATE_VERBS = frozenset("create new register provision insert put".split())
#: Verbs that, as the last path segment, make the POST an action (``/orders/{id}/cancel``).
PATH_ACTION_SEGMENTS = ACTION_VERBS - {"list", "get", "post", "batch", "bulk", "report", "snapshot"}
_ALL_VERBS = CREATE_VERBS | ACTION_VERBS | UPDATE_VERBS
_VERB_SEGMENTS = PATH_ACTION_SEGMENTS | NON_CREATING_SEGMENTS
_UPSERT = re.compile(
    r"create[\s_-]*or[\s_-]*(update|replace)|upsert|add[\s_-]*or[\s_-]*(update|replace)|"
    r"put[\s_-]*or[\s_-]*replace|set[\s_-]*or[\s_-]*create",
    re.IGNORECASE,
)
_SET_UP = re.compile(r"^\s*set[\s_-]?up\b", re.IGNORECASE)
_WORD_SPLIT = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")
_METHOD_WORDS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
_KIND_NAMES = {kind.value: kind for kind in Kind}


def words(text: str, limit: int | None = None) -> list[str]:
    """Split ``createOrUpdateThing``, ``create_thing`` or ``Create a thing`` into lower words;
    the first ``limit`` of them only (a summary may be a long paragraph)."""
    return [m.group().lower() for m in islice(_WORD_SPLIT.finditer(text), limit)]


def _stem(word: str) -> str:
    """'creates' -> 'create', 'adds' -> 'add', 'searches' -> 'search', 'creating' -> 'create'."""
    vocabulary = _ALL_VERBS
    if word in vocabulary:
        return word
    for suffix, replacement in (
        ("es", ""),
        ("s", ""),
        ("ing", "e"),
        ("ing", ""),
        ("ed", "e"),
        ("ed", ""),
    ):
        if word.endswith(suffix) and word[: -len(suffix)] + replacement in vocabulary:
            return word[: -len(suffix)] + replacement
    return word


def verb_kind(text: str) -> tuple[Kind, str] | None:
    """The kind named by the first known verb of ``text`` and that verb."""
    upsert = _UPSERT.search(text)
    if upsert:
        return Kind.UPSERT, upsert.group(0)
    setup = _SET_UP.search(text)
    if setup:
        return Kind.CREATE, setup.group(0).lower()
    for token in words(text, 4):
        stem = _stem(token)
        if stem in CREATE_VERBS:
            return Kind.CREATE, stem
        if stem in UPDATE_VERBS:
            return Kind.UPDATE, stem
        if stem in ACTION_VERBS:
            return Kind.ACTION, stem
    return None


def _segments(path: str) -> list[str]:
    """Path segments, ignoring a query or fragment some specs put in path keys
    (``/responses?beta=true``, Box's ``/files/{id}#add_shared_link``)."""
    bare = re.split(r"[?#]", path, maxsplit=1)[0]
    return [s for s in bare.split("/") if s]


def _is_param(segment: str) -> bool:
    return segment.startswith("{") and segment.endswith("}")


@lru_cache(maxsize=8)
def _item_paths(spec: Spec) -> dict[tuple[str, ...], str]:
    """Collection segments -> the first path with an item below it (``("pets",)`` ->
    ``/pets/{id}``), computed once per spec: every POST asks."""
    found: dict[tuple[str, ...], str] = {}
    for path in spec.path_items:
        segments = _segments(path)
        for depth, segment in enumerate(segments):
            if _is_param(segment):
                found.setdefault(tuple(segments[:depth]), path)
    return found


def _has_item_path(op: Operation, segments: list[str]) -> str | None:
    """An item path directly below the collection ``segments`` (``/pets`` -> ``/pets/{id}``)."""
    return _item_paths(op.spec).get(tuple(segments))


def _addressable(op: Operation) -> str | None:
    """Why the result of a POST to ``op.path`` can be found again, or None if it cannot: an item
    path below the collection, a GET listing it, or an item path below the parent collection
    (``/videos/edits`` makes videos found at ``/videos/{video_id}``)."""
    segments = _segments(op.path)
    item = _has_item_path(op, segments)
    if item:
        return f"item path {item} exists"
    if "get" in op.spec.methods_at(op.path):
        return f"GET {op.path} lists them"
    parent = segments[:-1]
    if parent and not _is_param(parent[-1]) and segments[-1].endswith("s"):
        item = _has_item_path(op, parent)
        if item:
            return f"item path {item} exists"
    return None


def _segment_is_verb(segment: str) -> bool:
    """``cancel``, ``reset-password``, ``generateApiKey``, ``async-invoke``: an RPC-style segment.
    A segment that starts with any verb and goes on is a command (``addApplePayDomains``); a
    plural noun phrase is not (``evaluation_test_cases``)."""
    lowered = segment.lower()
    if lowered in PATH_ACTION_SEGMENTS or lowered in NON_CREATING_SEGMENTS:
        return True
    parts = words(segment)
    if len(parts) < 2:
        return False
    # The exact verb, not a participle: ``registeredDevices`` and ``reserved_ips`` are nouns.
    if parts[0] in _ALL_VERBS and parts[0] != "new":
        return True
    verbs = _VERB_SEGMENTS
    return parts[-1] in verbs and not parts[-1].endswith("s")


def _path_kind(op: Operation) -> Classification | None:
    segments = _segments(op.path)
    if not segments:
        return None
    last = segments[-1]
    if ":" in last and not _is_param(last):
        verb = last.rsplit(":", 1)[1]
        return Classification(Kind.ACTION, f"custom method ':{verb}' in the path")
    if _is_param(last):
        return Classification(Kind.UPDATE, f"{op.method.upper()} to an item URI (ends in {last})")
    if _segment_is_verb(last):
        return Classification(Kind.ACTION, f"last path segment '{last}' is a verb")
    return None


def _said(op: Operation) -> tuple[Kind, str, str] | None:
    """What the operation's own words say: (kind, verb, where it was said)."""
    op_id = op.operation_id
    if op_id and not _names_only_the_route(op_id):
        said = verb_kind(op_id)
        if said is not None:
            return (*said, f"operationId '{op_id}'")
    if op.summary:
        said = verb_kind(op.summary)
        if said is not None:
            return (*said, f"summary '{op.summary[:60]}'")
    return None


def _names_only_the_route(op_id: str) -> bool:
    """Box-style ids (``post_files_id_copy``) spell the method and path, not what happens."""
    tokens = words(op_id)
    return len(tokens) > 1 and tokens[0] in _METHOD_WORDS


def classify(
    op: Operation, selected: Mapping[tuple[str, str], Kind] | None = None
) -> Classification:
    """Decide what ``op`` does. ``selected`` maps (path, method) to a kind chosen by config."""
    declared = op.extension.get("kind")
    if isinstance(declared, str) and declared.lower() in _KIND_NAMES:
        return Classification(
            _KIND_NAMES[declared.lower()], "x-oas-create-check kind set on the operation"
        )
    if selected and (op.path, op.method) in selected:
        return Classification(
            selected[(op.path, op.method)], "selected by a classify selector in config"
        )

    is_post = op.method == "post"
    codes = op.status_codes()
    segments = _segments(op.path)
    path_verdict = _path_kind(op)
    said = _said(op)

    if "201" in codes:
        if segments and segments[-1].lower() in NON_CREATING_SEGMENTS:
            return Classification(
                Kind.ACTION, f"declares 201, but '/{segments[-1]}' names an action"
            )
        if said is not None and said[0] is Kind.ACTION and path_verdict is not None:
            # Box's restore-from-trash (POST /files/{id}) and DigitalOcean's .../accept
            return Classification(
                Kind.ACTION, f"declares 201, but its {said[2]} says '{said[1]}' on {op.path}"
            )
        if is_post:
            return Classification(Kind.CREATE, "declares 201 Created")
        return Classification(Kind.UPSERT, "PUT that declares 201 Created")

    if said is not None:
        kind, verb, source = said
        if kind is Kind.UPSERT:
            return Classification(Kind.UPSERT, f"{source} says '{verb}'")
        if not is_post:
            if kind is Kind.CREATE and verb in PUT_CREATE_VERBS:
                return Classification(Kind.UPSERT, f"PUT whose {source} says '{verb}'")
            if kind is Kind.CREATE:
                return Classification(Kind.UPDATE, f"PUT whose {source} says '{verb}' (adds to it)")
            return Classification(kind, f"{source} says '{verb}'")
        if kind is Kind.CREATE:
            if path_verdict is not None and path_verdict.kind is Kind.ACTION:
                return path_verdict
            where = _addressable(op) or ("202 Accepted" if "202" in codes else None)
            if where is None:
                return Classification(
                    Kind.ACTION,
                    f"{source} says '{verb}', but nothing addressable results "
                    f"(no GET {op.path} and no item path below it)",
                )
            return Classification(Kind.CREATE, f"{source} says '{verb}' ({where})")
        if kind is Kind.ACTION and verb not in STRONG_ACTION_VERBS and path_verdict is None:
            item = _has_item_path(op, segments)
            if item:
                return Classification(
                    Kind.CREATE,
                    f"{source} says '{verb}', but it POSTs to a collection whose items are at {item}",
                )
        return Classification(kind, f"{source} says '{verb}'")

    if path_verdict is not None:
        return path_verdict
    if not is_post:
        return Classification(Kind.UPDATE, "PUT with no sign of creation")
    if "202" in codes:
        return Classification(
            Kind.CREATE, "POST to a collection answering 202 Accepted (async create)"
        )
    where = _addressable(op)
    if where is None:
        return Classification(
            Kind.ACTION,
            f"POST to '{segments[-1] if segments else '/'}' with nothing addressable below it",
        )
    return Classification(Kind.CREATE, f"POST to a collection ({where})")
