"""LazyFrame.explode (plan/nodes.Explode): one answer eagerly, lazily and as pandas gives it,
filtered frames included; a filter above it is never pushed below it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import jaxframes as jf
from jaxframes.plan import nodes as N
from jaxframes.testing import assert_one_answer, frame_with_dead_rows

EAGER_LAZY = ("eager", "lazy")
# Arrow lists: pandas' explode keeps the element type (int64[pyarrow]); we hold its masked twin
PDF = pd.DataFrame({
    "a": pd.Series([[1, 2], None, [], [7], [8, 9, 10]], dtype=pd.ArrowDtype(pa.list_(pa.int64()))),
    "b": pd.Series([["x", "y"], ["z"], [], ["w"], ["u", "v", None]], dtype=pd.ArrowDtype(pa.list_(pa.string()))),
    "c": [1.0, 2.0, 3.0, 4.0, 5.0],
}, index=[1, 1, 2, 3, 0])


def _typed(result, exploded=("a",)):
    """pandas' Arrow element dtypes of the exploded columns as the masked dtypes JaxFrames holds
    them in."""
    return result.astype({c: {"a": "Int64", "b": "string"}[c] for c in exploded})


@pytest.mark.parametrize("op, exploded", [
    (lambda d: d.explode("a"), ("a",)),
    (lambda d: d.explode("a", ignore_index=True), ("a",)),
    (lambda d: d.explode(["a", "b"]), ("a", "b")),
], ids=["one", "ignore-index", "two"])
@pytest.mark.parametrize("live", [None, [True, False, True, True, False]], ids=["plain", "dead-rows"])
def test_eager_equals_lazy_equals_pandas(op, exploded, live):
    data = PDF if live is None else frame_with_dead_rows(PDF, live)
    theirs = PDF if live is None else data.theirs
    expected = _typed(op(theirs), exploded)
    ours = jf.from_pandas(PDF) if live is None else data.ours
    pd.testing.assert_frame_equal(op(ours).to_pandas(), expected)
    pd.testing.assert_frame_equal(op(ours.lazy()).collect().to_pandas(), expected)


def test_empty_and_scalar_columns():
    assert_one_answer(lambda d: d.explode("c"), PDF[["c"]], paths=EAGER_LAZY)
    assert_one_answer(lambda d: d.explode("c"), PDF[["c"]].iloc[:0], paths=EAGER_LAZY)


def test_a_filter_above_stays_above():
    lf = jf.from_pandas(PDF).lazy().explode("a").filter(jf.col("c") > 1.5)
    plan = lf.optimized_plan()
    assert isinstance(plan, N.Filter) and isinstance(plan.child, N.Explode)
    assert "EXPLODE ['a'] ignore_index=False" in lf.explain()
    expected = _typed(PDF.explode("a").query("c > 1.5"))
    pd.testing.assert_frame_equal(lf.collect().to_pandas(), expected)


def test_errors_when_the_step_is_built():
    lf = jf.from_pandas(PDF).lazy()
    with pytest.raises(KeyError, match="zz"):
        PDF.explode("zz")
    with pytest.raises(KeyError, match="zz"):
        lf.explode("zz")
    with pytest.raises(ValueError, match="columns must have matching element counts"):
        lf.explode(["a", "c"]).collect()  # value-dependent: at collect(), pandas' ValueError
