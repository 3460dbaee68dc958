"""Group-by against pandas: key dtypes (incl. strings, datetimes, nullable), null keys,
dropna, sort, as_index, every aggregation name, transform and per-group operations."""

import jax
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jaxframes as jf
from frames import make_column, spread
from jaxframes.testing import assert_matches_pandas, assert_same_result

KEY_DTYPES = ["int64", "int32", "bool", "float64", "str", "datetime64[ns]", "Int64", "boolean"]
VALUE_DTYPES = ["int64", "int32", "float64", "float32", "bool", "Int64", "Float64", "boolean"]
AGGS = ["sum", "mean", "min", "max", "count", "std", "var", "median", "first", "last",
        "nunique", "prod", "any", "all"]


def grouped_frame(key_dtype: str, n: int, nulls: str = "some", value_dtypes=VALUE_DTYPES) -> pd.DataFrame:
    data = {"k": make_column(key_dtype, n, nulls, seed=1)}
    for i, dtype in enumerate(value_dtypes):
        data[f"v{i}"] = make_column(dtype, n, nulls, seed=10 + i)
    return pd.DataFrame(data)


@pytest.mark.parametrize(("agg", "n", "key_dtype"), spread(AGGS, (0, 7), KEY_DTYPES, stride=2))
def test_aggregations_over_key_dtypes(key_dtype, n, agg):
    pdf = grouped_frame(key_dtype, n)
    assert_matches_pandas(lambda d: d.groupby("k").agg(agg), pdf)


@pytest.mark.parametrize(("agg", "key_dtype"), spread(AGGS, ("int64", "str", "float64", "Int64"), stride=2))
def test_aggregations_at_a_larger_size(key_dtype, agg):
    """1000 rows: several rows per group for every key kind (the small grid has one or two)."""
    pdf = grouped_frame(key_dtype, 1000)
    assert_matches_pandas(lambda d: d.groupby("k").agg(agg), pdf)


@pytest.mark.parametrize("key_dtype", ["datetime64[s]", "uint64"])
@pytest.mark.parametrize("n", [7, 1000])
def test_boundary_key_dtypes(key_dtype, n):
    """Keys far outside datetime64[ns] (held in seconds) and uint64 above 2**63 group like pandas."""
    pdf = grouped_frame(key_dtype, n, value_dtypes=["float64", "int64", "datetime64[s]"])
    assert_matches_pandas(lambda d: d.groupby("k", dropna=False)[["v0", "v1"]].agg(["sum", "max"]), pdf)
    assert_matches_pandas(lambda d: d.groupby("k").v2.agg(["min", "max", "first"]), pdf)


@pytest.mark.parametrize("dropna", [True, False])
@pytest.mark.parametrize("sort", [True, False])
@pytest.mark.parametrize("key_dtype", ["float64", "str", "Int64"])
def test_dropna_and_sort(dropna, sort, key_dtype):
    pdf = grouped_frame(key_dtype, 200, value_dtypes=["float64", "int64"])
    assert_matches_pandas(lambda d: d.groupby("k", dropna=dropna, sort=sort).agg(["sum", "max"]), pdf)
    assert_matches_pandas(lambda d: d.groupby("k", dropna=dropna, sort=sort).size(), pdf)


def test_several_keys_and_as_index():
    pdf = pd.DataFrame({"a": make_column("str", 300, "some", 1), "b": make_column("int64", 300, "none", 2),
                        "v": make_column("float64", 300, "some", 3)})
    assert_matches_pandas(lambda d: d.groupby(["a", "b"]).sum(), pdf)
    assert_matches_pandas(lambda d: d.groupby(["a", "b"], as_index=False).mean(), pdf)
    assert_matches_pandas(lambda d: d.groupby(["b", "a"], dropna=False)["v"].max(), pdf)


@pytest.mark.parametrize("spec", [
    {"v0": "sum", "v2": "mean"},
    {"v0": ["sum", "min"], "v2": "max"},
    ["sum", "count"],
])
def test_agg_forms(spec):
    pdf = grouped_frame("int64", 100, value_dtypes=["int64", "Int64", "float64"])
    assert_matches_pandas(lambda d: d.groupby("k").agg(spec), pdf)


def test_named_aggregation_and_selection():
    pdf = grouped_frame("str", 100, value_dtypes=["int64", "float64"])
    assert_matches_pandas(lambda d: d.groupby("k").agg(total=("v0", "sum"), avg=("v1", "mean")), pdf)
    assert_matches_pandas(lambda d: d.groupby("k")["v1"].agg(["min", "max"]), pdf)
    assert_matches_pandas(lambda d: d.groupby("k")[["v0", "v1"]].max(), pdf)
    assert_matches_pandas(lambda d: d.groupby("k").v0.sum(), pdf)


@pytest.mark.parametrize("method", ["cumsum", "cummax", "cummin", "cumprod", "cumcount", "shift", "diff"])
@pytest.mark.parametrize("key_dtype", ["int64", "str", "float64"])
def test_per_row_operations(method, key_dtype):
    pdf = grouped_frame(key_dtype, 300, value_dtypes=["float64", "int64", "Int64"])
    if method in ("cumcount",):
        assert_matches_pandas(lambda d: getattr(d.groupby("k"), method)(), pdf)
    else:
        for col in ("v0", "v1", "v2"):
            assert_matches_pandas(lambda d: getattr(d.groupby("k")[col], method)(), pdf)


@pytest.mark.parametrize("how", ["sum", "mean", "max", "count"])
def test_transform(how):
    pdf = grouped_frame("str", 300, value_dtypes=["float64", "int64"])
    assert_matches_pandas(lambda d: d.groupby("k")["v0"].transform(how), pdf)
    assert_matches_pandas(lambda d: d.groupby("k").transform(how), pdf)


@pytest.mark.parametrize("method", ["average", "min", "max", "first", "dense"])
@pytest.mark.parametrize("ascending", [True, False])
def test_rank(method, ascending):
    pdf = grouped_frame("int64", 300, value_dtypes=["float64", "int64"])
    assert_matches_pandas(lambda d: d.groupby("k")["v0"].rank(method=method, ascending=ascending), pdf)
    assert_matches_pandas(lambda d: d.groupby("k")["v1"].rank(method=method, ascending=ascending), pdf)


@pytest.mark.parametrize("op", [lambda g: g.head(2), lambda g: g.tail(1), lambda g: g.nth(0), lambda g: g.nth(-1),
                                lambda g: g.head(-1)])
def test_positional_selection(op):
    pdf = grouped_frame("str", 100, value_dtypes=["float64"])
    assert_matches_pandas(lambda d: op(d.groupby("k")), pdf)
    assert_matches_pandas(lambda d: op(d.groupby("k")["v0"]), pdf)


def test_bad_input():
    pdf = grouped_frame("int64", 10, value_dtypes=["str"])
    assert_matches_pandas(lambda d: d.groupby("missing"), pdf, raises=KeyError)
    assert_matches_pandas(lambda d: d.groupby("k").agg({"missing": "sum"}), pdf, raises=KeyError)
    assert_matches_pandas(lambda d: d.groupby("k").mean(), pdf, raises=TypeError)  # str values


def test_filtered_frame():
    pdf = grouped_frame("int64", 500, value_dtypes=["float64", "int64"])
    ours = jf.from_pandas(pdf)
    keep = pdf["v1"] > 0
    expected = pdf[keep].groupby("k").agg(["sum", "mean"])
    got = ours.filter(jax.numpy.asarray(keep.to_numpy())).groupby("k").agg(["sum", "mean"])
    assert_same_result(got, expected)


def test_inside_jit():
    pdf = grouped_frame("int64", 200, nulls="none", value_dtypes=["float64", "int64"])
    fn = jax.jit(lambda d: d.groupby("k").agg({"v0": "sum", "v1": "mean"}))
    assert_same_result(fn(jf.from_pandas(pdf)), pdf.groupby("k").agg({"v0": "sum", "v1": "mean"}))
    scan = jax.jit(lambda d: d.groupby("k")["v1"].cumsum())
    assert_same_result(scan(jf.from_pandas(pdf)), pdf.groupby("k")["v1"].cumsum())


@given(st.lists(st.tuples(st.integers(0, 5), st.one_of(st.none(), st.floats(-100, 100))), max_size=40),
       st.sampled_from(["sum", "mean", "min", "max", "count", "median", "std"]),
       st.booleans())
def test_groupby_property(rows, agg, sort):
    pdf = pd.DataFrame(rows, columns=["k", "v"]).astype({"k": "int64", "v": "float64"})
    assert_matches_pandas(lambda d: d.groupby("k", sort=sort)["v"].agg(agg), pdf)
