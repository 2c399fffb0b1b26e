"""PointMap (persistent map with O(changes) successors) behaves like immutable dict versions."""

from __future__ import annotations

import copy
import gc
import pickle
import threading

from hypothesis import given, settings
from hypothesis import strategies as st

from yingji.engines.monitoring import MonitorState, PointConfig, process_rows
from yingji.engines.monitoring.pointmap import PointMap

KEYS = st.sampled_from(["a", "b", "c", "d", "e"])


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(KEYS, st.integers(), max_size=5),
    st.lists(
        st.tuples(st.integers(0, 50), st.dictionaries(KEYS, st.integers(), max_size=3), st.integers(0, 50)),
        max_size=25,
    ),
)
def test_every_version_keeps_its_content_whatever_the_access_order(initial, ops):
    versions = [PointMap(initial)]
    models = [dict(initial)]
    for parent, changes, probe in ops:
        i = parent % len(versions)
        versions.append(versions[i].evolve(changes))
        models.append({**models[i], **changes})
        j = probe % len(versions)  # read an arbitrary version in between (forces reroots)
        assert dict(versions[j].items()) == models[j]
    for version, model in reversed(list(zip(versions, models, strict=True))):
        assert version == model
        assert len(version) == len(model)
        assert sorted(version) == sorted(model)
        for key in "abcdef":
            assert version.get(key) == model.get(key)
            assert (key in version) == (key in model)


def test_evolve_with_no_change_returns_the_same_version_and_copies_detach():
    base = PointMap({"x": 1})
    assert base.evolve({}) is base
    nxt = base.evolve({"x": 2, "y": 3})
    assert pickle.loads(pickle.dumps(base)) == {"x": 1}
    assert copy.deepcopy(nxt) == {"x": 2, "y": 3}
    assert base.snapshot() == {"x": 1}
    assert repr(base) == "PointMap({'x': 1})"


def test_process_leaves_the_old_state_untouched():
    cfg = PointConfig(h=10, deadband=1, on_delay_s=2, off_delay_s=2)
    fresh = MonitorState.new({"p": cfg, "q": cfg})
    before = fresh.to_dict()
    s1, ev1 = process_rows(fresh, [(0.0, "p", 11.0), (3.0, "p", 12.0), (3.0, "q", 5.0)])
    assert [e.event for e in ev1] == ["raise"]
    s2, _ = process_rows(s1, [(4.0, "p", 0.0), (7.0, "p", 0.0)])
    assert fresh.to_dict() == before  # read after two successors: rerooted, same content
    again, ev_again = process_rows(fresh, [(0.0, "p", 11.0), (3.0, "p", 12.0), (3.0, "q", 5.0)])
    assert ev_again == ev1 and again == s1
    assert s2.level("p") == "N" and s1.level("p") == "H"


def test_concurrent_readers_of_different_versions_see_their_own_content():
    versions = [PointMap({k: 0 for k in range(50)})]
    for i in range(1, 40):
        versions.append(versions[-1].evolve({k: i for k in range(0, 50, 1 + i % 7)}))
    expected = [v.snapshot() for v in versions]
    errors: list[str] = []

    def reader(offset: int) -> None:
        for n in range(200):
            j = (offset * 13 + n * 7) % len(versions)
            if versions[j].snapshot() != expected[j]:
                errors.append(f"version {j}")

    threads = [threading.Thread(target=reader, args=(t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_long_histories_checkpoint_and_old_versions_stay_readable():
    versions = [PointMap({"a": 0, "b": 0})]
    for i in range(1, 400):  # several checkpoints (one per ~4 * len + 64 changed entries)
        versions.append(versions[-1].evolve({"a": i} if i % 3 else {"a": i, "b": i}))
    assert len({id(v._root) for v in versions}) > 3  # new lineages were started
    for i in (399, 0, 200, 1, 398, 57, 133):
        expected_b = i - i % 3
        assert versions[i] == {"a": i, "b": expected_b}
    branch = versions[10].evolve({"c": 1})
    assert branch == {"a": 10, "b": 9, "c": 1} and "c" not in versions[11]


def test_dropped_versions_are_freed_without_the_cycle_collector():
    freed: list[int] = []

    class Value:
        def __init__(self, n: int) -> None:
            self.n = n

        def __del__(self) -> None:
            freed.append(self.n)

    gc.disable()
    try:
        first = PointMap({"a": Value(0)})
        last = first
        for i in range(1, 200):  # crosses a checkpoint too
            last = last.evolve({"a": Value(i)})
        assert first["a"].n == 0 and last["a"].n == 199
        del first, last
        assert sorted(freed) == list(range(200))  # plain reference counting freed them all
    finally:
        gc.enable()
