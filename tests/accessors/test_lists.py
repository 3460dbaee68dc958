"""List accessors (accessors/lists.py): ``s.str.split()`` giving list columns, ``s.str`` on
object lists, ``s.list`` on Arrow lists, against pandas. Element results of object lists are
compared with pandas' answer in the dtype JaxFrames documents (ops/lists.py): strings keep the
source's string dtype, numbers what ``infer_objects`` gives; Arrow results in the masked twin."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_one_answer, frame_with_dead_rows

WORDS = pd.Series(["a b c", None, "d", "", "a b c", "e  f"], index=[3, 1, 2, 5, 0, 4])
LIVE = np.array([True, False, True, True, False, True])


@pytest.mark.parametrize("dtype", ["str", "string"])
@pytest.mark.parametrize("split", [lambda s: s.str.split(), lambda s: s.str.split(" "),
                                   lambda s: s.str.split(n=1), lambda s: s.str.rsplit(n=1),
                                   lambda s: s.str.rsplit(" ", n=-1)])
def test_split_gives_pandas_lists(dtype, split) -> None:
    s = WORDS.astype(dtype)
    assert_matches_pandas(split, s)
    twin = frame_with_dead_rows(s.to_frame("w"), LIVE)
    assert_one_answer(lambda d: split(d["w"]), twin, paths=("eager",))


def test_split_expand_keeps_its_frame() -> None:
    assert_matches_pandas(lambda s: s.str.split(expand=True), WORDS)


@pytest.mark.parametrize("dtype", ["str", "string"])
def test_str_methods_on_split_lists(dtype) -> None:
    s = WORDS.astype(dtype)
    ours = jf.from_pandas(s).str.split()
    lists = s.str.split()
    for pick in (lambda x: x.str[0], lambda x: x.str[-1], lambda x: x.str.get(1), lambda x: x.str.get(-3)):
        pd.testing.assert_series_equal(pick(ours).to_pandas(), pick(lists).astype(dtype))
    for pick in (lambda x: x.str[0:2], lambda x: x.str[-2:], lambda x: x.str[1:]):
        pd.testing.assert_series_equal(pick(ours).to_pandas(), pick(lists))
    length = lists.str.len()
    pd.testing.assert_series_equal(ours.str.len().to_pandas(), length.astype("Int64") if dtype == "string" else length)
    joined = lists.str.join("-")
    pd.testing.assert_series_equal(ours.str.join("-").to_pandas(), joined.astype(dtype))


def test_str_len_and_get_decided_on_live_rows() -> None:
    s = pd.Series([[1, 2], None, [3], [4, 5, 6]])
    only_lists = frame_with_dead_rows(s.to_frame("l"), [True, False, True, True])
    assert_one_answer(lambda d: d["l"].str.len(), only_lists, paths=("eager",))  # int64: the None is dead
    with_none = frame_with_dead_rows(s.to_frame("l"), [True, True, True, False])
    assert_one_answer(lambda d: d["l"].str.len(), with_none, paths=("eager",))  # float64
    for pick in (lambda x: x.str[0], lambda x: x.str[1], lambda x: x.str.get(-1)):
        got = pick(jf.from_pandas(s)).to_pandas()
        pd.testing.assert_series_equal(got, pick(s).infer_objects())
    full = pd.Series([[1, 2], [3, 4]])
    pd.testing.assert_series_equal(jf.from_pandas(full).str[1].to_pandas(), full.str[1])


def test_str_on_lists_refuses_string_methods() -> None:
    with pytest.raises(NotImplementedError, match="Series.str.upper on a list column"):
        jf.from_pandas(WORDS).str.split().str.upper()


ARROW = pd.Series([[1, 2], None, [], [3, None, 5]], dtype=pd.ArrowDtype(pa.list_(pa.int64())), index=[5, 6, 7, 8])
ARROW_STR = pd.Series([["a"], ["b", None], None, ["c", "d"]], dtype=pd.ArrowDtype(pa.list_(pa.string())))


def test_list_accessor_len_slice_flatten() -> None:
    for s in (ARROW, ARROW_STR):
        ours = jf.from_pandas(s)
        pd.testing.assert_series_equal(ours.list.len().to_pandas(), s.list.len().astype("Int32"))
        for key in (slice(0, 2), slice(1, None), slice(None, 1), slice(5, 9)):
            pd.testing.assert_series_equal(ours.list[key].to_pandas(), s.list[key])
        twin = masked = s.list.flatten()
        masked = twin.astype("Int64") if s is ARROW else twin.astype("string")
        pd.testing.assert_series_equal(ours.list.flatten().to_pandas(), masked)


def test_list_accessor_element() -> None:
    full = ARROW[ARROW.list.len() > 1]
    ours = jf.from_pandas(ARROW)
    live = ours[ours.list.len() > 1]  # the short rows are dead: they must not raise
    for i in (0, 1):
        pd.testing.assert_series_equal(live.list[i].to_pandas(), full.list[i].astype("Int64"))
    assert_matches_pandas(lambda s: s.list[0], ARROW, raises=pa.ArrowInvalid, match="Index 0 is out of bounds")
    assert_matches_pandas(lambda s: s.list[-1], ARROW, raises=IndexError, match="list index -1 out of range")


def test_list_accessor_only_on_arrow_lists() -> None:
    assert_matches_pandas(lambda s: s.list, pd.Series([[1], [2, 3]]), raises=AttributeError,
                          match="'.list' accessor with 'list\\[pyarrow\\]' dtype")
    assert_matches_pandas(lambda s: s.str, ARROW, raises=AttributeError, match="Can only use .str accessor")
