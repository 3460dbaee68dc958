"""Group-by on categorical keys and aggregations of categorical values (fuzzer finding: both
raised TypeError). Codes are in category order, so groups come out in pandas' order."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas


def categorical_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "k": pd.Categorical(["a", "b", "a", None, "c", "b"], categories=["b", "a", "c", "unused"]),
        "o": pd.Categorical(["x", "y", "x", "y", None, "x"], categories=["y", "x"], ordered=True),
        "v": [1.0, 2.0, np.nan, 4.0, 5.0, 6.0],
        "w": [1, 2, 3, 4, 5, 6],
    })


@pytest.mark.parametrize("op", [
    lambda d: d[["k", "v", "w"]].groupby("k").sum(),
    lambda d: d[["k", "v", "w"]].groupby("k", sort=False).mean(),
    lambda d: d[["k", "v", "w"]].groupby("k", dropna=False).max(),
    lambda d: d[["k", "v", "w"]].groupby("k", as_index=False).agg({"v": "median", "w": "count"}),
    lambda d: d.groupby(["k", "o"])["w"].sum(),
    lambda d: d.groupby("k").size(),
    lambda d: d.groupby("k", observed=True)["v"].transform("sum"),
    lambda d: d.groupby("k").cumcount(),
], ids=["sum", "sort_false", "dropna_false", "as_index_false", "two_keys", "size", "transform", "cumcount"])
def test_categorical_key(op):
    assert_matches_pandas(op, categorical_frame())


@pytest.mark.parametrize("op", [
    lambda d: d.groupby("w")["k"].nunique(),
    lambda d: d.groupby("o")["k"].nunique(dropna=False),
    lambda d: d.groupby("w")["k"].first(),
    lambda d: d.groupby("w")["k"].count(),
    lambda d: d.groupby("w")["o"].max(),
], ids=["nunique", "nunique_dropna_false", "first", "count", "ordered_max"])
def test_categorical_values(op):
    assert_matches_pandas(op, categorical_frame())


def test_unordered_categorical_min_raises():
    pdf = categorical_frame()
    with pytest.raises(TypeError, match="non-ordered"):
        pdf.groupby("w")["k"].min()
    with pytest.raises(TypeError, match="non-ordered"):
        jf.from_pandas(pdf).groupby("w")["k"].min()


def test_observed_false_not_implemented():
    with pytest.raises(NotImplementedError, match="observed=False"):
        jf.from_pandas(categorical_frame()).groupby("k", observed=False).sum()
