"""Lazy group-bys on literal keys (exec/constant_keys.py): the literal column is never computed,
the group-by runs on the row mask, and the answer is pandas' (dead rows, nulls, no live row,
every kind of literal); the shapes it does not take run as before."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.exec import constant_keys
from jaxframes.testing import assert_frame_equal


def _data(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    v = rng.normal(size=n)
    v[::7] = np.nan
    return pd.DataFrame({"a": rng.integers(0, 10, n), "v": v, "s": rng.choice(["x", "y"], n)})


def _both(pdf: pd.DataFrame, query) -> None:
    want = query(pdf).reset_index(drop=True)
    got = query(jf.from_pandas(pdf).lazy()).collect()
    assert_frame_equal(got, want)


@pytest.mark.parametrize("value", [1, 2.5, "k", True])
@pytest.mark.parametrize("keep", [5, 0, 10])  # some rows, every row, no row live
def test_literal_key_matches_pandas(value, keep):
    def query(d):
        d = d[d["a"] < keep]
        d = d.assign(w=d["v"] * 2, one=value)
        return d.groupby("one", as_index=False).agg(total=("w", "sum"), n=("v", "count"), m=("a", "mean"))
    _both(_data(), query)


def test_two_literal_keys_and_the_q6_shape():
    def query(d):
        d = d[(d["a"] >= 2) & (d["v"] > -0.5)]
        d = d.assign(revenue=d["v"] * d["a"], one=1, two="b")
        return d.groupby(["one", "two"], as_index=False).agg(revenue=("revenue", "sum"))[["revenue"]]
    _both(_data(), query)


def test_the_literal_is_not_computed():
    lf = jf.from_pandas(_data()).lazy()
    lf = lf.assign(w=lf["v"] * 2, one=1)
    node = lf.groupby("one", as_index=False).agg(total=("w", "sum"))._plan
    child, keys = constant_keys.split(node)
    assert [e.output_name for e in child.exprs] == ["w"] and [e.output_name for e in keys] == ["one"]
    only_key = jf.from_pandas(_data()).lazy().assign(one=1).groupby("one", as_index=False).agg(t=("v", "sum"))._plan
    assert constant_keys.split(only_key)[0] is only_key.child.child  # nothing else computed: the scan


@pytest.mark.parametrize("query", [
    lambda d: d.assign(one=1).groupby("one").agg(t=("v", "sum")),  # as_index: the key is the index
    lambda d: d.assign(one=1).groupby("one", as_index=False).agg(t=("one", "sum")),  # reads the key
    lambda d: d.assign(one=1).groupby(["one", "s"], as_index=False).agg(t=("v", "sum")),  # a real key too
    lambda d: d.assign(one=np.nan).groupby("one", as_index=False).agg(t=("v", "sum")),  # a null key
])
def test_other_shapes_run_as_before(query):
    pdf = _data()
    lf = query(jf.from_pandas(pdf).lazy())
    assert constant_keys.split(lf._plan) is None
    want = query(pdf)
    got = lf.collect()
    assert_frame_equal(got, want if isinstance(want.index, pd.RangeIndex) and not want.index.name else want)


@pytest.mark.parametrize("sort, dropna", [(False, True), (True, False)])
def test_sort_and_dropna_options(sort, dropna):
    def query(d):
        d = d[d["a"] > 3].assign(one=7)
        return d.groupby("one", as_index=False, sort=sort, dropna=dropna).agg(t=("v", "sum"), n=("s", "count"))
    _both(_data(), query)


def test_row_sharded_frame_takes_the_plain_group_by():
    import jax

    mesh = jax.make_mesh((len(jax.devices()),), ("data",))
    pdf = _data(64)
    lf = jf.from_pandas(pdf, sharding=jf.row_sharded(mesh)).lazy()
    lf = lf[lf["a"] < 6].assign(one=1)
    got = lf.groupby("one", as_index=False).agg(t=("v", "sum")).collect()
    d = pdf[pdf["a"] < 6].assign(one=1)
    assert_frame_equal(got, d.groupby("one", as_index=False).agg(t=("v", "sum")))
