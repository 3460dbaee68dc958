"""Comparison helpers: pandas is the oracle. Every conformance test goes through
``assert_matches_pandas``, which runs one call on a pandas object and on its JaxFrames twin
and compares values, dtypes, index, names and raised exception types."""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pandas as pd

from jaxframes.frame import DataFrame, from_pandas
from jaxframes.series import Series


def to_pandas_object(obj: Any) -> Any:
    """Our frames/Series as pandas; numpy/JAX scalars as numpy scalars; everything else as is."""
    if isinstance(obj, (DataFrame, Series)):
        return obj.to_pandas()
    if hasattr(obj, "shape") and getattr(obj, "shape", None) == () and hasattr(obj, "dtype"):
        return np.asarray(obj)[()]
    return obj


def assert_frame_equal(result: Any, expected: pd.DataFrame, **kwargs: Any) -> None:
    if not isinstance(result, DataFrame):
        raise AssertionError(f"expected a jaxframes DataFrame, got {type(result).__name__}")
    pd.testing.assert_frame_equal(result.to_pandas(), expected, **kwargs)


def assert_series_equal(result: Any, expected: pd.Series, **kwargs: Any) -> None:
    if not isinstance(result, Series):
        raise AssertionError(f"expected a jaxframes Series, got {type(result).__name__}")
    pd.testing.assert_series_equal(result.to_pandas(), expected, **kwargs)


def assert_same_result(result: Any, expected: Any, **kwargs: Any) -> None:
    """Compare one result with pandas' result of the same call."""
    if isinstance(expected, pd.DataFrame):
        assert_frame_equal(result, expected, **kwargs)
    elif isinstance(expected, pd.Series):
        assert_series_equal(result, expected, **kwargs)
    elif isinstance(expected, pd.Index):
        pd.testing.assert_index_equal(result, expected, **kwargs)
    elif isinstance(expected, np.ndarray):
        np.testing.assert_array_equal(np.asarray(result), expected)
    else:
        got = to_pandas_object(result)
        if expected is pd.NA or expected is pd.NaT:
            assert got is expected, f"{got!r} != {expected!r}"
            return
        if isinstance(expected, (float, np.floating)) and np.isnan(expected):
            assert isinstance(got, (float, np.floating)) and np.isnan(got), f"{got!r} is not NaN"
            return
        pd._testing.assert_almost_equal(got, expected, **kwargs)
        if isinstance(expected, (np.generic, bool, int, float)):
            assert np.asarray(got).dtype.kind == np.asarray(expected).dtype.kind, (
                f"scalar kind differs: {got!r} ({type(got).__name__}) vs {expected!r} ({type(expected).__name__})")


def assert_matches_pandas(op: Callable[[Any], Any], data: pd.DataFrame | pd.Series, **kwargs: Any) -> None:
    """Run ``op`` on pandas ``data`` and on ``jf.from_pandas(data)``: same result or same exception."""
    ours = from_pandas(data)
    try:
        expected = op(data)
    except Exception as err:  # pandas refused: we must refuse with the same exception type
        try:
            op(ours)
        except type(err):
            return
        except Exception as ours_err:
            raise AssertionError(f"pandas raised {type(err).__name__}({err}); "
                                 f"jaxframes raised {type(ours_err).__name__}({ours_err})") from ours_err
        raise AssertionError(f"pandas raised {type(err).__name__}({err}); jaxframes returned a result")
    assert_same_result(op(ours), expected, **kwargs)
