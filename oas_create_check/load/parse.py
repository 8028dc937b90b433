"""Text -> plain data, with every parser failure turned into a ``SpecError`` naming the line.

Data comes from ``json.loads`` or the Rust ``yaml_rs`` parser, which keep no positions (those
are found on demand, ``locate.py``). Pre-scans refuse what would crash or hang the parser: very
deep nesting, integers Python cannot print; alias bombs are cut off by the parser's own limit.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from oas_create_check.load.locate import duplicate_key_offset
from oas_create_check.load.read import SpecError

#: Deeper block nesting crashes yaml-rs (its recursion is not guarded: the process dies at about
#: 10,000 levels), so it is refused by a pre-scan. Real specs nest a few dozen levels.
MAX_BLOCK_NESTING = 1000
#: An alias expanding into more nodes than this is an alias bomb, not an API description.
MAX_ALIAS_EVENTS = 2_000_000

#: The pre-scans map every byte to a class and search the result for a literal: one C pass over
#: the bytes, where a regex over 100 MB takes seconds. Each level of block nesting costs at least
#: one character before a line's first token: a space of indentation or a compact ``- ``, ``? ``
#: or ``: `` (properties such as ``&a`` or ``!t`` cannot stand between them), so a line starting
#: with ``MAX_BLOCK_NESTING`` of them is too deep. A line starts after LF or after CR: YAML breaks
#: lines at a lone CR too.
_NESTING_CLASSES = bytes(
    ord("i") if byte in b" \t?:-" else ord("\n") if byte in b"\n\r" else ord(".")
    for byte in range(256)
)
_DEEP_LINE = b"\n" + b"i" * MAX_BLOCK_NESTING
#: Python refuses to turn an integer of more than 4,300 digits into text
#: (``sys.get_int_max_str_digits``), so one in a spec would make any message quoting it raise.
_INT_DIGITS = 4300
_DIGIT_CLASSES = bytes(ord("d") if byte in b"0123456789abcdefABCDEF" else 0 for byte in range(256))
_LONG_DIGIT_RUN = b"d" * _INT_DIGITS
_BLANK = re.compile(r"\s*")
_FIRST_CHAR = re.compile(r"\S")
_YAML_ERROR_LINE = re.compile(r"line (\d+), column (\d+)")


def parse(text: str, display: str, is_json: bool) -> Any:
    """Text -> data, with every parser failure turned into a ``SpecError`` naming the line."""
    if _BLANK.fullmatch(text):
        raise SpecError(display, "empty file")
    if is_json:
        return _parse_json(text, display)
    encoded = text.encode("utf-8", "surrogatepass")
    offset = _deep_line(encoded)
    if offset is not None:
        line = _line_at(encoded, offset)
        raise SpecError(display, f"nesting deeper than {MAX_BLOCK_NESTING} levels: refused", line)
    long_number = _has_long_digit_run(encoded)
    del encoded
    import yaml_rs

    try:
        data = load_yaml(text)
    except yaml_rs.YAMLDecodeError as exc:
        raise _yaml_error(text, display, str(exc)) from None
    except (RecursionError, MemoryError):
        raise SpecError(display, "nesting too deep to be an API description") from None
    except ValueError as exc:  # not a YAMLDecodeError: Python's limit on integer digits
        raise _number_error(text, display, exc) from None
    except Exception as exc:
        # The parser's own failures (a mapping used as a key inside a key, say) surface as plain
        # TypeErrors: whatever the file holds, the user gets a message, never a traceback.
        raise SpecError(display, f"invalid YAML: the parser failed ({exc})") from None
    if long_number and _has_huge_int(data):
        raise _number_error(text, display, ValueError("digits"))
    if isinstance(data, list) and data and all(isinstance(d, dict) for d in data):
        if len(data) > 1:
            raise SpecError(display, f"{len(data)} YAML documents in one file; expected one")
        data = data[0]
    return data


def load_yaml(text: str) -> Any:
    """The one call of the YAML parser, with the options every YAML text is read with. Raises the
    parser's exceptions; ``parse`` turns them into messages."""
    import yaml_rs

    return yaml_rs.loads(
        text,
        parse_datetime=False,
        alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=MAX_ALIAS_EVENTS),
    )


def _deep_line(encoded: bytes) -> int | None:
    """Byte offset of the first line nested deeper than ``MAX_BLOCK_NESTING``, if any."""
    if (b"\n" + encoded[:MAX_BLOCK_NESTING]).translate(_NESTING_CLASSES) == _DEEP_LINE:
        return 0
    found = encoded.translate(_NESTING_CLASSES).find(_DEEP_LINE)
    return found + 1 if found >= 0 else None


def _has_long_digit_run(encoded: bytes) -> bool:
    """Whether a run of digits is long enough that the parsed data must be checked for an
    integer Python cannot print."""
    return encoded.translate(_DIGIT_CLASSES).find(_LONG_DIGIT_RUN) >= 0


def prescan_clean(text: str) -> bool:
    """Whether ``parse``'s pre-scans pass ``text`` without a remark. Both look at one line at a
    time, so a text cut at line starts passes exactly when each of its pieces does."""
    encoded = text.encode("utf-8", "surrogatepass")
    return _deep_line(encoded) is None and not _has_long_digit_run(encoded)


class _DuplicateKey(ValueError):
    """Raised inside ``json.loads`` by the object hook; turned into a ``SpecError`` by the caller."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Object hook refusing duplicate keys: ``json.loads`` would silently keep the last one, so a
    spec could say one thing to this tool and another to a reader or another tool. YAML's
    duplicates are refused too."""
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return result


def _parse_json(text: str, display: str) -> Any:
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise SpecError(
            display, f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno
        ) from None
    except RecursionError:
        raise SpecError(display, "nesting too deep to be an API description") from None
    except _DuplicateKey as exc:
        offset = duplicate_key_offset(text, is_json=True)
        line = text.count("\n", 0, offset) + 1 if offset is not None else None
        key = _quoted(str(exc))
        raise SpecError(display, f"invalid JSON: duplicate key {key}", line) from None
    except ValueError as exc:  # Python's limit on integer digits
        raise _number_error(text, display, exc) from None


def _quoted(key: str) -> str:
    """A key quoted for a message, cut short: it is spec text and may be long."""
    return json.dumps(key if len(key) <= 80 else key[:80] + "…")


def _number_error(text: str, display: str, exc: ValueError) -> SpecError:
    if "digits" not in str(exc):
        return SpecError(display, f"cannot read: {exc}")
    encoded = text.encode("utf-8", "surrogatepass")
    found = encoded.translate(_DIGIT_CLASSES).find(_LONG_DIGIT_RUN)
    line = _line_at(encoded, found) if found >= 0 else None
    return SpecError(display, f"a number with more than {_INT_DIGITS:,} digits: refused", line)


def _has_huge_int(data: Any) -> bool:
    """Whether ``data`` holds an integer too long for ``str()``: every message or report that
    printed it would raise. Only called when the text has such a run of digits (rarely)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, int) and value.bit_length() > 14_000:
            try:
                str(value)
            except ValueError:
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, (list, tuple, set, frozenset)):
            stack.extend(value)
    return False


def _line_at(encoded: bytes, offset: int) -> int:
    """1-based line of a byte offset, counting lines the way YAML does (LF, CRLF or a lone CR)."""
    crlf = encoded.count(b"\r\n", 0, offset)
    return encoded.count(b"\n", 0, offset) + encoded.count(b"\r", 0, offset) - crlf + 1


def _yaml_error(text: str, display: str, message: str) -> SpecError:
    """Make a parser message short and give it a line. The Rust parser echoes the offending source
    line, which may be megabytes long or hold another file's secrets: keep only its verdict."""
    lines = [ln for ln in message.splitlines() if ln.strip()]
    verdict = lines[-1].strip() if lines else message
    if verdict.startswith("^") or verdict.startswith("|"):
        verdict = lines[0]
    found = _YAML_ERROR_LINE.search(message)
    line = int(found.group(1)) if found else None
    first = lines[0] if lines else message
    if first.startswith("duplicate mapping key"):
        verdict = first
        line = _duplicate_key_line(text)
    elif "alias replay limit" in first:
        verdict = "too many alias expansions (a YAML alias bomb?): refused"
    elif "recursion limit" in message:
        verdict = "nesting too deep to be an API description"
    elif first.startswith("Invalid tag"):
        verdict = first.split(":")[0] + " (YAML tags that construct objects are not allowed)"
    verdict = verdict.removeprefix("YAML parse error: ")
    if len(verdict) > 200:
        verdict = verdict[:200] + "…"
    return SpecError(display, f"invalid YAML: {verdict}", line)


def _duplicate_key_line(text: str) -> int | None:
    """The line of the first duplicated mapping key (keys compared as written); only runs on the
    error path."""
    offset = duplicate_key_offset(text, is_json=False)
    return text.count("\n", 0, offset) + 1 if offset is not None else None


def looks_like_json(path: Path, text: str) -> bool:
    first = _FIRST_CHAR.search(text)
    return path.suffix.lower() == ".json" or (first is not None and first.group() in "{[")


def parse_text(path: Path, display: str, text: str) -> tuple[Any, bool]:
    """Parse a file's text: JSON by suffix or first character, falling back to YAML for a
    non-``.json`` file (a YAML file may start with ``{``). Returns the data and whether it was
    read as JSON. The fixer parses its results through here too, so both read alike."""
    is_json = looks_like_json(path, text)
    try:
        return parse(text, display, is_json), is_json
    except SpecError:
        if not is_json or path.suffix.lower() == ".json":
            raise
        return parse(text, display, False), False
