"""Column labels of group-by aggregations (fuzzer findings): as_index=False with a list of
functions gives MultiIndex columns with the keys padded as ('k', ''); a repeated function
raises (pandas: SpecificationError, or a duplicate column we cannot hold); a named output
equal to a key replaces the key column instead of being dropped."""

import pandas as pd
import pytest
from pandas.errors import SpecificationError

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas


def frame() -> pd.DataFrame:
    return pd.DataFrame({"a": [1, 1, 2, 3], "b": [0, 1, 0, 0], "c": [1.0, 2.0, 3.0, None], "e": [1, 2, 3, 4]})


@pytest.mark.parametrize("op", [
    lambda d: d.groupby("a", as_index=False).agg(["sum", "max"]),
    lambda d: d.groupby(["a", "b"], as_index=False).agg(["sum"]),
    lambda d: d.groupby("a", as_index=False).agg({"c": ["sum", "max"], "e": "min"}),
    lambda d: d.groupby("a", as_index=False)["c"].agg(["sum", "max"]),
    lambda d: d.groupby("a", as_index=False).agg({"a": ["count"], "c": ["max"]}),
    lambda d: d.groupby("a", as_index=False).agg({"a": "count", "c": "max"}),
], ids=["list", "two_keys", "dict_of_lists", "series_list", "key_aggregated_multi", "key_aggregated"])
def test_as_index_false_labels(op):
    assert_matches_pandas(op, frame())


@pytest.mark.parametrize("as_index", [True, False])
def test_named_output_equal_to_key(as_index):
    assert_matches_pandas(lambda d: d.groupby("a", as_index=as_index).agg(a=("c", "sum")), frame())
    assert_matches_pandas(lambda d: d.groupby("a", as_index=as_index).agg(x=("c", "sum"), a=("e", "max")), frame())


def test_repeated_function_in_list_raises():
    pdf = frame()
    with pytest.raises(SpecificationError, match="Function names must be unique"):
        pdf.groupby("a").agg(["sum", "sum"])
    with pytest.raises(SpecificationError, match="Function names must be unique"):
        jf.from_pandas(pdf).groupby("a").agg(["sum", "sum"])


@pytest.mark.parametrize("op", [
    lambda d: d.groupby("a").agg({"c": ["sum", "sum"]}),
    lambda d: d.groupby("a")["c"].agg(["sum", "sum"]),
], ids=["dict", "series"])
def test_repeated_function_duplicate_columns_not_implemented(op):
    pdf = frame()
    assert list(op(pdf).columns).count(op(pdf).columns[-1]) == 2  # pandas: duplicate labels
    with pytest.raises(NotImplementedError, match="duplicate column labels"):
        op(jf.from_pandas(pdf))
