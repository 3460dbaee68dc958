"""resample against pandas: rules (fixed and calendar), closed/label/origin/offset, empty bins,
nulls (values and NaT times), dtypes, filtered frames, on=, agg forms, and the refusals."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pandas.errors import DataError

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_same_result, frame_with_dead_rows
from tests.frames import make_column

AGGS = ("sum", "mean", "min", "max", "first", "last", "count", "size", "median", "std", "var", "nunique",
        "prod", "ohlc")


def _times(n: int, seed: int = 0, span_hours: float = 30.0, nat: bool = False, unit: str = "ns") -> pd.DatetimeIndex:
    rng = np.random.default_rng(seed)
    offsets = np.sort(rng.integers(0, int(span_hours * 3600), size=n)) * 10**9
    t = pd.DatetimeIndex(pd.Timestamp("2024-03-30 22:17:03") + pd.to_timedelta(offsets, unit="ns"))
    if nat and n:
        t = t.where(rng.random(n) > 0.2)
    return t.as_unit(unit)


def _frame(n: int = 40, seed: int = 0, **kw) -> pd.DataFrame:
    df = pd.DataFrame({
        "i": make_column("int64", n, seed=seed),
        "f": make_column("float64", n, "some", seed=seed + 1),
        "n": make_column("Int64", n, "some", seed=seed + 2),
        "b": make_column("bool", n, seed=seed + 3),
    })
    df.index = _times(n, seed, **kw)
    return df


@pytest.mark.parametrize("how", AGGS)
def test_every_aggregation_with_empty_bins(how: str) -> None:
    df = _frame(40, span_hours=60)  # 40 rows over 60 hours: empty bins
    assert_matches_pandas(lambda x: getattr(x.resample("h"), how)(), df)
    assert_matches_pandas(lambda x: getattr(x["f"].resample("2h"), how)(), df)


@pytest.mark.parametrize("how", ("min", "max", "first", "last", "sum", "mean"))
def test_no_empty_bins_keeps_int_dtype(how: str) -> None:
    df = _frame(40, span_hours=3)
    assert_matches_pandas(lambda x: getattr(x.resample("h"), how)(), df)


@pytest.mark.parametrize("rule", ["s", "15min", "3h", "D", "W-MON", "ME", "MS", "QE", "YE", "1h30min"])
def test_rules(rule: str) -> None:
    df = _frame(40, span_hours=24 * 100 if rule in ("ME", "MS", "QE", "YE", "W", "W-MON") else 30)
    if rule == "s":
        df = _frame(40, span_hours=0.01)
    assert_matches_pandas(lambda x: x.resample(rule).agg({"i": "sum", "f": "mean", "n": "max"}), df)


@pytest.mark.parametrize("closed, label", [(None, None), ("left", "right"), ("right", None), ("right", "left")])
@pytest.mark.parametrize("rule", ["h", "ME"])
def test_closed_and_label(closed, label, rule) -> None:
    df = _frame(40, span_hours=24 * 70 if rule == "ME" else 10)
    # timestamps on the edges decide closed: put some exactly on the hour / at midnight
    idx = df.index.to_series().copy()
    idx.iloc[::5] = idx.iloc[::5].dt.floor("D" if rule == "ME" else "h")
    df.index = pd.DatetimeIndex(idx).sort_values()
    assert_matches_pandas(lambda x: x.resample(rule, closed=closed, label=label).sum(), df)
    assert_matches_pandas(lambda x: x.resample(rule, closed=closed, label=label).first(), df)


@pytest.mark.parametrize("origin, offset", [("start_day", None), ("start", "7min"), ("epoch", None), ("end", None),
                                            ("end", "7min"), ("end_day", None), ("2024-03-30 21:05", "7min")])
def test_origin_and_offset(origin, offset) -> None:
    df = _frame(40, span_hours=6)
    raises = {("end", "7min"): ValueError}.get((origin, offset))
    assert_matches_pandas(lambda x: x.resample("25min", origin=origin, offset=offset).sum(), df, raises=raises,
                          match=None if raises is None else "Values falls before first bin")


def test_unsorted_times_nat_and_units() -> None:
    df = _frame(40, nat=True).sample(frac=1.0, random_state=1)
    for how in ("sum", "size", "first", "median"):
        assert_matches_pandas(lambda x: getattr(x.resample("2h"), how)(), df)
    for unit in ("s", "us"):
        d = _frame(40, unit=unit)
        assert_matches_pandas(lambda x: x.resample("h").agg(["sum", "max"]), d)


@pytest.mark.parametrize("dtype", ["int32", "float32", "bool", "boolean", "Float64", "Int32", "datetime64[ns]",
                                   "str", "uint8"])
@pytest.mark.parametrize("how", ["sum", "min", "first", "count", "mean", "nunique"])
def test_dtypes(dtype, how) -> None:
    n = 15
    df = pd.DataFrame({"v": make_column(dtype, n, "some", seed=4)}).set_axis(_times(n, span_hours=12))
    try:
        getattr(df.resample("h"), how)()
    except TypeError as err:
        assert_matches_pandas(lambda x: getattr(x.resample("h"), how)(), df, raises=TypeError)
        return
    gaps = {("str", "sum"): (NotImplementedError, "string"),  # the group-by's own gaps, named
            ("uint8", "sum"): (NotImplementedError, "uint8"), ("uint8", "min"): (NotImplementedError, "uint8"),
            ("uint8", "mean"): (NotImplementedError, "uint8"),
            ("datetime64[ns]", "mean"): (TypeError, "does not support operation 'mean'")}
    if (dtype, how) in gaps:
        err, match = gaps[(dtype, how)]
        with pytest.raises(err, match=match):
            getattr(jf.from_pandas(df).resample("h"), how)()
        return
    assert_matches_pandas(lambda x: getattr(x.resample("h"), how)(), df)


def test_on_column_and_agg_forms() -> None:
    df = _frame(40).reset_index(names="t")
    assert_matches_pandas(lambda x: x.resample("3h", on="t").sum(), df)
    assert_matches_pandas(lambda x: x.resample("3h", on="t").agg({"i": ["sum", "mean"], "f": "max"}), df)
    assert_matches_pandas(lambda x: x.resample("3h", on="t").agg(["min", "count"]), df)
    assert_matches_pandas(lambda x: x.resample("3h", on="t")["f"].agg(["min", "count"]), df)
    assert_matches_pandas(lambda x: x.resample("3h", on="t")[["i", "f"]].mean(), df)
    assert_matches_pandas(lambda x: x.resample("3h", on="t").aggregate("median"), df)
    assert_matches_pandas(lambda x: x.resample("3h", on="t")[["i", "f"]].ohlc(), df)
    assert_matches_pandas(lambda x: x.resample("3h", on="t").f.sum(), df)


def test_empty_and_all_nat() -> None:
    empty = _frame(0)
    for how in ("sum", "mean", "count", "size", "ohlc", "first", "nunique"):
        assert_matches_pandas(lambda x: getattr(x.resample("h"), how)(), empty)
    nat = _frame(5)
    nat.index = pd.DatetimeIndex([pd.NaT] * 5)
    for how in ("sum", "size", "count"):
        assert_matches_pandas(lambda x: getattr(x.resample("h"), how)(), nat)


def test_filtered_frames_dead_rows_decide_nothing() -> None:
    df = _frame(40, span_hours=30)
    # dead rows: far outside the live time range (would add bins), and filling bins that
    # are empty among the live rows (would keep int dtypes)
    live = np.ones(40, bool)
    live[[0, 1, 10, 11, 12, 13, 14, 39]] = False
    twin = frame_with_dead_rows(df, live)
    for how in ("sum", "min", "first", "size", "median", "count", "ohlc"):
        assert_same_result(getattr(twin.ours.resample("h"), how)(), getattr(twin.theirs.resample("h"), how)())


def test_errors() -> None:
    df = _frame(10)
    plain = df.reset_index(drop=True)
    assert_matches_pandas(lambda x: x.resample("h"), plain, raises=TypeError, match="Only valid with DatetimeIndex")
    assert_matches_pandas(lambda x: x.resample("h", on="i"), df.reset_index(), raises=TypeError,
                          match="Only valid with DatetimeIndex")
    assert_matches_pandas(lambda x: x.resample("h", closed="middle"), df, raises=ValueError, match="closed")
    assert_matches_pandas(lambda x: x.resample("h", origin="noon"), df, raises=ValueError, match="origin")
    assert_matches_pandas(lambda x: x.resample("xyz"), df, raises=ValueError, match="Invalid frequency")
    assert_matches_pandas(lambda x: x.resample("h", on="zz"), df.reset_index(), raises=KeyError)
    assert_matches_pandas(lambda x: x.resample("h")["zz"], df, raises=KeyError, match="zz")
    text = df.assign(s=make_column("str", 10))
    assert_matches_pandas(lambda x: x.resample("h").ohlc(), text, raises=DataError, match="No numeric types")
    ours = jf.from_pandas(df)
    with pytest.raises(NotImplementedError, match="upsampling"):
        ours.resample("min").ffill()
    with pytest.raises(NotImplementedError, match="resample aggregation"):
        ours.resample("h").agg(lambda v: v.sum())
    with pytest.raises(NotImplementedError, match="jit"):
        import jax
        jax.jit(lambda x: x.resample("h").sum())(ours)
