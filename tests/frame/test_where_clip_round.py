"""where/mask, clip, round and abs on DataFrame and Series against pandas."""

import jax
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import DTYPES, NULLS, NUMERIC_DTYPES, make_column, make_frame
from jaxframes.errors import ImmutableFrameError
from jaxframes.testing import assert_matches_pandas, assert_series_equal

OTHERS = {"bool": False, "int32": 0, "int64": -7, "float32": 0.25, "float64": 9.5, "str": "other",
          "datetime64[ns]": pd.Timestamp("1999-01-01"), "Int64": 3, "Int32": 3, "boolean": True,
          "Float64": -0.5}


@pytest.mark.parametrize("nulls", NULLS)
@pytest.mark.parametrize("dtype", DTYPES)
def test_series_where_mask(dtype, nulls):
    pdf = pd.DataFrame({"v": make_column(dtype, 9, nulls, seed=4), "k": np.arange(9) % 3})
    cond = lambda d: d["k"] > 0  # noqa: E731
    for fn in (lambda d: d["v"].where(cond(d), OTHERS[dtype]), lambda d: d["v"].mask(cond(d), OTHERS[dtype]),
               lambda d: d["v"].where(d["k"] >= 0), lambda d: d["v"].where(cond(d), d["v"])):
        assert_matches_pandas(fn, pdf)
    if dtype != "bool":  # numpy bool where -> object dtype in pandas (not held)
        assert_matches_pandas(lambda d: d["v"].where(cond(d)), pdf)
        assert_matches_pandas(lambda d: d["v"].mask(cond(d)), pdf)


def test_where_variants():
    pdf = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1.5, np.nan, -2.0, 0.0]})
    b = pd.array([True, None, False, True], dtype="boolean")
    assert_matches_pandas(lambda d: d["a"].where(d["a"] > 2, 0.5), pdf)
    assert_matches_pandas(lambda d: d["a"].where(lambda s: s > 1), pdf)
    assert_matches_pandas(lambda d: d["a"].where([True, False, True, False]), pdf)
    assert_matches_pandas(lambda d: d["a"].where(pd.Series(b)), pdf)
    assert_matches_pandas(lambda d: d["a"].mask(pd.Series(b)), pdf)
    assert_matches_pandas(lambda d: d["a"].where(d["a"]), pdf, raises=TypeError)  # not boolean
    assert_matches_pandas(lambda d: d.where(d > 1), pdf)
    assert_matches_pandas(lambda d: d.where(d > 1, -1), pdf)
    assert_matches_pandas(lambda d: d.mask(d > 1, d * 10), pdf)
    assert_matches_pandas(lambda d: d.where(d["a"] > 2), pdf)
    assert_matches_pandas(lambda d: d[d["a"] > 1].where(d[d["a"] > 1] > 2, 0), pdf)
    with pytest.raises(ImmutableFrameError):
        jf.from_pandas(pdf).where(jf.from_pandas(pdf) > 1, inplace=True)


@pytest.mark.parametrize("dtype", NUMERIC_DTYPES)
def test_clip_round_abs(dtype):
    pdf = make_frame([dtype, "float64"], n=9, nulls="some", seed=6)
    for fn in (lambda d: d.clip(-1, 2), lambda d: d.clip(lower=0), lambda d: d.clip(None, None),
               lambda d: d.round(), lambda d: d.round(1), lambda d: d["c0"].clip(0, 3), lambda d: d["c0"].round(-1),
               lambda d: d["c1"].round(2)):
        assert_matches_pandas(fn, pdf)
    fractional_into_masked_int = dtype in ("Int64", "Int32")
    assert_matches_pandas(lambda d: d.clip(upper=1.5), pdf, raises=TypeError if fractional_into_masked_int else None)
    if dtype not in ("bool",):
        assert_matches_pandas(lambda d: d.abs(), pdf)


def test_round_frames_and_ints():
    pdf = pd.DataFrame({"i": [15, 25, -15, 149], "f": [1.25, 2.35, np.nan, -0.5], "s": ["a", "b", "c", "d"]})
    for fn in (lambda d: d.round(), lambda d: d.round(1), lambda d: d.round({"f": 1}),
               lambda d: d["i"].round(-1), lambda d: d["i"].round(-2), lambda d: d["s"].round(),
               lambda d: d.round(pd.Series({"f": 1, "i": -1}))):
        assert_matches_pandas(fn, pdf)
    assert_matches_pandas(lambda d: d[["i", "f"]].clip(0, 20), pdf)
    with pytest.raises(NotImplementedError):
        jf.from_pandas(pdf)["s"].clip("a", "b")


def test_jit_where_clip_round():
    pdf = make_frame(["int64", "float64", "Float64"], n=9, nulls="some")
    df = jf.from_pandas(pdf)
    got = jax.jit(lambda d: d["c1"].where(d["c1"] > 0, 0.0).clip(0, 1).round(1))(df)
    assert_series_equal(got, pdf["c1"].where(pdf["c1"] > 0, 0.0).clip(0, 1).round(1))
    # Documented: numpy int where without `other` is float64 under jit (pandas: only if replaced).
    got = jax.jit(lambda d: d["c0"].where(d["c0"] > -100))(df)
    assert_series_equal(got, pdf["c0"].where(pdf["c0"] > -100).astype("float64"))
