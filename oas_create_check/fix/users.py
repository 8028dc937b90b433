"""Which operations reach each response, carried from one fix pass to the next.

The sharing guard (``plan.sharing_guard``) asks, for every change a pass offers, which operations
reach the response it lands in (``spec/reach.py``'s ``ResponseIndex``). Working that out follows
every operation's and every response's ``$ref``: on DigitalOcean, where each lives in a file of
its own, it costs about as much as the lint, and every pass after the first one used to pay it
again on the spec the pass had just edited, mostly only to refuse the same shared responses as
before.

The index records what it read on the way: the path items, the operations, and the
``responses`` mappings with the operations that declare each. After a pass, ``carried`` brings
it up to date from what the pass's edits actually gained in each file's data
(``gains``: compared with the data before the pass, never taken from what the fixes meant to
add); only the operations whose ``responses`` mapping gained an entry are followed again. It
gives up, and the index is built afresh, whenever a gain could change anything else the index
read (see ``carried``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oas_create_check.load.source import key_text
from oas_create_check.spec.operations import HTTP_METHODS, Spec
from oas_create_check.spec.reach import ResponseIndex, User

#: What one file's data gained in a pass: (pointer of an existing mapping, a key it gained).
Gains = list[tuple[tuple[str, ...], str]]


class CarriedIndex(ResponseIndex):
    """``spec/reach.py``'s index, which the fixer may carry to the next pass."""

    def carried(self, spec: Spec, gains: dict[Path, Gains]) -> CarriedIndex | None:
        """This index for ``spec``, the spec this one was built for after a pass whose edits
        gained ``gains`` (by file) and lost nothing (``gains`` is None otherwise and this is not
        called); None when it cannot vouch for the answer (build afresh then).

        Why the answer is the one a fresh ``ResponseIndex(spec)`` gives: that reading reads the
        ``paths`` mapping's entries, each path item's method entries, each operation's
        ``responses`` entry and that mapping's entries, and follows ``$ref``s from the path
        items, operations and response entries. Data that only gained keeps every node where it
        was, and a lookup of a key that was there, or a reference that resolved (``exact``: all
        of them did), finds the same node again, since a reference is only followed through
        ``$ref`` keys and JSON pointers, which a new key elsewhere cannot redirect. So the
        answer can change only where a mapping the reading lists gained an entry, or where a
        ``$ref`` key was gained. Refused (None): a ``$ref`` gained anywhere, an entry gained in
        ``paths``, a method gained by a path item, a ``responses`` gained by an operation.
        Followed again: the operations whose ``responses`` mapping gained an entry, exactly as
        the first reading did (their old answers removed first). Every other gain lands inside a
        node the reading never lists, so the answer stands."""
        if not self.exact:
            return None
        again: set[User] = set()
        for file, found in gains.items():
            for parent, key in found:
                where = (file, parent)
                if key == "$ref" or where == self.paths:
                    return None
                if where in self.items and key in HTTP_METHODS:
                    return None
                if where in self.operations and key == "responses":
                    return None
                again |= self.responses.get(where, set())
        for user in sorted(again):
            for target in self.targets.pop(user, []):
                users = self.users.get(target)
                if users is not None:
                    users.discard(user)
                    if not users:
                        del self.users[target]
        for path, method in sorted(again):
            item = spec.path_items.get(path)
            if item is None:
                return None
            self._add(spec, path, method, item)
        return self if self.exact else None


def gains(before: Any, after: Any) -> Gains | None:
    """What ``after`` gained over ``before``: each key a mapping gained, with the mapping's
    pointer (not what lies below a gained key: it is all new). None if ``after`` lost or changed
    anything (a rename, say), a list included, or gained a key written like one it had
    (``Node.child`` finds ``201`` and ``"201"`` alike); items appended to a list are not listed (no
    reading of ``ResponseIndex`` lists a sequence). Subtrees equal by ``==`` are skipped."""
    found: Gains = []
    stack: list[tuple[tuple[str, ...], Any, Any]] = [((), before, after)]
    while stack:
        at, old, new = stack.pop()
        if type(old) is not type(new):
            return None
        if old == new:
            continue
        if isinstance(old, dict):
            for key, value in old.items():
                if key not in new:
                    return None
                stack.append(((*at, key_text(key)), value, new[key]))
            added = [key_text(key) for key in new if key not in old]
            if added and set(added) & {key_text(key) for key in old}:
                return None  # ``201`` beside ``"201"``: a lookup by text could now find either
            found.extend((at, key) for key in added)
        elif isinstance(old, list):
            if len(new) < len(old):
                return None
            stack.extend(((*at, str(i)), value, new[i]) for i, value in enumerate(old))
        else:
            return None
    return found
