"""Window arguments pandas rejects raise pandas' exception type and message; what we do not
support raises NotImplementedError naming it."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas

S = pd.Series([1.0, 2.0, np.nan, 4.0], name="v")
T = pd.Series([1.0, 2.0, 3.0], index=pd.to_datetime(["2024-01-03", "2024-01-01", "2024-01-02"]))
NAT = pd.Series([1.0, 2.0, 3.0], index=pd.to_datetime(["2024-01-01", None, "2024-01-02"]))


@pytest.mark.parametrize("op,data,raises,match", [
    (lambda s: s.rolling(-1), S, ValueError, "window must be an integer 0 or greater"),
    (lambda s: s.rolling(2.5), S, ValueError, "window must be an integer 0 or greater"),
    (lambda s: s.rolling(2, min_periods=3), S, ValueError, "min_periods 3 must be <= window 2"),
    (lambda s: s.rolling(2, min_periods=-1), S, ValueError, "min_periods must be >= 0"),
    (lambda s: s.rolling("2s"), S, ValueError, "window must be an integer 0 or greater"),
    (lambda s: s.rolling("1D").sum(), T, ValueError, "index values must be monotonic"),
    (lambda s: s.rolling("1D").sum(), NAT, ValueError, "index values must not have NaT"),
    (lambda s: s.rolling(2, closed="middle"), S, ValueError, "closed must be"),
    (lambda s: s.rolling(2).quantile(1.5), S, ValueError, "quantile value"),
    (lambda f: f.rolling(2, on="zz").sum(), pd.DataFrame({"a": [1.0, 2.0]}), ValueError, "invalid on specified"),
    (lambda f: f.rolling("1D", on="a").sum(), pd.DataFrame({"a": [1, 2]}), ValueError,
     "window must be an integer 0 or greater"),
    (lambda s: s.rolling(1).sum(), pd.Series(["a", "b"]), pd.errors.DataError, "No numeric types to aggregate"),
    (lambda f: f.rolling(1).sum(), pd.DataFrame({"a": [1, 2], "b": ["x", "y"]}), pd.errors.DataError,
     "Cannot aggregate non-numeric type"),
    (lambda s: s.ewm(com=-1), S, ValueError, "comass must satisfy: comass >= 0"),
    (lambda s: s.ewm(span=0.5), S, ValueError, "span must satisfy: span >= 1"),
    (lambda s: s.ewm(halflife=0), S, ValueError, "halflife must satisfy: halflife > 0"),
    (lambda s: s.ewm(alpha=0), S, ValueError, "alpha must satisfy: 0 < alpha <= 1"),
    (lambda s: s.ewm(), S, ValueError, "Must pass one of comass, span, halflife, or alpha"),
    (lambda s: s.ewm(com=1, span=2), S, ValueError, "mutually exclusive"),
])
def test_pandas_errors(op, data, raises, match):
    assert_matches_pandas(op, data, raises=raises, match=match)


@pytest.mark.parametrize("op,match", [
    (lambda s: s.rolling(2, win_type="triang"), "win_type"),
    (lambda s: s.rolling(2, step=2), "step"),
    (lambda s: s.rolling(2, method="table"), "method='table'"),
    (lambda s: s.rolling(2).rank(), "rank"),
    (lambda s: s.rolling(2).nunique(), "nunique"),
    (lambda s: s.rolling(2).apply(np.sum), "raw=False"),
    (lambda s: s.rolling(2, min_periods=1).apply(np.sum, raw=True), "min_periods equal to the window"),
    (lambda s: s.expanding().apply(np.sum, raw=True), "static shape"),
    (lambda s: s.rolling(2).sum(engine="numba"), "engine"),
    (lambda s: s.rolling(2).quantile([0.1, 0.2]), "several q"),
    (lambda s: s.rolling(2).cov(), "pairwise"),
    (lambda s: s.ewm(com=1, method="table"), "method='table'"),
    (lambda s: s.ewm(com=1, adjust=False).sum(), "adjust=False"),
])
def test_not_implemented(op, match):
    with pytest.raises(NotImplementedError, match=match):
        op(jf.from_pandas(S))


def test_time_window_center_not_implemented():
    with pytest.raises(NotImplementedError, match="center=True"):
        jf.from_pandas(T.sort_index()).rolling("1D", center=True)
