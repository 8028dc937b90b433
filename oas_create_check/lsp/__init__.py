"""``oas-create-check lsp``: a language server on stdin/stdout, a thin shell over the engine and
the fixer (docs/editor.md). It needs the ``lsp`` extra (pygls), which the linter itself never
imports.

* ``session.py``: the editor's buffers, checked as the CLI checks files (parsed by the same
  loader, fragments through their roots, config nearest each document); no protocol.
* ``fixes.py``: quick fixes, fix-all and suppressions, made and verified by the CLI's fixer.
* ``hover.py``: the judgement of an operation and the rule behind a finding, as Markdown.
* ``convert.py``: findings as diagnostics, fixed files as text edits.
* ``server.py``: pygls wiring, debouncing and the worker threads.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["MISSING", "serve"]

#: What to tell a user who runs the server without its extra installed.
MISSING = "the language server needs pygls: pip install 'oas-create-check[lsp]'"


def serve(log_file: Path | None = None, level: str = "INFO") -> None:
    """Serve on stdin/stdout until the client says exit. Raises ``ImportError`` without pygls."""
    from oas_create_check.lsp.server import serve as run

    run(log_file, level)
