"""Joins whose output row i is left row i (every live left row makes one output row, the live
left rows are a prefix of the slots): the result keeps the left columns without a gather
(Indexers.left_identity). Same answers as pandas whether or not the shortcut applies."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.joins.indexers import join_indexers
from jaxframes.joins.keys import key_words
from jaxframes.testing import assert_one_answer, frame_with_dead_rows

PATHS = ("eager", "lazy")


def _left(n: int = 300, keys: int = 12, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"k": rng.integers(1, keys + 1, n), "s": pd.Series(rng.choice(["x", "y", "z"], n), dtype="str"),
                         "v": rng.random(n), "i": rng.integers(0, 9, n)})


def _right(keys: list, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"k": np.asarray(keys, dtype=np.int64), "w": rng.random(len(keys)),
                         "b": rng.integers(0, 5, len(keys))})


def _in_place(left: pd.DataFrame, right: pd.DataFrame, how: str) -> bool:
    lf, rf = jf.from_pandas(left), jf.from_pandas(right)
    lw, rw = key_words([lf._columns["k"]], [rf._columns["k"]], lf._live(), rf._live())
    return join_indexers(lw, rw, lf._live(), rf._live(), how, False).left_identity


@pytest.mark.parametrize("how", ["inner", "left"])
def test_every_left_row_matches_once(how):
    left, right = _left(), _right(list(range(12, 0, -1)))  # unique right keys, all present
    assert _in_place(left, right, how)
    assert_one_answer(lambda a, b: a.merge(b, how=how, on="k"), (left, right), paths=PATHS)


def test_left_join_with_unmatched_rows_stays_in_place():
    left, right = _left(), _right([3, 1, 7, 5])  # unique right keys, most left rows unmatched
    assert _in_place(left, right, "left")
    assert_one_answer(lambda a, b: a.merge(b, how="left", on="k"), (left, right), paths=PATHS)


@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
def test_cases_that_need_the_expansion(how):
    left, right = _left(), _right([3, 1, 3, 7, 5])  # key 3 twice: two rows for some left rows
    assert not _in_place(left, right, "left")
    assert not _in_place(left, _right([3, 1, 7]), "inner")  # inner with unmatched left rows
    assert_one_answer(lambda a, b: a.merge(b, how=how, on="k"), (left, right), paths=PATHS)
    assert_one_answer(lambda a, b: a.merge(b, how=how, on="k"), (left, _right([3, 1, 7])), paths=PATHS)


def test_filtered_left_frame():
    """Dead left rows in the middle: not a prefix, so the expansion path (same answer)."""
    left, right = _left(80), _right(list(range(1, 13)))
    live = np.ones(len(left), bool)
    live[::4] = False
    assert_one_answer(lambda a, b: a.merge(b, how="left", on="k"),
                      (frame_with_dead_rows(left, live), right), paths=("eager",))


def test_right_join_and_indicator_and_index_keys():
    left, right = _left(), _right(list(range(1, 13)))
    assert_one_answer(lambda a, b: b.merge(a, how="right", on="k"), (left, right), paths=("eager",))
    assert_one_answer(lambda a, b: a.merge(b, how="left", on="k", indicator=True), (left, right),
                      paths=("eager",))
    assert_one_answer(lambda a, b: a.merge(b.set_index("k"), how="left", left_on="k", right_index=True),
                      (left, right), paths=("eager",))


def test_empty_sides():
    left, right = _left(), _right(list(range(1, 13)))
    assert_one_answer(lambda a, b: a.merge(b, how="left", on="k"), (left.iloc[:0], right), paths=("eager",))
    assert_one_answer(lambda a, b: a.merge(b, how="left", on="k"), (left, right.iloc[:0]), paths=("eager",))
