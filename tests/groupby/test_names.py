"""Group-by names beyond aggregation against pandas: take, SeriesGroupBy nlargest/nsmallest and
unique, DataFrameGroupBy corrwith, the keys/level attributes; null keys, sort=False, several
keys, as_index/group_keys, empty and filtered frames, the errors."""

import warnings

import numpy as np
import pandas as pd
import pytest
from pandas.errors import Pandas4Warning

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_same_result, frame_with_dead_rows
from frames import make_column

PDF = pd.DataFrame({
    "k": ["b", "a", "b", "a", "b", "c", "a", "b"],
    "j": [1, 1, 2, 1, 2, 2, 1, 1],
    "v": [1.0, 2, 3, np.nan, 5, 6, 2, 3],
    "w": [1, 2, 3, 4, 5, 6, 2, 3],
    "I": pd.array([1, None, 3, 4, 5, 6, 7, 3], dtype="Int64"),
    "t": pd.to_datetime(["2020-01-01", "2020-01-03", "2020-01-02", "2020-01-02",
                         "2020-01-05", "2020-01-01", "2020-01-04", "2020-01-01"]),
}, index=[10, 11, 12, 13, 14, 15, 16, 17])
NULL_KEYS = PDF.assign(k=["b", None, "b", "a", None, "c", "a", "b"])
GROUPINGS = [{"by": "k"}, {"by": "k", "sort": False}, {"by": ["k", "j"]}, {"by": "k", "dropna": False}]


@pytest.mark.parametrize("kw", GROUPINGS)
def test_take(kw):
    pdf = NULL_KEYS if kw.get("dropna") is False else PDF
    assert_matches_pandas(lambda df: df.groupby(**kw).take([0]), pdf)
    assert_matches_pandas(lambda df: df.groupby(**kw).take([1, -1]), pdf.drop(index=[15]))
    assert_matches_pandas(lambda df: df.groupby(**kw)["v"].take([-1]), pdf)


def test_take_options_and_errors():
    assert_matches_pandas(lambda df: df.groupby("k", as_index=False).take([0]), PDF)
    assert_matches_pandas(lambda df: df.groupby("k", group_keys=False)[["v", "I"]].take([-1]), PDF)
    assert_matches_pandas(lambda df: df.groupby("k").take([]), PDF)
    assert_matches_pandas(lambda df: df.groupby("k").take([0]), PDF.iloc[:0])
    assert_matches_pandas(lambda df: df["w"].groupby(df["k"]).take([0]), PDF)
    assert_matches_pandas(lambda df: df.groupby("k").take([1]), PDF, raises=IndexError, match="out-of-bounds")
    assert_matches_pandas(lambda df: df.groupby("k").take([-2]), PDF, raises=IndexError, match="out-of-bounds")


@pytest.mark.parametrize("keep", ["first", "last", "all"])
def test_nlargest_nsmallest_rules(keep):
    """pandas' SelectNSeries per group: ties, NaN after the values, a group of at most n rows
    sorted whole (keep ignored), n = 0."""
    pdf = pd.DataFrame({"g": [1, 1, 1, 1, 1, 1, 2, 2, 2], "x": [3, 1, 3, 2, np.nan, 3, np.nan, np.nan, 4.0]},
                       index=list("abcdefghi"))
    for n in (1, 3):
        assert_matches_pandas(lambda df: df.groupby("g")["x"].nlargest(n, keep=keep), pdf)
        assert_matches_pandas(lambda df: df.groupby("g")["x"].nsmallest(n, keep=keep), pdf)
    assert_matches_pandas(lambda df: df.groupby("g")["x"].nlargest(6 if keep == "all" else 0, keep=keep), pdf)


@pytest.mark.parametrize("dtype", ["int64", "float32", "Int64", "datetime64[ns]", "bool"])
def test_nlargest_dtypes(dtype):
    rng = np.random.default_rng(3)
    pdf = pd.DataFrame({"k": rng.integers(0, 4, 40), "x": make_column(dtype, 40, "some", seed=2)})
    assert_matches_pandas(lambda df: df.groupby("k", sort=False)["x"].nlargest(3), pdf)
    assert_matches_pandas(lambda df: df.groupby("k")["x"].nsmallest(2, keep="last"), pdf)


def test_nlargest_options_and_errors():
    for kw in GROUPINGS:
        pdf = NULL_KEYS if kw.get("dropna") is False else PDF
        assert_matches_pandas(lambda df: df.groupby(**kw)["w"].nlargest(2), pdf)
    assert_matches_pandas(lambda df: df.groupby("k", as_index=False)["v"].nsmallest(1), PDF)
    assert_matches_pandas(lambda df: df.groupby("k")["w"].nlargest(2), PDF.iloc[:0])
    assert_matches_pandas(lambda df: df["v"].groupby(df["k"]).nlargest(1), PDF)
    assert_matches_pandas(lambda df: df.groupby("k")["w"].nlargest(2, keep="middle"), PDF,
                          raises=ValueError, match="keep must be either")
    with pytest.raises(TypeError, match="Cannot use method 'nlargest'"):
        jf.from_pandas(PDF.assign(s=list("abcdefgh"))).groupby("k")["s"].nlargest(2)


def test_keys_and_level():
    df = jf.from_pandas(PDF)
    for by in ("k", ["k"], ["k", "j"]):
        ours, theirs = df.groupby(by), PDF.groupby(by)
        assert ours.keys == theirs.keys and ours.level is None and theirs.level is None
        assert ours["v"].keys == theirs["v"].keys
    key = df["k"]
    assert df["v"].groupby(key).keys is key


def test_corrwith():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Pandas4Warning)
        nums = PDF[["k", "v", "w", "I"]]
        for kw in GROUPINGS[:3]:
            data = PDF[["k", "j", "v", "w"]]
            assert_matches_pandas(lambda df: df.groupby(**kw).corrwith(df["w"] * df["w"]), data)
        assert_matches_pandas(lambda df: df.groupby("k", as_index=False).corrwith(df["v"]), nums)
        assert_matches_pandas(lambda df: df.groupby("k")[["v"]].corrwith(df["w"].rename("z")), nums)
        assert_matches_pandas(lambda df: df.groupby("k").corrwith(df["w"], numeric_only=True),
                              nums.assign(s=list("abcdefgh")))
        assert_matches_pandas(lambda df: df.groupby("k").corrwith(df["w"]), nums.assign(s=list("abcdefgh")),
                              raises=ValueError, match="could not convert string to float")
        other = pd.DataFrame({"w": [3.0, 1, 2, 5, 4, 4, 1, 0], "z": np.arange(8.0)}, index=PDF.index)
        for drop in (False, True):
            ours = jf.from_pandas(nums).groupby("k").corrwith(jf.from_pandas(other), drop=drop)
            assert_same_result(ours, nums.groupby("k").corrwith(other, drop=drop))
    with pytest.warns(Pandas4Warning, match="corrwith is deprecated"):
        jf.from_pandas(nums).groupby("k").corrwith(jf.from_pandas(nums)["v"])


@pytest.mark.parametrize("column", ["v", "t"])
def test_unique_is_pandas_object_series(column):
    for kw in GROUPINGS:
        pdf = NULL_KEYS if kw.get("dropna") is False else PDF
        ours = jf.from_pandas(pdf).groupby(**kw)[column].unique()
        theirs = pdf.groupby(**kw)[column].unique()
        assert type(ours) is pd.Series and ours.index.equals(theirs.index) and ours.name == theirs.name
        assert ours.index.names == theirs.index.names
        for a, b in zip(ours, theirs):
            assert type(a) is type(b)
            pd.testing.assert_extension_array_equal(pd.array(a), pd.array(b))


def test_on_dead_rows():
    twin = frame_with_dead_rows(PDF[["k", "v", "w", "I"]], np.arange(len(PDF)) % 3 != 1)
    for op in (lambda d: d.groupby("k").take([0, -1]), lambda d: d.groupby("k")["w"].nlargest(2),
               lambda d: d.groupby("k")["v"].nsmallest(1, keep="all"), lambda d: d.groupby("k", sort=False).take([0])):
        assert_same_result(op(twin.ours), op(twin.theirs))
    ours = twin.ours.groupby("k")["w"].unique()
    theirs = twin.theirs.groupby("k")["w"].unique()
    assert ours.index.equals(theirs.index) and all((a == b).all() for a, b in zip(ours, theirs))
