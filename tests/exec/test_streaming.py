"""Streaming execution (exec/streaming.py): lazy queries over a Parquet file ten times the memory
budget give pandas' answers while the device holds at most the budget."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import jaxframes as jf
from jaxframes.exec import external_sort, streaming
from jaxframes.io import parquet as parquet_io

ROWS = 40_000
BUDGET = 128_000  # bytes: the file's 4 columns x 8 bytes x ROWS are 10x this


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    rng = np.random.default_rng(7)
    pdf = pd.DataFrame({
        "k": rng.integers(0, 40, ROWS),
        "s": rng.choice(["x", "y", "z", "w"], ROWS),
        "v": rng.normal(size=ROWS),
        "w": rng.integers(0, 100, ROWS),
    })
    pdf.loc[::11, "v"] = np.nan
    pdf.loc[::13, "s"] = None
    path = tmp_path_factory.mktemp("stream") / "data.parquet"
    pq.write_table(pa.Table.from_pandas(pdf, preserve_index=False), path, row_group_size=1_000)
    return pdf, str(path)


@pytest.fixture
def budget():
    jf.set_memory_budget(BUDGET)
    yield BUDGET
    jf.set_memory_budget(None)


def _check_bounded(expected_batches: int = 5) -> None:
    stats = streaming.LAST_STATS
    assert stats.batches >= expected_batches
    assert 0 < stats.peak_live_bytes <= BUDGET, stats


@pytest.mark.parametrize("sort, as_index", [(True, True), (False, False)])
def test_group_by_merges_partials(data, budget, sort, as_index):
    pdf, path = data
    aggs = dict(a=("v", "mean"), b=("v", "std"), c=("w", "sum"), d=("v", "count"), e=("v", "min"),
                f=("w", "max"), g=("v", "var"), h=("v", "first"), i=("v", "last"), j=("v", "size"))
    lf = jf.scan_parquet(path)
    got = lf[lf["w"] > 10].groupby(["k", "s"], sort=sort, as_index=as_index).agg(**aggs).collect()
    _check_bounded()
    want = pdf[pdf["w"] > 10].groupby(["k", "s"], sort=sort, as_index=as_index).agg(**aggs)
    pd.testing.assert_frame_equal(got.to_pandas(), want, check_exact=False, rtol=1e-9)


def test_group_by_null_keys_kept(data, budget):
    pdf, path = data
    got = jf.scan_parquet(path).groupby("s", dropna=False).agg(m=("v", "mean")).collect()
    _check_bounded()
    pd.testing.assert_frame_equal(got.to_pandas(), pdf.groupby("s", dropna=False).agg(m=("v", "mean")))


def test_join_then_group_by(data, budget):
    pdf, path = data
    names = pd.DataFrame({"k": np.arange(0, 40, 3), "name": [f"n{i}" for i in range(14)]})
    lf = jf.scan_parquet(path)
    got = (lf[lf["w"] > 5].merge(jf.DataFrame(names).lazy(), on="k")
           .groupby("name").agg(t=("v", "sum"), m=("w", "max")).collect())
    _check_bounded()
    want = pdf[pdf["w"] > 5].merge(names, on="k").groupby("name").agg(t=("v", "sum"), m=("w", "max"))
    pd.testing.assert_frame_equal(got.to_pandas(), want)


def test_left_join_rows_keep_labels(data, budget):
    pdf, path = data
    names = pd.DataFrame({"k": np.arange(0, 40, 2), "name": [f"n{i}" for i in range(20)]})
    lf = jf.scan_parquet(path)
    got = lf[lf["w"] > 97].merge(jf.DataFrame(names).lazy(), on="k", how="left").collect()
    pd.testing.assert_frame_equal(got.to_pandas(), pdf[pdf["w"] > 97].merge(names, on="k", how="left"))


def test_top_k_and_filter(data, budget):
    pdf, path = data
    lf = jf.scan_parquet(path)
    got = lf[lf["w"] > 50].sort_values(["v", "w"], ascending=[False, True]).head(7).collect()
    _check_bounded()
    want = pdf[pdf["w"] > 50].sort_values(["v", "w"], ascending=[False, True]).head(7)
    pd.testing.assert_frame_equal(got.to_pandas(), want)
    got = lf[lf["w"] > 96].collect()  # a filter's batches keep their row labels
    pd.testing.assert_frame_equal(got.to_pandas(), pdf[pdf["w"] > 96])
    got = lf[lf["w"] > 97].sort_values("v").head(-3).collect()  # all but the last 3: no top-k
    pd.testing.assert_frame_equal(got.to_pandas(), pdf[pdf["w"] > 97].sort_values("v").head(-3))


@pytest.mark.parametrize("by, ascending, na_position, n", [
    (["k"], [False], "last", 400),  # ties everywhere; the kept rows outnumber a batch and are cut back
    (["s", "v"], [True, False], "first", 30),  # null strings and NaN first, descending values
])
def test_top_k_ties_and_nulls(data, budget, by, ascending, na_position, n):
    """sort_values(...).head(n) streams as a running top-k: ties go to the earlier row, nulls
    follow na_position, and the filter's dead rows never enter."""
    pdf, path = data
    lf = jf.scan_parquet(path)
    got = lf[lf["w"] > 30].sort_values(by, ascending=ascending, na_position=na_position).head(n).collect()
    _check_bounded()
    want = pdf[pdf["w"] > 30].sort_values(by, ascending=ascending, na_position=na_position, kind="stable").head(n)
    pd.testing.assert_frame_equal(got.to_pandas(), want)


@pytest.mark.parametrize("by, ascending, na_position", [
    (["v"], [True], "last"), (["s", "w"], [False, True], "first"), (["k", "v"], [True, False], "last")])
def test_external_sort(data, budget, monkeypatch, by, ascending, na_position):
    """A full sort merges sorted runs (spilled to a temporary directory past the host budget) and
    keeps the device under the budget while it merges; ties keep their input order (stable)."""
    pdf, path = data
    monkeypatch.setattr(external_sort, "HOST_BUDGET", [200_000])  # a few runs fit; the rest spill
    lf = jf.scan_parquet(path)
    got = lf[lf["w"] > 5].sort_values(by, ascending=ascending, na_position=na_position).collect(streaming=True)
    _check_bounded()
    assert streaming.LAST_STATS.spilled_runs > 0
    want = pdf[pdf["w"] > 5].sort_values(by, ascending=ascending, na_position=na_position, kind="stable")
    pd.testing.assert_frame_equal(got.to_pandas(), want)


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """Keys of every sortable kind: floats with NaN, inf and signed zeros (which tie), datetimes
    with NaT, bools, strings with nulls, and an int column with nulls in its later row groups only
    (int64 batches, then float64 ones: the runs' types differ and promote)."""
    rng = np.random.default_rng(3)
    n = 3_000
    when = (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 5, n), "D")).where(rng.random(n) > 0.1)
    table = pa.table({
        "f": rng.choice([-1.5, 0.0, -0.0, 2.0, np.nan, np.inf], n),
        "t": pa.array(when),
        "b": rng.random(n) > 0.5,
        "n": pa.array([None if i > n // 2 and i % 7 == 0 else int(x) for i, x in enumerate(rng.integers(0, 4, n))],
                      pa.int64()),
        "s": pa.array(rng.choice(["b", "a", "é", None], n).tolist()),
    })
    path = tmp_path_factory.mktemp("mixed") / "mixed.parquet"
    pq.write_table(table, path, row_group_size=300)
    return pd.read_parquet(path), str(path)


@pytest.mark.parametrize("by, ascending, na_position", [
    (["f", "t"], [True, False], "first"), (["t", "s"], [False, True], "last"), (["n", "b", "f"], [True, False, True], "first")])
def test_external_sort_key_kinds(mixed, budget, by, ascending, na_position):
    """The host merge orders every key kind as pandas does (NaN a null, -0.0 tied with 0.0,
    nulls placed by na_position whatever the direction) and keeps tied rows in input order."""
    pdf, path = mixed
    lf = jf.scan_parquet(path)
    got = lf[lf["b"] | (lf["f"] > 0)].sort_values(by, ascending=ascending, na_position=na_position).collect(streaming=True)
    assert streaming.LAST_STATS.batches >= 5
    want = pdf[pdf["b"] | (pdf["f"] > 0)].sort_values(by, ascending=ascending, na_position=na_position, kind="stable")
    pd.testing.assert_frame_equal(got.to_pandas(), want)


def test_merged_order_categories():
    """A categorical key merges by its category order, not its values; runs whose categories
    differ are refused."""
    cats = pa.array(["z", "a", "m"])
    run = lambda codes: pa.table({"c": pa.DictionaryArray.from_arrays(pa.array(codes, pa.int8()), cats)})  # noqa: E731
    table = pa.concat_tables([run([0, 2, None]), run([1, 0])])
    order = external_sort.merged_order(table, [0], (True,), "first")
    assert order.to_pylist() == [2, 0, 4, 3, 1]  # by value it would be [2, 3, 1, 0, 4]
    other = pa.table({"c": pa.DictionaryArray.from_arrays(pa.array([0], pa.int8()), pa.array(["a", "z", "m"]))})
    with pytest.raises(NotImplementedError, match="categorical column 'c' whose batches have different categories"):
        external_sort.merged_order(pa.concat_tables([run([0]), other]), [0], (True,), "last")


def test_external_sort_of_nothing(data, budget):
    pdf, path = data
    lf = jf.scan_parquet(path)
    got = lf[lf["w"] > 1000].sort_values("v").collect(streaming=True)
    pd.testing.assert_frame_equal(got.to_pandas(), pdf[pdf["w"] > 1000].sort_values("v"))


def test_drop_duplicates_first(data, budget):
    pdf, path = data
    got = jf.scan_parquet(path)[["k", "s"]].drop_duplicates().collect()
    pd.testing.assert_frame_equal(got.to_pandas(), pdf[["k", "s"]].drop_duplicates())


def test_limit_stops_reading(data, monkeypatch):
    pdf, path = data
    read = []
    original = parquet_io._read_part
    monkeypatch.setattr(parquet_io, "_read_part", lambda ds, groups, *a: read.append(len(groups)) or
                        original(ds, groups, *a))
    got = jf.scan_parquet(path).head(2_500).collect()
    pd.testing.assert_frame_equal(got.to_pandas(), pdf.head(2_500))
    assert sum(read) == 3  # three row groups of 1,000 rows hold the first 2,500; the file has 40


def test_auto_streams_only_past_the_budget(data, budget):
    pdf, path = data
    streaming.LAST_STATS.batches = 0
    jf.scan_parquet(path).groupby("k").agg(m=("w", "sum")).collect(streaming=False)
    assert streaming.LAST_STATS.batches == 0
    jf.set_memory_budget(10 ** 9)
    jf.scan_parquet(path).groupby("k").agg(m=("w", "sum")).collect()
    assert streaming.LAST_STATS.batches == 0


def test_refusals(data, budget):
    _, path = data
    lf = jf.scan_parquet(path)
    with pytest.raises(NotImplementedError, match="streaming group-by aggregation 'median'"):
        lf.groupby("k").agg(m=("v", "median")).collect()
    with pytest.raises(ValueError, match="positive number of bytes"):
        jf.set_memory_budget(0)


def test_import_touches_no_backend():
    """jax.distributed.initialize must be able to run after `import jaxframes` (multi-process set-up)."""
    code = "import jaxframes; from jax._src import xla_bridge as xb; assert not xb._backends"
    subprocess.run([sys.executable, "-c", code], check=True)


@pytest.fixture(scope="module")
def drifting(tmp_path_factory):
    """String keys whose values (so each row group's dictionary) differ from row group to row
    group, with nulls, and a column that empties whole row groups under a filter."""
    rng = np.random.default_rng(3)
    groups = []
    for g in range(40):
        n = 1_000
        pool = [f"g{g % 7}_{i}" for i in range(3 + g % 5)] + ["shared"]
        s = pd.Series(rng.choice(pool, n), dtype="str")
        s[rng.random(n) < 0.1] = None
        groups.append(pd.DataFrame({"s": s, "v": rng.normal(size=n), "w": np.full(n, g % 4, np.int64),
                                    "k": rng.integers(0, 5, n)}))
    pdf = pd.concat(groups, ignore_index=True)
    path = tmp_path_factory.mktemp("drift") / "drift.parquet"
    pq.write_table(pa.Table.from_pandas(pdf, preserve_index=False), path, row_group_size=1_000)
    return pdf, str(path)


@pytest.mark.parametrize("dropna", [True, False])
def test_group_by_string_keys_whose_dictionaries_differ_per_batch(drifting, budget, dropna):
    pdf, path = drifting
    aggs = dict(t=("v", "sum"), c=("v", "count"), m=("v", "mean"), n=("k", "size"))
    lf = jf.scan_parquet(path)
    got = lf[lf["w"] != 2].groupby(["s", "k"], dropna=dropna).agg(**aggs).collect()  # every 4th batch empty
    _check_bounded()
    want = pdf[pdf["w"] != 2].groupby(["s", "k"], dropna=dropna).agg(**aggs)
    pd.testing.assert_frame_equal(got.to_pandas(), want, check_exact=False, rtol=1e-12)


def test_filtered_stream_keeps_row_labels(drifting, budget):
    """Batches run their row-local stage with labels rebased to 0 (one compile per stream) and
    get their own labels back: the concatenated rows carry the file's row numbers."""
    pdf, path = drifting
    lf = jf.scan_parquet(path)
    got = lf[lf["v"] > 2.2].assign(x=lf["v"] * 2)[["s", "x"]].collect()
    _check_bounded()
    want = pdf[pdf["v"] > 2.2].assign(x=pdf["v"] * 2)[["s", "x"]]
    pd.testing.assert_frame_equal(got.to_pandas(), want)


def test_row_local_stage_compiles_once_per_stream(drifting, budget):
    """Every batch (the last, shorter one included) reuses one compiled stage: the traces of a
    whole stream do not grow with its batches."""
    from jaxframes.exec import cache

    pdf, path = drifting
    before = cache.trace_count()
    lf = jf.scan_parquet(path)[["v", "w", "k"]]
    got = lf[lf["w"] < 3].assign(y=lf["v"] + 7.25).groupby("k").agg(t=("y", "sum")).collect()
    assert streaming.LAST_STATS.batches >= 10
    assert cache.trace_count() - before <= 2  # (a retrace under new data facts at most)
    want = pdf[pdf["w"] < 3].assign(y=pdf["v"] + 7.25).groupby("k").agg(t=("y", "sum"))
    pd.testing.assert_frame_equal(got.to_pandas(), want)
