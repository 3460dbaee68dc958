"""groupby(...).rolling / .expanding / .ewm against pandas: windows never cross groups; the
result is indexed by the keys then the row labels in group order; integer and time-based
windows (each group's axis rising or falling), min_periods, center, closed; null keys,
sort=False, several keys, as_index=False; empty and filtered frames; the errors."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_one_answer, assert_same_result, frame_with_dead_rows

RNG = np.random.default_rng(7)
N = 60
BIG = pd.DataFrame({
    "k": RNG.integers(0, 5, N),
    "j": RNG.integers(0, 2, N),
    "x": RNG.normal(size=N).round(3),
    "i": RNG.integers(-3, 4, N),
    "I": pd.array(RNG.integers(0, 9, N), dtype="Int64"),
})
BIG.loc[::7, "x"] = np.nan
BIG.loc[3::11, "I"] = pd.NA

SMALL = pd.DataFrame({
    "k": ["b", "a", "b", "a", "b", None, "a"],
    "v": [1.0, 2, 3, np.nan, 5, 6, 4],
    "w": [1, 2, 3, 4, 5, 6, 7],
    "t": pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-05", "2020-01-04",
                         "2020-01-06", "2020-01-06"]),
}, index=[10, 11, 12, 13, 14, 15, 16])
NUMS = SMALL.drop(columns="t")

ROLLING = [
    lambda r: r.sum(), lambda r: r.mean(), lambda r: r.std(), lambda r: r.var(ddof=0), lambda r: r.min(),
    lambda r: r.max(), lambda r: r.median(), lambda r: r.quantile(0.3), lambda r: r.skew(), lambda r: r.kurt(),
    lambda r: r.count(), lambda r: r.sem(),
]


@pytest.mark.parametrize("agg", ROLLING)
def test_rolling_aggregations(agg):
    assert_matches_pandas(lambda df: agg(df.groupby("k").rolling(4, min_periods=2)), BIG)


@pytest.mark.parametrize("kw", [{"window": 3}, {"window": 3, "min_periods": 1, "center": True},
                                {"window": 2, "min_periods": 1, "closed": "left"},
                                {"window": 3, "min_periods": 0, "closed": "neither"},
                                {"window": 1}, {"window": 50, "min_periods": 1}])
def test_rolling_shapes(kw):
    assert_matches_pandas(lambda df: df.groupby("k").rolling(**kw).sum(), BIG)
    assert_matches_pandas(lambda df: df.groupby("k")["x"].rolling(**kw).max(), BIG)


@pytest.mark.parametrize("gb", [{"by": "k", "sort": False}, {"by": ["k", "j"]}, {"by": "k", "dropna": False}])
def test_groupings(gb):
    assert_matches_pandas(lambda df: df.groupby(**gb).rolling(2, min_periods=1).mean(), NUMS.assign(j=[1, 1, 0, 1, 0, 0, 1]))
    assert_matches_pandas(lambda df: df.groupby(**gb)["v"].expanding().sum(), NUMS.assign(j=[1, 1, 0, 1, 0, 0, 1]))
    assert_matches_pandas(lambda df: df.groupby(**gb).ewm(com=1).mean(), NUMS.assign(j=[1, 1, 0, 1, 0, 0, 1]))


def test_labels_and_options():
    assert_matches_pandas(lambda df: df.groupby("k", as_index=False).rolling(2).sum(), NUMS)
    assert_matches_pandas(lambda df: df.groupby("k", as_index=False)["v"].rolling(2).sum(), NUMS)
    assert_matches_pandas(lambda df: df.groupby("k", as_index=False).expanding().max(), NUMS)
    assert_matches_pandas(lambda df: df.groupby("k", as_index=False).ewm(span=2).mean(), NUMS)  # keys stay
    assert_matches_pandas(lambda df: df.groupby("k").rolling(2, on="w").sum(), NUMS)
    assert_matches_pandas(lambda df: df["v"].groupby(df["k"]).rolling(2).sum(), NUMS)
    assert_matches_pandas(lambda df: df.set_index("w", append=True).groupby("k").rolling(2).sum(), NUMS)
    assert_matches_pandas(lambda df: df.groupby("k").rolling(2).sum(), NUMS.iloc[:0])
    assert_matches_pandas(lambda df: df.groupby("k")["v"].ewm(com=1).mean(), NUMS.iloc[:0])


def test_agg_and_apply():
    assert_matches_pandas(lambda df: df.groupby("k").rolling(2).agg({"v": "sum", "w": "max"}), NUMS)
    assert_matches_pandas(lambda df: df.groupby("k")["v"].rolling(2, min_periods=1).agg(["sum", "max"]), NUMS)
    assert_matches_pandas(lambda df: df.groupby("k").rolling(2).agg("mean"), NUMS)
    assert_matches_pandas(lambda df: df.groupby("k").rolling(2).apply(lambda a: a.max() - a.min(), raw=True), NUMS)


@pytest.mark.parametrize("closed", [None, "both", "left", "neither"])
def test_time_windows(closed):
    assert_matches_pandas(lambda df: df.groupby("k").rolling("2D", on="t", closed=closed).sum(), SMALL)
    assert_matches_pandas(lambda df: df.set_index("t").groupby("k")[["v"]].rolling("2D", closed=closed).count(),
                          SMALL)


def test_time_windows_per_group_direction_and_errors():
    falling = SMALL.assign(t=pd.to_datetime(["2020-01-05", "2020-01-02", "2020-01-03", "2020-01-05", "2020-01-02",
                                             "2020-01-01", "2020-01-09"]))
    assert_matches_pandas(lambda df: df.groupby("k").rolling("2D", on="t").mean(), falling)
    mixed = falling.assign(t=falling["t"].where(falling.index != 14, pd.Timestamp("2020-01-08")))
    assert_matches_pandas(lambda df: df.groupby("k").rolling("2D", on="t").sum(), mixed, raises=ValueError,
                          match="Each group within t must be monotonic")
    nat = SMALL.assign(t=SMALL["t"].where(SMALL.index != 12))
    assert_matches_pandas(lambda df: df.groupby("k").rolling("2D", on="t").sum(), nat, raises=ValueError,
                          match="values must not have NaT")
    assert_matches_pandas(lambda df: df.groupby("k").rolling(2).sum(), SMALL, raises=pd.errors.DataError,
                          match="Cannot aggregate non-numeric type")
    with pytest.raises(NotImplementedError, match="step"):
        jf.from_pandas(NUMS).groupby("k").rolling(2, step=2)


@pytest.mark.parametrize("agg", [lambda e: e.sum(), lambda e: e.std(), lambda e: e.kurt(),
                                 lambda e: e.quantile(0.7), lambda e: e.count()])
def test_expanding(agg):
    assert_matches_pandas(lambda df: agg(df.groupby("k").expanding(min_periods=2)), BIG)


@pytest.mark.parametrize("kw, how", [({"com": 1.5}, "std"), ({"span": 4, "adjust": False}, "mean"),
                                     ({"alpha": 0.5, "adjust": False}, "mean"),
                                     ({"halflife": 2, "ignore_na": True}, "mean"),
                                     ({"alpha": 0.3, "adjust": False, "ignore_na": True}, "var"),
                                     ({"com": 0.5, "min_periods": 3}, "sum")])
def test_ewm(kw, how):
    """One statistic per parameter set (each set compiles its own recurrences)."""
    assert_matches_pandas(lambda df: getattr(df.groupby("k")[["x", "I"]].ewm(**kw), how)(), BIG)


def test_ewm_with_times():
    assert_matches_pandas(lambda df: df.groupby("k")[["v"]].ewm(halflife="1D", times=df["t"]).mean(), SMALL)
    with pytest.raises(NotImplementedError, match="cov/corr"):
        jf.from_pandas(NUMS).groupby("k").ewm(com=1).corr(jf.from_pandas(NUMS)["w"])


def test_dead_rows_never_enter_a_window():
    twin = frame_with_dead_rows(BIG[["k", "x", "I"]], np.arange(N) % 4 != 1)
    for op in (lambda d: d.groupby("k").rolling(3, min_periods=1).sum(), lambda d: d.groupby("k")["x"].expanding().max(),
               lambda d: d.groupby("k").ewm(com=1).mean(), lambda d: d.groupby("k", sort=False).rolling(2).std()):
        assert_same_result(op(twin.ours), op(twin.theirs))


def test_inside_jit():
    """Integer windows need no host fact: the grouped order and the segments stay on the device."""
    assert_one_answer(lambda df: df.groupby("k").rolling(2, min_periods=1).sum(), NUMS.dropna(subset=["k"]),
                      paths=("eager", "jit"))
