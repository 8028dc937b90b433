"""Escaping for every text that quotes a spec on its way to a terminal or a CI log.

Spec text is untrusted: a path key or a description may hold control characters, ANSI escapes,
line separators or GitHub Actions workflow commands. Everything printed passes through here.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

#: C0 controls (tab kept), DEL, the C1 block (``\\x9b`` is a one-byte CSI on some terminals) and
#: the Unicode line separators, which some log viewers break lines at.
_CONTROL = {
    code: f"\\x{code:02x}" for code in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))
}
_CONTROL.update({0x0A: "\\n", 0x0D: "\\r", 0x2028: "\\u2028", 0x2029: "\\u2029"})
#: The bidirectional embeddings, overrides and isolates (U+202A-202E, U+2066-2069): "Trojan
#: Source" (CVE-2021-42574) uses them to make text display in another order than it reads, so a
#: finding could show one thing and quote another.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"
_CONTROL.update(
    {code: f"\\u{code:04x}" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
)
#: A lone surrogate (JSON may spell one as ``"\\ud800"``) cannot be encoded for output at all.
_CONTROL.update({code: f"\\u{code:04x}" for code in range(0xD800, 0xE000)})
#: The GitHub Actions runner still reads the legacy ``##[command]`` syntax anywhere in a line
#: (``ActionCommand.TryParse``): ``##[add-mask]``, ``##[set-output name=x;]`` or
#: ``##[stop-commands]`` quoted from a spec would act on the workflow. ``#`` is escaped there.
_LEGACY_COMMAND = "##["
#: What JSON writers leave raw but must not reach a terminal or a UTF-8 stream: DEL and the C1
#: controls, the Unicode line separators, lone surrogates and the bidi controls.
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f\u2028\u2029\ud800-\udfff{BIDI_CONTROLS}]")
#: A line that starts, after blanks, with ``::`` is a workflow command (``TryParseV2``).
_COMMAND_LINE_START = re.compile(r"^([ \t]*):(?=:)", re.MULTILINE)


def printable(text: str) -> str:
    """``text`` with control characters shown as escapes: spec text must not be able to move the
    cursor, recolour the terminal, forge extra output lines or run a CI workflow command."""
    return text.translate(_CONTROL).replace(_LEGACY_COMMAND, "#\\x23[")


def verbatim(text: str) -> str:
    """``text`` to print unchanged although it quotes the spec (the fixer's diff: escaping would
    break the patch). On GitHub Actions it is fenced by ``::stop-commands::TOKEN`` and
    ``::TOKEN::``, the runner's own way to print untrusted text: nothing in between is obeyed, in
    either command syntax. ``git apply`` and ``patch`` skip the two fence lines."""
    if not text or os.environ.get("GITHUB_ACTIONS") != "true":
        return text
    import secrets  # only here: it brings in hashlib and hmac (5 ms of every run otherwise)

    token = secrets.token_hex(16)
    ending = "" if text.endswith("\n") else "\n"
    return f"::stop-commands::{token}\n{text}{ending}::{token}::\n"


def defused(fmt: str, output: str) -> str:
    """A rendered report made safe for a CI log and for ``stdout``, whatever the format: any
    report may be printed in a GitHub Actions step, whose runner reads ``##[command]`` anywhere in
    a line and ``::command::`` at the start of one. Each format escapes in its own syntax, so a
    reader of the format gets the original text back. The JSON formats also escape what a JSON
    writer leaves raw but a terminal obeys (C1 controls) or a UTF-8 stream refuses (a lone
    surrogate, which JSON may hold).

    The ``github`` format is left as it is: each of its lines is one well-formed command, which
    the runner takes whole before it looks for anything else in the line."""
    if fmt in ("json", "sarif", "gitlab"):
        # Outside strings JSON has none of these characters, so they only occur inside strings.
        output = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", output)
        return output.replace(_LEGACY_COMMAND, "#\\u0023[")
    if fmt in ("junit", "markdown"):
        # Markup never holds "##[", a CR or a line starting with "::": only text does. A CR is
        # a line break to the runner (and is lost by XML readers unless written as a reference);
        # Markdown reads the same character references as XML.
        output = output.replace(_LEGACY_COMMAND, "#&#35;[").replace("\r", "&#13;")
        return _COMMAND_LINE_START.sub(r"\1&#58;", output)
    return output


def did_you_mean(name: str, choices: Iterable[str]) -> str:
    """``"; did you mean 'create-status-201'?"`` for a misspelt ``name`` (empty when nothing is
    close). Messages that echo an unknown name are printed like every other untrusted text, so
    this only suggests; the caller escapes."""
    from difflib import get_close_matches

    close = get_close_matches(name.strip().lower(), list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
