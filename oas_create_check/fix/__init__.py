"""Findings -> fixes -> text edits -> verified, atomic writes (``--fix``, ``--unsafe-fixes``,
``--diff``).

The promises (docs/contract.md#fixing) and where each is kept:

* **Insert-only.** ``yaml_layout.py``/``json_layout.py`` turns each change into an insertion at a position a parser
  reported (the one exception, an unsafe ``RenameKey``, replaces just the key's characters). No
  file is ever re-serialised, so comments, order, quoting, line endings and BOM stay as they are.
* **Fix where defined.** A change names the file that defines the node (``AddEntry.file``); a
  shared component is changed once however many operations use it (identical changes are
  merged), and overlapping edits wait for the next pass, as in ruff's fix loop: apply, lint
  again, repeat until nothing fixable is left or ``MAX_PASSES`` is reached.
* **Verified before written.** Every pass re-parses what it changed with the project's own
  loader and checks that the data only *gained* content (``first_loss``); before writing, the
  exact bytes to be written are decoded and parsed again, and compared with what was read. If
  the spec passed openapi-spec-validator before, it must still pass; otherwise no file of that
  spec is written and the failure is reported.
* **Atomic and concurrent-safe.** Each file is replaced by ``os.replace`` of an fsynced temporary
  file in the same directory, with the original mode. The replacement happens under an advisory
  lock (``flock``) and only if the file on disk is still byte-for-byte what was read; if another
  process (a parallel pre-commit hook) got there first, the spec is fixed again from the new
  content, which normally leaves nothing to do. ``kill -9`` leaves each file old or new (a
  crash may leave a ``.*.oas-create-check.tmp`` file beside it, never a half-written spec).
  Symlinks are followed to the file they name; a hard link keeps the old content.
* **Idempotent.** A fixed spec has no fixable findings, so a second run changes nothing.
"""
