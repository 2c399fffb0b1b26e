"""Persistent point-state map: an immutable ``Mapping`` whose successor costs O(changes).

The engine is pure (``process(state, rows)`` never modifies ``state``), but copying a
50,000-entry dict for every 1,000-reading batch cost as much as the rules themselves and made
every young-generation garbage collection walk the fresh copy. :class:`PointMap` keeps purity
without the copy, using Baker's "rerooting" technique for persistent arrays (H. G. Baker,
*Shallow binding makes functional arrays fast*, SIGPLAN Notices 26(8), 1991; also
Conchon & Filliâtre, *A persistent union-find data structure*, ML Workshop 2007):

* all versions of one lineage share one ``dict``, which holds the content of the *head* version;
* every other version keeps an undo record ``{key: its value}`` relative to the next version;
* :meth:`PointMap.evolve` (on the head) writes the changes into the shared dict, turns the old
  head into an undo record and returns the new head: O(len(changes));
* reading a non-head version first "reroots" the lineage on it (applies the undo records back
  to it and inverts them): O(changes between the two versions). Used linearly (each state
  replaced by its successor, as the ingest loop does) no reroot ever happens;
* after about 4 × len undo entries, :meth:`PointMap.evolve` leaves the old lineage a copy and
  starts a new one, so an old version kept forever retains O(len) entries, not the whole history.

Every version stays observably immutable: reading any version, in any order, gives the content
it was created with. Versions of one lineage share a lock, so concurrent readers in several
threads are safe (they serialise on it).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_MISSING: Any = object()


class _Root(Generic[K, V]):
    """State shared by the versions of one lineage: the head's content and a lock.

    The head is the version with no ``_next``; the root does not point to it, so versions and
    roots form no reference cycle and a dropped state is freed at once (no cyclic GC needed).
    """

    __slots__ = ("data", "lock", "logged")

    def __init__(self, data: dict[K, V]) -> None:
        self.data = data
        self.lock = threading.RLock()
        self.logged = 0  # undo entries written in this lineage (bounds what old versions retain)


class PointMap(Mapping[K, V]):
    """Immutable mapping with cheap successors (:meth:`evolve`); see the module docstring.

    ``PointMap(mapping)`` copies ``mapping`` once (O(n)). Equality, ``len``, iteration and
    lookups behave like a read-only ``dict`` holding this version's content.
    """

    __slots__ = ("_next", "_root", "_undo")

    def __init__(self, content: Mapping[K, V] | None = None) -> None:
        self._root: _Root[K, V] = _Root(dict(content) if content is not None else {})
        self._next: PointMap[K, V] | None = None  # newer version, None for the head
        self._undo: dict[K, V] | None = None  # turns _next's content into ours

    # -- lineage ------------------------------------------------------------------------
    def _reroot(self) -> dict[K, V]:
        """Make ``self`` the head (lock held by the caller); returns the shared dict."""
        data = self._root.data
        if self._next is None:
            return data
        path: list[PointMap[K, V]] = []
        node: PointMap[K, V] = self
        while node._next is not None:
            path.append(node)
            node = node._next
        newer = node  # the current head
        for older in reversed(path):  # closest to the head first
            undo = older._undo
            assert undo is not None
            redo: dict[K, V] = {}
            for key, value in undo.items():
                redo[key] = data.get(key, _MISSING)
                if value is _MISSING:
                    del data[key]
                else:
                    data[key] = value
            newer._next, newer._undo = older, redo
            older._next, older._undo = None, None
            newer = older
        return data

    def evolve(self, changes: Mapping[K, V]) -> PointMap[K, V]:
        """A new version equal to ``{**self, **changes}``; ``self`` is unchanged (O(len(changes))).

        Returns ``self`` when ``changes`` is empty.
        """
        if not changes:
            return self
        root = self._root
        new: PointMap[K, V] = PointMap.__new__(PointMap)
        new._next, new._undo = None, None
        with root.lock:
            data = self._reroot()
            root.logged += len(changes)
            if root.logged > 4 * len(data) + 64:
                # Checkpoint: the old lineage keeps a copy (freed at once when no old version is
                # referenced, the linear case) and the new version starts a lineage owning the
                # dict. Bounds what a forgotten old version retains to O(len) entries, at an
                # amortised O(1/4) copy per changed entry.
                root.data = dict(data)
                data.update(changes)
                new._root = _Root(data)
                return new
            undo = {key: data.get(key, _MISSING) for key in changes}
            data.update(changes)
            new._root = root
            self._next, self._undo = new, undo
        return new

    def snapshot(self) -> dict[K, V]:
        """A plain ``dict`` copy of this version's content (O(n))."""
        with self._root.lock:
            return dict(self._reroot())

    @contextmanager
    def reading(self) -> Iterator[dict[K, V]]:
        """Context manager yielding this version's content as the shared ``dict`` (no copy).

        For engine hot loops: the lineage's lock is held inside the block, so the dict stays
        this version's content there. Callers must not mutate it nor keep it after the block.
        """
        with self._root.lock:
            yield self._reroot()

    # -- Mapping ------------------------------------------------------------------------
    def __getitem__(self, key: K) -> V:
        with self._root.lock:
            return self._reroot()[key]

    def get(self, key: K, default: Any = None) -> Any:
        with self._root.lock:
            return self._reroot().get(key, default)

    def __contains__(self, key: object) -> bool:
        with self._root.lock:
            return key in self._reroot()

    def __len__(self) -> int:
        with self._root.lock:
            return len(self._reroot())

    def __iter__(self) -> Iterator[K]:
        with self._root.lock:
            return iter(list(self._reroot()))

    def items(self) -> Any:
        """A snapshot ``dict_items`` of this version."""
        return self.snapshot().items()

    def values(self) -> Any:
        """A snapshot ``dict_values`` of this version."""
        return self.snapshot().values()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PointMap):
            return self.snapshot() == other.snapshot()
        if isinstance(other, Mapping):
            return self.snapshot() == dict(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"PointMap({self.snapshot()!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (PointMap, (self.snapshot(),))
