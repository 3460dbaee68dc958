"""Lazy group-by calls without a dedicated plan node (plan/nodes.GroupByCall) and 'size' in a
lazy named aggregation: eager == lazy == pandas, the H2O questions q6, q8, q9 and q10 included."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_frame_equal, assert_one_answer, frame_with_dead_rows

EAGER_LAZY = ("eager", "lazy")


def _data(n: int = 60, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    v3 = np.round(rng.random(n) * 100, 3)
    v3[::7] = np.nan
    return pd.DataFrame({"id1": pd.Series(rng.choice(["a", "b", "c"], n), dtype="str"),
                         "id4": rng.integers(1, 4, n), "id5": rng.integers(1, 3, n),
                         "v1": rng.integers(1, 6, n), "v2": rng.integers(1, 16, n), "v3": v3})


def _module(frame):
    return pd if isinstance(frame, pd.DataFrame) else jf


def q6(x):  # a list of functions per column: MultiIndex columns
    return x.groupby(["id4", "id5"], as_index=False, sort=False, observed=True, dropna=False).agg(
        {"v3": ["median", "std"]})


def q8(x):  # largest two per group: filter, sort, head per group (labels kept)
    return x[~x["v3"].isna()][["id4", "v3"]].sort_values("v3", ascending=False).groupby(
        "id4", as_index=False, sort=False, observed=True, dropna=False).head(2)


def q9(x):  # a Python function per group returning a Series
    return x[["id4", "id5", "v1", "v2"]].groupby(["id4", "id5"], as_index=False, sort=False, observed=True,
                                                  dropna=False).apply(
        lambda g: _module(x).Series({"r2": g.corr()["v1"]["v2"] ** 2}))


def q10(x):  # named aggregation with 'size'
    return x.groupby(["id1", "id4", "id5"], as_index=False, sort=False, observed=True, dropna=False).agg(
        v3=("v3", "sum"), v1=("v1", "size"))


@pytest.mark.parametrize("op", [q6, q8, q10], ids=["q6", "q8", "q10"])
def test_h2o_questions_lazy(op):
    assert_one_answer(op, _data(), paths=EAGER_LAZY)


def test_h2o_q9_apply_lazy():
    assert_one_answer(q9, _data(40), paths=EAGER_LAZY)


@pytest.mark.parametrize("op", [q6, q8, q10], ids=["q6", "q8", "q10"])
def test_dead_rows_decide_nothing(op):
    data = _data(80, seed=5)
    live = np.ones(len(data), bool)
    live[::3] = False
    assert_one_answer(op, frame_with_dead_rows(data, live), paths=EAGER_LAZY)


def test_empty_frame():
    assert_one_answer(q10, _data().iloc[:0], paths=EAGER_LAZY)
    assert_one_answer(q8, _data().iloc[:0], paths=EAGER_LAZY)


@pytest.mark.parametrize("call", [lambda g: g.tail(1), lambda g: g.nth(0), lambda g: g.cumsum(),
                                  lambda g: g.rank(), lambda g: g.agg(["sum", "max"])],
                         ids=["tail", "nth", "cumsum", "rank", "agg-list"])
def test_other_group_calls(call):
    assert_one_answer(lambda x: call(x[["id4", "v1", "v2"]].groupby("id4")), _data(), paths=EAGER_LAZY)


def test_plan_node_and_schema():
    lf = jf.from_pandas(_data()).lazy()
    out = q6(lf)
    text = out.explain()
    assert "GROUP_BY keys=['id4', 'id5'] agg({'v3': ['median', 'std']})" in text
    assert list(out.columns) == [("id4", ""), ("id5", ""), ("v3", "median"), ("v3", "std")]


def test_apply_is_the_last_step():
    lf = jf.from_pandas(_data()).lazy()
    out = lf.groupby("id4", as_index=False).apply(lambda g: g["v1"].sum())
    with pytest.raises(NotImplementedError, match="known only after collect"):
        out.columns
    assert_frame_equal(out.collect(), _data().groupby("id4", as_index=False).apply(lambda g: g["v1"].sum()))


def test_series_answer_not_lazy():
    lf = jf.from_pandas(_data()).lazy()
    with pytest.raises(NotImplementedError, match=r"lazy group-by size\(\) answering a Series"):
        lf.groupby("id4").size()
