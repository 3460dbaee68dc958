"""Frames and Series under JAX transforms: jit (arguments, results, compile caching, filters
without host syncs), vmap over stacked frames, grad with respect to float columns, and the
PyTree contract (leaves are arrays, aux data is hashable static metadata). Eager-only features
used inside a transform must raise a clear error, never give a wrong answer."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import DTYPES, make_frame
from jaxframes.testing import assert_frame_equal, assert_series_equal


def _data(frame, name):
    """The physical column array (no compaction: usable inside jit)."""
    return frame._columns[name].data


def _live_sum(frame, values):
    """Sum over the live rows only (masked-out rows are garbage)."""
    return jnp.sum(jnp.where(frame._live(), values, 0))


def _float_frame(n=7, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"a": rng.normal(size=n), "b": rng.normal(size=n), "i": rng.integers(-3, 4, n)})


def _indexed_frame():
    pdf = make_frame(DTYPES, n=7, nulls="some")
    return pdf.set_axis(pd.Index([f"r{i}" for i in range(7)], name="key"), axis=0)


FRAMES = {
    "all_dtypes_nulls": lambda: make_frame(DTYPES, n=7, nulls="some"),
    "all_dtypes_empty": lambda: make_frame(DTYPES, n=0),
    "string_index": _indexed_frame,
    "int_index": lambda: _float_frame().set_axis(pd.Index([5, 3, 9, 1, 0, 2, 8], name="id"), axis=0),
    "floats": _float_frame,
    "categorical": lambda: pd.DataFrame({"c": pd.Categorical(["x", "y", None, "x", "z"]),
                                         "a": [1.0, -2.0, 3.0, -0.5, 2.0]}),
}


# -- jit: frames and series as arguments and results -----------------------------------------------
@pytest.mark.parametrize("name", sorted(FRAMES))
def test_jit_identity_round_trip(name):
    pdf = FRAMES[name]()
    out = jax.jit(lambda d: d)(jf.DataFrame(pdf))
    assert isinstance(out, jf.DataFrame)
    assert_frame_equal(out, pdf)


@pytest.mark.parametrize("name", ["all_dtypes_nulls", "string_index"])
def test_jit_round_trip_with_row_mask(name):
    pdf = FRAMES[name]()
    keep = np.array([True, False, True, True, False, False, True])
    masked = jf.DataFrame(pdf)[keep]
    assert masked._row_mask is not None
    assert_frame_equal(jax.jit(lambda d: d)(masked), pdf[keep])


@pytest.mark.parametrize("dtype", DTYPES)
def test_jit_series_round_trip(dtype):
    s = make_frame([dtype], n=7, nulls="some")["c0"].rename("x")
    s.index = pd.Index(list("abcdefg"), name="k")
    out = jax.jit(lambda x: x)(jf.Series(s))
    assert isinstance(out, jf.Series)
    assert_series_equal(out, s)


def test_jit_series_result_from_frame():
    pdf = FRAMES["string_index"]()
    out = jax.jit(lambda d: d["c1"])(jf.DataFrame(pdf))
    assert_series_equal(out, pdf["c1"])


def test_jit_builds_frame_from_traced_arrays():
    a, b = jnp.arange(5.0), jnp.arange(5) * 2
    out = jax.jit(lambda x, y: jf.DataFrame({"a": x, "b": y}))(a, b)
    assert_frame_equal(out, pd.DataFrame({"a": np.arange(5.0), "b": np.arange(5) * 2}))


def test_jit_compiles_once_for_same_shapes():
    traces = []

    @jax.jit
    def f(d):
        traces.append(1)
        return d[_data(d, "c3") > 0]

    pdfs = [make_frame(DTYPES, n=7, nulls="some", seed=s) for s in (0, 0, 1)]
    # Same dictionaries (seed 0 twice): equal aux data, one trace.
    for pdf in pdfs[:2]:
        assert_frame_equal(f(jf.DataFrame(pdf)), pdf[pdf["c3"] > 0])
    assert len(traces) == 1
    # A float-only frame: different values, same shapes -> one more trace only.
    calls = []
    g = jax.jit(lambda d: (calls.append(1), d.assign(c=_data(d, "a") * 2))[1])
    for seed in range(3):
        pdf = _float_frame(seed=seed)
        assert_frame_equal(g(jf.DataFrame(pdf)), pdf.assign(c=pdf["a"] * 2))
    assert len(calls) == 1


def test_jit_retraces_for_new_shape():
    calls = []
    g = jax.jit(lambda d: (calls.append(1), d)[1])
    for n in (7, 7, 9):
        g(jf.DataFrame(_float_frame(n=n)))
    assert len(calls) == 2


# -- boolean filtering inside jit -------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(FRAMES))
def test_filter_inside_jit(name):
    pdf = FRAMES[name]()
    column = "a" if "a" in pdf else "c3"
    f = jax.jit(lambda d: d[_data(d, column) > 0])
    out = f(jf.DataFrame(pdf))
    assert out._row_mask is not None  # a selection vector, not a host-synced gather
    assert_frame_equal(out, pdf[pdf[column] > 0])


def test_chained_filters_and_head_tail_inside_jit():
    pdf = _float_frame(n=20, seed=3)
    f = jax.jit(lambda d: d[(_data(d, "a") > -0.5) & (_data(d, "b") < 0.5)].head(3))
    g = jax.jit(lambda d: d[_data(d, "a") > -0.5].tail(2))
    sel = pdf[(pdf["a"] > -0.5) & (pdf["b"] < 0.5)]
    assert_frame_equal(f(jf.DataFrame(pdf)), sel.head(3))
    assert_frame_equal(g(jf.DataFrame(pdf)), pdf[pdf["a"] > -0.5].tail(2))


def test_filter_then_compact_inside_jit_keeps_capacity():
    pdf = _float_frame(n=9, seed=4)
    out = jax.jit(lambda d: d[_data(d, "a") > 0]._compact())(jf.DataFrame(pdf))
    assert out._capacity == 9
    assert_frame_equal(out, pdf[pdf["a"] > 0])


@pytest.mark.parametrize("n", [0, 1, 7])
def test_filter_series_inside_jit(n):
    s = pd.Series(np.linspace(-1, 1, n), name="v", index=pd.Index(np.arange(n) * 3))
    out = jax.jit(lambda x: x[x._column.data > 0])(jf.Series(s))
    assert_series_equal(out, s[s > 0])


def test_assign_and_astype_inside_jit():
    pdf = _float_frame(seed=5)
    f = jax.jit(lambda d: d.assign(c=_data(d, "a") + _data(d, "b")).astype({"i": "float64"}).drop(columns="b"))
    expected = pdf.assign(c=pdf["a"] + pdf["b"]).astype({"i": "float64"}).drop(columns="b")
    assert_frame_equal(f(jf.DataFrame(pdf)), expected)


def test_masked_astype_inside_jit():
    pdf = make_frame(["Int64", "float64", "boolean"], n=7, nulls="some")
    f = jax.jit(lambda d: d.astype({"c0": "Float64", "c1": "Float64", "c2": "Int64"}))
    expected = pdf.astype({"c0": "Float64", "c1": "Float64", "c2": "Int64"})
    assert_frame_equal(f(jf.DataFrame(pdf)), expected)


# -- eager-only features inside a transform: clear errors ---------------------------------------------
def test_len_of_filtered_frame_inside_jit_raises():
    df = jf.DataFrame(_float_frame())
    with pytest.raises(TypeError, match="count_rows"):
        jax.jit(lambda d: len(d[_data(d, "a") > 0]))(df)
    # count_rows is the traced alternative and agrees with pandas.
    pdf = _float_frame()
    assert int(jax.jit(lambda d: d[_data(d, "a") > 0].count_rows())(df)) == len(pdf[pdf["a"] > 0])


def test_len_of_unfiltered_frame_inside_jit_is_static():
    assert jax.jit(lambda d: jnp.zeros(len(d)))(jf.DataFrame(_float_frame(n=5))).shape == (5,)


@pytest.mark.parametrize("convert", [
    lambda d: d.to_pandas(),
    lambda d: d.index,
    lambda d: d["a"].to_pandas(),
    lambda d: d["a"].tolist(),
    lambda d: d.to_numpy(),
    lambda d: d[_data(d, "a") > 0].to_pandas(),
    lambda d: d[_data(d, "a") > 0].shape,
    lambda d: d[_data(d, "a") > 0].to_jax(),
])
def test_host_conversions_inside_jit_raise(convert):
    with pytest.raises(TypeError, match="jit|count_rows"):
        jax.jit(convert)(jf.DataFrame(_float_frame()))


def test_host_length_array_key_on_masked_frame_inside_jit_raises():
    # A plain boolean array key has one entry per LIVE row (as in pandas): unknowable inside jit.
    df = jf.DataFrame(_float_frame())[np.array([True, False] * 3 + [True])]
    with pytest.raises(TypeError, match="count_rows"):
        jax.jit(lambda d: d.assign(c=jnp.ones(4)))(df)


def test_repr_inside_jit_does_not_sync():
    seen = []
    jax.jit(lambda d: (seen.append(repr(d)), seen.append(repr(d["a"])), d)[2])(jf.DataFrame(_float_frame()))
    assert "traced" in seen[0] and "traced" in seen[1]


# -- vmap over stacked frames ---------------------------------------------------------------------
def _stack(frames):
    return jax.tree.map(lambda *x: jnp.stack(x), *frames)


def test_vmap_filter_and_reduce_over_stacked_frames():
    pdfs = [_float_frame(n=8, seed=s) for s in range(4)]
    stacked = _stack([jf.DataFrame(p) for p in pdfs])
    assert _data(stacked, "a").shape == (4, 8)

    def f(d):
        kept = d[_data(d, "a") > 0]
        return _live_sum(kept, _data(kept, "b")), kept.count_rows()

    sums, counts = jax.vmap(f)(stacked)
    for k, pdf in enumerate(pdfs):
        sel = pdf[pdf["a"] > 0]
        np.testing.assert_allclose(float(sums[k]), sel["b"].sum(), rtol=1e-12)
        assert int(counts[k]) == len(sel)


def test_vmap_returns_stacked_frames_that_unstack_to_pandas():
    pdfs = [_float_frame(n=6, seed=s) for s in range(3)]
    stacked = _stack([jf.DataFrame(p) for p in pdfs])
    out = jax.jit(jax.vmap(lambda d: d.assign(c=_data(d, "a") * _data(d, "b"))[_data(d, "a") > 0]))(stacked)
    for k, pdf in enumerate(pdfs):
        one = jax.tree.map(lambda x: x[k], out)
        expected = pdf.assign(c=pdf["a"] * pdf["b"])
        assert_frame_equal(one, expected[pdf["a"] > 0])


def test_vmap_with_string_column_and_index():
    # Equal dictionaries and index metadata: stackable PyTrees.
    base = pd.DataFrame({"s": ["x", "y", "x", None], "v": [1.0, -2.0, 3.0, -4.0]},
                        index=pd.Index([7, 8, 9, 10], name="k"))
    pdfs = [base, base.assign(v=-base["v"])]
    stacked = _stack([jf.DataFrame(p) for p in pdfs])
    out = jax.vmap(lambda d: d[_data(d, "v") > 0])(stacked)
    for k, pdf in enumerate(pdfs):
        assert_frame_equal(jax.tree.map(lambda x: x[k], out), pdf[pdf["v"] > 0])


# -- grad ----------------------------------------------------------------------------------------------
def test_grad_of_product_sum_is_frame_shaped():
    pdf = _float_frame(seed=6)[["a", "b"]]
    df = jf.DataFrame(pdf)
    grad = jax.grad(lambda d: jnp.sum(_data(d, "a") * _data(d, "b")))(df)
    assert isinstance(grad, jf.DataFrame)
    assert jax.tree.structure(grad) == jax.tree.structure(df)
    expected = pd.DataFrame({"a": pdf["b"], "b": pdf["a"]})
    assert_frame_equal(grad, expected)


def test_grad_through_series_of_frame():
    pdf = _float_frame(seed=7)[["a", "b"]]
    grad = jax.grad(lambda d: jnp.sum(d["a"]._column.data ** 2))(jf.DataFrame(pdf))
    assert_frame_equal(grad, pd.DataFrame({"a": 2 * pdf["a"], "b": 0.0 * pdf["b"]}))


def test_grad_with_row_mask_zero_on_masked_rows():
    pdf = _float_frame(seed=8)[["a", "b"]]
    keep = np.array([True, True, False, True, False, True, False])
    df = jf.DataFrame(pdf)[keep]
    # The row mask is a boolean leaf: differentiate with allow_int=True (it gets a float0 cotangent).
    grad = jax.grad(lambda d: _live_sum(d, _data(d, "a") * _data(d, "b")), allow_int=True)(df)
    assert jax.tree.structure(grad) == jax.tree.structure(df)
    np.testing.assert_allclose(np.asarray(_data(grad, "a")), np.where(keep, pdf["b"], 0.0))
    np.testing.assert_allclose(np.asarray(_data(grad, "b")), np.where(keep, pdf["a"], 0.0))


def test_grad_rejects_integer_leaves_without_allow_int():
    df = jf.DataFrame(_float_frame())
    with pytest.raises(TypeError, match="allow_int"):
        jax.grad(lambda d: jnp.sum(_data(d, "a")))(df)


def test_value_and_grad_under_jit():
    pdf = _float_frame(seed=9)[["a", "b"]]
    value, grad = jax.jit(jax.value_and_grad(lambda d: jnp.sum(jnp.sin(_data(d, "a")) * _data(d, "b"))))(
        jf.DataFrame(pdf))
    np.testing.assert_allclose(float(value), float((np.sin(pdf["a"]) * pdf["b"]).sum()))
    assert_frame_equal(grad, pd.DataFrame({"a": np.cos(pdf["a"]) * pdf["b"], "b": np.sin(pdf["a"])}))


# -- tree_util -------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", sorted(FRAMES))
def test_tree_flatten_unflatten_round_trip(name):
    pdf = FRAMES[name]()
    df = jf.DataFrame(pdf)
    leaves, treedef = jax.tree.flatten(df)
    assert all(isinstance(x, jax.Array) for x in leaves)
    assert_frame_equal(jax.tree.unflatten(treedef, leaves), pdf)
    assert_frame_equal(jax.tree.map(lambda x: x, df), pdf)


def test_tree_leaves_are_columns_index_and_mask():
    pdf = FRAMES["string_index"]()
    keep = np.array([True, False] * 3 + [True])
    df = jf.DataFrame(pdf)[keep]
    leaves = jax.tree.leaves(df)
    expected = []

    def column_leaves(col):
        # a string dictionary travels as data: its device form's arrays are leaves too
        strings = [] if col.dictionary is None else list(col.dictionary.device())
        return [col.data] + ([] if col.validity is None else [col.validity]) + strings

    for col in df._columns.values():
        expected += column_leaves(col)
    expected += column_leaves(df._index.column)
    expected.append(df._row_mask)
    assert len(leaves) == len(expected)
    assert all(a is b for a, b in zip(leaves, expected))


def test_tree_map_on_float_columns():
    pdf = _float_frame()[["a", "b"]]
    out = jax.tree.map(lambda x: x * 10, jf.DataFrame(pdf))
    assert_frame_equal(out, pdf * 10)


@pytest.mark.parametrize("name", sorted(FRAMES))
def test_aux_data_hashable_and_equal_across_equal_frames(name):
    pdf = FRAMES[name]()
    s1 = jax.tree.structure(jf.DataFrame(pdf))
    s2 = jax.tree.structure(jf.DataFrame(pdf.copy()))
    assert s1 == s2 and hash(s1) == hash(s2)
    series = pdf.iloc[:, 0]
    t1, t2 = jax.tree.structure(jf.Series(series)), jax.tree.structure(jf.Series(series.copy()))
    assert t1 == t2 and hash(t1) == hash(t2)


def test_aux_data_differs_for_different_metadata():
    pdf = _float_frame()
    base = jax.tree.structure(jf.DataFrame(pdf))
    assert base != jax.tree.structure(jf.DataFrame(pdf.rename(columns={"a": "z"})))
    assert base != jax.tree.structure(jf.DataFrame(pdf.astype({"i": "Int64"})))
    # String values are data (leaves), not metadata: new strings keep the structure.
    strings = pd.DataFrame({"s": ["x", "y"]})
    assert jax.tree.structure(jf.DataFrame(strings)) == jax.tree.structure(
        jf.DataFrame(pd.DataFrame({"s": ["x", "w"]})))


def test_series_tree_round_trip_keeps_name_and_index():
    s = pd.Series([1.5, None, 3.0], name=("t", 1), index=pd.Index(["a", "b", "c"], name="k"))
    leaves, treedef = jax.tree.flatten(jf.Series(s))
    assert_series_equal(jax.tree.unflatten(treedef, leaves), s)


# -- reductions, cumulative ops and operators under transforms ---------------------------------------
def _has_ops() -> bool:
    return getattr(jf.Series, "__gt__", None) is not object.__gt__ and getattr(jf.Series, "__mul__", None) is not None


needs_ops = pytest.mark.skipif(not _has_ops(), reason="comparison/arithmetic operators not implemented yet")


def _reduction_frame():
    return _float_frame(n=9, seed=10).assign(f=[1.0, np.nan, 3.0, -1.0, np.nan, 2.0, 0.5, np.nan, 4.0])


def _pos(d):
    """Rows with a > 0: a physical-row mask for ours, a boolean Series for pandas."""
    return d["a"] > 0 if isinstance(d, pd.DataFrame) else _data(d, "a") > 0


# (ours and pandas run the same lambda; _pos builds the mask each way)
REDUCTIONS = {
    "sum": lambda d: d["a"].sum(),
    "mean": lambda d: d["a"].mean(),
    "std": lambda d: d["a"].std(),
    "var": lambda d: d["b"].var(),
    "min_nan": lambda d: d["f"].min(),
    "max_nan": lambda d: d["f"].max(),
    "count_nan": lambda d: d["f"].count(),
    "filtered_sum": lambda d: d[_pos(d)]["b"].sum(),
    "filtered_mean_nan": lambda d: d[_pos(d)]["f"].mean(),
    "filtered_int_sum": lambda d: d[_pos(d)]["i"].sum(),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_scalar_reductions_inside_jit(name):
    pdf = _reduction_frame()
    got = jax.jit(REDUCTIONS[name])(jf.DataFrame(pdf))
    assert isinstance(got, jax.Array)
    np.testing.assert_allclose(float(got), float(REDUCTIONS[name](pdf)), rtol=1e-12)


SERIES_OPS = {
    "cumsum": lambda d: d["a"].cumsum(),
    "cumsum_nan": lambda d: d["f"].cumsum(),
    "cummax_filtered": lambda d: d[_pos(d)]["b"].cummax(),
    "shift": lambda d: d["a"].shift(2),
    "shift_filtered": lambda d: d[_pos(d)]["b"].shift(1),
    "diff_filtered": lambda d: d[_pos(d)]["f"].diff(),
    "frame_sum": lambda d: d[["a", "b", "i"]].sum(),
    "frame_mean_filtered": lambda d: d[_pos(d)][["a", "f"]].mean(),
    "frame_cumsum_filtered": lambda d: d[_pos(d)][["b", "i"]].cumsum(),
}


@pytest.mark.parametrize("name", sorted(SERIES_OPS))
def test_frame_valued_reductions_and_scans_inside_jit(name):
    pdf = _reduction_frame()
    got = jax.jit(SERIES_OPS[name])(jf.DataFrame(pdf))
    expected = SERIES_OPS[name](pdf)
    assert_series_equal(got, expected) if isinstance(expected, pd.Series) else assert_frame_equal(got, expected)


def test_grad_through_sum_reduction():
    pdf = _float_frame(seed=11)[["a", "b"]]
    grad = jax.grad(lambda d: d["a"].sum() + 3 * d["b"].mean())(jf.DataFrame(pdf))
    assert_frame_equal(grad, pd.DataFrame({"a": np.ones(7), "b": np.full(7, 3 / 7)}))


def test_grad_through_sum_with_row_mask():
    pdf = _float_frame(seed=12)[["a", "b"]]
    keep = np.array([True, False, True, True, False, True, True])
    grad = jax.grad(lambda d: d["a"].sum(), allow_int=True)(jf.DataFrame(pdf)[keep])
    np.testing.assert_array_equal(np.asarray(_data(grad, "a")), keep.astype(float))


def test_vmap_with_sum_reduction():
    pdfs = [_float_frame(n=8, seed=s) for s in range(3)]
    stacked = _stack([jf.DataFrame(p) for p in pdfs])
    sums = jax.vmap(lambda d: d[_data(d, "a") > 0]["b"].sum())(stacked)
    np.testing.assert_allclose(np.asarray(sums), [p[p["a"] > 0]["b"].sum() for p in pdfs], rtol=1e-12)


@needs_ops
def test_operator_filter_inside_jit():
    pdf = make_frame(DTYPES, n=7, nulls="some")
    f = jax.jit(lambda d: d[(d["c3"] > 0) & (d["c8"] <= 2)])
    assert_frame_equal(f(jf.DataFrame(pdf)), pdf[(pdf["c3"] > 0) & (pdf["c8"] <= 2)])


@needs_ops
def test_operator_grad_of_product_sum():
    pdf = _float_frame(seed=13)[["a", "b"]]
    grad = jax.grad(lambda d: (d["a"] * d["b"]).sum())(jf.DataFrame(pdf))
    assert jax.tree.structure(grad) == jax.tree.structure(jf.DataFrame(pdf))
    assert_frame_equal(grad, pd.DataFrame({"a": pdf["b"], "b": pdf["a"]}))


@needs_ops
def test_operator_grad_with_row_mask():
    pdf = _float_frame(seed=14)[["a", "b"]]
    df = jf.DataFrame(pdf)
    grad = jax.grad(lambda d: (d[d["a"] > 0]["a"] * d["b"]).sum(), allow_int=True)(df)
    keep = (pdf["a"] > 0).to_numpy()
    np.testing.assert_allclose(np.asarray(_data(grad, "a")), np.where(keep, pdf["b"], 0.0))


@needs_ops
def test_operator_vmap_filter_and_mean():
    pdfs = [_float_frame(n=8, seed=s) for s in range(3)]
    stacked = _stack([jf.DataFrame(p) for p in pdfs])
    means = jax.vmap(lambda d: d[d["a"] > 0]["b"].mean())(stacked)
    np.testing.assert_allclose(np.asarray(means), [p[p["a"] > 0]["b"].mean() for p in pdfs], rtol=1e-12)


def test_gradient_frames_with_float0_leaves_refuse_host_conversion():
    # allow_int=True gives float0 cotangents for the row mask and non-float columns: no values.
    pdf = _float_frame(seed=15)
    masked = jf.DataFrame(pdf)[np.array([True, False] * 3 + [True])]
    grad = jax.grad(lambda d: d["a"].sum(), allow_int=True)(masked)
    with pytest.raises(TypeError, match="float0"):
        grad.to_pandas()
    grad = jax.grad(lambda d: d["a"].sum(), allow_int=True)(jf.DataFrame(pdf))
    assert_series_equal(grad["a"], pd.Series(np.ones(7), name="a"))
    with pytest.raises(TypeError, match="float0"):
        grad["i"].to_pandas()
