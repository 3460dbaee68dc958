"""DataFrame.iloc / .loc / df[slice] against pandas: positions, slices, lists, boolean masks,
(rows, cols) tuples, labels on default, string and shuffled-int indexes, filtered frames."""

import jax
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jaxframes as jf
from frames import DTYPES, NULLS, SIZES, make_frame
from jaxframes.testing import assert_frame_equal, assert_matches_pandas
from refusals import iloc_refusal, loc_refusal
from strategies import frames

NUMERIC = ["int64", "float64", "Float64"]


def _mask(n: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).random(n) < 0.6


def _with_index(pdf: pd.DataFrame, kind: str) -> pd.DataFrame:
    n = len(pdf)
    if kind == "str":
        return pdf.set_axis([f"r{i:04d}" for i in range(n)], axis=0)
    if kind == "shuffled":
        return pdf.set_axis(np.random.default_rng(3).permutation(n) * 10, axis=0)
    return pdf


ILOC_ROW_KEYS = [
    slice(None), slice(1, 5), slice(None, None, 2), slice(None, None, -1), slice(-3, None),
    slice(5, 1, -2), slice(100, 200), slice(-100, 3), [0], [2, 0, 1], [-1, 0], [], np.array([1, 1, 0]),
]


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("nulls", NULLS)
@pytest.mark.parametrize("key", ILOC_ROW_KEYS, ids=repr)
def test_iloc_rows(n, nulls, key):
    assert_matches_pandas(lambda d: d.iloc[key], make_frame(n=n, nulls=nulls), raises=iloc_refusal(key, n))


@pytest.mark.parametrize("n", [1, 7, 1000])
@pytest.mark.parametrize("key", ILOC_ROW_KEYS, ids=repr)
def test_iloc_rows_of_filtered_frame(n, key):
    pdf = make_frame(n=n, nulls="some")
    mask = _mask(n)
    assert_matches_pandas(lambda d: d[mask].iloc[key], pdf, raises=iloc_refusal(key, int(mask.sum())))


@pytest.mark.parametrize("n", [0, 1, 7])
@pytest.mark.parametrize("pos", [0, 3, -1, -7, 7, -8])
def test_iloc_scalar_row_is_a_series(n, pos):
    pdf = make_frame(NUMERIC, n=n, nulls="some")
    assert_matches_pandas(lambda d: d.iloc[pos], pdf, raises=iloc_refusal(pos, n))
    assert_matches_pandas(lambda d: d[["c0", "c1"]].iloc[pos], pdf,  # int64 + float64 -> float64
                          raises=iloc_refusal(pos, n))


@pytest.mark.parametrize("dtype", DTYPES)
def test_iloc_row_of_one_dtype(dtype):
    pdf = make_frame([dtype, dtype], n=7, nulls="some")
    assert_matches_pandas(lambda d: d.iloc[3], pdf)
    assert_matches_pandas(lambda d: d[_mask(7)].iloc[-1], pdf)


def test_iloc_row_of_mixed_dtypes_refuses():
    df = jf.from_pandas(make_frame(["int64", "str"], n=3))
    with pytest.raises(NotImplementedError, match="mixed dtypes"):
        df.iloc[0]


@pytest.mark.parametrize("nulls", NULLS)
@pytest.mark.parametrize("key", [
    (1, 2), (-1, 0), (0, -1), (slice(None), [0, 2]), (slice(1, 4), slice(None, None, -1)), ([3, 1], 4),
    (2, [2, 1]), (slice(None), 5), (np.array([True, False, True, False, True, False, True]), [0, 7]),
    (slice(None), [True] * 5 + [False] * 6), (7, 0), (0, 11), (1, 2, 3), ([0, 9], 1),
], ids=repr)
def test_iloc_tuples(nulls, key):
    pdf = make_frame(n=7, nulls=nulls)
    if len(key) > 2:
        raises = pd.errors.IndexingError  # too many indexers
    else:
        raises = iloc_refusal(key[0], len(pdf)) or iloc_refusal(key[1], len(pdf.columns))
    assert_matches_pandas(lambda d: d.iloc[key], pdf, raises=raises)


@pytest.mark.parametrize("key,raises", [
    ([True, False], IndexError), (np.ones(3, bool), IndexError), ("a", TypeError), (1.5, TypeError),
    ([0.5], None), (slice(1.0, 2), TypeError), (slice("a", None), TypeError), ([0, 100], IndexError),
    (100, IndexError), (-100, IndexError),
], ids=repr)
def test_iloc_bad_keys_raise_like_pandas(key, raises):
    assert_matches_pandas(lambda d: d.iloc[key], make_frame(n=7), raises=raises)


def test_iloc_boolean_masks():
    pdf = make_frame(n=7, nulls="some")
    mask = _mask(7)
    assert_matches_pandas(lambda d: d.iloc[mask], pdf)
    assert_matches_pandas(lambda d: d.iloc[list(mask)], pdf)
    assert_matches_pandas(lambda d: d[mask].iloc[mask[mask]], pdf)
    df = jf.from_pandas(pdf)
    assert_frame_equal(df.iloc[jax.numpy.asarray(mask)], pdf.iloc[mask])
    assert_frame_equal(df.iloc[df["c0"]], pdf.iloc[pdf["c0"].to_numpy()])


def test_iloc_callable():
    assert_matches_pandas(lambda d: d.iloc[lambda x: [0, 2]], make_frame(n=7))


@pytest.mark.parametrize("index", ["range", "str", "shuffled"])
@pytest.mark.parametrize("key", [slice(1, 3), slice(None, None, 3), slice(-2, None)], ids=repr)
def test_getitem_slice_is_positional(index, key):
    pdf = _with_index(make_frame(n=7, nulls="some"), index)
    assert_matches_pandas(lambda d: d[key], pdf)
    assert_matches_pandas(lambda d: d[_mask(7)][key], pdf)


def test_getitem_label_slice_on_string_index():
    pdf = _with_index(make_frame(n=7), "str")
    assert_matches_pandas(lambda d: d["r0002":"r0004"], pdf)
    assert_matches_pandas(lambda d: d.loc["r0002":"r0004"], pdf)
    pdf_f = make_frame(n=7).set_axis(np.arange(7) * 0.5, axis=0)
    assert_matches_pandas(lambda d: d[1:2], pdf_f)  # int bounds on a float index: positional
    assert_matches_pandas(lambda d: d[1.0:2.0], pdf_f)  # float bounds: labels


LOC_KEYS = {
    "range": [3, -1, 7, slice(2, 4), slice(None, 3), slice(5, None), slice(4, 2), [0, 6, 2], [1, 99], [98, 99], []],
    "str": ["r0003", "zz", slice("r0002", "r0004"), slice("r0001", None, 2), ["r0006", "r0000"], ["r0001", "x"]],
    "shuffled": [30, 35, slice(30, 10), [60, 0], [0, 11]],
}


@pytest.mark.parametrize("index,key", [(i, k) for i, keys in LOC_KEYS.items() for k in keys], ids=repr)
def test_loc_rows(index, key):
    # a scalar label gives a row Series: keep the columns of one kind so pandas' dtype is not object
    dtypes = NUMERIC if np.ndim(key) == 0 and not isinstance(key, slice) else DTYPES
    pdf = _with_index(make_frame(dtypes, n=7, nulls="some"), index)
    assert_matches_pandas(lambda d: d.loc[key], pdf, raises=loc_refusal(pdf.index, key))
    assert_matches_pandas(lambda d: d[["c1", "c2"]].loc[key], pdf, raises=loc_refusal(pdf.index, key))


@pytest.mark.parametrize("index,key", [(i, k) for i, keys in LOC_KEYS.items() for k in keys], ids=repr)
def test_loc_rows_of_filtered_frame(index, key):
    dtypes = NUMERIC if np.ndim(key) == 0 and not isinstance(key, slice) else DTYPES
    pdf = _with_index(make_frame(dtypes, n=7, nulls="some"), index)
    mask = _mask(7)
    assert_matches_pandas(lambda d: d[mask].loc[key], pdf, raises=loc_refusal(pdf.index[mask], key))


def test_loc_sorted_int_index_slice_between_labels():
    pdf = make_frame(n=7).set_axis([0, 10, 20, 30, 40, 50, 60], axis=0)
    assert_matches_pandas(lambda d: d.loc[15:45], pdf)
    assert_matches_pandas(lambda d: d.loc[15:45:2], pdf)


def test_loc_duplicate_labels_return_frames():
    pdf = make_frame(n=7).set_axis(list("aabbbcd"), axis=0)
    assert_matches_pandas(lambda d: d.loc["b"], pdf)
    assert_matches_pandas(lambda d: d.loc[["a", "d"]], pdf)
    assert_matches_pandas(lambda d: d.loc["c", "c2"], pdf)


@pytest.mark.parametrize("key", [
    (3, "c2"), (slice(1, 4), "c5"), ([0, 2], ["c1", "c0"]), (slice(None), slice("c2", "c4")), (2, ["c1", "c2"]),
    (slice(None), "zz"), (slice(None), ["c1", "zz"]), (slice(None), [True] * 5 + [False] * 6),
    (lambda d: d.index > 2, lambda d: ["c3"]), (99, "c1"), (1, 2, 3),
], ids=lambda key: "callables" if callable(key[0]) else repr(key))
def test_loc_tuples(key):
    pdf = make_frame(n=7, nulls="some")
    if len(key) > 2:
        raises = pd.errors.IndexingError  # too many indexers
    elif callable(key[0]):
        raises = None
    else:
        raises = loc_refusal(pdf.index, key[0]) or (None if isinstance(key[1], list) and isinstance(key[1][0], bool)
                                                     else loc_refusal(pdf.columns, key[1]))
    assert_matches_pandas(lambda d: d.loc[key], pdf, raises=raises)


def test_loc_boolean_masks_and_callables():
    pdf = make_frame(n=7, nulls="some")
    mask = _mask(7)
    assert_matches_pandas(lambda d: d.loc[mask], pdf)
    assert_matches_pandas(lambda d: d.loc[list(mask)], pdf)
    assert_matches_pandas(lambda d: d.loc[mask[:3]], pdf, raises=IndexError)  # wrong length
    assert_matches_pandas(lambda d: d.loc[d["c0"]], pdf)
    assert_matches_pandas(lambda d: d.loc[d["c0"], "c2"], pdf)
    assert_matches_pandas(lambda d: d[mask].loc[d["c0"]], pdf)
    assert_matches_pandas(lambda d: d.loc[lambda x: x["c0"]], pdf)
    assert_matches_pandas(lambda d: d[lambda x: x["c0"]], pdf)
    assert_matches_pandas(lambda d: d.loc[pd.Series(mask)], pdf)


def test_assignment_through_indexers_is_rejected():
    df = jf.from_pandas(make_frame(n=7))
    for setter in (lambda: df.loc.__setitem__(0, 1), lambda: df.iloc.__setitem__((0, 1), 1),
                   lambda: df["c0"].loc.__setitem__(0, True), lambda: df["c0"].iloc.__setitem__(0, True)):
        with pytest.raises(jf.ImmutableFrameError, match="immutable"):
            setter()


def test_iloc_under_jit_static_slice_and_traced_positions():
    pdf = make_frame(NUMERIC, n=7, nulls="some")
    df = jf.from_pandas(pdf)
    assert_frame_equal(jax.jit(lambda d: d.iloc[1:5:2])(df), pdf.iloc[1:5:2])
    pos = jax.numpy.asarray([4, -1, 0])
    assert_frame_equal(jax.jit(lambda d, p: d.iloc[p])(df, pos), pdf.iloc[[4, -1, 0]])
    mask = _mask(7)
    got = jax.jit(lambda d, m: d[m].iloc[1:3])(df, jax.numpy.asarray(mask))
    assert_frame_equal(got, pdf[mask].iloc[1:3])
    got = jax.jit(lambda d, m: d[m].iloc[-2:])(df, jax.numpy.asarray(mask))
    assert_frame_equal(got, pdf[mask].iloc[-2:])


@given(frames(min_size=0, max_size=25), st.data())
def test_iloc_property_random_slices_and_positions(pdf, data):
    n = len(pdf)
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    bound = st.one_of(st.none(), st.integers(-30, 30))
    key = slice(data.draw(bound), data.draw(bound), data.draw(st.one_of(st.none(), st.integers(-4, 4).filter(bool))))
    assert_matches_pandas(lambda d: d.iloc[key], pdf)
    assert_matches_pandas(lambda d: d[mask].iloc[key], pdf)
    positions = data.draw(st.lists(st.integers(-30, 30), max_size=6))
    live = int(mask.sum())
    assert_matches_pandas(lambda d: d.iloc[positions], pdf, raises=iloc_refusal(positions, n))
    assert_matches_pandas(lambda d: d[mask].iloc[positions], pdf, raises=iloc_refusal(positions, live))
    assert_matches_pandas(lambda d: d[mask].iloc[positions[:1], :1] if positions else d.iloc[:0], pdf,
                          raises=iloc_refusal(positions[:1], live))


@given(frames(min_size=1, max_size=20), st.data())
def test_loc_property_shuffled_int_labels(pdf, data):
    n = len(pdf)
    pdf = pdf.set_axis(np.random.default_rng(n).permutation(n) * 2, axis=0)
    labels = data.draw(st.lists(st.integers(0, 2 * n), max_size=5))
    assert_matches_pandas(lambda d: d.loc[labels], pdf, raises=loc_refusal(pdf.index, labels))
    one_kind = pdf[[c for c in pdf.columns if pdf[c].dtype == pdf["c0"].dtype]]
    first = labels[0] if labels else 0
    assert_matches_pandas(lambda d: d.loc[first], one_kind, raises=loc_refusal(pdf.index, first))
