"""pivot_table and pivot against pandas: key dtypes (int, str, datetime, nullable), null keys,
empty frames, several aggfuncs/values, fill_value, sort, dropna, and a Hypothesis property."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jaxframes as jf
from frames import make_column, spread
from jaxframes.testing import assert_matches_pandas, assert_same_result

KEY_DTYPES = ["int64", "str", "datetime64[ns]", "Int64", "bool"]
AGGFUNCS = ["sum", "mean", "count", "max", "min", len]


def keyed_frame(index_dtype: str, column_dtype: str, n: int, nulls: str = "some") -> pd.DataFrame:
    return pd.DataFrame({
        "r": make_column(index_dtype, n, nulls, seed=1),
        "c": make_column(column_dtype, n, nulls, seed=2),
        "r2": make_column("int64", n, "none", seed=3) % 2,
        "v": make_column("int64", n, "none", seed=4),
        "w": make_column("float64", n, nulls, seed=5),
        "x": make_column("Int64", n, nulls, seed=6),
    })


@pytest.mark.parametrize(("index_dtype", "column_dtype", "n"),
                         spread(KEY_DTYPES, ("int64", "str", "datetime64[ns]", "Int64"), (0, 9), stride=2))
def test_key_dtypes(index_dtype, column_dtype, n):
    pdf = keyed_frame(index_dtype, column_dtype, n)
    assert_matches_pandas(lambda d: d.pivot_table(values="w", index="r", columns="c", aggfunc="sum"), pdf)
    assert_matches_pandas(lambda d: d.pivot_table(values=["v", "x"], index="r", columns="c", aggfunc="max"), pdf)


@pytest.mark.parametrize("aggfunc", AGGFUNCS)
@pytest.mark.parametrize("values", ["v", "w", "x", ["w", "v"]])
def test_aggfuncs(aggfunc, values):
    pdf = keyed_frame("str", "int64", 300)
    assert_matches_pandas(lambda d: d.pivot_table(values=values, index="r", columns="c", aggfunc=aggfunc), pdf)


@pytest.mark.parametrize("op", [
    lambda d: d.pivot_table(index="r", columns="c", values=["v", "w"]),
    lambda d: d.pivot_table(index=["r", "r2"], columns="c", values="w", aggfunc="mean"),
    lambda d: d.pivot_table(index="r", columns=["c", "r2"], values="v", aggfunc="sum"),
    lambda d: d.pivot_table(index="r", values=["w", "v"], aggfunc="sum"),
    lambda d: d.pivot_table(index=["r", "c"], values="w"),
    lambda d: d.pivot_table(index="r", columns="c", values="v", aggfunc="sum", fill_value=0),
    lambda d: d.pivot_table(index="r", columns="c", values="w", aggfunc="mean", fill_value=-1.5),
    lambda d: d.pivot_table(index="r", columns="c", values="v", aggfunc="sum", sort=False),
    lambda d: d.pivot_table(index="r", columns="c", values="v", aggfunc=["sum", "mean"]),
    lambda d: d.pivot_table(index="r", columns="c", values=["v", "w"], aggfunc={"v": "sum", "w": "max"}),
    lambda d: d.pivot_table(index="r", columns="c", values="v", aggfunc="sum", dropna=False),
    lambda d: d.pivot_table(index="r", columns="c", values="v", aggfunc="mean").columns,
])
def test_options(op):
    pdf = keyed_frame("int64", "str", 150, nulls="none")
    assert_matches_pandas(op, pdf)


@pytest.mark.parametrize("op", [
    lambda d: d.pivot_table(index="r", columns="missing", values="v"),
    lambda d: d.pivot_table(index="r", columns="c", values="missing"),
])
def test_missing_columns_raise_key_error(op):
    assert_matches_pandas(op, keyed_frame("int64", "str", 150, nulls="none"), raises=KeyError)


def test_null_keys_and_all_null_groups():
    pdf = keyed_frame("Int64", "str", 120, nulls="some")
    pdf.loc[pdf["r"] == 3, "w"] = np.nan  # a row whose values are all null is dropped (dropna)
    assert_matches_pandas(lambda d: d.pivot_table(values="w", index="r", columns="c", aggfunc="mean"), pdf)
    assert_matches_pandas(lambda d: d.pivot_table(values="w", index="c", columns="r", aggfunc="sum"), pdf)


def test_string_values_refuse_mean():
    pdf = pd.DataFrame({"r": [1, 1, 2], "c": ["a", "b", "a"], "s": ["x", "y", "z"]})
    assert_matches_pandas(lambda d: d.pivot_table(index="r", columns="c"), pdf, raises=TypeError)
    assert_matches_pandas(lambda d: d.pivot_table(index="r", columns="c", values="s", aggfunc="max"), pdf)


def test_unsupported_raise():
    ours = jf.from_pandas(keyed_frame("int64", "str", 20))
    with pytest.raises(NotImplementedError):
        ours.pivot_table(index="r", columns="c", values="v", margins=True)
    with pytest.raises(NotImplementedError):
        ours.pivot_table(columns="c", values="v")


def test_module_function_and_filtered_frame():
    pdf = keyed_frame("str", "int64", 200)
    keep = (pdf["v"] > 0).to_numpy()
    ours = jf.from_pandas(pdf)[keep]
    expected = pd.pivot_table(pdf[keep], values="w", index="r", columns="c", aggfunc="sum")
    assert_same_result(jf.pivot_table(ours, values="w", index="r", columns="c", aggfunc="sum"), expected)


@pytest.mark.parametrize("n", [0, 1, 12])
@pytest.mark.parametrize("value_dtype", ["int64", "float64", "str", "Int64", "datetime64[ns]"])
def test_pivot(n, value_dtype):
    rows = np.arange(n)
    pdf = pd.DataFrame({"r": rows // 3, "c": np.array(["a", "b", "c"])[rows % 3],
                        "v": make_column(value_dtype, n, "some", seed=7)})
    pdf = pdf.iloc[[i for i in range(n) if i % 5 != 4]].reset_index(drop=True)  # some missing cells
    assert_matches_pandas(lambda d: d.pivot(index="r", columns="c", values="v"), pdf)
    if value_dtype != "Int64":  # pandas turns masked columns into numpy ones there: NotImplementedError
        assert_matches_pandas(lambda d: d.pivot(index="r", columns="c", values=["v"]), pdf)
        assert_matches_pandas(lambda d: d.pivot(index="r", columns="c"), pdf)
    assert_matches_pandas(lambda d: d.pivot(columns="c", values="v"), pdf.set_index(pdf["r"] * 10))


def test_pivot_duplicates():
    pdf = pd.DataFrame({"r": [1, 1, 2], "c": ["a", "a", "b"], "v": [1, 2, 3]})
    assert_matches_pandas(lambda d: d.pivot(index="r", columns="c", values="v"), pdf, raises=ValueError,
                          match="duplicate entries")


def test_pivot_table_sort_false_orders_rows_left_after_dropna():
    """pandas drops all-null aggregates before unstacking: row 1 goes, and with sort=False row 2
    (first with a value in column a) comes before row 0."""
    pdf = pd.DataFrame({"r": [0, 1, 2, 0], "c": ["a", "a", "a", "b"], "v": [None, None, 0.0, 0.0]})
    assert_matches_pandas(lambda d: d.pivot_table(values="v", index="r", columns="c", sort=False), pdf)


@given(st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["a", "b", "c"]),
                          st.one_of(st.none(), st.floats(-100, 100))), max_size=40),
       st.sampled_from(["sum", "mean", "min", "max", "count"]),
       st.booleans(), st.sampled_from([None, 0]))
def test_pivot_table_property(rows, aggfunc, sort, fill_value):
    pdf = pd.DataFrame(rows, columns=["r", "c", "v"]).astype({"r": "int64", "c": "str", "v": "float64"})
    assert_matches_pandas(lambda d: d.pivot_table(values="v", index="r", columns="c", aggfunc=aggfunc,
                                                  sort=sort, fill_value=fill_value), pdf)


@pytest.mark.parametrize("kw", [
    {"index": "r"},
    {"index": "r", "values": ["w"]},
    {"index": "r", "values": ["w", "v"]},
    {"index": ["r", "r2"]},
    {"index": "r", "columns": "c"},
    {"index": "r", "columns": "c", "values": "w"},
    {"index": "r", "columns": "c", "values": ["w", "v"]},
    {"index": "r", "columns": ["c", "r2"]},
    {"index": "r", "columns": "c", "fill_value": 0},
], ids=str)
def test_aggfunc_size(kw):
    """Fuzzer finding: pandas' group-by gives ONE Series of sizes whatever the values are (the
    table is that Series, or its unstacked frame); we gave one block per remaining column."""
    pdf = keyed_frame("str", "int64", 60)
    assert_matches_pandas(lambda d: d.pivot_table(aggfunc="size", **kw), pdf)


def test_aggfunc_size_unsorted_columns_not_implemented():
    with pytest.raises(NotImplementedError, match="sort=False"):
        jf.from_pandas(keyed_frame("str", "int64", 20)).pivot_table(index="r", columns="c", aggfunc="size", sort=False)


def test_aggfunc_size_with_one_value_column():
    pdf = keyed_frame("int64", "str", 10)
    with pytest.raises(AttributeError, match="columns"):  # pandas 3.1.1 reads .columns of the Series
        pdf.pivot_table(index="r", values="w", aggfunc="size")
    with pytest.raises(AttributeError, match="columns"):
        jf.from_pandas(pdf).pivot_table(index="r", values="w", aggfunc="size")


@pytest.mark.parametrize("kw", [
    {"index": "r"}, {"index": "r", "values": "w"}, {"index": "r", "values": ["w", "v"]},
    {"index": "r", "columns": "c"}, {"index": "r", "columns": "c", "values": ["w", "x"]},
], ids=str)
def test_aggfunc_len_keeps_int64_counts(kw):
    """len counts rows; pandas 3.1.1 no longer casts the counts back to a float column's dtype."""
    pdf = keyed_frame("int64", "str", 40).drop(columns=["r2"])
    assert_matches_pandas(lambda d: d.pivot_table(aggfunc=len, **kw), pdf)
