"""The C++ ewm kernel (csrc/ewm.cc) against its twin (the affine-scan path of
jaxframes.windows.ewm, run with the extension disabled) and against pandas: adjust True/False,
ignore_na, min_periods, NaN gaps (leading, runs, all-NaN), constant series, alpha=1, halflife with
times (repeated instants included), and a frame with dead rows."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.kernels import native

pytestmark = pytest.mark.skipif(not native.available(), reason="C++ extension not built")


def data(kind: str) -> pd.Series:
    rng = np.random.default_rng(7)
    x = pd.Series(rng.normal(size=25) * 4 + 50, name="v")
    if kind == "gaps":
        x[[0, 1, 6, 7, 8, 20, 24]] = np.nan
    elif kind == "all_nan":
        x[:] = np.nan
    elif kind == "constant":
        x[:] = 2.5
        x[[3, 4]] = np.nan
    return x


CASES = [dict(span=20), dict(com=0.5), dict(alpha=1.0), dict(alpha=0.5), dict(halflife=3, min_periods=5)]


def both_paths(op):
    """(C++ answer, twin answer) of ``op`` on a JaxFrames object."""
    got = op().to_pandas()
    with native.disabled():
        twin = op().to_pandas()
    return got, twin


# Each parameter set once; the four (adjust, ignore_na) pairs are spread over them.
PAIRS = [(True, False), (False, True), (True, True), (False, False), (True, False)]


@pytest.mark.parametrize("kind", ["gaps", "all_nan", "constant"])
@pytest.mark.parametrize(("params", "adjust", "ignore_na"), [(p, *pair) for p, pair in zip(CASES, PAIRS)])
def test_mean_native_twin_pandas(kind, params, adjust, ignore_na):
    x = data(kind)
    s = jf.from_pandas(x)
    got, twin = both_paths(lambda: s.ewm(adjust=adjust, ignore_na=ignore_na, **params).mean())
    expected = x.ewm(adjust=adjust, ignore_na=ignore_na, **params).mean()
    pd.testing.assert_series_equal(got, expected, rtol=1e-12)
    pd.testing.assert_series_equal(twin, got, rtol=1e-9)
    if adjust:
        got, twin = both_paths(lambda: s.ewm(ignore_na=ignore_na, **params).sum())
        pd.testing.assert_series_equal(got, x.ewm(ignore_na=ignore_na, **params).sum(), rtol=1e-12)
        pd.testing.assert_series_equal(twin, got, rtol=1e-9)


@pytest.mark.parametrize("adjust", [True, False])
@pytest.mark.parametrize("ignore_na", [False, True])
def test_times_native_twin_pandas(adjust, ignore_na):
    x = data("gaps")
    rng = np.random.default_rng(3)
    times = pd.Timestamp("2024-01-01") + pd.to_timedelta(np.cumsum(rng.integers(0, 4, len(x))), unit="min")
    s = jf.from_pandas(x)
    kw = dict(halflife="5min", times=times, adjust=adjust, ignore_na=ignore_na)
    got, twin = both_paths(lambda: s.ewm(**kw).mean())
    pd.testing.assert_series_equal(got, x.ewm(**kw).mean(), rtol=1e-12)
    pd.testing.assert_series_equal(twin, got, rtol=1e-9)


def test_dead_rows_native_twin():
    x = data("gaps")
    live = np.ones(len(x), bool)
    live[[2, 3, 15, 24]] = False
    frame = jf.from_pandas(pd.DataFrame({"v": np.where(live, x, 1e9)}))
    frame = frame[jf.Series(pd.Series(live))]
    got, twin = both_paths(lambda: frame.ewm(span=4).mean())
    expected = pd.DataFrame({"v": x})[live].ewm(span=4).mean()
    pd.testing.assert_frame_equal(got, expected, rtol=1e-12)
    pd.testing.assert_frame_equal(twin, got, rtol=1e-9)
