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


# -- a right side with unique live keys: the lookup (one build, one probe; no counts, no expansion)

def _lookup_found(left: pd.DataFrame, right: pd.DataFrame, how: str, on: str = "k") -> bool:
    from jaxframes.joins.indexers import lookup_indexers
    lf, rf = jf.from_pandas(left), jf.from_pandas(right)
    lw, rw = key_words([lf._columns[on]], [rf._columns[on]], lf._live(), rf._live())
    return lookup_indexers(lw, rw, lf._live(), rf._live(), how) is not None


@pytest.mark.parametrize("how", ["inner", "left", "right"])
def test_unique_right_keys_with_unmatched_left_rows(how):
    """Inner: the matched rows compacted (not in place); left: in place; right: the lookup
    built on the left side, found repeated (the general path)."""
    left, right = _left(), _right([3, 1, 7, 5, 40])
    assert _lookup_found(left, right, "inner") and _lookup_found(left, right, "left")
    assert not _lookup_found(right, left, "left")  # a right join looks up the left side's keys
    assert not _in_place(left, right, "inner")
    assert_one_answer(lambda a, b: a.merge(b, how=how, on="k"), (left, right), paths=PATHS)


def test_right_join_on_a_unique_left_side():
    left, right = _right([3, 1, 7, 5, 40]), _left()
    assert_one_answer(lambda a, b: a.merge(b, how="right", on="k"), (left, right), paths=PATHS)


@pytest.mark.parametrize("how", ["inner", "left"])
def test_lookup_with_dead_rows_on_both_sides(how):
    """Dead right rows may repeat a live key (not a repeat); dead left rows are never matched."""
    left, right = _left(120), _right([3, 1, 7, 5, 3, 9])
    live_r = np.array([True, True, True, True, False, True])
    live_l = np.ones(len(left), bool)
    live_l[::5] = False
    for lv in (live_l, np.arange(len(left)) < 100):  # dead rows in the middle / a dead tail
        assert_one_answer(lambda a, b: a.merge(b, how=how, on="k"),
                          (frame_with_dead_rows(left, lv), frame_with_dead_rows(right, live_r)), paths=("eager",))


@pytest.mark.parametrize("how", ["inner", "left"])
def test_lookup_with_null_keys(how):
    """pandas matches a null key with a null key: a unique null on the right is one partner."""
    left = pd.DataFrame({"k": pd.array([1, None, 3, 4, None, 2], dtype="Int64"), "v": np.arange(6.0)})
    right = pd.DataFrame({"k": pd.array([None, 2, 1, 9], dtype="Int64"), "w": [10, 20, 30, 40]})
    assert _lookup_found(left, right, how)
    assert_one_answer(lambda a, b: a.merge(b, how=how, on="k"), (left, right), paths=PATHS)


@pytest.mark.parametrize("how", ["inner", "left", "right"])
def test_raw_int64_keys_negative_and_wide(how):
    """One null-free int64 key: its bits are the words (a hash build for a wide range)."""
    rng = np.random.default_rng(3)
    keys = np.unique(rng.integers(-(2**62), 2**62, 60))
    left = pd.DataFrame({"k": np.concatenate([rng.choice(keys, 150), -keys[:20]]), "v": rng.random(170)})
    right = pd.DataFrame({"k": keys, "w": rng.integers(0, 9, keys.size), "u": rng.integers(0, 9, keys.size).astype(np.uint32),
                          "s": pd.Series(rng.choice(["p", "q"], keys.size), dtype="str")})
    assert_one_answer(lambda a, b: a.merge(b, how=how, on="k"), (left, right), paths=PATHS)


@pytest.mark.parametrize("how", ["inner", "left"])
def test_lookup_on_the_twin(how):
    from jaxframes.kernels import native
    left, right = _left(), _right([3, 1, 7, 5, 40])
    with native.disabled():
        assert_one_answer(lambda a, b: a.merge(b, how=how, on="k"), (left, right), paths=("eager",))


def test_unmatched_rows_fill_each_dtype_as_pandas():
    """Right columns of every kind gathered with a missing partner: ints and uints become
    float64 with NaN, floats NaN, strings/nullable/datetimes keep their dtype with NA/NaT."""
    right = pd.DataFrame({"k": [1, 2, 3], "i": [1, 2, 3], "u": np.array([4, 5, 6], np.uint64),
                          "f": np.array([0.5, 1.5, 2.5], np.float32), "s": pd.Series(["a", None, "c"], dtype="str"),
                          "n": pd.array([7, None, 9], dtype="Int64"),
                          "t": pd.to_datetime(["2020-01-01", None, "2021-06-01"])})
    left = pd.DataFrame({"k": [3, 9, 1, 2, 9], "v": np.arange(5.0)})
    assert_one_answer(lambda a, b: a.merge(b, how="left", on="k"), (left, right), paths=PATHS)
    assert_one_answer(lambda a, b: a.merge(b, how="left", on="k"), (left, right.iloc[:0]), paths=("eager",))
    with pytest.raises(NotImplementedError, match="bool column"):  # pandas: object dtype, which we cannot hold
        jf.from_pandas(left).merge(jf.from_pandas(right.assign(b=[True, False, True])), how="left", on="k")
