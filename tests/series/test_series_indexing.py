"""Series.iloc / .loc / s[key] against pandas: scalars of every dtype (NA, NaN, NaT), slices,
lists, boolean masks, labels on default, string and shuffled-int indexes, filtered Series."""

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jaxframes as jf
from frames import DTYPES, NULLS, SIZES, make_column
from jaxframes.testing import assert_matches_pandas, assert_same_result
from refusals import iloc_refusal, loc_refusal
from strategies import series


def _mask(n: int, seed: int = 1) -> np.ndarray:
    return np.random.default_rng(seed).random(n) < 0.6


def _labelled(s: pd.Series, kind: str) -> pd.Series:
    n = len(s)
    if kind == "str":
        return s.set_axis([f"r{i:04d}" for i in range(n)])
    if kind == "shuffled":
        return s.set_axis(np.random.default_rng(3).permutation(n) * 10)
    return s


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("nulls", NULLS)
@pytest.mark.parametrize("pos", [0, 3, -1, 6, 7, -8])
def test_iloc_scalar(dtype, nulls, pos):
    s = make_column(dtype, 7, nulls).rename("x")
    assert_matches_pandas(lambda d: d.iloc[pos], s, raises=iloc_refusal(pos, 7))
    assert_matches_pandas(lambda d: d[_mask(7)].iloc[pos], s, raises=iloc_refusal(pos, int(_mask(7).sum())))


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("key", [slice(1, 5), slice(None, None, -3), slice(-4, None, 2), [2, 0, -1], []], ids=repr)
def test_iloc_slices_and_lists(n, dtype, key):
    s = make_column(dtype, n, "some")
    if isinstance(key, list) and n < 3:
        key = key[:0]
    assert_matches_pandas(lambda d: d.iloc[key], s)
    assert_matches_pandas(lambda d: d[_mask(n)].iloc[key], s)


@pytest.mark.parametrize("index", ["range", "str", "shuffled"])
@pytest.mark.parametrize("key", [slice(1, 3), slice(None, None, 2), slice(-2, None)], ids=repr)
def test_getitem_slice_is_positional(index, key):
    s = _labelled(make_column("float64", 7, "some"), index)
    assert_matches_pandas(lambda d: d[key], s)
    assert_matches_pandas(lambda d: d[_mask(7)][key], s)


LOC_KEYS = {
    "range": [3, 7, -1, slice(2, 4), slice(5, None), [0, 6, 2], [1, 99], []],
    "str": ["r0003", "zz", 0, slice("r0002", "r0004"), slice("r0005", "r0001", -2), ["r0006", "r0000"], ["x"]],
    "shuffled": [30, 35, slice(30, 10), [60, 0], [0, 11]],
}


@pytest.mark.parametrize("dtype", ["int64", "str", "Float64", "datetime64[ns]"])
@pytest.mark.parametrize("index,key", [(i, k) for i, keys in LOC_KEYS.items() for k in keys], ids=repr)
def test_loc_and_getitem_labels(dtype, index, key):
    s = _labelled(make_column(dtype, 7, "some"), index)
    assert_matches_pandas(lambda d: d.loc[key], s, raises=loc_refusal(s.index, key))
    if not isinstance(key, slice):
        assert_matches_pandas(lambda d: d[key], s, raises=loc_refusal(s.index, key))
    assert_matches_pandas(lambda d: d[_mask(7)].loc[key], s, raises=loc_refusal(s.index[_mask(7)], key))


def test_label_slices_through_getitem():
    s = _labelled(make_column("int64", 7), "str")
    assert_matches_pandas(lambda d: d["r0002":"r0005"], s)
    assert_matches_pandas(lambda d: d[_mask(7)]["r0002":"r0005"], s)


def test_loc_duplicate_labels():
    s = make_column("int64", 7).set_axis(list("aabbbcd"))
    assert_matches_pandas(lambda d: d.loc["b"], s)
    assert_matches_pandas(lambda d: d.loc["c"], s)
    assert_matches_pandas(lambda d: d["a"], s)


def test_boolean_masks_and_callables():
    s = make_column("float64", 7, "some")
    mask = _mask(7)
    bools = make_column("bool", 7)
    for op in (lambda d: d[mask], lambda d: d.loc[mask], lambda d: d.iloc[mask], lambda d: d[list(mask)],
               lambda d: d[lambda x: mask], lambda d: d.loc[lambda x: mask], lambda d: d.iloc[lambda x: [0, 2]]):
        assert_matches_pandas(op, s)
    for op in (lambda d: d.loc[mask[:2]], lambda d: d.iloc[mask[:2]]):
        assert_matches_pandas(op, s, raises=IndexError, match="wrong length")
    ours = jf.from_pandas(s)
    assert_same_result(ours[jf.from_pandas(bools)], s[bools])
    assert_same_result(ours.loc[jnp.asarray(mask)], s.loc[mask])
    assert_same_result(ours[mask].iloc[jnp.asarray(mask[mask])], s[mask].iloc[mask[mask]])


@pytest.mark.parametrize("key,raises", [
    ("a", TypeError), (1.5, TypeError), ([0.5, 1], None), (slice("a", None), TypeError),
    ((0, 1), pd.errors.IndexingError), (100, IndexError)], ids=repr)
def test_bad_iloc_keys_raise_like_pandas(key, raises):
    assert_matches_pandas(lambda d: d.iloc[key], make_column("int64", 7), raises=raises)


def test_assignment_is_rejected():
    s = jf.from_pandas(make_column("int64", 7))
    with pytest.raises(jf.ImmutableFrameError):
        s[0] = 1
    with pytest.raises(jf.ImmutableFrameError):
        s.loc[0] = 1
    with pytest.raises(jf.ImmutableFrameError):
        s.iloc[0] = 1


def test_iloc_under_jit():
    s = make_column("float64", 7, "some")
    ours = jf.from_pandas(s)
    assert_same_result(jax.jit(lambda d: d.iloc[2:6])(ours), s.iloc[2:6])
    assert float(jax.jit(lambda d: d.iloc[3])(ours)) == pytest.approx(s.iloc[3], nan_ok=True)
    got = jax.jit(lambda d, m: d[m].iloc[::2])(ours, jnp.asarray(_mask(7)))
    assert_same_result(got, s[_mask(7)].iloc[::2])


def test_sharded_iloc_keeps_row_sharding():
    mesh = jax.make_mesh((len(jax.devices()),), ("data",))
    s = make_column("int64", 9, "none")
    ours = jf.Series(s, sharding=jf.row_sharded(mesh))
    for key in (slice(1, 7), slice(None, None, -2), [4, 0, 8]):
        got = ours.iloc[key]
        assert got.sharding is not None
        assert got._capacity % got.sharding.num_shards == 0
        assert_same_result(got, s.iloc[key])


@given(series(min_size=0, max_size=25), st.data())
def test_iloc_property(s, data):
    n = len(s)
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    bound = st.one_of(st.none(), st.integers(-30, 30))
    key = slice(data.draw(bound), data.draw(bound), data.draw(st.one_of(st.none(), st.integers(-4, 4).filter(bool))))
    assert_matches_pandas(lambda d: d.iloc[key], s)
    assert_matches_pandas(lambda d: d[mask].iloc[key], s)
    pos = data.draw(st.integers(-30, 30))
    live = int(mask.sum())
    assert_matches_pandas(lambda d: d[mask].iloc[pos], s, raises=iloc_refusal(pos, live))
    assert_matches_pandas(lambda d: d[mask].iloc[[pos, 0]], s, raises=iloc_refusal([pos, 0], live))
