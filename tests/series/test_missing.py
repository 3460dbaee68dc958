"""Series isna/notna, fillna, dropna, ffill/bfill against pandas."""

import jax
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import DTYPES, NULLS, make_column
from jaxframes.errors import ImmutableFrameError
from jaxframes.testing import assert_matches_pandas, assert_series_equal

FILLS = {"bool": True, "int32": 1, "int64": 1, "float32": 0.5, "float64": -1.5, "str": "zz",
         "datetime64[ns]": pd.Timestamp("2030-01-01"), "Int64": 7, "Int32": 7, "boolean": False,
         "Float64": 2.25}


@pytest.mark.parametrize("nulls", NULLS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_isna_fillna_dropna(dtype, nulls):
    s = make_column(dtype, 9, nulls, seed=2).rename("v")
    for fn in (lambda x: x.isna(), lambda x: x.notna(), lambda x: x.isnull(), lambda x: x.notnull(),
               lambda x: x.fillna(FILLS[dtype]), lambda x: x.dropna(), lambda x: x.ffill(),
               lambda x: x.bfill(), lambda x: x.dropna(ignore_index=True)):
        assert_matches_pandas(fn, s)


def test_fillna_dtype_rules():
    for s, value, raises in [(pd.Series([1.0, np.nan]), 2, None), (pd.Series([1, None], dtype="Int64"), 0.5, TypeError),
                             (pd.Series([1, None], dtype="Int64"), 2.0, None), (pd.Series([1.0, 2.0]), "x", None),
                             (pd.Series([True, None], dtype="boolean"), 1, TypeError),
                             (pd.Series([1.0, np.nan], dtype="float32"), 2, None)]:
        assert_matches_pandas(lambda x, v=value: x.fillna(v), s, raises=raises)


def test_unsupported_and_errors():
    s = pd.Series([1.0, np.nan, 3.0])
    js = jf.from_pandas(s)
    with pytest.raises(NotImplementedError, match="limit"):
        js.fillna(0, limit=1)
    with pytest.raises(ImmutableFrameError):
        js.fillna(0, inplace=True)
    with pytest.raises(ImmutableFrameError):
        js.dropna(inplace=True)
    assert_matches_pandas(lambda x: x.fillna(), s, raises=TypeError)  # no value
    with pytest.raises(TypeError):
        js.fillna(method="ffill")


def test_filtered_and_jit():
    s = make_column("float64", 30, "some", seed=8).rename("v")
    assert_matches_pandas(lambda x: x[x.notna() | (x.index % 2 == 0)].fillna(0), s.to_frame()["v"])
    js = jf.from_pandas(s)
    got = jax.jit(lambda x: x.fillna(1.0).isna())(js)
    assert_series_equal(got, s.fillna(1.0).isna())
    got = jax.jit(lambda x: x.ffill())(js)
    assert_series_equal(got, s.ffill())


def test_fillna_across_datetime_units():
    """A coarser fill Series is brought to the column's unit (exactly: 2 s is 2000 ms, never
    2 ms); a finer one is refused (pandas keeps the coarser unit only when every value fits);
    a finer scalar gives pandas' finer unit and its Pandas4Warning."""
    ms = pd.Series(pd.to_timedelta([1, None, 3], unit="ms")).astype("m8[ms]")
    s = pd.Series(pd.to_timedelta([1, 2, None], unit="s")).astype("m8[s]")
    assert_series_equal(jf.from_pandas(ms).fillna(jf.from_pandas(s)), ms.fillna(s))
    with pytest.raises(NotImplementedError, match="value-dependent"):
        jf.from_pandas(s).fillna(jf.from_pandas(ms))
    item = pd.Timedelta(1500, "ms")
    with pytest.warns(pd.errors.Pandas4Warning, match="fill value"):
        out = jf.from_pandas(s).fillna(item)
    with pytest.warns(pd.errors.Pandas4Warning):
        expected = s.fillna(item)
    assert_series_equal(out, expected)
