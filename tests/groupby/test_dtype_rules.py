"""Per-dtype rules of group-by scans, ranks and any/all (fuzzer findings): strings count as
truthy when non-empty in any/all; masked columns rank as Float64; a null never ties with the
value its masked data happens to hold; cummin/cummax of strings raise what pandas raises
(TypeError for a Series, NotImplementedError from the frame path)."""

import jax
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas

COLUMNS = ["s", "c", "o", "I", "B", "F", "t", "b"]


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "g": [1, 1, 2, 2, 2],
        "s": pd.Series(["a", None, "", "b", ""], dtype="str"),
        "c": pd.Categorical(["x", "y", None, "x", "x"]),
        "o": pd.Categorical(["x", "y", None, "x", "x"], ordered=True),
        "I": pd.array([1, None, 0, 0, None], dtype="Int64"),
        "B": pd.array([True, None, False, None, False], dtype="boolean"),
        "F": pd.array([1.5, None, 3.0, 2.0, np.nan], dtype="Float64"),
        "t": pd.to_datetime(["2020", None, "2021", "2020", "2020"]).astype("datetime64[ns]"),
        "b": [True, False, True, False, False],
    })


@pytest.mark.parametrize("how", ["cumsum", "cumprod", "cummax", "cummin", "rank", "any", "all"])
@pytest.mark.parametrize("column", COLUMNS)
def test_series_rules(how, column):
    pdf = frame()
    try:
        getattr(pdf.groupby("g")[column], how)()
    except TypeError as err:  # pandas refuses: so must we, with the same type
        with pytest.raises(TypeError):
            getattr(jf.from_pandas(pdf).groupby("g")[column], how)()
        assert str(err)
        return
    assert_matches_pandas(lambda d: getattr(d.groupby("g")[column], how)(), pdf)


@pytest.mark.parametrize("method", ["average", "min", "max", "first", "dense"])
def test_rank_nulls_never_tie(method):
    assert_matches_pandas(lambda d: d.groupby("g")[["o", "I", "B"]].rank(method=method), frame())


@pytest.mark.parametrize("how", ["cummax", "cummin"])
def test_frame_cummax_of_strings_not_implemented(how):
    pdf = frame()[["g", "s", "I"]]
    with pytest.raises(NotImplementedError, match="not implemented for this dtype"):
        getattr(pdf.groupby("g"), how)()
    with pytest.raises(NotImplementedError, match="not implemented for this dtype"):
        getattr(jf.from_pandas(pdf).groupby("g"), how)()


def test_small_int_cumsum_cumprod_widen_by_block():
    """pandas accumulates int32 in int64 and casts a block back only when every result fits
    (we wrapped around in int32); one overflowing column widens its whole dtype block."""
    pdf = pd.DataFrame({"k": [False, True, False, True, False, False],
                        "b": pd.Series([4423, -64782, -15908, 3, 3, -64782], dtype="int32"),
                        "c": pd.Series([1, 2, 3, 4, 5, 6], dtype="int32"),
                        "e": pd.Series([1, 2, 3, 4, 5, 6], dtype="int16")})
    assert_matches_pandas(lambda d: d.groupby("k").cumprod(), pdf)
    assert_matches_pandas(lambda d: d.groupby("k")["b"].cumprod(), pdf)
    assert_matches_pandas(lambda d: d.groupby("k")[["c", "e"]].cumsum(), pdf)


def test_timedelta_sums():
    pdf = pd.DataFrame({"k": [1.0, np.nan, 1.0, 2.0, 3.0, 3.0],
                        "td": pd.to_timedelta([1, None, 3, 4, None, None], unit="m").astype("timedelta64[ns]")})
    assert_matches_pandas(lambda d: d.groupby("k").sum(), pdf)
    assert_matches_pandas(lambda d: d.groupby("k")["td"].sum(min_count=1), pdf)
    assert_matches_pandas(lambda d: d.groupby("k").transform("sum"), pdf)
    assert_matches_pandas(lambda d: d.groupby("k").cumsum(), pdf)


def test_size_column_clash():
    pdf = pd.DataFrame({"a": [True, False, False]})
    with pytest.raises(ValueError, match="cannot insert size"):
        pdf.groupby("a", as_index=False).size().groupby("size", as_index=False).size()
    with pytest.raises(ValueError, match="cannot insert size"):
        jf.from_pandas(pdf).groupby("a", as_index=False).size().groupby("size", as_index=False).size()


@pytest.mark.parametrize("keys", [[1.0, 2, 3, 4, 5, 6], [1.0, 1, 2, 2, 3, 3], [2.0, 1, 2, 2, 3, 3],
                                  [np.nan, 1, 2, 2, 3, 3], [1.0, np.nan, 2, 2, 3, 3], [3.0, 3, 2, 2, 1, 1]], ids=str)
@pytest.mark.parametrize("has_nan", [False, True])
def test_float32_mean_dtype_follows_pandas_paths(keys, has_nan):
    """pandas 3.1: float64 on the reduceat fast path (live rows in group order, no NaN value),
    float32 on the Cython path (fuzzer finding: we gave float64 for unsorted keys)."""
    values = pd.Series([1.5, 2, 3, np.nan if has_nan else 4, 5, 6], dtype="float32")
    pdf = pd.DataFrame({"b": keys, "a": values})
    for dropna in (True, False):
        assert_matches_pandas(lambda d: d.groupby("b", sort=False, dropna=dropna)["a"].mean(), pdf)
        assert_matches_pandas(lambda d: d.groupby("b", dropna=dropna)["a"].mean(), pdf)
    assert_matches_pandas(lambda d: d[d["a"] != 2].groupby("b").mean(), pdf)
    assert_matches_pandas(lambda d: d.pivot_table(index="b", values="a", aggfunc="mean"), pdf)


@pytest.mark.parametrize("min_count", [2, 3])
def test_int_sums_keep_their_dtype_when_every_group_reaches_min_count(min_count):
    """pandas gives int64 when no group falls under min_count, float64 with NaN otherwise; dead
    rows never count toward a group (row 5 is filtered out: with it, group 1 would reach 3)."""
    pdf = pd.DataFrame({"g": [1, 1, 2, 2, 2, 1], "i": [1, 2, 3, 4, 5, 6], "b": [True, False, True, True, False, True]})
    live = pdf["i"] != 6
    for how in ("sum", "prod"):
        assert_matches_pandas(lambda d, how=how: getattr(d.groupby("g"), how)(min_count=min_count), pdf)
        assert_matches_pandas(lambda d, how=how: getattr(d[d["i"] != 6].groupby("g"), how)(min_count=min_count),
                              pdf)
    ours = jf.from_pandas(pdf)
    traced = jax.jit(lambda f: f.groupby("g").sum(min_count=min_count))(ours[jf.from_pandas(live)])
    assert traced.to_pandas()["i"].dtype == np.float64  # inside jit: the dtype that holds every outcome


@pytest.mark.parametrize("dtype", ["int64", "bool", "Int64", "float64"])
def test_no_group_at_all(dtype):
    """With no group (an empty or fully filtered frame) pandas' skew/kurt keep the column's
    dtype, a frame whose every column is dropped keeps str labels, apply('name') is the method."""
    pdf = pd.DataFrame({"A": [1, 2], "C": pd.array([1, 0], dtype=dtype), "D": ["x", "y"]})
    for frame in (pdf.iloc[:0], pdf):
        assert_matches_pandas(lambda d: d.groupby("A").C.skew(), frame)
        assert_matches_pandas(lambda d: d.groupby("A")[["C"]].kurt(), frame)
        assert_matches_pandas(lambda d: d.groupby("A")[["D"]].sum(numeric_only=True), frame)
        assert_matches_pandas(lambda d: d.groupby("A")[["C"]].apply("max"), frame)
        assert_matches_pandas(lambda d: d[[]], frame)
    assert_matches_pandas(lambda d: d[d["A"] > 5].groupby("A").C.skew(), pdf)
    with pytest.raises(TypeError, match="apply func should be callable, not 'nope'"):
        jf.from_pandas(pdf).groupby("A").C.apply("nope")
