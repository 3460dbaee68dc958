"""DataFrame.asof against pandas: list and scalar ``where``, ``subset``, rows with nulls
skipped, before the first label, integer labels, unsorted index, filtered frames."""

import numpy as np
import pandas as pd

from jaxframes.testing import assert_matches_pandas, assert_same_result, frame_with_dead_rows

IDX = pd.to_datetime(["2020-01-01", "2020-01-03", "2020-01-05", "2020-01-07"])
PDF = pd.DataFrame({"a": [1.0, np.nan, 3, 4], "b": [1.0, 2, np.nan, 4]}, index=IDX)
WHERE = pd.to_datetime(["2019-12-31", "2020-01-02", "2020-01-05", "2020-01-06", "2020-01-09"])


def test_list_where_and_subset():
    for op in (lambda d: d.asof(WHERE), lambda d: d.asof(WHERE, subset="a"), lambda d: d.asof(WHERE, subset=["b"]),
               lambda d: d.asof(list(WHERE[1:]))):
        assert_matches_pandas(op, PDF)
    assert_matches_pandas(lambda d: d.asof([5, 15, 25, 35]), pd.DataFrame({"a": [1, 2, 3], "b": [1.0, np.nan, 3]},
                                                                        index=[10, 20, 30]))


def test_scalar_where():
    for where in ("2020-01-06", "2020-01-04", "2020-01-07"):
        assert_matches_pandas(lambda d: d.asof(pd.Timestamp(where)), PDF)
    assert_matches_pandas(lambda d: d.asof(pd.Timestamp("2020-01-04"), subset=["a"]), PDF)
    assert_matches_pandas(lambda d: d.asof(pd.Timestamp("2019-01-06")), PDF)  # before the first label: NaN


def test_errors():
    assert_matches_pandas(lambda d: d.asof(WHERE, subset=["zz"]), PDF, raises=KeyError, match="zz")
    assert_matches_pandas(lambda d: d.asof(WHERE), PDF.iloc[::-1], raises=ValueError, match="sorted index")


def test_dead_rows():
    data = pd.DataFrame({"a": [1.0, 9, 2, np.nan, 3], "b": [1.0, 9, 2, 7, 3]},
                        index=pd.to_datetime(["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04", "2020-01-05"]))
    twin = frame_with_dead_rows(data, [True, False, True, True, False])
    assert_same_result(twin.ours.asof(WHERE), twin.theirs.asof(WHERE))
