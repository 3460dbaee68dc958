"""explode of list columns (ops/lists.py) against pandas: index repetition, empty lists and
missing rows, several columns, ignore_index, filtered frames with dead rows.

pandas answers object columns for the elements of object lists (strings: 'str'); JaxFrames
holds what ``infer_objects`` makes of them (module docstring of ops/lists.py), so integer
element results are compared with ``infer_objects()`` of pandas' answer, and Arrow elements
with their masked twin."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows

PDF = pd.DataFrame({
    "a": [[1, 2], None, [], [7], [8, 9, 10]],
    "b": [["x", "y"], ["z"], [], ["w"], ["u", "v", None]],
    "c": [1, 2, 3, 4, 5],
}, index=[1, 1, 2, 3, 0])


def inferred(result):
    return result.infer_objects() if isinstance(result, (pd.DataFrame, pd.Series)) else result


@pytest.mark.parametrize("column, ignore_index", [("a", False), ("b", False), ("b", True), (["a", "b"], False),
                                                  (["b", "a"], True)])
def test_explode_frame(column, ignore_index) -> None:
    got = jf.from_pandas(PDF).explode(column, ignore_index=ignore_index)
    pd.testing.assert_frame_equal(got.to_pandas(), inferred(PDF.explode(column, ignore_index=ignore_index)))


def test_explode_series_and_dead_rows() -> None:
    for name in ("a", "b"):
        got = jf.from_pandas(PDF[name]).explode()
        pd.testing.assert_series_equal(got.to_pandas(), inferred(PDF[name].explode()))
    live = np.array([True, False, True, True, False])
    twin = frame_with_dead_rows(PDF, live)
    assert_one_answer(lambda d: d.explode("b"), twin, paths=("eager",))
    got = twin.ours.explode("a")  # the dead row holds the missing row: live rows have no null -> int64
    pd.testing.assert_frame_equal(got.to_pandas(), inferred(twin.theirs.explode("a")))
    assert str(got.dtypes["a"]) == "float64"  # an empty list is live, so pandas has NaN
    only_full = frame_with_dead_rows(PDF, [True, False, False, True, True])
    got = only_full.ours.explode("a")
    pd.testing.assert_frame_equal(got.to_pandas(), inferred(only_full.theirs.explode("a")))
    assert str(got.dtypes["a"]) == "int64"


def test_explode_arrow_lists_in_the_masked_twin() -> None:
    s = pd.Series([[1, 2], None, [], [3, None]], dtype=pd.ArrowDtype(pa.list_(pa.int64())), index=[5, 6, 7, 8])
    got = jf.from_pandas(s).explode()
    pd.testing.assert_series_equal(got.to_pandas(), s.explode().astype("Int64"))


def test_explode_of_scalar_columns_and_errors() -> None:
    assert_matches_pandas(lambda d: d.explode("c"), PDF[["c"]])
    assert_matches_pandas(lambda d: d.explode(["a", "c"]), PDF, raises=ValueError,
                          match="columns must have matching element counts")
    assert_matches_pandas(lambda d: d.explode(["a", "b"]), PDF.assign(b=PDF["b"].shift(1)),
                          raises=ValueError, match="columns must have matching element counts")
    assert_matches_pandas(lambda d: d.explode("zz"), PDF, raises=KeyError)


def test_explode_then_group_by_the_elements() -> None:
    """The usual pipeline: explode a tag column and count the tags."""
    tags = pd.DataFrame({"id": [1, 2, 3], "tags": ["a b", "b", None]})
    got = jf.from_pandas(tags).assign(tags=lambda d: d["tags"].str.split()).explode("tags").groupby("tags").size()
    want = tags.assign(tags=lambda d: d["tags"].str.split()).explode("tags").groupby("tags").size()
    pd.testing.assert_series_equal(got.to_pandas(), want)


def test_explode_inside_jit_refuses() -> None:
    import jax

    with pytest.raises(NotImplementedError, match="explode inside jax.jit"):
        jax.jit(lambda d: d.explode("a"))(jf.from_pandas(PDF))


def test_group_unique_helper_matches_series_groupby_unique() -> None:
    """The layer-3 helper SeriesGroupBy.unique can call: per group, the distinct values in
    order of first appearance (NaN once), as pandas' arrays (compared as lists)."""
    import jax.numpy as jnp

    from jaxframes.index import from_pandas as index_from_pandas
    from jaxframes.ops.lists import group_unique
    from jaxframes.table import new_series

    pdf = pd.DataFrame({"k": [2, 1, 2, 1, 3, 2, 1, 3], "v": [5.0, 3.0, 5.0, np.nan, 1.0, 4.0, np.nan, 1.0],
                        "s": ["b", "a", "c", "a", None, "b", "z", None], "i": [1, 1, 2, 3, 3, 2, 1, 9]})
    live = np.array([True, True, True, True, True, True, True, False])  # the dead row adds 9 to group 3
    ours = jf.from_pandas(pdf)._filter_rows(live)
    seen = pdf[live]
    codes, keys = pd.factorize(pdf["k"], sort=True)
    for name in ("v", "s", "i"):
        col = group_unique(ours._columns[name], jnp.asarray(codes), jnp.asarray(live), len(keys))
        got = new_series(col, index_from_pandas(pd.Index(keys, name="k"), None), None, name).to_pandas()
        pd.testing.assert_series_equal(got, seen.groupby("k")[name].unique())
