"""openapi-spec-validator, sandboxed: no network, no file outside the spec's root, no traceback.

Two callers: the ``valid-spec`` rule (``--validate``), which reports every error at the node the
validator names, and the fixer, which refuses to write a fix that makes a valid spec invalid and
only needs to know whether there is *any* error (``first_only``).

The validator resolves ``$ref`` itself, through handlers keyed by URI scheme. We give it one for
``file`` URIs that serves documents from our own loader (so it sees exactly the data the linter
saw, including the fixer's in-memory texts, and never a file outside ``root_dir``) and one that
refuses everything else; a refused or unreadable reference becomes an issue, not a fetch. The
library is imported lazily: it costs a few hundred milliseconds that plain linting never pays.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from oas_create_check.load.read import SpecError, real_path
from oas_create_check.load.source import SourceFile, key_text, read_file
from oas_create_check.model import Pointer
from oas_create_check.offline import rust_validator

VALID, INVALID, CRASHED, UNSUPPORTED = "valid", "invalid", "crashed", "unsupported"
#: The validator's messages can quote whole subschemas; one line of a sane length is enough.
_MAX_MESSAGE = 300


@dataclass(frozen=True)
class Issue:
    """One validation error. ``pointer`` is the path the validator walked from the root document,
    through ``$ref``s (``Workspace.deref`` maps it to the file that defines the node)."""

    pointer: Pointer
    message: str
    #: Said by this tool, not the validator: a reference it would not follow (``ref-root``, no
    #: network) or could not read.
    refused: bool = False


@dataclass(frozen=True)
class Validation:
    """The verdict: ``valid``, ``invalid`` (see ``issues``), ``crashed`` (the validator raised;
    ``detail`` says what) or ``unsupported`` (not a version the validator knows)."""

    status: str
    issues: tuple[Issue, ...] = ()
    detail: str = ""

    @property
    def passed(self) -> bool:
        return self.status == VALID


class _Sandbox:
    """Serves ``file`` URIs from memory or our loader, inside ``root_dir`` only; records every
    reference it refuses so that a spec that needed one is never called valid."""

    def __init__(
        self, root: Any, root_path: Path, root_dir: Path, files: Mapping[Path, Any]
    ) -> None:
        self.root_dir = root_dir.resolve()
        self.root = root
        self.root_path = root_path
        #: Overlay data, converted by ``string_keys`` only when the validator asks for it: the
        #: fixer hands over every file a run has edited so far, and most belong to other specs.
        self.given = files
        self.data: dict[Path, Any] = {root_path.resolve(): root}
        self.refused: list[Issue] = []

    def file(self, uri: str) -> Any:
        parts = urlsplit(uri)
        path = real_path(Path(url2pathname(unquote(parts.path))))
        if path in self.data:
            return self.data[path]
        if path in self.given:
            converted = self.data[path] = string_keys(self.given[path])
            return converted
        if not path.is_relative_to(self.root_dir):
            return self._refuse(
                uri,
                "not followed: it leaves the spec's root directory, which oas-create-check "
                "refuses by its own policy (widen it with the 'ref-root' setting)",
                path,
            )
        try:
            loaded = string_keys(read_file(path).data)
        except SpecError as exc:
            return self._refuse(uri, f"cannot be read: {exc.message}", path)
        self.data[path] = loaded
        return loaded

    def remote(self, uri: str) -> Any:
        return self._refuse(
            uri, "not followed: oas-create-check makes no network requests (its own policy)"
        )

    def _refuse(self, uri: str, why: str, path: Path | None = None) -> dict[str, Any]:
        shown = os.path.relpath(url2pathname(urlsplit(uri).path), self.root_dir)
        if urlsplit(uri).scheme != "file":
            shown = uri
        where = self._referrer(path, uri)
        self.refused.append(Issue(where, f"$ref to '{shown}' {why}", refused=True))
        return _Placeholder()

    def _referrer(self, path: Path | None, uri: str) -> Pointer:
        """Where the root document writes a ``$ref`` to the refused document, so the finding
        points at it (the document's top when only another file does)."""
        stack: list[tuple[Pointer, Any]] = [((), self.root)]
        while stack:
            at, value = stack.pop()
            if isinstance(value, dict):
                ref = value.get("$ref")
                location = ref.partition("#")[0] if isinstance(ref, str) else ""
                if location and (
                    location == uri.partition("#")[0]
                    if path is None
                    else real_path(self.root_path.parent / unquote(location)) == path
                ):
                    return at
                stack.extend(((*at, k), v) for k, v in reversed(value.items()))
            elif isinstance(value, list):
                stack.extend(((*at, i), v) for i, v in reversed(list(enumerate(value))))
        return ()


class _EveryScheme(dict[str, Callable[[str], Any]]):
    """Resolver handlers that answer for every URI scheme. jsonschema-path hands a scheme with no
    handler of its own to ``urlopen``, so a ``$ref`` to ``ftp://`` (or any scheme urllib knows)
    would open a connection; here anything but ``file`` is refused."""

    def __init__(self, file: Callable[[str], Any], other: Callable[[str], Any]) -> None:
        super().__init__(file=file)
        self.other = other

    def __contains__(self, scheme: object) -> bool:
        return True

    def __missing__(self, scheme: str) -> Callable[[str], Any]:
        return self.other


class _Placeholder(dict[str, Any]):
    """Stands for a document that was not loaded: empty, and so is anything looked up in it,
    so that a ``#/fragment`` into it does not stop the validation of everything else."""

    def __missing__(self, key: str) -> _Placeholder:
        return _Placeholder()


def _tolerant_specification() -> Any:
    """JSON Schema 2020-12 as ``referencing`` knows it, except that a referenced document which
    is not a mapping (a YAML file holding one string, as DigitalOcean's have) is looked up
    instead of crashing the validator with ``AttributeError``."""
    from referencing import Specification
    from referencing.jsonschema import DRAFT202012

    def guarded(function: Callable[..., Any], default: Any) -> Callable[..., Any]:
        def call(contents: Any) -> Any:
            return function(contents) if isinstance(contents, Mapping) else default

        return call

    def anchors_in(specification: Any, contents: Any) -> Any:
        return DRAFT202012.anchors_in(contents) if isinstance(contents, Mapping) else ()

    fields: dict[str, Any] = {
        "name": "openapi-json-schema-tolerant",
        "id_of": guarded(DRAFT202012.id_of, None),
        "subresources_of": guarded(DRAFT202012.subresources_of, ()),
        "anchors_in": anchors_in,
        "maybe_in_subresource": DRAFT202012.maybe_in_subresource,
    }
    return Specification(**fields)


#: The library's registries of what it has seen (schemas visited and meta-checked, operationIds),
#: lists it searches with ``in`` before each append: quadratic in the size of the spec (a spec
#: with 4,000 operations took 22 s to validate, 4 s with these as ``_SeenList``).
_SEEN_LISTS = ("visited_schema_ids", "meta_checked_schema_ids", "operation_ids_registry")


class _SeenList(list[Any]):
    """A list whose ``in`` is a set lookup for hashable items (a scan of the unhashable ones
    only, which never equal a hashable one in YAML/JSON data): the same answers as the list's."""

    def __init__(self, items: Iterable[Any] = ()) -> None:
        super().__init__()
        self._hashed: set[Any] = set()
        self._unhashable: list[Any] = []
        for item in items:
            self.append(item)

    def append(self, item: Any) -> None:
        super().append(item)
        try:
            self._hashed.add(item)
        except TypeError:
            self._unhashable.append(item)

    def __contains__(self, item: object) -> bool:
        try:
            if item in self._hashed:
                return True
        except TypeError:
            pass
        return any(other is item or other == item for other in self._unhashable)


def _located(validator_class: type[Any], root_stage_first: bool) -> type[Any]:
    """A validator class whose keyword validators stamp each error with the path they were
    checking: the library's own errors (duplicate parameters, unresolvable path parameters,
    invalid defaults...) carry no location otherwise."""
    from jsonschema_path import SchemaPath

    def stamp(keyword_class: type[Any]) -> type[Any]:
        def __call__(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
            where = next((a for a in args if isinstance(a, SchemaPath)), None)
            for error in keyword_class.__call__(self, *args, **kwargs):
                if where is not None and getattr(error, "oas_location", None) is None:
                    error.oas_location = tuple(where.parts)
                yield error

        def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
            keyword_class.__init__(self, *args, **kwargs)
            for name in _SEEN_LISTS:
                if type(getattr(self, name, None)) is list:
                    setattr(self, name, _SeenList(getattr(self, name)))

        return type(
            keyword_class.__name__,
            (keyword_class,),
            {"__call__": __call__, "__init__": __init__},
        )

    def iter_errors(self: Any) -> Iterator[Any]:
        # The library's own iter_errors re-creates errors (dropping our stamp) and caches them
        # forever; this is the same two stages without either, in the order asked for. A crash
        # in one stage (the OpenAPI stage assumes every reference resolved to a sound object,
        # and a refused one did not) is kept for the verdict and the other stage still runs:
        # the spec's own errors are not hidden behind it.
        from referencing.exceptions import Unresolvable

        stages = [
            lambda: self.schema_validator.iter_errors(self.schema),
            lambda: self.root_validator(self.schema_path),
        ]
        self.oas_crash = None
        for stage in reversed(stages) if root_stage_first else stages:
            try:
                yield from stage()
            except (Unresolvable, RecursionError):
                raise
            except Exception as exc:
                self.oas_crash = exc

    keywords = {name: stamp(cls) for name, cls in validator_class.keyword_validators.items()}
    return type(
        validator_class.__name__,
        (validator_class,),
        {
            "keyword_validators": keywords,
            "iter_errors": iter_errors,
            # compiled on first use: a first-error run that stops in the OpenAPI stage never is
            "schema_validator": property(lambda self: _offline_schema_validator(validator_class)),
        },
    )


#: The meta-schema validators compiled by jsonschema-rs that fetch nothing, per class.
_OFFLINE: dict[type[Any], Any] = {}


def _offline_schema_validator(validator_class: type[Any]) -> Any:
    """The meta-schema stage's validator. openapi-spec-validator compiles it with jsonschema-rs
    when that is installed (much faster than the pure-Python one on a large document) but with
    jsonschema-rs's default retriever, which may open a connection; this is the same validator
    compiled with a retriever that refuses every URI. Without jsonschema-rs (or with the
    library's backend setting forcing ``jsonschema``), the library's own validator."""
    default = validator_class.schema_validator
    from openapi_spec_validator.schemas import get_validator_backend

    if get_validator_backend() != "jsonschema-rs":
        return default
    compiled = _OFFLINE.get(validator_class)
    if compiled is None:
        from openapi_spec_validator.schemas.backend.jsonschema_rs import (
            JsonschemaRsValidatorWrapper,
        )

        schema = dict(default.schema)
        rust = rust_validator(schema)
        compiled = _OFFLINE[validator_class] = JsonschemaRsValidatorWrapper(schema, rust)
    return compiled


def string_keys(data: Any) -> Any:
    """``data`` with every mapping key a string, as in JSON and as OpenAPI means them: YAML reads
    ``201:`` as an integer, and the validator, matching keys against patterns, crashes on one
    ("expected string or bytes-like object, got 'int'"), so every spec with unquoted codes would
    be called broken. Unchanged subtrees are shared, not copied; shared nodes (YAML aliases) are
    converted once."""
    done: dict[int, Any] = {}

    def convert(value: Any) -> Any:
        if not isinstance(value, (dict, list)):
            return value
        known = done.get(id(value))
        if known is not None:
            return known
        result: Any
        if isinstance(value, dict):
            items = [(k if type(k) is str else key_text(k), convert(v)) for k, v in value.items()]
            same = all(a is b for (a, _), b in zip(items, value, strict=True)) and all(
                new is old for (_, new), old in zip(items, value.values(), strict=True)
            )
            result = value if same else dict(items)
        else:
            converted = [convert(item) for item in value]
            same = all(a is b for a, b in zip(converted, value, strict=True))
            result = value if same else converted
        done[id(value)] = result
        return result

    return convert(data)


def _split_up(data: Any) -> bool:
    """Whether the root document is an index of ``$ref``'d path items or operations
    (DigitalOcean's layout).

    When only the first error matters, the cheaper stage goes first. The meta-schema stage reads
    the root document only; the OpenAPI stage walks every file the references reach. On a
    single-file spec the OpenAPI stage tends to find an error within a fraction of a second
    while the meta-schema stage takes seconds on a large document either way (openai: 0.2 s
    against 4.6 s); on a split-up spec the root is small and the meta-schema stage is the
    cheap one (DigitalOcean: instant against 4 s)."""
    paths = data.get("paths") if isinstance(data, dict) else None
    if not isinstance(paths, dict) or not paths:
        return False
    referenced = 0
    for item in paths.values():
        if not isinstance(item, dict):
            continue
        operations = [v for k, v in item.items() if not k.startswith("x-") and k != "parameters"]
        if "$ref" in item or (operations and all(_is_ref(v) for v in operations)):
            referenced += 1
    return referenced * 2 > len(paths)


def _is_ref(value: Any) -> bool:
    return isinstance(value, dict) and "$ref" in value


def _message(error: Any) -> str:
    text = str(getattr(error, "message", None) or error).strip().splitlines()
    return _short(text[0] if text else type(error).__name__)


def _short(text: str) -> str:
    """One line of at most ``_MAX_MESSAGE`` characters."""
    first = text.strip().partition("\n")[0]
    return first if len(first) <= _MAX_MESSAGE else first[:_MAX_MESSAGE] + "…"


def _pointer(error: Any) -> Pointer:
    location = getattr(error, "oas_location", None)
    if location is not None:
        return tuple(location)
    return tuple(getattr(error, "absolute_path", ()))


def validate(
    root: SourceFile,
    root_dir: Path | None = None,
    files: Mapping[Path, Any] | None = None,
    *,
    first_only: bool = False,
) -> Validation:
    """Validate the spec whose root document is ``root``. ``files`` maps resolved paths to data
    that replaces what is on disk (the fixer's candidate texts). With ``first_only`` the run
    stops at the first error: enough to know the spec does not pass, at a fraction of the cost."""
    try:
        from jsonschema_path import SchemaPath
        from openapi_spec_validator.shortcuts import get_validator_cls
        from openapi_spec_validator.validation.exceptions import ValidatorDetectError
        from referencing.exceptions import Unresolvable
    except ImportError as exc:  # pragma: no cover - a declared dependency
        return Validation(CRASHED, detail=f"openapi-spec-validator is not installed ({exc})")

    issues: list[Issue] = []
    try:
        document = string_keys(root.data)
        sandbox = _Sandbox(document, root.path, root_dir or root.path.parent, files or {})
    except RecursionError:
        return Validation(CRASHED, (), "validator crashed: nesting too deep")
    handlers = _EveryScheme(file=sandbox.file, other=sandbox.remote)
    try:
        try:
            validator_class = get_validator_cls(document)
        except ValidatorDetectError:
            return Validation(
                UNSUPPORTED, detail="openapi-spec-validator does not know this spec version"
            )
        path = SchemaPath.from_dict(
            document,
            base_uri=root.path.resolve().as_uri(),
            handlers=handlers,
            resolved_cache_maxsize=128,
            specification=_tolerant_specification(),
        )
        validator = _located(validator_class, first_only and not _split_up(document))(path)
        for error in validator.iter_errors():
            issues.append(Issue(_pointer(error), _message(error)))
            if first_only:
                break
        crash = getattr(validator, "oas_crash", None)
        if crash is not None:
            raise crash
    except Unresolvable as exc:  # a broken $ref in the spec, not a validator bug
        # Not ``str(exc)``: a PointerToNowhere quotes the whole document it looked in.
        ref = _short(str(getattr(exc, "ref", "") or ""))
        broken = Issue((), f"$ref '{ref}' cannot be resolved; validation stopped there")
        return Validation(INVALID, (*issues, *sandbox.refused, broken))
    except RecursionError:
        return Validation(CRASHED, tuple(issues), "validator crashed: nesting too deep")
    except Exception as exc:  # the validator's internal failures: a verdict, not a traceback
        if sandbox.refused:
            # It met a document it was not given (a stand-in for a refused reference): the
            # refusal is the cause, and the library's complaint about our stand-in says nothing.
            detail = "it stopped at a $ref that was not followed: see the finding about it"
        else:
            first_line = str(exc).splitlines()[0] if str(exc) else ""
            detail = f"validator crashed: {type(exc).__name__}: {first_line}"[:_MAX_MESSAGE]
        return Validation(CRASHED, tuple(issues + sandbox.refused), detail)
    issues.extend(sandbox.refused)
    return Validation(INVALID if issues else VALID, tuple(issues))


__all__ = ["CRASHED", "INVALID", "UNSUPPORTED", "VALID", "Issue", "Validation", "validate"]
