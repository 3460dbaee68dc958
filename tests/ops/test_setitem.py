"""``obj.loc/iloc/at/iat.set(key, value)`` and ``Series.set``: pandas' item assignment as a new
object. Each case is pandas' ``obj.<indexer>[key] = value`` on a copy: the same values, dtype
changes (int set to None -> float64, except through a slice over the whole column), and errors
(pandas' TypeError for a value the dtype cannot hold)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows

FRAME = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1.0, 2.0, np.nan, 4.0], "c": ["w", "x", None, "z"]},
                     index=[10, 20, 30, 40])
SERIES = pd.Series([1, 2, 3, 4], index=list("pqrs"), name="v")


def _set(how, key, value):
    """pandas: ``obj.<how>[key] = value`` on a copy; JaxFrames: ``obj.<how>.set(key, value)``
    (``how=None``: ``s[key] = value`` / ``s.set(key, value)``)."""
    def op(obj):
        if isinstance(obj, (pd.DataFrame, pd.Series)):
            obj = obj.copy()
            target = obj if how is None else getattr(obj, how)
            target[key] = value
            return obj
        return obj.set(key, value) if how is None else getattr(obj, how).set(key, value)
    return op


FRAME_CASES = [
    ("loc", (20, "a"), 7),
    ("loc", (20, "a"), 1.0),                               # integral float: stays int64
    ("loc", (20, "a"), None),                              # one cell: int64 -> float64
    ("loc", ([10, 40], "c"), "q"),
    ("loc", (lambda d: d["a"] > 2, ["a", "b"]), 0),        # boolean mask rows, two columns
    ("loc", (slice(20, 30), "b"), [5.0, 6.0]),             # label slice, inclusive
    ("loc", 30, [9, 9.5, "r"]),                            # a row: one value per column
    ("loc", (slice(None), "b"), pd.Series([8.0, 9.0], index=[40, 10])),  # aligned by label, rest NaN
    ("iloc", (slice(None), 0), pd.Series([5, 6, 7, 8], index=[40, 30, 20, 10])),  # by position
    ("iloc", ([3, 0, 3], 1), [1.5, 2.5, 3.5]),             # a repeated position keeps its last value
    ("iloc", (slice(1, 3), [0, 1]), np.array([[7, 7.5], [8, 8.5]])),
    ("at", (40, "c"), None),
    ("iat", (0, 1), -1.0),
    ("loc", (slice(None), "d"), pd.Series([1.5, 2.5], index=[40, 10])),  # a new column, aligned
]


@pytest.mark.parametrize("how,key,value", FRAME_CASES, ids=[f"{c[0]}{i}" for i, c in enumerate(FRAME_CASES)])
def test_frame_set_matches_pandas(how, key, value):
    assert_matches_pandas(_set(how, key, value), FRAME)


@pytest.mark.parametrize("how,key,value,match", [
    ("loc", (20, "a"), 1.5, "Invalid value '1.5' for dtype 'int64'"),
    ("loc", (slice(None), "a"), None, "Invalid value 'None' for dtype 'int64'"),  # whole column: in place
    ("iloc", (0, 2), 1, "Invalid value '1' for dtype 'str'"),
    ("loc", ([10, 20], "a"), [1.0, 2.0], r"Invalid value '\[1.0, 2.0\]' for dtype 'int64'"),
])
def test_frame_set_refuses_what_pandas_refuses(how, key, value, match):
    assert_matches_pandas(_set(how, key, value), FRAME, raises=TypeError, match=match)


def test_length_mismatch_is_pandas_value_error():
    assert_matches_pandas(_set("loc", ([10, 20], "b"), [1.0, 2.0, 3.0]), FRAME, raises=ValueError,
                          match="Must have equal len keys and value when setting with an iterable")


SERIES_CASES = [
    (None, "q", 9),
    (None, lambda s: s > 2, None),                         # mask: int64 -> float64
    (None, slice(0, 2), 7),                                # integer slice: positions
    ("loc", ["s", "p"], pd.Series([5, 6], index=["p", "s"])),  # aligned by label
    ("iloc", [2, 0], [30, 10]),
]


@pytest.mark.parametrize("how,key,value", SERIES_CASES, ids=[f"{c[0]}{i}" for i, c in enumerate(SERIES_CASES)])
def test_series_set_matches_pandas(how, key, value):
    assert_matches_pandas(_set(how, key, value), SERIES)


@pytest.mark.parametrize("data,key,value", [
    (pd.Series(pd.to_datetime(["2020-01-01", "2021-06-01"])), 0, None),
    (pd.Series([1, None, 3], dtype="Int64"), 2, None),
    (pd.Series(["a", "b", "a"], dtype="category"), 1, "a"),
    (pd.Series([True, False]), 0, False),
], ids=["datetime-NaT", "Int64-NA", "category", "bool"])
def test_series_set_other_dtypes(data, key, value):
    assert_matches_pandas(_set("loc", key, value), data)


@pytest.mark.parametrize("data,value,match", [
    (pd.Series(["a", "b"], dtype="category"), "z", "Cannot setitem on a Categorical with a new category"),
    (pd.Series([True, False]), 1, "Invalid value '1' for dtype 'bool'"),
], ids=["category-new", "bool-int"])
def test_series_set_refusals(data, value, match):
    assert_matches_pandas(_set("iloc", 0, value), data, raises=TypeError, match=match)


def test_dead_rows_decide_nothing():
    """Dead rows hold the label 20 and a physical position before the live ones: neither may be
    set, and the positions count live rows."""
    data = pd.DataFrame({"a": [1, 2, 3, 4], "b": [0.5, 1.5, 2.5, 3.5]}, index=[20, 20, 30, 40])
    twin = frame_with_dead_rows(data, [False, True, True, False])
    assert_one_answer(_set("loc", (20, "a"), 0), twin, paths=("eager",))
    assert_one_answer(_set("iloc", (1, 1), None), twin, paths=("eager",))
    assert_one_answer(_set("loc", (lambda d: d["a"] > 0, "b"), 9.0), twin, paths=("eager",))


def test_enlargement_and_assignment_are_refused_by_name():
    df = jf.from_pandas(FRAME)
    with pytest.raises(NotImplementedError, match="row label that is not in the index through .loc"):
        df.loc.set(50, 1)
    with pytest.raises(NotImplementedError, match="column label that is not in the frame through .loc"):
        df.loc.set((slice(0, 1), "d"), 1)
    with pytest.raises(NotImplementedError, match="pandas makes it object dtype"):
        df.loc.set((slice(None), "d"), None)
    with pytest.raises(jf.ImmutableFrameError, match=r"obj = obj.loc.set\(key, value\)"):
        df.loc[10, "a"] = 1
    s = jf.from_pandas(SERIES)
    with pytest.raises(NotImplementedError, match="pandas sets it by position"):
        s.set(["p", "q"], pd.Series([1, 2]))
    assert_matches_pandas(_set("iloc", 9, 1), SERIES, raises=IndexError, match="iloc cannot enlarge its target object")


def test_one_column_list_key_takes_one_value_per_row():
    assert_matches_pandas(_set("iloc", ([0, 1, 2], [1]), [5.0, 6.0, 7.0]), FRAME)


def test_one_cell_list_value_is_pandas():
    s = jf.from_pandas(SERIES)
    with pytest.raises(NotImplementedError, match="list-like value into one cell"):
        s.set("p", (0.0,))


def test_values_broadcast_over_rows_and_columns_as_numpy():
    data = pd.DataFrame(np.arange(12, dtype="i8").reshape(4, 3), columns=list("abc"))
    assert_matches_pandas(_set("iloc", ([2, 0], slice(None, None, -1)), np.array([100, 101, 102])), data)
    assert_matches_pandas(_set("iloc", (slice(0, 2), [0, 2]), np.array([[7], [8]])), data)


def test_an_empty_boolean_selection_changes_nothing_through_s_key():
    """pandas: ``s[mask] = v`` with no row selected is a no-op (no check, no upcast), where
    ``s.loc[mask] = v`` checks the value."""
    assert_matches_pandas(_set(None, lambda s: s > 10, None), SERIES)
    assert_matches_pandas(_set("loc", lambda s: s > 10, 1.5), SERIES, raises=TypeError,
                          match="Invalid value '1.5' for dtype 'int64'")
