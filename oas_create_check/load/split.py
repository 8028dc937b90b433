"""Parse a large YAML spec in two parts at once: its schema store in a forked child, the rest here.

The lint reads ``paths`` and the components that ``$ref`` reaches, almost never the schema store
(``components/schemas`` in OpenAPI 3, ``definitions`` in Swagger 2), which is most of a big spec's
text. Yet a broken file must be refused wherever the break is. So the store's entry is cut out of
the text at line starts the layout proves are its own, and:

* a forked child checks it (the same pre-scans and ``yaml_rs`` call as a whole parse) and sends
  back only whether it is fine and the names of its schemas;
* the parent parses the rest, where the store's key stays with the value ``None`` (a placeholder
  that keeps its place in the key order), and goes on: the lint checks the spec while the child
  works, and waits for its verdict only before it reports (``Store.verdict``, ``lint._outcome``).

Any doubt before the fork or in the parent (a layout the cut cannot be proved safe for, a parse
error in the rest) gives ``None``: the caller parses the whole text as before. A refusal by the
child (a parse error in the store, or a child that fails, dies or sends garbage) makes the lint
throw away what it found and read the file whole. Either way every message and line is exactly
the one a whole parse gives. The store's data is parsed in the parent only when something asks
for it (``SourceFile.data``, ``Store.fill``).

The lines are the locator's (``Locator.block_entry``, which says why a cut there is exact;
``tests/test_split_parse.py`` checks the parser behaviour it rests on). Anchors are the one link
across the cut: a store that may define one is not split off (an alias in the rest could
name it; the alias-expansion limit counts the whole document), and an alias in the store to an
anchor of the rest fails the child's parse.
"""

from __future__ import annotations

import marshal
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from oas_create_check.forked import Forked
from oas_create_check.load.locate import Locator
from oas_create_check.load.parse import load_yaml, prescan_clean
from oas_create_check.model import Pointer


@dataclass
class Store:
    """A schema store held back from ``SourceFile.partial``: there its ``key`` under ``parent``
    has the value ``None``; ``text[start:end]`` is its entry (key line and block). The child
    checking it may still be at work: ``verdict()`` waits for it."""

    parent: tuple[str, ...]
    key: str
    start: int
    end: int
    _job: Forked = field(repr=False)
    _names: list[Any] | None = field(default=None, repr=False)
    _passed: bool | None = field(default=None, repr=False)

    @property
    def pointer(self) -> tuple[str, ...]:
        return (*self.parent, self.key)

    def verdict(self) -> bool:
        """Whether the child found the store's entry sound (waiting for it the first time). On
        ``False`` the caller must not trust what it read: ``lint`` then reads the file whole,
        which reports any error exactly as always."""
        if self._passed is None:
            names = self._job.result()
            self._names = names if isinstance(names, list) else None
            self._passed = self._names is not None
        return self._passed

    @property
    def names(self) -> list[Any]:
        """The keys of the store's mapping (the schemas' names) as the child read them, in order;
        none if it refused."""
        return list(self._names or []) if self.verdict() else []

    def overlaps(self, pointer: Pointer) -> bool:
        """Whether the value at ``pointer`` is, holds or lies inside the store (so reading it from
        the partial data could miss what the store holds)."""
        mine = self.pointer
        if pointer and str(pointer[0]) != mine[0]:
            return False  # the common answer (``paths``...), asked for every node: keep it cheap
        return all(str(part) == own for part, own in zip(pointer, mine, strict=False))

    def fill(self, text: str, root: Any) -> None:
        """Parse the store's entry and put its value in place of the placeholder, in the same
        dict (so ``Node`` values already handed out see it). After the child's approval this
        cannot fail (same text, same call). After a refusal the entry is not parsed at all (it
        may be what crashes the parser): an empty mapping stands in, and the result of the run
        is thrown away (``verdict``)."""
        container = root
        for part in self.parent:
            container = container[part]
        entry = text[self.start : self.end]
        container[self.key] = load_yaml(entry)[self.key] if self.verdict() else {}


class _Cut(NamedTuple):
    """Where the store's entry is: ``text[start:end]``; its value starts at ``value_start`` (the
    line after the key's)."""

    parent: tuple[str, ...]
    key: str
    start: int
    value_start: int
    end: int


def parse_split(text: str) -> tuple[Any, Store] | None:
    """The data of ``text`` with its schema store held back, and the store; ``None`` when the
    platform cannot fork, the cut is not provably safe or anything fails (the caller then parses
    the whole text, which reports any error exactly as before). Only texts of at least
    ``document.SPLIT_MIN_CHARS`` come here: ``read_file`` decides, before importing this."""
    cut = find_cut(text)
    if cut is None:
        return None
    import yaml_rs  # noqa: F401  # loaded before the fork, so the child never imports

    job = Forked.start(_check_cut, text, cut)
    if job is None:
        return None
    store = Store(cut.parent, cut.key, cut.start, cut.end, job)
    try:
        data = _parse_rest(text, cut)
    except BaseException:
        _abandon(store)
        raise
    if data is None:
        _abandon(store)
        return None
    return data, store


def _abandon(store: Store) -> None:
    """Stop a child whose verdict no longer matters, and reap it."""
    store._job.cancel()


def find_cut(text: str) -> _Cut | None:
    """The schema store's entry, if the layout proves where it starts and ends
    (``Locator.block_entry``: the text is one block mapping at column 0, and the entry's lines
    are its own), lines break at LF (a lone CR breaks YAML lines the layout would not see), and
    the store may define no anchor."""
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return None
    locator = Locator(text, is_json=False)
    for pointer in (("components", "schemas"), ("definitions",)):
        entry = locator.block_entry(pointer)
        if entry is not None:
            if _may_define_anchor(text, entry.start, entry.end):
                return None
            return _Cut(pointer[:-1], pointer[-1], entry.start, entry.value_start, entry.end)
    return None


def _may_define_anchor(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` may define a YAML anchor: a ``&`` after a blank or a flow
    indicator and before a name. A false alarm (such text in a description) only costs the
    split; ``&`` elsewhere (``a&b``, ``&amp;``) is not an anchor."""
    at = text.find("&", start, end)
    while at >= 0:
        if text[at - 1] in " \t\n[{," and at + 1 < end and text[at + 1] not in " \t\r\n":
            return True
        at = text.find("&", at + 1, end)
    return False


def _parse_rest(text: str, cut: _Cut) -> Any:
    """The data of the text without the store's block (its key stays, with the value ``None``),
    or ``None`` if it does not parse cleanly into a mapping holding that placeholder."""
    rest = text[: cut.value_start] + text[cut.end :]
    if not prescan_clean(rest):
        return None
    try:
        data = load_yaml(rest)
    except Exception:  # any failure: the whole parse reports it properly
        return None
    container = data
    for part in cut.parent:
        container = container.get(part) if isinstance(container, dict) else None
    if (
        not isinstance(container, dict)
        or cut.key not in container
        or container[cut.key] is not None
    ):
        return None  # not a mapping, several documents, or a second ``schemas`` key in the rest
    return data


def _check_cut(text: str, cut: _Cut) -> list[Any] | None:
    """In the forked child (``forked.py``): the verdict on the store's entry, cut out there (a
    copy of megabytes the parent need not make)."""
    return _check_entry(text[cut.start : cut.end], cut.key)


def _check_entry(entry: str, key: str) -> list[Any] | None:
    """The verdict on the store's entry: the names of its schemas if it passes the pre-scans and
    parses as one mapping of ``key`` to a mapping whose keys ``marshal`` carries; ``None``
    otherwise (the parent then parses the whole text, which says what is wrong, if anything)."""
    if not prescan_clean(entry):
        return None
    try:
        data = load_yaml(entry)
    except Exception:
        return None
    if not isinstance(data, dict) or list(data) != [key] or not isinstance(data[key], dict):
        return None
    names = list(data[key])
    try:
        marshal.dumps(names)
    except ValueError:
        return None
    return names
