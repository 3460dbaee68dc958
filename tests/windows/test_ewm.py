"""Series/DataFrame.ewm against pandas: com/span/halflife/alpha, adjust, ignore_na, min_periods,
NaN gaps (pandas 3's adjust=False rule for the mean, the older one for var/cov), halflife with
times, cov/corr with another Series, dead rows, and jax.jit."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows

TOL = {"rtol": 1e-9}


def series(n=30, seed=0, gaps=True):
    rng = np.random.default_rng(seed)
    x = pd.Series(rng.normal(size=n) * 3 + 10, name="v")
    if gaps:
        x[[0, 4, 5, 6, 17]] = np.nan  # leading NaN, a run, a single gap
    return x


PARAMS = [dict(com=0.5), dict(span=3), dict(halflife=2.5), dict(alpha=1.0), dict(alpha=0.3, min_periods=4)]


# Each parameter set once per aggregation; the four (adjust, ignore_na) pairs are spread over them.
PAIRS = [(True, False), (False, True), (True, True), (False, False), (True, False)]


@pytest.mark.parametrize("agg", ["mean", "var", "sum"])
@pytest.mark.parametrize(("params", "adjust", "ignore_na"), [(p, *pair) for p, pair in zip(PARAMS, PAIRS)])
def test_ewm(agg, params, adjust, ignore_na):
    if agg == "sum" and not adjust:
        pytest.skip("ewm(adjust=False).sum(): NotImplementedError (tests/windows/test_window_errors.py)")
    assert_matches_pandas(lambda s: getattr(s.ewm(adjust=adjust, ignore_na=ignore_na, **params), agg)(),
                          series(), **TOL)


@pytest.mark.parametrize("bias", [False, True])
def test_var_bias_and_constant(bias):
    assert_matches_pandas(lambda s: s.ewm(span=3).var(bias=bias), series(), **TOL)
    assert_matches_pandas(lambda s: s.ewm(span=3).std(bias=bias), pd.Series([2.5] * 8), **TOL)


@pytest.mark.parametrize("adjust", [True, False])
def test_halflife_with_times(adjust):
    rng = np.random.default_rng(2)
    times = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.cumsum(rng.integers(0, 5, 30)), unit="h")
    x = series()
    got = jf.from_pandas(x).ewm(halflife="3h", times=times, adjust=adjust).mean()
    pd.testing.assert_series_equal(got.to_pandas(), x.ewm(halflife="3h", times=times, adjust=adjust).mean(), **TOL)


def test_frame_and_cov_corr():
    x, y = series(seed=1), series(seed=2)
    y[[3, 10]] = np.nan
    assert_matches_pandas(lambda f: f.ewm(com=2).mean(), pd.DataFrame({"a": x, "b": y}), **TOL)
    for agg in ("cov", "corr"):
        got = getattr(jf.from_pandas(x).ewm(span=5), agg)(jf.from_pandas(y))
        pd.testing.assert_series_equal(got.to_pandas(), getattr(x.ewm(span=5), agg)(y), **TOL)


def test_dead_rows_and_jit():
    data = pd.DataFrame({"a": series(seed=3), "b": np.arange(30.0)})
    live = np.ones(30, bool)
    live[[2, 3, 11, 29]] = False
    data.loc[~live, "a"] = 1e9
    twin = frame_with_dead_rows(data, live)
    for op in (lambda f: f.ewm(span=4).mean(), lambda f: f.ewm(alpha=0.2, adjust=False).var()):
        assert_one_answer(op, twin, paths=("eager", "jit"), **TOL)
