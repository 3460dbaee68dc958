"""The index-and-shape facade methods (methods/reindexing.py): iteration, the refused in-place
methods, lazy plan nodes for set_index/reset_index. The operations themselves are tested where
they live: tests/reshape/test_set_index.py, tests/reshape/test_stack.py, tests/ops/test_align.py,
tests/ops/test_shape.py."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import frame_with_dead_rows

PDF = pd.DataFrame({"a": [1, 2, 3, 4], "b": ["x", "y", None, "w"], "c": [0.5, np.nan, 2.5, 3.5]},
                   index=[10, 20, 30, 40])
LIVE = [True, False, True, True]


@pytest.mark.parametrize("filtered", [False, True])
def test_iterrows_itertuples(filtered):
    twin = frame_with_dead_rows(PDF, LIVE) if filtered else None
    ours, theirs = (twin.ours, twin.theirs) if filtered else (jf.from_pandas(PDF), PDF)
    rows = list(ours.iterrows())
    expected = list(theirs.iterrows())
    assert [k for k, _ in rows] == [k for k, _ in expected]
    for (_, got), (_, want) in zip(rows, expected):
        pd.testing.assert_series_equal(got, want)
    assert repr(list(ours.itertuples())) == repr(list(theirs.itertuples()))
    assert repr(list(ours.itertuples(index=False, name="Row"))) == repr(list(theirs.itertuples(index=False, name="Row")))
    pd.testing.assert_index_equal(ours.axes[0], theirs.axes[0])
    pd.testing.assert_index_equal(ours.axes[1], theirs.axes[1])
    assert list(ours["a"].items()) == list(theirs["a"].items())


@pytest.mark.parametrize("call,alternative", [
    (lambda d: d.insert(0, "z", 1), "assign"),
    (lambda d: d.pop("a"), "drop"),
    (lambda d: d.isetitem(0, 1), "assign"),
    (lambda d: d.at.__setitem__((10, "a"), 5), "assign"),
    (lambda d: d.iat.__setitem__((0, 0), 5), "assign"),
    (lambda d: d.reset_index(inplace=True), "reset_index"),
    (lambda d: d["a"].pop(10), "drop"),
])
def test_in_place_methods_refused(call, alternative):
    with pytest.raises(jf.ImmutableFrameError, match=alternative):
        call(jf.from_pandas(PDF))


def test_lazy_plan_nodes():
    lf = jf.from_pandas(PDF).lazy().set_index(["a", "b"]).reset_index(level="b")
    text = lf.explain()
    assert "SET_INDEX keys=['a', 'b']" in text and "RESET_INDEX level=['b']" in text
    pd.testing.assert_frame_equal(lf.collect().to_pandas(), PDF.set_index(["a", "b"]).reset_index(level="b"))
    filtered = jf.from_pandas(PDF).lazy().set_index("a")
    out = filtered[filtered["c"] > 1.0].collect()
    pd.testing.assert_frame_equal(out.to_pandas(), PDF.set_index("a").query("c > 1.0"))
    with pytest.raises(KeyError, match="None of"):
        jf.from_pandas(PDF).lazy().set_index("zz")
