"""describe() and quantile() against pandas."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import DTYPES, NULLS, SIZES, make_column, make_frame
from jaxframes.testing import assert_matches_pandas, assert_same_result

NUMERIC = ("int32", "int64", "float32", "float64", "Int64", "Int32", "Float64")


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("nulls", NULLS)
def test_frame_describe(nulls, n):
    no_datetime = tuple(d for d in DTYPES if d != "datetime64[ns]")
    assert_matches_pandas(lambda df: df.describe(), make_frame(no_datetime, n=n, nulls=nulls))
    assert_matches_pandas(lambda df: df.describe(percentiles=[0.1, 0.9]), make_frame(NUMERIC, n=n, nulls=nulls))
    assert_matches_pandas(lambda df: df.describe(include="all"), make_frame(NUMERIC, n=n, nulls=nulls))


@pytest.mark.parametrize("nulls", NULLS)
@pytest.mark.parametrize("dtype", NUMERIC)
def test_series_describe(dtype, nulls):
    for n in SIZES:
        assert_matches_pandas(lambda s: s.describe(), make_column(dtype, n, nulls))


def test_describe_non_numeric_not_implemented():
    with pytest.raises(NotImplementedError):
        jf.from_pandas(make_column("str", 5)).describe()
    with pytest.raises(NotImplementedError):
        jf.from_pandas(make_frame(("str", "int64"), n=5)).describe(include="all")
    with pytest.raises(NotImplementedError):  # pandas: object column of datetime statistics
        jf.from_pandas(make_frame(("datetime64[ns]", "int64"), n=5)).describe()


def test_describe_filtered():
    pdf = make_frame(NUMERIC, n=50, nulls="some")
    keep = np.random.default_rng(2).random(50) < 0.5
    assert_same_result(jf.from_pandas(pdf)[keep].describe(), pdf[keep].describe())


@pytest.mark.parametrize("q", [0.5, 0.0, 1.0, 0.33, [0.1, 0.5, 0.9], [0.25]])
@pytest.mark.parametrize("dtype", NUMERIC)
@pytest.mark.parametrize("nulls", NULLS)
def test_series_quantile(q, dtype, nulls):
    for n in SIZES:
        assert_matches_pandas(lambda s: s.quantile(q), make_column(dtype, n, nulls))


@pytest.mark.parametrize("q", [0.5, [0.1, 0.75]])
@pytest.mark.parametrize("nulls", NULLS)
def test_frame_quantile(q, nulls):
    for n in SIZES:
        assert_matches_pandas(lambda df: df.quantile(q), make_frame(NUMERIC, n=n, nulls=nulls))
    numeric = tuple(d for d in DTYPES if d not in ("bool", "boolean"))
    assert_matches_pandas(lambda df: df.quantile(q, numeric_only=True), make_frame(numeric, n=7, nulls=nulls))


def test_quantile_errors():
    assert_matches_pandas(lambda s: s.quantile(1.5), make_column("float64", 5), raises=ValueError)
    with pytest.raises(NotImplementedError):  # pandas: pyarrow's ArrowNotImplementedError
        jf.from_pandas(make_column("str", 5)).quantile(0.5)
    assert_matches_pandas(lambda s: s.quantile(0.5), make_column("bool", 5), raises=TypeError)
    with pytest.raises(NotImplementedError):
        jf.from_pandas(make_column("float64", 5)).quantile(0.5, interpolation="nearest")
    assert isinstance(pd.Series([1.0]).quantile(0.5), float)


INFINITE = [[-np.inf, -np.inf, 1.0], [-np.inf, 1.0], [np.inf, np.inf], [-np.inf, np.inf], [1.0, np.inf],
            [np.inf], [-np.inf, 2.0, np.nan, 3.0, np.inf]]


@pytest.mark.parametrize("values", INFINITE, ids=str)
def test_quantile_and_describe_with_infinities(values):
    """Fuzzer finding: numpy's lerp always reads the upper neighbour, so [1, inf] at q=0 is
    1 + inf * 0 = NaN and [inf, inf] is NaN everywhere; we gave the infinity."""
    s = pd.Series(values)
    with np.errstate(invalid="ignore"):
        assert_matches_pandas(lambda x: x.quantile([0.0, 0.25, 0.5, 0.75, 1.0]), s)
        assert_matches_pandas(lambda x: x.describe(), s)
        assert_matches_pandas(lambda x: x.describe(), pd.DataFrame({"v": s, "w": s[::-1].to_numpy()}))
