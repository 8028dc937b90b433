"""The language server with test-only twists, for ``tests/test_lsp.py``:

* ``--crash RULE``: the rule raises on every operation it is run on;
* ``--lazy``: every spec counts as large, so fixes are offered before they are verified and
  made when picked (``codeAction/resolve``), as on a 3 MB spec.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from oas_create_check.lsp import fixes, serve
from oas_create_check.rules import all_rules


def _explode(*args: object) -> None:
    raise RuntimeError("a bug in this rule")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--crash", metavar="RULE")
    parser.add_argument("--lazy", action="store_true")
    options = parser.parse_args()
    if options.crash:
        rules = all_rules()  # cached: the engine sees the same table
        rules[options.crash] = replace(rules[options.crash], check=_explode)
    if options.lazy:
        fixes.CHEAP_SPEC_CHARS = -1
    serve()
