"""The checks, in the fixed order a live create needs: create, read back (or follow the
monitor), replay with the same key, reuse the key with another body, go without the key, repeat
without a key, send invalid bodies. Each failed check is a ``Hit`` naming its ``probe-*`` rule
(documented in ``rules/probe_*.py``) with the exchanges that show it.

Nothing here chooses what is sent where: ``build.py`` made the request, ``client.py`` guards
the wire. Fixed sequences are the point (the same key twice, then another body), which a random
state machine does not give.

Why this module is long (past the house's ~500 lines): it is the fixed sequence of live checks,
one function per check, each reading like the rule it reports; splitting them by check would
scatter a sequence that must be read in order.
"""

from __future__ import annotations

import re
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from oas_create_check.probe.build import Target
from oas_create_check.probe.client import Answer, Exchange, Session
from oas_create_check.probe.generate import invalid_bodies, other_body
from oas_create_check.probe.schema import JSON, Validator, json_schema, validator
from oas_create_check.settings import Settings
from oas_create_check.spec.resource import is_param, segments, success_schema

#: Values of a status-like property that say "not there yet" (``probe-created-pending``).
PENDING = frozenset(
    "pending queued creating provisioning in_progress inprogress in-progress processing "
    "accepted starting initializing initialising building scheduled waiting running "
    "notstarted not_started".split()
)
DONE = frozenset("succeeded success successful completed complete done finished ready".split())
FAILED = frozenset("failed failure error errored cancelled canceled aborted rejected".split())
STATUS_KEYS = (
    "status",
    "state",
    "provisioningState",
    "provisioning_state",
    "phase",
    "lifecycleState",
)
_ENVELOPES = ("data", "result", "item", "resource", "object")
_ID_KEYS = ("id", "uuid", "guid", "key")
_LINK_KEYS = re.compile(r"(?i)^(href|url|uri|link|location|self|monitor|status_?url|operation)")
_RESOURCE_LINK_KEYS = re.compile(r"(?i)(resource|result|target|created)_?(url|uri|href|location)")
_LIST_KEYS = ("items", "data", "results", "records", "entries", "values", "content", "elements")
#: The first retry after this long; each following one waits twice as long.
FIRST_RETRY = 0.05


@dataclass(frozen=True)
class Waits:
    """How long to wait for a new resource to become readable, and for a 202 to complete."""

    propagation: float = 2.0
    async_wait: float = 10.0


@dataclass
class Hit:
    """A failed check: its rule, what went wrong, and the exchanges that show it."""

    rule: str
    message: str
    exchanges: list[Exchange] = field(default_factory=list)


@dataclass
class Created:
    """What a target's first create made: the resource's identifier and URL, if known."""

    resource_id: str | None
    url: str | None


@dataclass
class Outcome:
    hits: list[Hit] = field(default_factory=list)
    created: Created | None = None
    notices: list[str] = field(default_factory=list)


class Prober:
    """Runs the checks of one target after another on one session."""

    def __init__(self, session: Session, settings: Settings, waits: Waits) -> None:
        self.session = session
        self.settings = settings
        self.waits = waits

    # -- the sequence ------------------------------------------------------------------------
    def probe(self, target: Target, parent_ids: dict[str, str]) -> Outcome:
        outcome = Outcome()
        params = {**target.params, **parent_ids}
        url = self.session.url_for(fill(target.op.path, params)) + _query(target.query)
        list_url = self.session.url_for(fill(target.op.path, params))
        counting = target.resource.listing is True
        before = self._count(list_url) if counting else None
        key = _new_key() if target.key_header else None
        first = self._create(target, url, target.body, key)
        hit = self._status(target, first)
        if hit is not None:
            outcome.hits.append(hit)
        if first.status is None or not 200 <= first.status < 300:
            return outcome
        outcome.created = self._created(target, first)
        if first.status == 202:
            outcome.hits.extend(self._accepted(target, first))
        else:
            outcome.hits.extend(self._answer_body(target, first))
            outcome.hits.extend(self._readable(target, first, outcome.created))
        after = self._count(list_url) if before is not None else None
        if before is not None and (after is None or after != before + 1):
            outcome.notices.append(
                f"{target.label}: the list at {target.op.path} went from {before} to {after} "
                "items after one create; it is not used to count what the probe creates"
            )
            counting = False
        counted = list_url if counting and before is not None else None
        if key is not None:
            outcome.hits.extend(self._idempotency(target, url, key, first, counted))
        outcome.hits.extend(self._without_key(target, url, first, counted))
        outcome.hits.extend(self._invalid(target, url, counted))
        return outcome

    def cleanup(self) -> list[str]:
        """DELETE what the probe created (``--cleanup``), newest first; what failed."""
        failed: list[str] = []
        for url in reversed(self.session.created):
            answer = self.session.send("DELETE", url)
            if answer.status is None or answer.status >= 300:
                failed.append(f"DELETE {answer.exchange.url} answered {_said(answer)}")
        return failed

    # -- single steps ------------------------------------------------------------------------
    def _create(self, target: Target, url: str, body: JSON, key: str | None) -> Answer:
        headers = dict(target.headers)
        if key is not None and target.key_header is not None:
            headers[target.key_header] = key
        answer = self.session.send(
            target.op.method, url, body, headers=headers, has_body=target.has_body
        )
        self._remember(target, answer)
        return answer

    def _remember(self, target: Target, answer: Answer) -> None:
        """Note the URL of anything this request created, for ``--cleanup``."""
        if answer.status is None or not 200 <= answer.status < 300 or answer.status == 202:
            return
        location = answer.headers.get("location")
        url = self.session.resolve(location, answer.url) if location else None
        if url is None and target.op.method == "put":
            url = answer.url
        if url is None:
            item = self._item_url(target, answer)
            url = item
        if url is not None and url not in self.session.created:
            self.session.created.append(url)

    def _item_url(self, target: Target, answer: Answer) -> str | None:
        """``<collection>/<id>`` when the spec has that item path and the body an identifier."""
        item_path = target.resource.item_path
        ident = identifier(answer, target)
        if item_path is None or ident is None:
            return None
        return answer.url.split("?", 1)[0].rstrip("/") + "/" + quote(ident, safe="")

    def _created(self, target: Target, first: Answer) -> Created:
        location = first.headers.get("location")
        url = self.session.resolve(location, first.url) if location else None
        ident = identifier(first, target)
        if ident is None and url is not None:
            last = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]
            ident = unquote(last) or None
        return Created(ident, url)

    def _status(self, target: Target, answer: Answer) -> Hit | None:
        method = f"{target.op.method.upper()} {target.op.path}"
        if answer.status is None:
            return Hit(
                "probe-create-status",
                f"{method}: {answer.exchange.error}",
                [answer.exchange],
            )
        declared = target.declared
        status = str(answer.status)
        success = sorted(c for c in declared if c.startswith("2"))
        if _declares(declared, status) and answer.status < 400:
            return None
        if answer.status == 409:
            message = f"{method} answered 409 to the probe's first create: a resource left by an earlier run may be in the way (--cleanup removes what a run creates; --data sets other values)"
            return Hit("probe-create-status", message, [answer.exchange])
        if answer.status >= 400:
            hint = (
                "; the probe's request may be wrong: check --header (auth), --data or the parent resource"
                if answer.status < 500
                else ""
            )
            message = f"{method} answered {status} to a valid request (declared: {', '.join(success) or 'none'}){hint}"
        elif status == "200" and "201" in declared:
            message = f"{method} answered 200 where the spec declares 201 Created"
        else:
            message = f"{method} answered {status}, which the spec does not declare (declared: {', '.join(sorted(declared))})"
        return Hit("probe-create-status", message, [answer.exchange])

    def _answer_body(self, target: Target, answer: Answer) -> list[Hit]:
        hits: list[Hit] = []
        status = str(answer.status)
        response = target.op.responses.get(status)
        valid = target.response_validator(status)
        if response is None or (valid is None and not target.op.has_body(response)):
            return hits
        method = f"{target.op.method.upper()} {target.op.path}"
        parsed, body = answer.json()
        if not parsed:
            what = "an empty body" if not answer.text.strip() else "a body that is not JSON"
            if valid is not None:
                hits.append(
                    Hit(
                        "probe-created-body",
                        f"{method}: the {status} answer has {what}; the spec declares a JSON body",
                        [answer.exchange],
                    )
                )
            return hits
        if valid is not None:
            error = valid(body)
            if error is not None:
                hits.append(
                    Hit(
                        "probe-created-body",
                        f"{method}: the {status} body does not match the declared schema: {error}",
                        [answer.exchange],
                    )
                )
        pending = _pending(body)
        asked = _unwrap(target.body) if isinstance(_unwrap(target.body), dict) else {}
        if pending is not None and asked.get(pending[0]) == pending[1]:
            pending = None  # the client asked for that state (a pet store's "pending" pet)
        if pending is not None and answer.status == 201:
            hits.append(
                Hit(
                    "probe-created-pending",
                    f"{method}: the 201 body says {pending[0]} is {pending[1]!r}: a create still in progress should answer 202 with a status monitor",
                    [answer.exchange],
                )
            )
        return hits

    def _readable(self, target: Target, first: Answer, created: Created) -> list[Hit]:
        method = f"{target.op.method.upper()} {target.op.path}"
        location = first.headers.get("location")
        if target.op.method == "post" and first.status == 201:
            if not location:
                return [
                    Hit(
                        "probe-location",
                        f"{method}: the 201 answer has no Location header for the created resource",
                        [first.exchange],
                    )
                ]
            if created.url is None:
                return [
                    Hit(
                        "probe-location",
                        f"{method}: the Location {location!r} leaves the base URL's origin; not followed",
                        [first.exchange],
                    )
                ]
        url = created.url if created.url is not None else None
        if url is None and target.op.method == "put":
            url = first.url
        if url is None:
            return []
        answers = self._read(url, self.waits.propagation)
        last = answers[-1]
        exchanges = [first.exchange, *(a.exchange for a in answers)]
        if last.status != 200:
            return [
                Hit(
                    "probe-read-after-create",
                    f"{method}: GET {last.exchange.url} (the new resource's Location) answered {_said(last)} for {self.waits.propagation:g} s ({len(answers)} tries)",
                    exchanges,
                )
            ]
        hits: list[Hit] = []
        if len(answers) > 1:
            delay = sum(a.exchange.elapsed_ms for a in answers[:-1])
            waited = _waited(len(answers) - 1)
            hits.append(
                Hit(
                    "probe-read-delay",
                    f"{method}: the new resource at {last.exchange.url} answered 200 only after {len(answers) - 1} retries (about {int(waited * 1000) + delay} ms)",
                    exchanges,
                )
            )
        mismatch = self._same_resource(target, last, created)
        if mismatch is not None:
            hits.append(
                Hit(
                    "probe-read-after-create",
                    f"{method}: {mismatch}",
                    [first.exchange, last.exchange],
                )
            )
        return hits

    def _read(self, url: str, window: float) -> list[Answer]:
        """GET ``url`` until it answers 200 or ``window`` seconds pass (backoff between tries)."""
        answers: list[Answer] = []
        deadline = time.monotonic() + window
        pause = FIRST_RETRY
        while True:
            answer = self.session.send("GET", url)
            answers.append(answer)
            if answer.status == 200 or time.monotonic() + pause > deadline:
                return answers
            time.sleep(pause)
            pause *= 2

    def _same_resource(self, target: Target, read: Answer, created: Created) -> str | None:
        parsed, body = read.json()
        if not parsed:
            return f"GET {read.exchange.url} answered 200 with a body that is not JSON"
        got = _identifier_of(body, target)
        if created.resource_id is not None and got is not None and got != created.resource_id:
            return f"GET {read.exchange.url} answered another resource (identifier {got!r}, the create said {created.resource_id!r})"
        valid = self._item_validator(target, read.url)
        error = valid(body) if valid is not None else None
        if error is not None:
            return f"GET {read.exchange.url}: the body does not match the item's schema: {error}"
        return None

    def _item_validator(self, target: Target, url: str) -> Validator | None:
        """The schema of the ``GET`` whose path template matches ``url`` (the item path)."""
        spec = target.op.spec
        path = urlsplit(url).path
        base = urlsplit(self.session.base).path.rstrip("/")
        if base and path.startswith(base):
            path = path[len(base) :]
        wanted = [s for s in path.split("/") if s]
        for template, item in spec.path_items.items():
            parts = segments(template)
            if len(parts) != len(wanted) or not all(
                is_param(p) or p == w for p, w in zip(parts, wanted, strict=True)
            ):
                continue
            get = item.child("get")
            node = spec.workspace.deref(get) if get is not None else None
            if node is None or not isinstance(node.value, dict):
                continue
            from oas_create_check.spec.operations import Operation

            schema = success_schema(Operation(spec, template, "get", item, node))
            if schema is None:
                return None
            return validator(
                json_schema(schema, spec.workspace, "response"), spec.version.startswith("3.1")
            )
        return None

    # -- asynchronous creates ----------------------------------------------------------------
    def _accepted(self, target: Target, first: Answer) -> list[Hit]:
        method = f"{target.op.method.upper()} {target.op.path}"
        names = [h.lower() for h in self.settings.monitor_headers]
        reference = next((first.headers[n] for n in names if first.headers.get(n)), None)
        if reference is None:
            parsed, body = first.json()
            reference = _link(body) if parsed else None
        if reference is None:
            return [
                Hit(
                    "probe-accepted-monitor",
                    f"{method}: the 202 answer points at no status monitor (no {'/'.join(self.settings.monitor_headers)} header, no URL in the body)",
                    [first.exchange],
                )
            ]
        monitor = self.session.resolve(reference, first.url)
        if monitor is None:
            return [
                Hit(
                    "probe-accepted-monitor",
                    f"{method}: the status monitor {reference!r} leaves the base URL's origin; not followed",
                    [first.exchange],
                )
            ]
        return self._poll(method, first, monitor)

    def _poll(self, method: str, first: Answer, monitor: str) -> list[Hit]:
        deadline = time.monotonic() + self.waits.async_wait
        pause = FIRST_RETRY
        polls: list[Answer] = []
        state = ""
        while True:
            answer = self.session.send("GET", monitor)
            polls.append(answer)
            shown = [first.exchange, *(p.exchange for p in polls[-3:])]
            if answer.status is None or answer.status not in (200, 201, 202, 303):
                rule = "probe-accepted-monitor" if len(polls) == 1 else "probe-accepted-completion"
                return [
                    Hit(
                        rule,
                        f"{method}: the status monitor {answer.exchange.url} answered {_said(answer)}",
                        shown,
                    )
                ]
            link = answer.headers.get("location") if answer.status in (201, 303) else None
            if answer.status in (200, 202):
                parsed, body = answer.json()
                state = (_state(body) or "") if parsed else ""
                if state.lower() in FAILED:
                    return [
                        Hit(
                            "probe-accepted-completion",
                            f"{method}: the status monitor reports {state!r}",
                            shown,
                        )
                    ]
                if answer.status == 200 and (not state or state.lower() in DONE):
                    link = link or (_resource_link(body) if parsed else None)
                    if link is None:
                        return []
            if link is not None:
                return self._resource_after(method, answer, link, shown)
            if time.monotonic() + pause > deadline:
                return [
                    Hit(
                        "probe-accepted-completion",
                        f"{method}: the status monitor still says {state or answer.status!r} after {self.waits.async_wait:g} s ({len(polls)} polls)",
                        shown,
                    )
                ]
            time.sleep(pause)
            pause = min(pause * 2, 1.0)

    def _resource_after(
        self, method: str, answer: Answer, link: str, shown: list[Exchange]
    ) -> list[Hit]:
        url = self.session.resolve(link, answer.url)
        if url is None:
            return [
                Hit(
                    "probe-accepted-completion",
                    f"{method}: the finished monitor points at {link!r}, outside the base URL's origin",
                    shown,
                )
            ]
        if url not in self.session.created:
            self.session.created.append(url)
        reads = self._read(url, self.waits.propagation)
        if reads[-1].status != 200:
            return [
                Hit(
                    "probe-accepted-completion",
                    f"{method}: the finished monitor points at {reads[-1].exchange.url}, which answered {_said(reads[-1])}",
                    [*shown, reads[-1].exchange],
                )
            ]
        return []

    # -- retries and duplicates --------------------------------------------------------------
    def _counted(
        self, target: Target, url: str, body: JSON, key: str | None, list_url: str | None
    ) -> tuple[Answer, str | None]:
        """Send a create and, where the collection can be counted, say how it grew."""
        before = self._count(list_url) if list_url is not None else None
        answer = self._create(target, url, body, key)
        after = self._count(list_url) if before is not None and list_url is not None else None
        if before is not None and after is not None and after > before:
            return answer, f"the list at {target.op.path} grew from {before} to {after}"
        return answer, None

    def _idempotency(
        self, target: Target, url: str, key: str, first: Answer, list_url: str | None
    ) -> list[Hit]:
        hits: list[Hit] = []
        method = f"{target.op.method.upper()} {target.op.path}"
        header = target.key_header
        replay, grew = self._counted(target, url, target.body, key, list_url)
        differences = _differences(first, replay, target)
        if grew:
            differences.append(grew)
        if differences:
            hits.append(
                Hit(
                    "probe-idempotent-replay",
                    f"{method}: a replay with the same {header} and body {'; '.join(differences)}",
                    [first.exchange, replay.exchange],
                )
            )
        changed = other_body(target.body, target.valid_body) if target.valid_body else None
        if changed is not None:
            reuse, grew = self._counted(target, url, changed, key, list_url)
            if reuse.status is None or not 400 <= reuse.status < 500 or grew:
                what = f"was answered {_said(reuse)}" + (f" and {grew}" if grew else "")
                hits.append(
                    Hit(
                        "probe-idempotency-key-reuse",
                        f"{method}: the same {header} with a different body {what}; the draft asks for 422",
                        [first.exchange, reuse.exchange],
                    )
                )
        return hits

    def _without_key(
        self, target: Target, url: str, first: Answer, list_url: str | None
    ) -> list[Hit]:
        method = f"{target.op.method.upper()} {target.op.path}"
        header = target.key_header
        if header is not None and target.key_required:
            answer, grew = self._counted(target, url, target.body, None, list_url)
            if answer.status is None or not 400 <= answer.status < 500 or grew:
                what = f"was answered {_said(answer)}" + (f" and {grew}" if grew else "")
                return [
                    Hit(
                        "probe-idempotency-keyless",
                        f"{method}: without the required {header} header the create {what}; a 400 is expected",
                        [answer.exchange],
                    )
                ]
            return []
        if target.op.method != "post":
            return []
        duplicate = _duplicate_answers(target, self.settings)
        if duplicate:
            answer = self._create(target, url, target.body, None)
            if answer.status == 303 and not answer.headers.get("location"):
                message = f"{method}: the duplicate was answered 303 without a Location"
            elif answer.status is not None and str(answer.status) in duplicate:
                return []
            else:
                message = f"{method}: the same body again, without a key, was answered {_said(answer)}; the spec documents {', '.join(duplicate)} for a duplicate"
            return [Hit("probe-duplicate-answer", message, [first.exchange, answer.exchange])]
        if header is not None:
            answer = self._create(target, url, target.body, None)
            if answer.status is None or str(answer.status) != str(first.status):
                return [
                    Hit(
                        "probe-idempotency-keyless",
                        f"{method}: without the optional {header} header the create was answered {_said(answer)}, not {first.status}",
                        [answer.exchange],
                    )
                ]
        return []

    def _invalid(self, target: Target, url: str, list_url: str | None) -> list[Hit]:
        if not target.has_body or target.valid_body is None:
            return []
        method = f"{target.op.method.upper()} {target.op.path}"
        for description, body in invalid_bodies(target.body, target.body_schema, target.valid_body):
            key = _new_key() if target.key_header else None
            answer, grew = self._counted(target, url, body, key, list_url)
            if answer.status in (400, 422) and not grew:
                continue
            what = f"was answered {_said(answer)}" + (f" and {grew}" if grew else "")
            return [
                Hit(
                    "probe-invalid-input",
                    f"{method}: an invalid body ({description}) {what}; 400 or 422 is expected",
                    [answer.exchange],
                )
            ]
        return []

    def _count(self, url: str) -> int | None:
        answer = self.session.send("GET", url)
        if answer.status != 200:
            return None
        parsed, body = answer.json()
        return _length(body) if parsed else None


# -- reading answers -------------------------------------------------------------------------
def fill(path: str, params: dict[str, str]) -> str:
    """The path template with its parameters filled in (percent-encoded)."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return quote(params.get(name, "probe"), safe="")

    return re.sub(r"\{([^}/]+)\}", value, path.split("?", 1)[0].split("#", 1)[0])


def _query(query: dict[str, str]) -> str:
    if not query:
        return ""
    from urllib.parse import urlencode

    return "?" + urlencode(query)


def _new_key() -> str:
    return f"probe-{uuid.uuid4()}"


def _declares(declared: set[str], status: str) -> bool:
    return status in declared or f"{status[0]}XX" in declared


def _said(answer: Answer) -> str:
    return str(answer.status) if answer.status is not None else (answer.exchange.error or "nothing")


def _unwrap(body: Any) -> Any:
    if isinstance(body, dict) and len(body) <= 4:
        for key in _ENVELOPES:
            if isinstance(body.get(key), dict):
                return body[key]
    return body


def identifier(answer: Answer, target: Target) -> str | None:
    parsed, body = answer.json()
    return _identifier_of(body, target) if parsed else None


def _identifier_of(body: Any, target: Target) -> str | None:
    body = _unwrap(body)
    if not isinstance(body, dict):
        return None
    item_path = target.resource.item_path or ""
    names = [s.strip("{}") for s in segments(item_path) if is_param(s)][-1:]
    for key in (*_ID_KEYS, *names):
        value = body.get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            return str(value)
    return None


def _pending(body: Any) -> tuple[str, str] | None:
    body = _unwrap(body)
    if not isinstance(body, dict):
        return None
    for key in STATUS_KEYS:
        value = body.get(key)
        if isinstance(value, str) and value.lower().replace(" ", "_") in PENDING:
            return key, value
    return None


def _state(body: Any) -> str | None:
    body = _unwrap(body)
    if not isinstance(body, dict):
        return None
    for key in STATUS_KEYS:
        value = body.get(key)
        if isinstance(value, str):
            return value
    return None


def _link(body: Any, depth: int = 0) -> str | None:
    """A URL in a 202 body that may be the status monitor (``href``, ``statusUrl``...)."""
    if depth > 2 or not isinstance(body, dict):
        return None
    for key, value in body.items():
        if isinstance(value, str) and _LINK_KEYS.match(str(key)) and _looks_like_url(value):
            return value
    for value in body.values():
        found = _link(value, depth + 1)
        if found is not None:
            return found
    return None


def _resource_link(body: Any) -> str | None:
    if not isinstance(body, dict):
        return None
    for key, value in body.items():
        if (
            isinstance(value, str)
            and _RESOURCE_LINK_KEYS.search(str(key))
            and _looks_like_url(value)
        ):
            return value
    return None


def _looks_like_url(value: str) -> bool:
    return value.startswith(("/", "http://", "https://"))


def _length(body: Any) -> int | None:
    if isinstance(body, list):
        return len(body)
    if isinstance(body, dict):
        for key in _LIST_KEYS:
            if isinstance(body.get(key), list):
                return len(body[key])
        lists = [v for v in body.values() if isinstance(v, list)]
        if len(lists) == 1:
            return len(lists[0])
    return None


def _differences(first: Answer, replay: Answer, target: Target) -> list[str]:
    if replay.status is None:
        return [f"got no answer: {replay.exchange.error}"]
    found: list[str] = []
    if replay.status != first.status:
        found.append(f"was answered {replay.status}, the first time {first.status}")
    a, b = first.headers.get("location"), replay.headers.get("location")
    if a and b and a != b:
        found.append(f"returned another Location ({b!r}, the first time {a!r})")
    ident_a, ident_b = identifier(first, target), identifier(replay, target)
    if ident_a is not None and ident_b is not None and ident_a != ident_b:
        found.append(
            f"returned another resource (identifier {ident_b!r}, the first time {ident_a!r})"
        )
    return found


_DUPLICATE_WORDS = re.compile(r"(?i)duplicate|already exists|exists already|conflict|taken|in use")


def _duplicate_answers(target: Target, settings: Settings) -> list[str]:
    """The statuses the spec documents for a duplicate. ``422`` also answers invalid input
    in most APIs, so it counts only when its description speaks of a duplicate."""
    found = []
    for code in sorted((set(settings.duplicate_statuses) | {"303"}) & target.declared):
        response = target.op.responses.get(code)
        text = response.node.value.get("description") if response is not None else None
        if code == "422" and not (isinstance(text, str) and _DUPLICATE_WORDS.search(text)):
            continue
        found.append(code)
    return found


def _waited(retries: int) -> float:
    return float(sum(FIRST_RETRY * 2**i for i in range(retries)))
