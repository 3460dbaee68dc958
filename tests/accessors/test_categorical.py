"""Categorical columns against pandas: round trips, astype('category'), .cat.codes/categories/ordered."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_same_result

CASES = {
    "strings_nulls": pd.Series(["b", "a", None, "b", "ünï"], dtype="category", name="c"),
    "unsorted_categories": pd.Series(pd.Categorical(["x", "y", "z", "x"], categories=["z", "x", "y"])),
    "ordered": pd.Series(pd.Categorical(["lo", "hi", None, "mid"], categories=["lo", "mid", "hi"], ordered=True)),
    "unused_category": pd.Series(pd.Categorical(["a"], categories=["a", "never"])),
    "ints": pd.Series([3, 1, 3, 2], dtype="category"),
    "many_categories": pd.Series(np.arange(1000) % 300).astype("category"),  # int16 codes
    "empty": pd.Series([], dtype="category"),
    "all_null": pd.Series(pd.Categorical([None, None], categories=["a"])),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_round_trip(case: str) -> None:
    assert_matches_pandas(lambda s: s, CASES[case])
    assert jf.from_pandas(CASES[case]).dtype == CASES[case].dtype


@pytest.mark.parametrize("case", sorted(CASES))
def test_cat_properties(case: str) -> None:
    s = CASES[case]
    assert_matches_pandas(lambda x: x.cat.codes, s)
    assert_matches_pandas(lambda x: x.cat.categories, s)
    assert_matches_pandas(lambda x: x.cat.ordered, s)


def test_filtered() -> None:
    s = CASES["many_categories"]
    keep = np.arange(len(s)) % 4 == 1
    assert_matches_pandas(lambda x: x[keep].cat.codes, s)
    assert_matches_pandas(lambda x: x[keep], s)


@pytest.mark.parametrize("source", [
    pd.Series(["b", "a", None, "b"], dtype="str"),
    pd.Series([3, 1, 2, 1]),
    pd.Series([1.5, np.nan, 1.5]),
    pd.Series([], dtype="str"),
])
def test_astype_category(source: pd.Series) -> None:
    assert_matches_pandas(lambda s: s.astype("category"), source)
    assert_matches_pandas(lambda s: s.astype("category").cat.codes, source)
    ordered = pd.CategoricalDtype(sorted(source.dropna().unique().tolist(), reverse=True), ordered=True)
    assert_matches_pandas(lambda s: s.astype(ordered), source)


def test_astype_back() -> None:
    assert_matches_pandas(lambda s: s.astype("str"), CASES["strings_nulls"])
    assert_matches_pandas(lambda s: s.astype("int64"), CASES["ints"])
    assert_matches_pandas(lambda s: s.astype("float64"), CASES["ints"])


def test_constructors_and_frames() -> None:
    s = jf.Series(["a", "b", "a"], dtype="category")
    assert_same_result(s, pd.Series(["a", "b", "a"], dtype="category"))
    df = pd.DataFrame({"k": pd.Series(["u", "v", None], dtype="category"), "v": [1, 2, 3]})
    assert_matches_pandas(lambda d: d, df)
    assert_matches_pandas(lambda d: d["k"].cat.codes, df)


def test_non_categorical_cat_raises() -> None:
    assert_matches_pandas(lambda s: s.cat, pd.Series([1, 2]), raises=AttributeError)
    assert_matches_pandas(lambda s: s.cat, pd.Series(["a"], dtype="str"), raises=AttributeError)
