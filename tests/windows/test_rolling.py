"""Series/DataFrame.rolling and .expanding against pandas: window size (incl. 0, 1 and longer
than the data), min_periods, center, closed, NaN patterns, numeric dtypes with nulls, empty
frames, time-based windows over a datetime index and ``on=``, filtered frames whose dead rows
would change a window, corr/cov, apply(raw=True), agg, and the same answer under jax.jit."""

import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest

from frames import NUMERIC_DTYPES, make_column
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows

AGGS = ["sum", "mean", "var", "std", "min", "max", "median", "skew", "kurt", "count", "sem", "first", "last"]
TOL = {"rtol": 1e-9}


def nan_series(n=40, seed=0, pattern="some"):
    rng = np.random.default_rng(seed)
    x = pd.Series(rng.normal(size=n) * 5 + 2, name="v")
    if pattern == "some":
        x[rng.random(n) < 0.25] = np.nan
    elif pattern == "runs":  # all-NaN windows
        x[5:12] = np.nan
        x[30:] = np.nan
    elif pattern == "ties":
        x = x.round(0)
    return x


@pytest.mark.parametrize("agg", AGGS)
@pytest.mark.parametrize("window,min_periods", [(1, None), (3, 1), (50, 2)])
def test_integer_windows(agg, window, min_periods):
    data = nan_series(pattern="some")
    assert_matches_pandas(lambda s: getattr(s.rolling(window, min_periods=min_periods), agg)(), data, **TOL)


@pytest.mark.parametrize("window,min_periods", [(0, None), (3, None), (6, 0)])
def test_window_zero_and_default_min_periods(window, min_periods):
    for agg in ("sum", "mean", "count"):
        assert_matches_pandas(lambda s: getattr(s.rolling(window, min_periods=min_periods), agg)(), nan_series(), **TOL)


@pytest.mark.parametrize("agg", ["sum", "std", "max", "median"])
@pytest.mark.parametrize("center", [False, True])
@pytest.mark.parametrize("closed", [None, "left", "both", "neither"])
def test_center_and_closed(agg, center, closed):
    data = nan_series(pattern="runs")
    assert_matches_pandas(lambda s: getattr(s.rolling(5, min_periods=2, center=center, closed=closed), agg)(),
                          data, **TOL)


@pytest.mark.parametrize("pattern", ["none", "runs", "ties"])
@pytest.mark.parametrize("agg", ["mean", "kurt", "min"])
def test_nan_patterns(pattern, agg):
    assert_matches_pandas(lambda s: getattr(s.rolling(4, min_periods=1), agg)(), nan_series(pattern=pattern), **TOL)


@pytest.mark.parametrize("q", [0.0, 0.25, 1.0])
@pytest.mark.parametrize("interpolation", ["linear", "lower", "higher", "nearest", "midpoint"])
def test_quantile(q, interpolation):
    assert_matches_pandas(lambda s: s.rolling(6, min_periods=1).quantile(q, interpolation=interpolation),
                          nan_series(), **TOL)


@pytest.mark.parametrize("dtype", NUMERIC_DTYPES)
@pytest.mark.parametrize("nulls", ["some"])
def test_numeric_dtypes_become_float64(dtype, nulls):
    data = make_column(dtype, 12, nulls).rename("c")
    assert_matches_pandas(lambda s: s.rolling(3, min_periods=1).sum(), data, **TOL)
    frame = pd.DataFrame({"c": data, "d": np.arange(12.0)})
    assert_matches_pandas(lambda f: f.rolling(2).mean(), frame, **TOL)


@pytest.mark.parametrize("agg", ["sum", "mean", "max", "count", "std"])
def test_empty(agg):
    assert_matches_pandas(lambda s: getattr(s.rolling(3), agg)(), pd.Series([], dtype="float64", name="v"))
    assert_matches_pandas(lambda s: getattr(s.expanding(), agg)(), pd.Series([], dtype="float64", name="v"))


@pytest.mark.parametrize("agg", AGGS)
@pytest.mark.parametrize("min_periods", [3])
def test_expanding(agg, min_periods):
    assert_matches_pandas(lambda s: getattr(s.expanding(min_periods), agg)(), nan_series(pattern="runs"), **TOL)


def time_series(n=30, seed=1, decreasing=False):
    rng = np.random.default_rng(seed)
    t = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.sort(rng.integers(0, 60, n)), unit="s")  # ties
    x = pd.Series(rng.normal(size=n), index=t, name="v")
    x.iloc[[2, 5, 6]] = np.nan
    return x.iloc[::-1] if decreasing else x


@pytest.mark.parametrize("window", ["3s", pd.Timedelta("90s")])
@pytest.mark.parametrize("closed", [None, "left", "both", "neither"])
@pytest.mark.parametrize("agg", ["sum", "max", "count"])
def test_time_windows(window, closed, agg):
    assert_matches_pandas(lambda s: getattr(s.rolling(window, closed=closed), agg)(), time_series(), **TOL)


@pytest.mark.parametrize("agg", ["mean", "var", "min", "median"])
def test_time_window_aggregations(agg):
    assert_matches_pandas(lambda s: getattr(s.rolling("1s"), agg)(), time_series(), **TOL)
    assert_matches_pandas(lambda s: getattr(s.rolling("10s"), agg)(), time_series(), **TOL)


def test_time_windows_decreasing_index_min_periods_and_on():
    assert_matches_pandas(lambda s: s.rolling("5s", min_periods=2).sum(), time_series(decreasing=True), **TOL)
    x = time_series()
    frame = pd.DataFrame({"t": x.index, "a": x.to_numpy(), "b": np.arange(len(x))})
    assert_matches_pandas(lambda f: f.rolling("4s", on="t").mean(), frame, **TOL)
    assert_matches_pandas(lambda f: f.rolling(3, on="t").max(), frame, **TOL)
    frame_s = frame.assign(t=frame["t"].astype("datetime64[s]"))
    assert_matches_pandas(lambda f: f.rolling("1min", on="t", closed="both").count(), frame_s, **TOL)


def dead_twin(n=24, seed=3):
    rng = np.random.default_rng(seed)
    data = pd.DataFrame({"a": rng.normal(size=n), "b": rng.integers(-3, 4, n).astype("float64")})
    data.loc[[4, 9], "a"] = np.nan
    # dead rows hold values that would dominate a window (huge, tiny) if they entered it
    live = np.ones(n, bool)
    live[[0, 5, 6, 13, n - 1]] = False
    data.loc[~live, "a"] = [1e9, -1e9, 1e9, -1e9, 1e9]
    return frame_with_dead_rows(data, live)


@pytest.mark.parametrize("make", [
    lambda f: f.rolling(3).sum(),
    lambda f: f.rolling(4, min_periods=1, center=True).max(),
    lambda f: f.rolling(5, min_periods=2).median(),
    lambda f: f.rolling(3, closed="both").std(),
    lambda f: f.expanding().min(),
    lambda f: f["a"].rolling(2).var(),
])
def test_dead_rows_never_enter_a_window(make):
    assert_one_answer(make, dead_twin(), paths=("eager", "jit"), **TOL)


def test_dead_rows_time_window():
    x = time_series()
    data = pd.DataFrame({"a": x.to_numpy()}, index=x.index)
    live = np.ones(len(x), bool)
    live[[1, 7, 8, 20]] = False
    assert_one_answer(lambda f: f.rolling("3s").sum(), frame_with_dead_rows(data, live),
                      paths=("eager", "jit"), **TOL)


def test_jit_matches_eager():
    data = pd.DataFrame({"a": nan_series(), "b": nan_series(seed=4)})
    assert_one_answer(lambda f: f.rolling(5, min_periods=1).mean(), data, paths=("eager", "jit"), **TOL)
    assert_one_answer(lambda f: f.rolling(5).quantile(0.2), data, paths=("eager", "jit"), **TOL)


def test_cov_corr_with_other():
    x, y = nan_series(seed=1), nan_series(seed=2).rename("w")
    for agg in ("cov", "corr"):
        for window, mp in ((5, None), (8, 3)):
            expected = getattr(x.rolling(window, min_periods=mp), agg)(y)
            got = getattr(_jf(x).rolling(window, min_periods=mp), agg)(_jf(y))
            pd.testing.assert_series_equal(got.to_pandas(), expected, **TOL)
    frame = pd.DataFrame({"a": x, "b": y})
    pd.testing.assert_frame_equal(_jf(frame).rolling(6).corr(_jf(x)).to_pandas(), frame.rolling(6).corr(x), **TOL)
    pd.testing.assert_frame_equal(_jf(frame).expanding(2).cov(_jf(frame)).to_pandas(),
                                  frame.expanding(2).cov(frame), **TOL)


def _jf(obj):
    import jaxframes as jf
    return jf.from_pandas(obj)


def test_apply_raw_jax_function():
    x = nan_series()
    got = _jf(x).rolling(4).apply(lambda w: jnp.max(w) - jnp.mean(w), raw=True)
    expected = x.rolling(4).apply(lambda w: w.max() - w.mean(), raw=True)
    pd.testing.assert_series_equal(got.to_pandas(), expected, **TOL)
    got = _jf(x).rolling(3, center=True).apply(lambda w, k: jnp.sum(w * k), raw=True, args=(2.0,))
    pd.testing.assert_series_equal(got.to_pandas(), x.rolling(3, center=True).apply(lambda w, k: (w * k).sum(),
                                                                                      raw=True, args=(2.0,)), **TOL)


def test_agg():
    x = nan_series()
    assert_matches_pandas(lambda s: s.rolling(3).agg(["sum", "max"]), x, **TOL)
    assert_matches_pandas(lambda s: s.rolling(3).agg("mean"), x, **TOL)
    frame = pd.DataFrame({"a": x, "b": nan_series(seed=5)})
    assert_matches_pandas(lambda f: f.rolling(3, min_periods=1).agg({"a": "sum", "b": "min"}), frame, **TOL)
