"""``df.groupby(key)`` with a Series key (aligned by index label) or a function of the row labels:
pandas' groups, result index names, and aggregated columns (an external key is never aggregated;
a key that is the frame's own column is that column)."""

from __future__ import annotations

import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows

FRAME = pd.DataFrame({"a": [1, 2, 1, 3, 2], "b": [1.0, 2.0, None, 4.0, 5.0], "c": [5, 6, 7, 8, 9]},
                     index=[10, 11, 12, 13, 14])


def _big(d):
    return (d["a"] > 1).rename("big")


@pytest.mark.parametrize("op", [
    lambda d: d.groupby(_big(d)).sum(),
    lambda d: d.groupby((d["a"] * 2).rename(None)).mean(),              # unnamed key: index name None
    lambda d: d.groupby(d["a"]).max(),                                   # the frame's own column
    lambda d: d.groupby(lambda label: label % 2).agg({"b": "sum", "c": "min"}),
    lambda d: d.groupby(["a", _big(d)])["b"].sum(),                      # a column and a Series
    lambda d: d.groupby(pd.Series([1, 1, 2], index=[13, 12, 10], name="k")).c.count(),  # aligned; 11, 14 in no group
    lambda d: d.groupby(_big(d)).cumsum(),
    lambda d: d.groupby([d["a"] > 1, d["c"] % 2]).sum(),                 # keys named like columns
], ids=["series", "unnamed", "own-column", "function", "mixed", "aligned", "cumsum", "named-like-columns"])
def test_groupby_series_or_function_matches_pandas(op):
    assert_matches_pandas(op, FRAME)


def test_dead_rows_are_in_no_group():
    twin = frame_with_dead_rows(FRAME, [True, False, True, True, False])
    assert_one_answer(lambda d: d.groupby(lambda label: label % 2).sum(), twin, paths=("eager",))


def test_methods_that_return_the_frames_rows_are_refused_by_name():
    df = jf.from_pandas(FRAME)
    gb = df.groupby(df["a"] > 1)
    with pytest.raises(NotImplementedError, match=r"groupby\(\.\.\.\)\.head when grouping by a Series or a function"):
        gb.head(1)
