"""A group-by or merge after a selective filter compacts its input first (Table.sparse_rows):
the keys and the columns an aggregation reads are gathered to the live rows' bucket, one host
sync for the live count. The dead rows here would change every answer (other keys, NaN and
huge values), and the answers are pandas', eager and lazy."""

import jax
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.sync import count_syncs
from jaxframes.testing import frame_with_dead_rows

N = 70_000  # past table.SPARSE_MIN_SLOTS


@pytest.fixture(scope="module")
def twin():
    rng = np.random.default_rng(3)
    keep = rng.random(N) < 0.05
    pdf = pd.DataFrame({
        "k": np.where(keep, rng.integers(0, 40, N), rng.integers(1000, 2000, N)),
        "s": pd.array(np.where(keep, rng.choice(["a", "b", None], N), "dead"), dtype="str"),
        "v": np.where(keep, rng.normal(size=N), np.nan),
        "w": np.where(keep, rng.integers(0, 9, N), 10**15),
    })
    return frame_with_dead_rows(pdf, keep)


def test_sparse_rows_compacts_only_sparse_concrete_tables(twin):
    frame = twin.ours
    with count_syncs() as syncs:
        compact = frame._compacted_if_sparse()
    assert syncs.syncs == 1 and compact._capacity < frame._capacity
    pd.testing.assert_frame_equal(compact.to_pandas(), twin.theirs)
    full = jf.from_pandas(pd.DataFrame({"a": np.arange(N)}))
    assert full._compacted_if_sparse() is full
    half = full[full["a"] % 2 == 0]
    assert half._compacted_if_sparse() is half
    assert jax.jit(lambda f: f._compacted_if_sparse())(frame)._capacity == frame._capacity  # traced: kept


def test_aggregations_over_compacted_rows_match_pandas(twin):
    ours, theirs = twin.ours, twin.theirs
    gb = ours.groupby("k")
    got = gb.agg({"v": "sum", "w": ["min", "first"]})
    dense = gb._compacted()
    assert dense is not gb and dense._frame._capacity < ours._capacity and dense._compacted() is dense
    assert set(dense._gathered) == {"v", "w"}  # only the columns read move
    pd.testing.assert_frame_equal(got.to_pandas(), theirs.groupby("k").agg({"v": "sum", "w": ["min", "first"]}))
    cases = [
        lambda f: f.groupby("s", as_index=False).agg(total=("w", "sum"), n=("v", "count")),
        lambda f: f.groupby(["s", "k"], dropna=False)["v"].mean(),
        lambda f: f.groupby("k").size(),
        lambda f: f.groupby("k")[["v", "w"]].sem(),
        lambda f: f.groupby("k")["w"].last(),
    ]
    for case in cases:
        expected = case(theirs)
        got = case(ours).to_pandas()
        if isinstance(expected, pd.Series):
            pd.testing.assert_series_equal(got, expected)
        else:
            pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("how", ["inner", "left", "right"])
def test_merge_of_sparse_inputs_matches_pandas(twin, how):
    right = pd.DataFrame({"k": np.arange(0, 60, 2), "x": np.arange(30) * 1.5})
    got = twin.ours.merge(jf.from_pandas(right), on="k", how=how).to_pandas()
    expected = twin.theirs.merge(right, on="k", how=how)
    pd.testing.assert_frame_equal(got, expected.reset_index(drop=True) if how == "inner" else expected)


def test_lazy_plan_over_a_sparse_input(twin):
    right = pd.DataFrame({"k": np.arange(40), "x": np.arange(40) * 0.5})

    def query(f, r):
        return f.merge(r, on="k").groupby("k", as_index=False).agg(v=("v", "sum"), x=("x", "max"))

    got = query(twin.ours.lazy(), jf.from_pandas(right).lazy()).collect().to_pandas()
    pd.testing.assert_frame_equal(got, query(twin.theirs, right))


def test_range_index_take_computes_labels():
    index = jf.from_pandas(pd.DataFrame({"a": range(6)}, index=pd.RangeIndex(10, 22, 2)))._index
    positions = jax.numpy.asarray([4, 0, -1, 5, 2])
    np.testing.assert_array_equal(np.asarray(index.take(positions).column.data), [18, 10, 20, 20, 14])
