"""Dense group-by keys: floored datetimes (a slot per day/hour/minute), timedeltas, small integer
and decimal ranges take direct slots (no sort); the answers are pandas'."""

from __future__ import annotations

import decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import jaxframes as jf
from jaxframes.groupby import grouper
from jaxframes.testing import assert_matches_pandas, frame_with_dead_rows


def _frame(unit: str = "ns", n: int = 400, span: int = 40 * 86_400) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    start = np.datetime64("2024-03-01T00:00:00", "s").astype(f"datetime64[{unit}]")
    offsets = rng.integers(0, span, n).astype("timedelta64[s]").astype(f"timedelta64[{unit}]")
    ts = pd.Series(start + offsets)
    ts[::17] = pd.NaT
    return pd.DataFrame({"ts": ts, "v": rng.normal(size=n), "i": rng.integers(0, 5, n)})


def _grouping(pdf: pd.DataFrame, key: str):
    ours = jf.from_pandas(pdf)
    return grouper.build([ours._columns[key]], ours._table.live())


@pytest.mark.parametrize("unit, freq", [("s", "D"), ("ms", "h"), ("us", "min"), ("ns", "D")])
def test_floored_datetimes_group_dense(unit, freq):
    pdf = _frame(unit, span=5 * 3600 if freq == "min" else 40 * 86_400)  # a slot per minute: 300
    pdf["key"] = pdf["ts"].dt.floor(freq)
    g = _grouping(pdf, "key")
    assert g.perm is None and not g.sorted_ids, "a floored datetime key should take the dense path"
    floored = lambda f: f.assign(key=f["ts"].dt.floor(freq))  # noqa: E731
    assert_matches_pandas(lambda f: floored(f).groupby("key").agg({"v": "sum", "i": "max"}), pdf)
    assert_matches_pandas(lambda f: floored(f).groupby("key", dropna=False, sort=False)["v"].mean(), pdf)


def test_unfloored_datetimes_fall_back_to_sorting():
    pdf = _frame("ns")
    g = _grouping(pdf, "ts")
    assert g.sorted_ids
    assert_matches_pandas(lambda f: f.groupby("ts")["v"].sum(), pdf)


def test_timedelta_and_decimal_keys_and_dead_rows():
    pdf = _frame("s")
    pdf["td"] = (pdf["ts"] - pd.Timestamp("2024-03-01")).dt.floor("h")
    pdf["d"] = pd.Series([decimal.Decimal(int(x)).scaleb(-2) for x in pdf["i"]],
                         dtype=pd.ArrowDtype(pa.decimal128(10, 2)))
    assert _grouping(pdf, "td").perm is None
    assert _grouping(pdf, "d").perm is None
    assert_matches_pandas(lambda f: f.groupby("td")["v"].sum(), pdf)
    assert_matches_pandas(lambda f: f.groupby(["d", "td"])["v"].count(), pdf)
    live = np.arange(len(pdf)) % 3 != 0
    twin = frame_with_dead_rows(pdf.assign(day=pdf["ts"].dt.floor("D")), live)
    got = twin.ours.groupby("day")["v"].sum().to_pandas()
    pd.testing.assert_series_equal(got, twin.theirs.groupby("day")["v"].sum())


def test_a_wide_day_range_stays_sorted():
    # a slot per day over 200 years is more than the dense path allows for 3 rows
    pdf = pd.DataFrame({"ts": pd.to_datetime(["1900-01-01", "2000-01-01", "2100-01-01"]).as_unit("s"), "v": [1, 2, 3]})
    assert _grouping(pdf, "ts").sorted_ids
    assert_matches_pandas(lambda f: f.groupby("ts")["v"].sum(), pdf)


@pytest.mark.parametrize("extra, whole", [(0, [1, 1, 1, 1, 1]), (3600, [0, 1, 1, 1, 1]),
                                          (7, [0, 0, 0, 1, 1]), (1e-9, [0, 0, 0, 0, 1])])
def test_temporal_steps_are_exact(extra, whole):
    # the step test rounds a float64 quotient: a value 1 ns off a grid of days far from the
    # lowest must fail every step above 1 ns; dead and null rows never count
    day = 86_400 * 10**9
    low = np.datetime64("1990-01-01", "ns").astype(np.int64)
    data = np.array([low, low + 9000 * day, low + 3 * day + round(extra * 10**9), 5, low - 1], np.int64)
    usable = np.array([True, True, True, False, False])
    got = np.asarray(grouper._temporal_range(data, usable, grouper._time_steps("ns")))
    assert got[:3].tolist() == [1, low, low + 9000 * day]
    assert got[3:].tolist() == whole


@pytest.mark.parametrize("sort", [True, False])
def test_a_sparse_wide_int_domain_renumbers_its_slots(sort):
    # 40000 rows over keys 0..80000 (a dense slot domain past 2**16, within 2x the capacity):
    # few occupied slots, so the grouping learns the group count and its outputs take the
    # groups' bucket, not the domain's
    rng = np.random.default_rng(1)
    n = 40_000
    keys = rng.integers(0, 80_000, n)
    pdf = pd.DataFrame({"k": keys, "v": rng.normal(size=n), "i": rng.integers(0, 9, n)})
    g = _grouping(pdf, "k")
    assert g.perm is None and g.order is None and g.num_slots <= 40_960
    assert_matches_pandas(lambda f: f.groupby("k", sort=sort).agg(s=("v", "sum"), m=("i", "max"),
                                                                  md=("v", "median")), pdf)
    assert_matches_pandas(lambda f: f.groupby("k", sort=sort)["v"].transform("sum"), pdf)
    live = rng.random(n) < 0.3  # dead rows hold keys that no live row has
    twin = frame_with_dead_rows(pdf, live)
    got = twin.ours.groupby("k", sort=sort, as_index=False).agg(s=("v", "sum"), c=("i", "count")).to_pandas()
    pd.testing.assert_frame_equal(got, twin.theirs.groupby("k", sort=sort, as_index=False).agg(
        s=("v", "sum"), c=("i", "count")))


@pytest.mark.parametrize("sort", [True, False])
def test_many_small_int_keys_sort_as_range_offsets(sort):
    # three small-range keys whose slot product is too large for dense slots: the sorted grouping
    # packs each int key as its offset into the live range (one radix word); nulls keep their own
    # group, dead rows hold keys far outside the live range and must not shift any group
    rng = np.random.default_rng(2)
    n = 300
    pdf = pd.DataFrame({"a": rng.integers(-40, 40, n), "b": pd.array(rng.integers(1000, 1100, n), dtype="Int64"),
                        "s": pd.Series(rng.choice(["x", "y", "z"], n), dtype="str"),
                        "c": rng.integers(0, 50, n), "v": rng.normal(size=n)})
    pdf.loc[::11, "b"] = pd.NA
    ours = jf.from_pandas(pdf)
    g = grouper.build([ours._columns[k] for k in ("a", "b", "s", "c")], ours._table.live(), sort, dropna=False)
    assert g.perm is not None, "the key product is past the dense slots: a sorted grouping"
    by = ["a", "b", "s", "c"]
    assert_matches_pandas(lambda f: f.groupby(by, sort=sort, dropna=False, as_index=False).agg(
        v=("v", "sum"), n=("v", "size")), pdf)
    assert_matches_pandas(lambda f: f.groupby(by, sort=sort)["v"].max(), pdf)
    live = rng.random(n) < 0.6
    wide = pdf.copy()
    wide.loc[~live, "a"] = rng.integers(-10**15, 10**15, (~live).sum())
    twin = frame_with_dead_rows(wide, live)
    got = twin.ours.groupby(by, sort=sort, dropna=False, as_index=False).agg(v=("v", "sum"), n=("v", "size"))
    pd.testing.assert_frame_equal(got.to_pandas(), twin.theirs.groupby(by, sort=sort, dropna=False, as_index=False).agg(
        v=("v", "sum"), n=("v", "size")))


@pytest.mark.parametrize("sort", [True, False])
def test_a_sorted_key_groups_by_its_runs(sort):
    # a sorted int key over a sparse domain (like TPC-H's l_orderkey) and one too wide for slots:
    # runs of equal values are the groups (no slot table, no sort, no count sync); a nullable
    # key with dropna=False (nulls make a group) and an unsorted key keep the other paths
    rng = np.random.default_rng(4)
    n = 3000
    for hi in (200_000, 10**15):
        keys = np.sort(rng.integers(0, hi, n // 3)).repeat(3)
        pdf = pd.DataFrame({"k": keys, "v": rng.normal(size=n), "i": rng.integers(0, 9, n)})
        g = _grouping(pdf, "k")
        assert g.perm is None and g.num_groups == len(np.unique(keys)) and g.num_slots <= 1024
        assert_matches_pandas(lambda f: f.groupby("k", sort=sort).agg(s=("v", "sum"), m=("i", "max"),
                                                                      md=("v", "median")), pdf)
        live = rng.random(n) < 0.5  # dead rows hold out-of-order keys
        twin = frame_with_dead_rows(pdf.assign(k=np.where(live, keys, -keys)), live)
        got = twin.ours.groupby("k", sort=sort, as_index=False).agg(s=("v", "sum"), c=("i", "count")).to_pandas()
        pd.testing.assert_frame_equal(got, twin.theirs.groupby("k", sort=sort, as_index=False).agg(
            s=("v", "sum"), c=("i", "count")))
    nullable = pdf.assign(k=pd.array(pdf["k"], dtype="Int64"))
    nullable.loc[5:9, "k"] = pd.NA
    assert_matches_pandas(lambda f: f.groupby("k", sort=sort, dropna=False)["v"].sum(), nullable)
    assert_matches_pandas(lambda f: f.groupby("k", sort=sort)["v"].sum(), nullable)
    assert_matches_pandas(lambda f: f.groupby("k", sort=sort)["v"].sum(), pdf.sample(frac=1, random_state=0))
