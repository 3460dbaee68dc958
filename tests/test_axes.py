"""pandas' ``axis=`` argument read one way (jaxframes.axes): the rows, the columns, and pandas'
ValueError for an axis the object does not have, across the methods that share the reading."""

import numpy as np
import pandas as pd
import pytest

from jaxframes.axes import axis_number
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows

PDF = pd.DataFrame({"a": [1.0, np.nan, 3.0], "b": [4, 5, 6]}, index=[10, 20, 30])
DEAD = frame_with_dead_rows(PDF, [True, False, True])

FRAME_CALLS = {
    "dropna": lambda d, ax: d.dropna(axis=ax),
    "take": lambda d, ax: d.take([0], axis=ax),
    "rank": lambda d, ax: d.rank(axis=ax),
    "set_axis": lambda d, ax: d.set_axis(["x", "y"], axis=ax),
    "squeeze": lambda d, ax: d.squeeze(axis=ax),
    "truncate": lambda d, ax: d.truncate(axis=ax),
    "drop": lambda d, ax: d.drop("a", axis=ax),
    "filter": lambda d, ax: d.filter(items=["a"], axis=ax),
    "rename_axis": lambda d, ax: d.rename_axis("n", axis=ax),
    "xs": lambda d, ax: d.xs(10, axis=ax),
    "add_prefix": lambda d, ax: d.add_prefix("p_", axis=ax),
}
SERIES_CALLS = {
    "dropna": lambda s, ax: s.dropna(axis=ax),
    "rank": lambda s, ax: s.rank(axis=ax),
    "take": lambda s, ax: s.take([0], axis=ax),
    "sum": lambda s, ax: s.sum(axis=ax),
    "agg": lambda s, ax: s.agg("sum", axis=ax),
    "drop": lambda s, ax: s.drop(10, axis=ax),
}


@pytest.mark.parametrize("name", sorted(FRAME_CALLS))
@pytest.mark.parametrize("axis", [2, "nope"])
def test_frame_bad_axis_raises_pandas_error(name, axis):
    assert_matches_pandas(lambda d: FRAME_CALLS[name](d, axis), PDF, raises=ValueError,
                          match=f"No axis named {axis} for object type DataFrame")


@pytest.mark.parametrize("name", sorted(SERIES_CALLS))
@pytest.mark.parametrize("axis", [1, "columns"])
def test_series_column_axis_raises_pandas_error(name, axis):
    assert_matches_pandas(lambda s: SERIES_CALLS[name](s, axis), PDF["a"], raises=ValueError,
                          match=f"No axis named {axis} for object type Series")


@pytest.mark.parametrize("name", ["dropna", "take", "set_axis", "drop", "filter", "rename_axis", "add_prefix"])
@pytest.mark.parametrize("axis", [0, "index", 1, "columns"])
def test_frame_named_axes_agree_with_pandas(name, axis):
    if name == "drop" and axis in (0, "index"):
        call = lambda d: d.drop(20, axis=axis)  # noqa: E731 (a row label to drop)
    elif name == "set_axis" and axis in (0, "index"):
        call = lambda d: d.set_axis(["x", "y", "z"], axis=axis)  # noqa: E731
    else:
        call = lambda d: FRAME_CALLS[name](d, axis)  # noqa: E731
    assert_matches_pandas(call, PDF)
    if name in ("dropna", "take", "filter", "add_prefix"):
        assert_one_answer(call, DEAD, paths=("eager",))


@pytest.mark.parametrize("axis", [0, 1])
def test_series_repeat_takes_no_axis(axis):
    assert_matches_pandas(lambda s: s.repeat(2, axis=axis), PDF["a"], raises=ValueError,
                          match="the 'axis' parameter is not supported")


def test_axis_number_reads_pandas_spellings():
    assert [axis_number(a) for a in (0, "index", "rows", None, 1, "columns")] == [0, 0, 0, 0, 1, 1]
    assert axis_number(None, default=1) == 1
    with pytest.raises(ValueError, match="No axis named None for object type Series"):
        axis_number(None, "Series", default=None)
    with pytest.raises(ValueError, match=r"No axis named \[0\] for object type DataFrame"):
        axis_number([0])
