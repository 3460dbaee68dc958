"""Series reductions against pandas: dtypes x nulls x sizes, skipna both ways, filtered series,
a Hypothesis property, and reductions under jax.jit / jax.grad."""

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest
from hypothesis import given

import jaxframes as jf
from frames import DTYPES, NULLS, SIZE_NULLS, make_column, spread
from jaxframes.testing import assert_matches_pandas, assert_same_result
from strategies import series

OPS = ["sum", "mean", "min", "max", "count", "std", "var", "prod", "any", "all", "median", "nunique"]
# reductions pandas refuses for a dtype (TypeError)
REFUSED = {"str": {"mean", "std", "var", "median", "prod"}, "datetime64[ns]": {"sum", "prod", "var", "any", "all"}}


def _refusal(op, dtype):
    return TypeError if op in REFUSED.get(dtype, ()) else None


def _call(op, **kw):
    def run(s):
        if op == "sum" and s.dtype == "str":
            pytest.skip("str sum (concatenation) is NotImplementedError, tested below")
        return getattr(s, op)(**kw)
    return run


@pytest.mark.parametrize(("op", "dtype", "n", "nulls"), spread(OPS, DTYPES, SIZE_NULLS))
def test_reduction_grid(op, dtype, nulls, n):
    s = make_column(dtype, n, nulls)
    if op == "std" and dtype == "datetime64[ns]":
        pytest.skip("datetime std (Timedelta) not implemented")
    assert_matches_pandas(_call(op), s, raises=_refusal(op, dtype))


@pytest.mark.parametrize("nulls", ["some", "all"])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", ["sum", "mean", "min", "max", "std", "prod", "any", "all", "median"])
def test_reduction_skipna_false(op, dtype, nulls):
    s = make_column(dtype, 7, nulls, seed=3)
    if dtype == "datetime64[ns]" and op == "std":
        pytest.skip("datetime std not implemented")
    assert_matches_pandas(_call(op, skipna=False), s, raises=_refusal(op, dtype))


@pytest.mark.parametrize("dtype", ["int64", "float64", "bool", "Int64", "Float64", "boolean"])
@pytest.mark.parametrize("min_count", [0, 1, 3, 8])
@pytest.mark.parametrize("op", ["sum", "prod"])
def test_min_count(op, dtype, min_count):
    for n in (0, 7):
        assert_matches_pandas(lambda s: getattr(s, op)(min_count=min_count), make_column(dtype, n, "some"))


@pytest.mark.parametrize("ddof", [0, 1, 2, 10])
def test_ddof(ddof):
    s = make_column("float64", 7, "some")
    assert_matches_pandas(lambda x: x.var(ddof=ddof), s)
    assert_matches_pandas(lambda x: x.std(ddof=ddof), s)


@pytest.mark.parametrize("dtype", DTYPES)
def test_nunique_dropna_false(dtype):
    assert_matches_pandas(lambda x: x.nunique(dropna=False), make_column(dtype, 30, "some"))


@pytest.mark.parametrize("nulls", NULLS)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", ["idxmin", "idxmax"])
def test_idxmin_idxmax(op, dtype, nulls):
    s = make_column(dtype, 7, nulls, seed=1)
    s.index = pd.Index(list("abcdefg"))
    assert_matches_pandas(lambda x: getattr(x, op)(), s, raises=ValueError if s.isna().all() else None)
    assert_matches_pandas(lambda x: getattr(x, op)(skipna=False), s, raises=ValueError if s.isna().any() else None)
    assert_matches_pandas(lambda x: getattr(x, op)(), s.iloc[:0], raises=ValueError)  # empty


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("op", OPS + ["idxmin", "idxmax"])
def test_filtered_series(op, dtype):
    """Rows removed by a filter (row mask) must not affect the result."""
    s = make_column(dtype, 40, "some", seed=2)
    keep = np.random.default_rng(5).random(40) < 0.5
    if op == "sum" and dtype == "str" or op == "std" and dtype == "datetime64[ns]":
        return
    expected_err = None
    try:
        expected = getattr(s[keep], op)()
    except Exception as err:  # noqa: BLE001 - same exception type expected below
        expected_err = type(err)
    ours = jf.from_pandas(s)[keep]
    if expected_err is not None:
        with pytest.raises(expected_err):
            getattr(ours, op)()
    else:
        assert_same_result(getattr(ours, op)(), expected)


def test_string_errors():
    s = make_column("str", 7)
    for op in ["mean", "std", "var", "median", "prod"]:
        assert_matches_pandas(lambda x: getattr(x, op)(), s, raises=TypeError)
    with pytest.raises(NotImplementedError):
        jf.from_pandas(s).sum()
    assert_matches_pandas(lambda x: x.min(numeric_only=True), s)


@given(series(dtype="float64", max_size=40))
def test_property_float(s):
    for op in ["sum", "mean", "min", "max"]:
        assert_matches_pandas(lambda x: getattr(x, op)(), s)


@given(series(dtype="Int64", max_size=40))
def test_property_masked_int(s):
    for op in ["sum", "mean", "min", "max"]:
        assert_matches_pandas(lambda x: getattr(x, op)(), s)


@pytest.mark.parametrize("op", ["sum", "mean", "min", "max", "std", "var", "median", "prod", "count"])
@pytest.mark.parametrize("dtype", ["float64", "int64", "Int64"])
def test_under_jit(op, dtype):
    s = make_column(dtype, 30, "some")
    keep = np.arange(30) % 3 != 0
    ours = jf.from_pandas(s)[keep]
    got = jax.jit(lambda x: getattr(x, op)())(ours)
    assert isinstance(got, jax.Array) and got.shape == ()
    expected = getattr(s[keep], op)()
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64), float(expected), rtol=1e-12)


def test_jit_empty_min_is_nan():
    ours = jf.Series(jnp.arange(5, dtype=jnp.int64))
    got = jax.jit(lambda x: x[jnp.zeros(5, bool)].min())(ours)
    assert np.isnan(np.asarray(got))


def test_grad_of_sum_and_mean():
    df = jf.DataFrame({"a": jnp.array([1.0, 2.0, jnp.nan, 4.0])})
    g = jax.grad(lambda d: d["a"].sum())(df)
    np.testing.assert_array_equal(np.asarray(g._columns["a"].data), [1.0, 1.0, 0.0, 1.0])
    g = jax.grad(lambda d: d[jnp.array([False, True, True, True])]["a"].mean())(df)
    np.testing.assert_allclose(np.asarray(g._columns["a"].data), [0.0, 0.5, 0.0, 0.5])
