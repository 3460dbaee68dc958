"""Partitioned (grace) joins and group-bys of streamed queries (exec/grace_join.py): a build side
bigger than the budget streams too, and the device holds one partition pair at a time. Answers
equal pandas' on the same data; null keys, string keys, left joins and filtered (dead) rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import jaxframes as jf
from jaxframes.exec import grace_join as grace
from jaxframes.exec import streaming
from jaxframes.plan import nodes as N

BUDGET = 128_000
LEFT_ROWS, RIGHT_ROWS = 6_000, 4_500  # the right side's scan: 4,500 x 4 x 8 bytes, past the budget


@pytest.fixture(scope="module")
def tables(tmp_path_factory):
    rng = np.random.default_rng(11)
    ids = rng.permutation(5_000)[:RIGHT_ROWS].astype(float)
    ids[[5, 900, 4_000]] = np.nan  # null keys on both sides: pandas matches them with each other
    right = pd.DataFrame({"rid": ids, "rname": [f"c{int(i) % 2_000}" if i == i else None for i in ids],
                          "x": rng.integers(0, 1_000, RIGHT_ROWS), "y": rng.normal(size=RIGHT_ROWS)})
    left = pd.DataFrame({"id": rng.integers(0, 5_000, LEFT_ROWS).astype(float),
                         "name": rng.choice([f"c{i}" for i in range(2_400)], LEFT_ROWS),
                         "v": rng.normal(size=LEFT_ROWS), "w": rng.integers(0, 100, LEFT_ROWS)})
    left.loc[::97, "id"] = np.nan
    left.loc[::89, "name"] = None
    folder = tmp_path_factory.mktemp("grace")
    paths = []
    for name, frame in (("left", left), ("right", right)):
        paths.append(str(folder / f"{name}.parquet"))
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), paths[-1], row_group_size=500)
    return left, right, paths[0], paths[1]


@pytest.fixture
def budget():
    jf.set_memory_budget(BUDGET)
    yield BUDGET
    jf.set_memory_budget(None)


@pytest.fixture
def partitions(monkeypatch):
    """The partition counts the grace paths chose (so a test knows the build side streamed)."""
    counts = []
    original = grace.partition_count
    monkeypatch.setattr(grace, "partition_count", lambda *a: counts.append(original(*a)) or counts[-1])
    return counts


CASES = [("inner", "id", "rid"), ("left", ["name", "id"], ["rname", "rid"]),
         pytest.param("left", "name", "rname", marks=pytest.mark.slow)]


@pytest.mark.parametrize("how, left_on, right_on", CASES)
def test_join_then_group_by(tables, budget, partitions, how, left_on, right_on):
    left, right, lpath, rpath = tables
    lf, rf = jf.scan_parquet(lpath), jf.scan_parquet(rpath)
    aggs = dict(t=("v", "sum"), n=("x", "count"), m=("y", "max"), s=("x", "sum"))
    got = (lf[lf["w"] > 40].merge(rf[rf["x"] > 50], left_on=left_on, right_on=right_on, how=how)
           .groupby("w").agg(**aggs).collect())
    stats = streaming.LAST_STATS
    want = (left[left["w"] > 40].merge(right[right["x"] > 50], left_on=left_on, right_on=right_on, how=how)
            .groupby("w").agg(**aggs))
    pd.testing.assert_frame_equal(got.to_pandas(), want, check_exact=False, rtol=1e-9)
    assert partitions and max(partitions) > 1  # the build side was partitioned, not held whole
    assert 0 < stats.peak_live_bytes <= BUDGET, stats


@pytest.mark.parametrize("how", ["left"])
def test_join_keeps_pandas_row_order(tables, budget, partitions, how):
    """Collected whole, the rows come in pandas' order (left rows' order, matches in right order)
    and labelled 0..n-1, though they were joined partition by partition."""
    left, right, lpath, rpath = tables
    lf, rf = jf.scan_parquet(lpath), jf.scan_parquet(rpath)
    got = lf[lf["w"] > 90].merge(rf, left_on="name", right_on="rname", how=how).collect()
    want = left[left["w"] > 90].merge(right, left_on="name", right_on="rname", how=how)
    pd.testing.assert_frame_equal(got.to_pandas(), want)
    assert partitions and max(partitions) > 1


def test_grouped_build_side(tables, budget, partitions):
    """A build side that is itself a group-by over more rows than the budget (TPC-H q18's shape)
    groups partition by partition under the join."""
    left, right, lpath, rpath = tables
    lf = jf.scan_parquet(lpath)
    big = lf.groupby("id", as_index=False).agg(total=("w", "sum"))
    big = big[big["total"] > 100].rename(columns={"id": "big_id"})
    rf = jf.scan_parquet(rpath)
    got = (rf.merge(big, left_on="rid", right_on="big_id").groupby("rname")
           .agg(t=("total", "sum"), n=("x", "count")).collect())
    assert 0 < streaming.LAST_STATS.peak_live_bytes <= BUDGET, streaming.LAST_STATS
    pbig = left.groupby("id", as_index=False).agg(total=("w", "sum"))
    pbig = pbig[pbig["total"] > 100].rename(columns={"id": "big_id"})
    want = right.merge(pbig, left_on="rid", right_on="big_id").groupby("rname").agg(t=("total", "sum"),
                                                                                      n=("x", "count"))
    pd.testing.assert_frame_equal(got.to_pandas(), want)
    assert len(partitions) >= 2  # the group-by and the join


def test_int_and_float_keys_hash_alike(tables, budget):
    """An int key on one side and a float key on the other: 3 and 3.0 land in one partition."""
    left, right, lpath, rpath = tables
    lf = jf.scan_parquet(lpath)
    rf = jf.scan_parquet(rpath)
    got = (lf.merge(rf, left_on="w", right_on="rid").groupby("w").agg(n=("x", "count")).collect())
    want = left.merge(right, left_on="w", right_on="rid").groupby("w").agg(n=("x", "count"))
    pd.testing.assert_frame_equal(got.to_pandas(), want)


@pytest.mark.slow  # (the ordered path: test_join_keeps_pandas_row_order; the choice: test_order_free)
def test_order_needed_keeps_first_and_last(tables, budget):
    """first/last depend on row order: the join under them keeps pandas' order."""
    left, right, lpath, rpath = tables
    lf, rf = jf.scan_parquet(lpath), jf.scan_parquet(rpath)
    aggs = dict(f=("v", "first"), g=("x", "last"))
    got = lf[lf["w"] > 95].merge(rf, left_on="id", right_on="rid").groupby("rname").agg(**aggs).collect()
    want = left[left["w"] > 95].merge(right, left_on="id", right_on="rid").groupby("rname").agg(**aggs)
    pd.testing.assert_frame_equal(got.to_pandas(), want)


def test_order_free():
    """Only a sorted group-by without first/last lets the join under it give rows out of order."""
    def node(sort, how):
        return N.GroupByAgg(children=(), keys=("k",), aggs=(("a", "v", how),), sort=sort)
    assert streaming._order_free(node(True, "sum")) and streaming._order_free(node(True, "std"))
    assert not streaming._order_free(node(False, "sum"))  # groups in first-appearance order
    assert not streaming._order_free(node(True, "first")) and not streaming._order_free(node(True, "last"))


def test_partition_count():
    assert grace.partition_count(0, 1_000) == 1
    assert grace.partition_count(1_000, grace.DEVICE_BYTES_PER_HOST_BYTE * 1_000) == 1
    assert grace.partition_count(1_000, 1_000) == 8  # 6x the budget: the next power of two


def test_hash_ignores_dictionary_codes():
    """A string's partition follows its value, not its per-batch dictionary code."""
    a = pa.table({"k": pa.array(["x", "y", None]).dictionary_encode()})
    b = pa.table({"k": pa.DictionaryArray.from_arrays(pa.array([1, 0, None], pa.int32()), pa.array(["y", "x"]))})
    c = pa.table({"k": pa.array(["x", "y", None])})
    hashes = [grace._key_hash(t, ["k"], ["str"]) for t in (a, b, c)]
    np.testing.assert_array_equal(hashes[0], hashes[1])
    np.testing.assert_array_equal(hashes[0], hashes[2])
    ints = grace._key_hash(pa.table({"k": pa.array([3, None], pa.int64())}), ["k"], ["float"])
    floats = grace._key_hash(pa.table({"k": pa.array([3.0, np.nan])}), ["k"], ["float"])
    np.testing.assert_array_equal(ints, floats)
