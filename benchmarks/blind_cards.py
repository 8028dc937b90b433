#!/usr/bin/env python3
"""Sample POST/PUT operations of the apisguru corpus and write blind labelling cards.

The set measures the linter's create judgement on APIs it was never tuned on (RULES.md §1:
"measure blind"). What it writes, under tests/data/blind/ (see GUIDE.md and PROVENANCE.md there):

* ``cards/<split>/<id>.md``   one card per sampled operation, made from the spec's own text only;
* ``manifest.yaml``           id -> split, spec, path, method, operationId (no verdicts);
* ``.sampling_verdicts.json`` id -> the linter's kind at sampling time (stratification bookkeeping,
                              never shown to labellers);
* ``batches/batch-NN.txt``    ~50 card paths each, dev and heldout shuffled together;
* ``PROVENANCE.md``           where the operations come from, seed, method, counts.

Sampling: every POST and PUT under ``paths`` of every spec is listed (the linter's JSON output gives
the list and its current kind, checked against our own walk of ``paths``). Operations are put in two
strata, *creation* (the linter says create/upsert) and *other* (action/update). Picks go round by
round over the specs in a seeded order, one operation per spec per round, at most ``--per-spec`` per
spec, each pick taken from the stratum that is behind overall (so the strata end up about equal),
until ``--target`` operations are picked. The first round reaches every spec that has a POST/PUT.
Specs are split into dev/heldout by a seeded hash of the spec path (about 40% dev), so the split of
a spec does not depend on which operations were picked. Card ids are assigned in a seeded random
order, so an id says nothing about split, stratum or spec.

Standard library + PyYAML only. Deterministic for a given corpus, linter version and seed.

    python3 benchmarks/blind_cards.py            # (re)write everything
    python3 benchmarks/blind_cards.py --check    # re-render the manifest's cards, compare with disk
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "apisguru"
DEFAULT_OUT = REPO / "tests" / "data" / "blind"
SEED = 20261206
DATE = "2026-12-06"
METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
CREATION = ("create", "upsert")

# Rendering limits: tried in order until the card fits MAX_CARD_BYTES.
# (properties per schema, description chars, related-path lines, nested names per property,
#  chars of an error response's description)
LEVELS = [
    (20, 700, 25, 8, 200),
    (14, 550, 20, 6, 200),
    (10, 450, 15, 5, 120),
    (7, 350, 10, 4, 80),
    (5, 250, 8, 3, 60),
]
MAX_CARD_BYTES = 3000
MAX_PARAMS = 15


# --------------------------------------------------------------------------------------- loading


class _Loader(yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader):  # type: ignore[misc]
    """Safe loader that keeps dates as text and accepts the YAML 1.1 ``=`` value tag."""


_Loader.add_constructor(
    "tag:yaml.org,2002:value", yaml.constructor.SafeConstructor.construct_yaml_str
)
_Loader.add_constructor(
    "tag:yaml.org,2002:timestamp", yaml.constructor.SafeConstructor.construct_yaml_str
)


def load_spec(path: Path) -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_Loader)  # a SafeLoader subclass


def list_specs(corpus: Path) -> list[str]:
    out = []
    for dirpath, _dirs, files in os.walk(corpus):
        for name in files:
            if name.endswith((".yaml", ".yml", ".json")):
                out.append(os.path.relpath(os.path.join(dirpath, name), corpus))
    return sorted(out)


def own_operations(spec: dict) -> list[tuple[str, str]]:
    ops = []
    for path, item in (spec.get("paths") or {}).items():
        if isinstance(item, dict):
            for method in ("post", "put"):
                if isinstance(item.get(method), dict):
                    ops.append((str(path), method))
    return ops


def tool_verdicts(corpus: Path, specs: list[str], tool: str) -> dict[tuple[str, str, str], str]:
    """(spec, path, method) -> kind, from one run of the linter over every spec.

    It runs in an empty temporary directory, so that no project config changes its verdicts.
    """
    with tempfile.TemporaryDirectory() as cwd:
        files = [str(corpus / s) for s in specs]
        proc = subprocess.run(
            [*tool.split(), "-f", "json", *files], capture_output=True, text=True, cwd=cwd
        )
        if proc.returncode not in (0, 1):
            sys.exit(f"{tool} failed ({proc.returncode}): {proc.stderr[:2000]}")
        report = json.loads(proc.stdout)
        real_corpus = os.path.realpath(corpus)
        out = {}
        for op in report["operations"]:
            spec = os.path.relpath(os.path.realpath(os.path.join(cwd, op["file"])), real_corpus)
            out[(spec, op["path"], op["method"])] = op["kind"]
        return out


def tool_version(tool: str) -> str:
    try:
        proc = subprocess.run([*tool.split(), "--version"], capture_output=True, text=True)
        return proc.stdout.strip() or proc.stderr.strip()
    except OSError:
        return "unknown"


# -------------------------------------------------------------------------------------- sampling


def sample(
    ops_by_spec: dict[str, list[tuple[str, str, str]]], seed: int, target: int, per_spec: int
):
    """Pick ``target`` operations, round-robin over specs, balancing the two strata.

    ``ops_by_spec``: spec -> [(path, method, kind)], sorted. Returns [(spec, path, method, kind)].
    """
    rng = random.Random(seed)
    pools: dict[str, dict[str, list]] = {}
    for spec in sorted(ops_by_spec):
        strata: dict[str, list] = {"creation": [], "other": []}
        for path, method, kind in ops_by_spec[spec]:
            strata["creation" if kind in CREATION else "other"].append((path, method, kind))
        for pool in strata.values():
            rng.shuffle(pool)
        pools[spec] = strata
    picked: list[tuple[str, str, str, str]] = []
    taken: Counter = Counter()
    per: dict[str, Counter] = defaultdict(Counter)
    for _round in range(per_spec):
        order = sorted(pools)
        rng.shuffle(order)
        for spec in order:
            if len(picked) >= target:
                return picked
            strata = pools[spec]
            if not strata["creation"] and not strata["other"]:
                continue
            if taken["creation"] != taken["other"]:
                want = "creation" if taken["creation"] < taken["other"] else "other"
            else:  # a tie: the stratum this spec has given fewer of
                want = "creation" if per[spec]["creation"] <= per[spec]["other"] else "other"
            if not strata[want]:
                want = "other" if want == "creation" else "creation"
            path, method, kind = strata[want].pop()
            taken[want] += 1
            per[spec][want] += 1
            picked.append((spec, path, method, kind))
    return picked


def split_of(seed: int, dev_share: float, all_specs: list[str]) -> dict[str, str]:
    """dev for the first ``dev_share`` of the specs in seeded-hash order, heldout for the rest."""
    ranked = sorted(all_specs, key=lambda s: hashlib.sha256(f"{seed}:{s}".encode()).hexdigest())
    n_dev = round(dev_share * len(ranked))
    return {s: ("dev" if i < n_dev else "heldout") for i, s in enumerate(ranked)}


# ------------------------------------------------------------------------------------- rendering

_IDENTITY = re.compile(
    r"^(id|uuid|guid|key|href|self|links?|url|uri|location|status|state)$|(_id|Id|ID|_uuid|Uuid)$",
    re.I,
)
_TAG = re.compile(r"<[^>]{1,200}>")
_WS = re.compile(r"\s+")


def clean(text, limit: int) -> str:
    if text is None:
        return ""
    text = _TAG.sub(" ", str(text))
    text = _WS.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return text


class Doc:
    """A parsed spec with local $ref resolution."""

    def __init__(self, spec: dict):
        self.spec = spec
        self.swagger2 = "swagger" in spec

    def resolve(self, node, hops: int = 10):
        """(name, node): follows local refs; name is the last ref's tail, or None."""
        name = None
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and hops > 0:
            ref = node["$ref"]
            name = ref.rsplit("/", 1)[-1]
            if not ref.startswith("#/"):
                return name, {}
            target = self.spec
            for part in ref[2:].split("/"):
                part = part.replace("~1", "/").replace("~0", "~")
                if isinstance(target, dict) and part in target:
                    target = target[part]
                elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                    target = target[int(part)]
                else:
                    return name, {}
            node = target
            hops -= 1
        return name, node if isinstance(node, dict) else {}


class SchemaText:
    def __init__(self, doc: Doc, max_props: int, max_nested: int):
        self.doc = doc
        self.max_props = max_props
        self.max_nested = max_nested

    def merged(self, schema: dict, hops: int = 4) -> tuple[dict, list]:
        """Properties and required of a schema, allOf parts merged in."""
        props: dict = {}
        required: list = []
        _, schema = self.doc.resolve(schema)
        for part in schema.get("allOf") or []:
            if hops > 0 and isinstance(part, dict):
                p, r = self.merged(part, hops - 1)
                props.update(p)
                required += [x for x in r if x not in required]
        if isinstance(schema.get("properties"), dict):
            props.update(schema["properties"])
        if isinstance(schema.get("required"), list):
            required += [str(x) for x in schema["required"] if str(x) not in required]
        return props, required

    def kind(self, schema: dict) -> str:
        t = schema.get("type")
        if isinstance(t, list):
            t = "|".join(str(x) for x in t if x != "null") or "null"
        if not t:
            if "properties" in schema or "allOf" in schema or "additionalProperties" in schema:
                t = "object"
            elif "items" in schema:
                t = "array"
        return str(t) if t else ""

    def inline(self, schema, depth: int) -> str:
        """One-line type of a schema; ``depth`` > 0 lets objects name their properties."""
        if not isinstance(schema, dict):
            return "?"
        name, s = self.doc.resolve(schema)
        for key in ("oneOf", "anyOf"):
            if isinstance(s.get(key), list) and s[key]:
                alts = [self.inline(a, 0) for a in s[key][:5]]
                more = " | …" if len(s[key]) > 5 else ""
                text = f"{key}: " + " | ".join(alts) + more
                return f"{name} ({text})" if name else text
        t = self.kind(s)
        if t == "array":
            inner = "array of " + self.inline(s.get("items") or {}, depth)
            return f"{name} ({inner})" if name else inner
        if t == "object" or s.get("allOf"):
            props, _ = self.merged(s)
            if props and depth > 0:
                keys = list(props)
                shown = ", ".join(str(k) for k in keys[: self.max_nested])
                if len(keys) > self.max_nested:
                    shown += f", … +{len(keys) - self.max_nested}"
                inner = f"object: {shown}"
            elif props or not isinstance(s.get("additionalProperties"), dict):
                inner = "object"
            else:
                inner = "map of " + self.inline(s["additionalProperties"], 0)
            return f"{name} ({inner})" if name else inner
        text = t or ("any" if not name else "")
        if s.get("format"):
            text += f"/{s['format']}"
        if isinstance(s.get("enum"), list):
            vals = [str(v) for v in s["enum"][:6]]
            text += " enum [" + ", ".join(vals) + (", …" if len(s["enum"]) > 6 else "") + "]"
        if name:
            text = f"{name} ({text})" if text else name
        return text

    def block(self, schema, indent: str) -> list[str]:
        """The schema's head line plus one line per top-level property (depth <= 2)."""
        if not isinstance(schema, dict):
            return [indent + "schema: ?"]
        head = indent + "schema: " + self.inline(schema, 0)
        _name, s = self.doc.resolve(schema)
        if self.kind(s) == "array":  # a list of items: show the items' properties
            _, s = self.doc.resolve(s.get("items") or {})
        props, required = self.merged(s)
        if not props:
            return [head]
        lines = [head + ("   (* = required)" if set(required) & set(map(str, props)) else "")]
        keys = list(props)
        shown = keys[: self.max_props]
        # Identity-like properties (id, uuid, status, url…) are evidence either way: never hide them.
        shown += [k for k in keys[self.max_props :] if _IDENTITY.search(str(k))][:5]
        for key in shown:
            prop = props[key] if isinstance(props[key], dict) else {}
            _, resolved = self.doc.resolve(prop)
            flags = []
            if resolved.get("readOnly") or prop.get("readOnly"):
                flags.append("read-only")
            if resolved.get("writeOnly") or prop.get("writeOnly"):
                flags.append("write-only")
            extra = f" ({', '.join(flags)})" if flags else ""
            star = "*" if str(key) in required else ""
            lines.append(f"{indent}  - {key}{star}: {self.inline(prop, 1)}{extra}")
        if len(keys) > len(shown):
            lines.append(f"{indent}  - … +{len(keys) - len(shown)} more properties")
        return lines


def media_list(types: list[str], cap: int) -> str:
    """Content types, at most ``cap`` of them named."""
    if not types:
        return "(content type not stated)"
    more = f" +{len(types) - cap} more" if len(types) > cap else ""
    return ", ".join(types[:cap]) + more


def related_paths(paths: dict, this: str, cap: int) -> list[str]:
    """Paths sharing the first segment, or parent/child of ``this``, most related first."""

    def segs(p: str) -> list[str]:
        return [
            ("{}" if s.startswith("{") or s.startswith(":") else s)
            for s in p.strip("/").split("/")
            if s
        ]

    mine = segs(this)
    first = mine[0] if mine else ""
    scored = []
    for path, item in paths.items():
        if not isinstance(item, dict):
            continue
        other = segs(str(path))
        lineal = other[: len(mine)] == mine or mine[: len(other)] == other
        if not lineal and (not other or other[0] != first):
            continue
        common = 0
        for a, b in zip(mine, other, strict=False):
            if a != b:
                break
            common += 1
        verbs = (
            " ".join(m.upper() for m in METHODS if isinstance(item.get(m), dict))
            or "(no operations)"
        )
        rank = (0 if str(path) == this else 1 if lineal else 2, -common, len(other), str(path))
        note = "   <- this path" if str(path) == this else ""
        scored.append((rank, f"- {path}: {verbs}{note}"))
    scored.sort()
    lines = [line for _rank, line in scored[:cap]]
    if len(scored) > cap:
        lines.append(f"- … +{len(scored) - cap} more paths under /{first}")
    return lines


def render_card(card_id: str, spec_rel: str, doc: Doc, path: str, method: str, level) -> str:
    max_props, desc_chars, related_cap, max_nested, error_chars = level
    spec = doc.spec
    st = SchemaText(doc, max_props, max_nested)
    item = spec["paths"][path]
    op = item[method]
    info = spec.get("info") or {}
    out = [f"# Card {card_id}", ""]
    out.append(f"- API: {clean(info.get('title'), 120) or '(untitled)'}")
    out.append(f"- Spec file: apisguru/{spec_rel}")
    out.append(f"- Operation: {method.upper()} {path}")
    out.append(f"- operationId: {clean(op.get('operationId'), 120) or '(none)'}")
    out.append(f"- Summary: {clean(op.get('summary'), 200) or '(none)'}")
    tags = [clean(t, 60) for t in op.get("tags") or [] if t is not None]
    out.append(f"- Tags: {', '.join(tags) if tags else '(none)'}")
    if op.get("deprecated"):
        out.append("- Deprecated: yes")
    out += ["", "## Description", "", clean(op.get("description"), desc_chars) or "(none)"]

    # Parameters: path-level, overridden by operation-level (same name and in).
    params: dict = {}
    body_param = None
    for raw in list(item.get("parameters") or []) + list(op.get("parameters") or []):
        _, p = doc.resolve(raw)
        if not p:
            continue
        if p.get("in") == "body":
            body_param = p
            continue
        params[(p.get("name"), p.get("in"))] = p
    out += ["", "## Parameters", ""]
    if params:
        for (name, where), p in list(params.items())[:MAX_PARAMS]:
            req = ", required" if p.get("required") else ""
            typ = p.get("type")
            if not typ and isinstance(p.get("schema"), dict):
                typ = st.inline(p["schema"], 0)
            out.append(f"- {name} ({where}{req})" + (f": {typ}" if typ else ""))
        if len(params) > MAX_PARAMS:
            out.append(f"- … +{len(params) - MAX_PARAMS} more parameters")
    else:
        out.append("(none)")

    out += ["", "## Request body", ""]
    if doc.swagger2:
        if body_param is not None:
            types = op.get("consumes") or spec.get("consumes") or ["(content type not stated)"]
            req = "required" if body_param.get("required") else "optional"
            out.append(f"- {req}; content: {media_list(list(map(str, types)), 4)}")
            if body_param.get("description"):
                out.append("  description: " + clean(body_param["description"], 200))
            out += st.block(body_param.get("schema") or {}, "  ")
        elif any(p.get("in") == "formData" for p in params.values()):
            types = op.get("consumes") or spec.get("consumes") or ["(content type not stated)"]
            out.append(
                f"- form fields (see formData parameters); content: {media_list(list(map(str, types)), 4)}"
            )
        else:
            out.append("(none)")
    else:
        name, body = doc.resolve(op.get("requestBody") or {})
        content = body.get("content") if isinstance(body.get("content"), dict) else {}
        if content:
            req = "required" if body.get("required") else "optional"
            label = f" ({name})" if name else ""
            out.append(f"- {req}{label}; content: {media_list(list(map(str, content)), 4)}")
            if body.get("description"):
                out.append("  description: " + clean(body["description"], 200))
            seen = []
            for media in content.values():
                schema = (media or {}).get("schema") if isinstance(media, dict) else None
                if isinstance(schema, dict) and schema not in seen:
                    seen.append(schema)
                    out += st.block(schema, "  ")
                    if len(seen) >= 2:
                        break
        else:
            out.append("(none)")

    out += ["", "## Responses", ""]
    responses = op.get("responses") or {}
    if not isinstance(responses, dict) or not responses:
        out.append("(none)")
    for code, raw in responses.items() if isinstance(responses, dict) else []:
        name, resp = doc.resolve(raw)
        code = str(code)
        success = code.startswith("2") or (
            code == "default" and not any(str(c).startswith("2") for c in responses)
        )
        desc = clean(resp.get("description"), 200 if success else error_chars)
        label = f" [{name}]" if name else ""
        line = f"- {code}{label}: {desc or '(no description)'}"
        headers = resp.get("headers") if isinstance(resp.get("headers"), dict) else {}
        schemas = []
        if doc.swagger2:
            if isinstance(resp.get("schema"), dict):
                types = op.get("produces") or spec.get("produces") or []
                schemas.append((", ".join(map(str, types)), resp["schema"]))
        else:
            content = resp.get("content") if isinstance(resp.get("content"), dict) else {}
            for media, obj in content.items():
                schema = obj.get("schema") if isinstance(obj, dict) else None
                schemas.append((str(media), schema if isinstance(schema, dict) else None))
        types = media_list([m for m, _ in schemas if m], 4 if success else 1)
        first = next((s for _, s in schemas if s), None)
        if not success:  # errors: one line
            if headers:
                line += f" | headers: {', '.join(map(str, headers))}"
            if schemas:
                line += f" | {types}" + (f": {st.inline(first, 0)}" if first is not None else "")
            out.append(line)
            continue
        out.append(line)
        if headers:
            out.append("  headers: " + ", ".join(map(str, headers)))
        if schemas:
            out.append("  content: " + types)
            if first is not None:
                out += st.block(first, "  ")

    out += ["", "## Related paths (same first segment, parents, children)", ""]
    out += related_paths(spec.get("paths") or {}, path, related_cap)
    return "\n".join(out) + "\n"


def fit_card(card_id: str, spec_rel: str, doc: Doc, path: str, method: str) -> str:
    text = ""
    for level in LEVELS:
        text = render_card(card_id, spec_rel, doc, path, method, level)
        if len(text.encode()) <= MAX_CARD_BYTES:
            return text
    return text


# ----------------------------------------------------------------------------------------- main


def card_relpath(out: Path, split: str, card_id: str) -> str:
    return os.path.relpath(out / "cards" / split / f"{card_id}.md", REPO)


def write_all(args) -> None:
    corpus: Path = args.corpus
    out: Path = args.out
    specs = list_specs(corpus)
    docs = {s: Doc(load_spec(corpus / s)) for s in specs}
    verdicts = tool_verdicts(corpus, specs, args.tool)

    ops_by_spec: dict[str, list] = {}
    mismatches = []
    for s in specs:
        mine = own_operations(docs[s].spec)
        theirs = {(p, m) for (sp, p, m) in verdicts if sp == s}
        if set(mine) != theirs:
            mismatches.append((s, sorted(set(mine) ^ theirs)[:5]))
        ops = [(p, m, verdicts[(s, p, m)]) for p, m in sorted(mine) if (s, p, m) in verdicts]
        if ops:
            ops_by_spec[s] = ops
    for s, diff in mismatches:
        print(f"warning: {s}: the linter's operations differ from paths: {diff}", file=sys.stderr)

    picked = sample(ops_by_spec, args.seed, args.target, args.per_spec)
    splits = split_of(args.seed, args.dev_share, sorted(ops_by_spec))

    rng = random.Random(f"{args.seed}:ids")
    order = list(range(len(picked)))
    rng.shuffle(order)
    cards = []  # (id, split, spec, path, method, kind)
    for n, idx in enumerate(order, start=1):
        spec, path, method, kind = picked[idx]
        cards.append((f"b{n:04d}", splits[spec], spec, path, method, kind))
    cards.sort()

    for sub in ("cards", "batches"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
    for split in ("dev", "heldout"):
        (out / "cards" / split).mkdir(parents=True, exist_ok=True)
    (out / "batches").mkdir(parents=True, exist_ok=True)

    sizes = []
    manifest = []
    for card_id, split, spec, path, method, _kind in cards:
        text = fit_card(card_id, spec, docs[spec], path, method)
        sizes.append(len(text.encode()))
        (out / "cards" / split / f"{card_id}.md").write_text(text, encoding="utf-8")
        op_id = docs[spec].spec["paths"][path][method].get("operationId")
        manifest.append(
            {
                "id": card_id,
                "split": split,
                "spec": spec,
                "path": path,
                "method": method,
                "operationId": None if op_id is None else str(op_id),
            }
        )
    header = (
        "# Blind labelling set: one entry per card (see PROVENANCE.md). No verdicts here.\n"
        "# spec is relative to the apisguru corpus folder; path is the paths key as written.\n"
    )
    (out / "manifest.yaml").write_text(
        header + yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True, width=200),
        encoding="utf-8",
    )
    (out / ".sampling_verdicts.json").write_text(
        json.dumps({c[0]: c[5] for c in cards}, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )

    # Batches: ~batch_size cards each, one seeded shuffle over both splits.
    brng = random.Random(f"{args.seed}:batches")
    batch_order = [c for c in cards]
    brng.shuffle(batch_order)
    n_batches = max(1, round(len(cards) / args.batch_size))
    for b in range(n_batches):
        chunk = batch_order[b::n_batches]
        lines = [card_relpath(out, c[1], c[0]) for c in chunk]
        (out / "batches" / f"batch-{b + 1:02d}.txt").write_text(
            "\n".join(lines) + "\n", encoding="utf-8"
        )

    write_provenance(args, out, specs, ops_by_spec, cards, n_batches, sizes, mismatches)
    print(
        f"{len(cards)} cards from {len({c[2] for c in cards})} specs; {n_batches} batches; "
        f"largest card {max(sizes)} bytes ({sum(s > MAX_CARD_BYTES for s in sizes)} over {MAX_CARD_BYTES})"
    )


def write_provenance(args, out, specs, ops_by_spec, cards, n_batches, sizes, mismatches) -> None:
    total_ops = sum(len(v) for v in ops_by_spec.values())
    pop = Counter(
        "creation" if k in CREATION else "other" for v in ops_by_spec.values() for _p, _m, k in v
    )
    spec_split = {c[2]: c[1] for c in cards}
    rows = []
    for split in ("dev", "heldout"):
        cs = [c for c in cards if c[1] == split]
        n_specs = sum(1 for v in spec_split.values() if v == split)
        cre = sum(1 for c in cs if c[5] in CREATION)
        methods = Counter(c[4] for c in cs)
        rows.append(
            f"| {split} | {n_specs} | {len(cs)} | {cre} | {len(cs) - cre} | "
            f"{methods['post']} | {methods['put']} |"
        )
    cre_all = sum(1 for c in cards if c[5] in CREATION)
    m_all = Counter(c[4] for c in cards)
    rows.append(
        f"| **total** | {len(spec_split)} | {len(cards)} | {cre_all} | {len(cards) - cre_all} | "
        f"{m_all['post']} | {m_all['put']} |"
    )
    per_spec = Counter(Counter(c[2] for c in cards).values())
    per_spec_text = ", ".join(
        f"{n} op{'s' if n > 1 else ''}: {per_spec[n]} specs" for n in sorted(per_spec)
    )
    text = f"""# Provenance of the blind labelling set

Written by `benchmarks/blind_cards.py` on {DATE} (seed {args.seed}). Rerun it to regenerate;
`--check` re-renders the manifest's cards and compares them with the files here.

## Where the operations come from

`shared/corpus/apisguru/` (beside the repository): copies, unchanged, of {len(specs)} public API descriptions, one
each from {len(specs)} providers, taken from the APIs-guru `openapi-directory` repository (`APIs/`,
commit 3f25f9de3b6a, 2022-06-15; see `shared/corpus/SOURCES.md`). Nobody on the project
had labelled or tuned the classifier on them. {len(ops_by_spec)} of the specs have at least one
POST or PUT under `paths`; together they have {total_ops} such operations.

## Sampling

* Every POST and PUT under `paths` of every spec is listed. The list comes from the linter's JSON
  output, {args.tool_version}, run once over all specs from an empty directory so
  that no project config applies, and is checked against the script's own walk of `paths`
  ({"no differences" if not mismatches else f"{len(mismatches)} specs differ, see the script's warnings"}).
* Strata, from the linter's kind at sampling time: *creation* (create, upsert) and *other*
  (action, update). Population: {pop["creation"]} creation, {pop["other"]} other.
* Picks go round by round over the specs, in a seeded order per round, one operation per spec per
  round, at most {args.per_spec} per spec; each pick comes from the stratum that is behind overall
  (on a tie, the one the spec has given fewer of), or from the other when the spec has none left.
  Within a stratum the operation is drawn at random. Picking stops at {args.target} operations.
  The first round reaches every spec with a POST/PUT. Operations per spec: {per_spec_text}.
* The per-card sampling verdicts are in `.sampling_verdicts.json` (bookkeeping for the
  stratification only: never show it to a labeller, and do not read it before labelling).

## Split

By spec (one spec per provider): specs are ordered by SHA-256 of `"<seed>:<spec path>"`; the first
{round(args.dev_share * 100)}% are `dev`, the rest `heldout`. The split of a spec does not depend
on which of its operations were picked.

| split | specs | operations | creation stratum | other stratum | POST | PUT |
|---|---|---|---|---|---|---|
{chr(10).join(rows)}

## Cards and batches

* Card ids (`b0001`…) are assigned in a seeded random order: an id says nothing about split,
  stratum or spec. A card holds only the spec's own text (see GUIDE.md); it never holds the
  linter's verdict or reason. Cards are at most {MAX_CARD_BYTES} bytes where possible (limits on
  listed properties, description length and related paths shrink step by step); largest:
  {max(sizes)} bytes, {sum(s > MAX_CARD_BYTES for s in sizes)} over.
* {n_batches} batches (`batches/batch-NN.txt`) of about {args.batch_size} cards, dev and heldout
  shuffled together with one seeded shuffle.
* `manifest.yaml` maps each id to split, spec, path, method and operationId.
"""
    (out / "PROVENANCE.md").write_text(text, encoding="utf-8")


def check(args) -> int:
    out: Path = args.out
    manifest = yaml.safe_load((out / "manifest.yaml").read_text(encoding="utf-8"))
    docs: dict[str, Doc] = {}
    bad = 0
    for entry in manifest:
        spec = entry["spec"]
        if spec not in docs:
            docs[spec] = Doc(load_spec(args.corpus / spec))
        text = fit_card(entry["id"], spec, docs[spec], entry["path"], entry["method"])
        path = out / "cards" / entry["split"] / f"{entry['id']}.md"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            print(f"differs: {path}")
            bad += 1
    listed = sorted(p.stem for p in (out / "cards").glob("*/*.md"))
    if listed != sorted(e["id"] for e in manifest):
        print("cards on disk do not match the manifest")
        bad += 1
    print(f"{len(manifest)} cards checked, {bad} problems")
    return 1 if bad else 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument(
        "--tool", default="oas-create-check", help="command of the linter (split on spaces)"
    )
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--target", type=int, default=480, help="operations to sample")
    ap.add_argument("--per-spec", type=int, default=4)
    ap.add_argument("--dev-share", type=float, default=0.4)
    ap.add_argument("--batch-size", type=int, default=50)
    ap.add_argument(
        "--tool-commit", default="", help="commit of the linter's source, for PROVENANCE.md"
    )
    ap.add_argument(
        "--check", action="store_true", help="re-render the manifest's cards and compare"
    )
    args = ap.parse_args(argv)
    args.out = args.out.resolve()
    if args.check:
        return check(args)
    args.tool_version = tool_version(args.tool) + (
        f" at commit {args.tool_commit}" if args.tool_commit else ""
    )
    write_all(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
