"""Result dtypes of group-by shift/diff/median (fuzzer findings). pandas decides them from the
data: an int shift/diff becomes float64 only when some live row is left without a source
(never for an empty frame or periods=0); a bool shift that leaves a gap is object in pandas,
which we cannot hold, so it raises; datetime medians are means of the middle pair in float64
nanoseconds, truncated."""

import jax
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_same_result


def empty(dtypes: dict) -> pd.DataFrame:
    return pd.DataFrame({k: pd.Series([], dtype=v) for k, v in dtypes.items()})


NUMERIC = {"a": "int64", "i": "int64", "i32": "int32", "i8": "int8", "f": "float32", "I": "Int64",
           "t": "datetime64[ns]"}


def numeric_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "a": [1.0, 1.0, 2.0, np.nan, 2.0], "i": [1, 5, 2, 7, 3], "i32": pd.Series([1, 2, 3, 4, 5], dtype="int32"),
        "i8": pd.Series([1, 2, 3, 4, 5], dtype="int8"), "f": pd.Series([1, 2, 3, 4, np.inf], dtype="float32"),
        "I": pd.Series([1, None, 2, 4, 5], dtype="Int64"),
        "t": pd.to_datetime(["2020-01-01", "2020-01-03", None, "2020-01-05", "2021-01-01"]).astype("datetime64[ns]"),
    })


@pytest.mark.parametrize("periods", [1, -1, 0, 2])
@pytest.mark.parametrize("how", ["diff", "shift"])
def test_shift_diff_dtypes(how, periods):
    op = lambda d: getattr(d.groupby("a"), how)(periods)  # noqa: E731
    assert_matches_pandas(op, numeric_frame())
    assert_matches_pandas(op, empty(NUMERIC))


def test_int_diff_inside_jit_is_float():
    """Inside a user jit the gap cannot be seen: the documented static answer is a gap (float64)."""
    pdf = pd.DataFrame({"a": [1, 1, 2], "i": [1, 5, 2]})
    got = jax.jit(lambda d: d.groupby("a").diff())(jf.from_pandas(pdf))
    assert_same_result(got, pdf.groupby("a").diff())


def test_bool_shift_with_gap_raises():
    pdf = pd.DataFrame({"a": [1, 1, 2], "b": [True, False, True]})
    assert pdf.groupby("a").shift()["b"].dtype == object
    with pytest.raises(TypeError, match="object"):
        jf.from_pandas(pdf).groupby("a").shift()
    with pytest.raises(TypeError, match="object"):
        jf.from_pandas(pdf).groupby("a")["b"].shift(-1)


@pytest.mark.parametrize("data", [
    pd.DataFrame({"a": [1, 1, 2], "b": [True, False, True]}),
    pd.DataFrame({"a": pd.Series([], dtype="int64"), "b": pd.Series([], dtype=bool)}),
], ids=["nonempty", "empty"])
def test_bool_shift_without_gap_stays_bool(data):
    assert_matches_pandas(lambda d: d.groupby("a").shift(0), data)
    if len(data) == 0:
        assert_matches_pandas(lambda d: d.groupby("a").shift(), data)


def test_bool_transform_with_null_keys_raises():
    pdf = pd.DataFrame({"a": [1.0, np.nan, 2.0], "b": [True, False, True]})
    assert pdf.groupby("a")["b"].transform("first").dtype == object
    with pytest.raises(TypeError, match="object"):
        jf.from_pandas(pdf).groupby("a")["b"].transform("first")


def test_datetime_and_timedelta_median():
    t = pd.to_datetime(["2020-01-01 00:00:00.000000001", "2020-01-01 00:00:00.000000004", "2020-01-03 00:00:00.000000000", None,
                        "1969-12-31 23:59:59.999999999", "1970-01-01 00:00:00.000000002", None]).astype("datetime64[ns]")
    pdf = pd.DataFrame({"a": [1, 1, 2, 2, 3, 3, 4], "t": t})
    pdf["td"] = pdf["t"] - pd.Timestamp("2020-01-01")
    assert_matches_pandas(lambda d: d.groupby("a").median(), pdf)
    assert_matches_pandas(lambda d: d.groupby("a")["t"].median(), pdf)
    assert_matches_pandas(lambda d: d.groupby("a").agg({"td": ["median", "min"]}), pdf)
