"""Kind, confidence and reasons for every POST and PUT: the judgement the whole tool stands on.

A linter that calls ``/search`` or ``/orders/{id}/cancel`` a create gets uninstalled, and one
that misses ``POST /things/create`` misses real problems. No single clue decides: status codes
are misused (``201`` on a verification, ``202`` on an RPC command), words mislead (``Groups_Put``,
``ThingSyncJob_Create``), and a ``GET`` on the same path does not make a collection. So each clue
is a named **signal** with a weight, positive for a creation and negative against it
(docs/contract.md#classification), and the verdict is the sum:

* the user's word (``x-oas-create-check: {kind: ...}``, a config selector) is not weighed: it wins;
* a positive sum is a creation: ``upsert`` for a PUT or a create-or-update, else ``create``;
* otherwise ``update`` for a PUT, a POST to an item URI or an update verb, else ``action``;
* the margin is the **confidence**: ``high`` from 3, ``medium`` from 1.5, else ``low``.

The signals and weights are the table ``WEIGHTS`` below; ``explain`` and the JSON output show
every signal that fired. ``tests/judgement.py`` measures the result against five hand-labelled
sets of real operations (docs/judgement.md#how-well-it-does), all of them tuned on by now.
"""

from __future__ import annotations

from collections.abc import Mapping

from oas_create_check.model import Classification, Confidence, Kind, Signal
from oas_create_check.spec.operations import Operation
from oas_create_check.spec.resource import (
    Resource,
    every_post_declares,
    is_param,
    rpc_style,
    segments,
)
from oas_create_check.spec.words import (
    A_NEW,
    BARE_SEGMENT_NOUNS,
    COMPUTED_NOUNS,
    COPY_SEGMENTS,
    CREATE_VERBS,
    EXPLICIT_CREATE_VERBS,
    METHOD_WORDS,
    NON_CREATING_SEGMENTS,
    PUT_CREATE_VERBS,
    PUT_STATE_VERBS,
    STRONG_ACTION_VERBS,
    adds_to,
    creates_by_name,
    plural,
    segment_is_verb,
    segment_words,
    singular,
    stem_of,
    verb_kind,
    without_batch,
    words,
)

_KIND_NAMES = {kind.value: kind for kind in Kind}

#: Every signal and its weight: positive speaks for a creation, negative against it.
WEIGHTS: dict[str, float] = {
    # the spec's status codes and headers
    "declares-201": 2.5,
    "declares-201-everywhere": 0.5,
    "declares-201-on-put": 3.5,
    "declares-201-on-put-list": 0.5,
    "declares-202": 1.0,
    "location-header": 1.0,
    "links-to-a-get": 1.0,
    # the operation's own words (operationId, else summary)
    "word-create": 2.0,
    "word-create-explicit": 2.5,
    "word-upsert": 3.0,
    "word-new": 1.5,
    "word-add-to": -1.5,
    "word-update": -2.0,
    "word-action": -1.5,
    "word-strong-action": -3.5,
    # the path
    "path-item-uri": -1.5,
    "path-custom-method": -3.0,
    "path-action-segment": -3.5,
    "path-never-creates": -4.5,
    "path-create-segment": 4.0,
    "path-collection": 1.0,
    "path-computed-noun": -3.0,
    # where the created resource would live, from the spec's structure
    "item-path": 1.5,
    "parent-item-path": 0.5,
    "lists-objects": 1.0,
    "get-not-a-list": -1.5,
    "nothing-addressable": -3.5,
    "creates-below-an-item": 1.0,
    "returns-the-item": 2.0,
    "returns-a-resource": 1.5,
    "returns-an-identifier": 0.5,
    # a PUT replaces what is at its URI unless something says it can create it
    "put": -1.5,
    "put-singleton": -5.0,
    "put-not-deletable": -0.5,
    "put-only-way-in": 2.0,
}
HIGH, MEDIUM = 3.0, 1.5
#: Beyond these sums of the cheap signals no schema signal could change the verdict's side.
SETTLED_FOR, SETTLED_AGAINST = 4.0, -6.5


def _id_verb_part(op_id: str) -> str | None:
    """The part of an operationId that says what happens, or None if it only spells the route.

    ``Pets_Create``/``ThingSyncJob_Create`` (Azure's ``Resource_Verb``) -> ``Create``;
    ``dataproc.projects.clusters.create`` (Google's) -> ``create``;
    ``post_files_id_copy`` (Box: method and path) -> None; anything else as it is."""
    tokens = words(op_id)
    if len(tokens) > 1 and tokens[0] in METHOD_WORDS and "_" in op_id:
        rest = op_id.split("_", 1)[1]
        # AWS's ``POST_CopyDBParameterGroup`` names the operation after the method
        return rest if rest[:1].isupper() and "_" not in rest else None
    if "." in op_id.strip("."):  # Google's ``compute.instances.insert``: the method comes last
        return op_id.strip(".").rsplit(".", 1)[1] or None
    if "_" in op_id:
        head, _, tail = op_id.rpartition("_")
        if head and tail and tail[0].isupper() and not head.islower():
            return tail
    return op_id


def _said(op: Operation) -> tuple[Kind, str, str] | None:
    """What the operation's own words say: (kind, verb, where it was said)."""
    op_id = op.operation_id
    part = _id_verb_part(op_id) if op_id else None
    if part:
        said = verb_kind(part)
        summed = verb_kind(op.summary) if said is not None and said[0] is Kind.UPDATE else None
        if summed is not None and summed[0] is Kind.UPSERT:
            # ``products.update`` that "Inserts or updates the product": the prose is exact
            return (*summed, f"summary '{op.summary[:60]}'")
        if said is not None:
            return (*said, f"operationId '{op_id}'")
    if op.summary:
        said = verb_kind(op.summary)
        if said is not None:
            return (*said, f"summary '{op.summary[:60]}'")
    return None


def _said_text(op: Operation, said: tuple[Kind, str, str]) -> str:
    return op.operation_id if said[2].startswith("operationId") else op.summary


#: First words of a creation segment that make a new resource even right after an item:
#: ``/keys/{name}/create``, ``/files/{id}/copy``.
NEW_WHEREVER_SEGMENTS = EXPLICIT_CREATE_VERBS | COPY_SEGMENTS


def _path_signals(op: Operation, last: str, said: tuple[Kind, str, str] | None) -> list[Signal]:
    if ":" in last and not is_param(last):
        verb = last.rsplit(":", 1)[1]
        if stem_of((without_batch(words(verb, 2)) or [verb])[0]) in CREATE_VERBS:
            return [_signal("path-create-segment", f"custom method ':{verb}' creates")]
        return [_signal("path-custom-method", f"custom method ':{verb}' in the path")]
    if is_param(last):
        if op.method == "post":
            return [_signal("path-item-uri", f"POST to an item URI (ends in {last})")]
        return []
    bare = last.lower()
    if bare in NON_CREATING_SEGMENTS or (
        segment_words(last) and segment_words(last)[-1] in NON_CREATING_SEGMENTS
    ):
        return [_signal("path-never-creates", f"'/{last}' names an action")]
    parent = segments(op.path)[-2] if len(segments(op.path)) > 1 else ""
    seg_words = segment_words(last)
    if seg_words in (("register",), ("add",), ("submit",)) and is_param(parent):
        # right after an item (``/labs/{id}/register``, ``/disputes/{id}/submit``) these say
        # what happens to that item, as ``/cancel`` would; ``/keys/{name}/create`` names a new
        # one, and after a collection (``/podcasts/submit``) they make a member of it
        return [_signal("path-action-segment", f"'/{last}' acts on the item {parent}")]
    anywhere = (seg_words or ("",))[0] in NEW_WHEREVER_SEGMENTS
    if creates_by_name(last) and (anywhere or not is_param(parent)):
        return [_signal("path-create-segment", f"last path segment '{last}' is a creation")]
    # a verb that is a noun too (``queue``, ``issue``) commands right after an item:
    # ``/invoices/{id}/issue`` issues the invoice, ``/print/queue`` is the queue
    command = len(seg_words) == 1 and seg_words[0] in BARE_SEGMENT_NOUNS and is_param(parent)
    if (segment_is_verb(last) or command) and not _names_what_is_made(op, said, seg_words):
        return [_signal("path-action-segment", f"last path segment '{last}' is a verb")]
    if op.method == "post":
        if (
            bare in COMPUTED_NOUNS
            or (seg_words and "_".join(seg_words[-2:]) in COMPUTED_NOUNS)
            or (seg_words and seg_words[-1] in COMPUTED_NOUNS)
        ):
            return [_signal("path-computed-noun", f"'{last}' names a computed result")]
        return [_signal("path-collection", f"POST to the noun '{last}'")]
    return []


#: Words between a verb and its object: "Create a filter", "Creates a new match".
_DETERMINERS = frozenset("a an the new".split())


def _names_what_is_made(
    op: Operation, said: tuple[Kind, str, str] | None, segment: tuple[str, ...]
) -> bool:
    """Whether the operation's own words create what the segment names: ``createQueryJob`` on
    ``/queryjobs``, ``createFilter`` or "Create a filter" on ``/filter``, ``createMatches`` on
    ``/match``, ``CreateRefreshSchedule`` on ``/refresh-schedules``. The segment is then the
    object, a noun, not a command."""
    if not segment or said is None or said[0] is not Kind.CREATE:
        return False
    told = words(_said_text(op, said))
    verb = next((i for i, w in enumerate(told) if stem_of(w) == said[1]), None)
    if verb is None:
        return False
    made = [singular(w) for w in told[verb + 1 :] if w not in _DETERMINERS]
    return made[: len(segment)] == [singular(w) for w in segment]


def _signal(name: str, detail: str) -> Signal:
    return Signal(name, WEIGHTS[name], detail)


def signals(op: Operation) -> list[Signal]:
    """Every signal that fires for ``op``."""
    found: list[Signal] = []
    is_post = op.method == "post"
    parts = segments(op.path)
    last = parts[-1] if parts else ""
    codes = op.status_codes()
    resource = Resource.of(op)

    if "201" in codes:
        if is_post and every_post_declares(op.spec, "201"):
            # generators (springfox) declare 201 on every POST: it says little about this one
            found.append(_signal("declares-201-everywhere", "declares 201, as every POST here"))
        elif is_post:
            found.append(_signal("declares-201", "declares 201 Created"))
        elif is_param(last) or not plural(last.lower()):
            found.append(_signal("declares-201-on-put", "PUT declares 201 Created"))
        else:
            found.append(
                _signal("declares-201-on-put-list", f"PUT to the list '{last}' declares 201")
            )
    if "202" in codes and is_post:
        found.append(_signal("declares-202", "declares 202 Accepted"))

    said = _said(op)
    if said is not None:
        kind, verb, where = said
        detail = f"{where} says '{verb}'"
        if kind is Kind.UPSERT:
            found.append(_signal("word-upsert", detail))
        elif kind is Kind.CREATE and (
            is_post or verb in PUT_CREATE_VERBS or (not is_param(last) and A_NEW.search(op.summary))
        ):
            explicit = verb in EXPLICIT_CREATE_VERBS
            found.append(_signal("word-create-explicit" if explicit else "word-create", detail))
        elif kind is Kind.UPDATE:
            found.append(_signal("word-update", detail))
        elif kind is Kind.ACTION and (is_post or verb not in PUT_STATE_VERBS):
            # on a PUT these (vote, follow, enable, assign) name the state it puts in place
            strong = verb in STRONG_ACTION_VERBS
            found.append(_signal("word-strong-action" if strong else "word-action", detail))

    if said is not None and said[1] == "add" and adds_to(_said_text(op, said)):
        found.append(_signal("word-add-to", f"{said[2]} adds to something that exists"))
    if said is not None and said[0] is Kind.CREATE and A_NEW.search(op.summary):
        found.append(_signal("word-new", f"summary '{op.summary[:60]}' says 'a new'"))
    if last:
        found.extend(_path_signals(op, last, said))

    if not is_post:
        return found + _put_signals(op, parts, codes, resource)
    by_verb = any(s.name in _VERB_SEGMENT_SIGNALS for s in found)
    found.extend(_addressability_signals(op, parts, said, resource, by_verb))
    score = sum(s.weight for s in found)
    if SETTLED_AGAINST < score < SETTLED_FOR:
        found = _schema_signals(found, resource, by_verb, is_param(last))
    return found


#: Path signals that make the last segment a verb: nothing there is a collection's member.
_VERB_SEGMENT_SIGNALS = frozenset(
    {"path-action-segment", "path-never-creates", "path-custom-method"}
)


def _put_signals(
    op: Operation, parts: list[str], codes: set[str], resource: Resource
) -> list[Signal]:
    """A PUT replaces what is at its URI, unless what is there can only be made by it."""
    last = parts[-1] if parts else ""
    found = [_signal("put", "a PUT replaces what is at its URI")]
    if resource.singleton_name is not None and not resource.deletable:
        # one fixed name and no way to remove it: it exists already, a PUT configures it
        found.append(_signal("put-singleton", f"{last} can only be {resource.singleton_name}"))
    elif is_param(last) and not resource.deletable and "201" not in codes:
        found.append(_signal("put-not-deletable", f"no DELETE on {op.path}"))
    elif (
        is_param(last)
        and len(parts) > 1
        and resource.deletable
        and not resource.collection_takes_post
    ):
        # what can be deleted must come to be, and nothing POSTs it: the PUT makes it (not
        # evidence right below the root, where no collection could take a POST)
        found.append(_signal("put-only-way-in", f"{op.path} is deleted, never POSTed"))
    return found


def _addressability_signals(
    op: Operation,
    parts: list[str],
    said: tuple[Kind, str, str] | None,
    resource: Resource,
    by_verb: bool,
) -> list[Signal]:
    """Whether what a POST makes could be read back: an item path below it or its parent, a
    name to read it by, a GET on the path; else nothing-addressable."""
    last = parts[-1] if parts else ""
    found: list[Signal] = []
    if resource.item_path is not None and not is_param(last) and not by_verb:
        found.append(_signal("item-path", f"item path {resource.item_path} exists"))
    elif resource.parent_item_path is not None and not by_verb and not is_param(last):
        item = resource.parent_item_path
        found.append(_signal("parent-item-path", f"item path {item} of the parent exists"))
    elif resource.read_by_name is not None and not by_verb and not is_param(last):
        by_name = resource.read_by_name
        found.append(_signal("item-path", f"items below {{parent}} are read by name: {by_name}"))
    # In an RPC-style API (AWS's ``/#X-Amz-Target=...``, a spec with hardly any item paths)
    # nothing is addressable by path: the missing item path is no evidence there.
    if resource.answers_get or found or is_param(last) or rpc_style(op.spec):
        return found
    found.append(_signal("nothing-addressable", "no item path, no GET, no Location"))
    if (
        said is not None
        and said[1] in EXPLICIT_CREATE_VERBS
        and not by_verb
        and plural((segment_words(last) or ("",))[-1])
        and any(is_param(p) for p in parts[:-1])
    ):
        # a new member of a collection below an item (``/things/{id}/status_updates``) is
        # often read only through its parent: the missing item path says less there
        found.append(_signal("creates-below-an-item", f"{said[2]} creates below an item"))
    return found


def _schema_signals(
    found: list[Signal], resource: Resource, by_verb: bool, item_uri: bool
) -> list[Signal]:
    """The signals that read schemas, for a POST the cheap signals left undecided: whether the
    same path's GET lists objects, whether the result is the item's (or any item's) type, and
    whether it carries an identifier. Reading schemas may load other files or a large spec's
    schema store, so a clear case never pays for it."""
    op = resource.op
    if resource.location:
        found.append(
            _signal("location-header", f"the success response declares {resource.location}")
        )
        found = _addressable_after_all(found)
    linked = resource.linked_get
    if linked is not None:
        # the response's ``links`` name the GET that reads the result: addressable after all
        found = _addressable_after_all(found)
        found.append(_signal("links-to-a-get", f"the success response links to {linked}"))
    listing = resource.listing
    if listing is True and not by_verb:
        found.append(_signal("lists-objects", f"GET {op.path} lists objects"))
    elif listing is False and not item_uri and not rpc_style(op.spec):
        # a singleton readable at the same URI (a spend limit), or an RPC that also answers GET
        found.append(_signal("get-not-a-list", f"GET {op.path} answers something else than a list"))
    if resource.returns_the_item:
        found.append(_signal("returns-the-item", "returns the schema the item's GET returns"))
    elif any(s.name == "nothing-addressable" for s in found) and resource.returns_a_resource:
        # whatever the path looks like (``/files/{id}/copy``), the result can be read again
        found = _addressable_after_all(found)
        if not by_verb:
            found.append(_signal("returns-a-resource", "returns a type an item path returns"))
    elif (
        not item_uri
        and -WEIGHTS["returns-an-identifier"] < sum(s.weight for s in found) <= 0
        and resource.identifier is not None
    ):
        # the weakest signal, and the only one that opens a ``$ref``'d schema: read only when
        # it decides
        found.append(
            _signal("returns-an-identifier", f"the response carries '{resource.identifier}'")
        )
    return found


#: Signals that stand or fall with whether the result is addressable: creates-below-an-item
#: only softens nothing-addressable, so it goes when that goes.
_UNADDRESSABLE = frozenset({"nothing-addressable", "creates-below-an-item"})


def _addressable_after_all(found: list[Signal]) -> list[Signal]:
    """``found`` without nothing-addressable (and what only softened it)."""
    return [s for s in found if s.name not in _UNADDRESSABLE]


def _confidence(score: float) -> Confidence:
    margin = abs(score)
    return (
        Confidence.HIGH
        if margin >= HIGH
        else Confidence.MEDIUM
        if margin >= MEDIUM
        else Confidence.LOW
    )


def _reason(kind: Kind, fired: list[Signal], creation: bool) -> str:
    """The strongest signals for the verdict, then the strongest one against it."""
    pro = sorted((s for s in fired if (s.weight > 0) == creation), key=lambda s: -abs(s.weight))
    con = sorted((s for s in fired if (s.weight > 0) != creation), key=lambda s: -abs(s.weight))
    text = "; ".join(s.detail for s in pro[:2]) or "no sign of creation"
    if con:
        text += f" (despite: {con[0].detail})"
    return text


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
    fired = signals(op)
    score = sum(s.weight for s in fired)
    names = {s.name for s in fired}
    creation = score > 0
    if creation:
        upsert = "word-upsert" in names or (op.method == "put" and "word-new" not in names)
        kind = Kind.UPSERT if upsert else Kind.CREATE
    elif op.method == "put" or names & {"path-item-uri", "word-update"}:
        kind = Kind.UPDATE
    else:
        kind = Kind.ACTION
    return Classification(kind, _reason(kind, fired, creation), _confidence(score), tuple(fired))
