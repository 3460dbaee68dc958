"""The C++ join kernels (csrc/hash_join.cc) against their pure-JAX twins and a numpy reference:
build + probe through its three builds, the semi-join filter (direct and hashed) (direct addressing for small words, one hash table,
radix-partitioned hash tables for large build sides), dead rows on both sides, empty sides,
words at the top of uint64; the expansion of units (inner/left/outer shapes) into index pairs;
and whole merges run on the twin (native disabled) against pandas."""

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.kernels import join, native

TOP = np.iinfo(np.uint64).max
needs_native = pytest.mark.skipif(not native.available(), reason="C++ extension not built")


def reference_runs(lw, rw, live_l, live_r):
    """Per left row: the live right rows with its word, in right order (dead left rows: none)."""
    return [list(np.flatnonzero((rw == w) & live_r)) if live else [] for w, live in zip(lw, live_l)]


def check_build_probe(lw, rw, live_l=None, live_r=None):
    lw, rw = np.asarray(lw, np.uint64), np.asarray(rw, np.uint64)
    live_l = np.ones(len(lw), bool) if live_l is None else np.asarray(live_l, bool)
    live_r = np.ones(len(rw), bool) if live_r is None else np.asarray(live_r, bool)
    want = reference_runs(lw, rw, live_l, live_r)
    paths = [join.build_probe_jax, join.build_probe]
    if native.available() and len(lw) and len(rw):
        paths.append(join.build_probe_native)
    for fn in paths:
        lo, cnt, rperm = (np.asarray(a) for a in jax.jit(fn)(jnp.asarray(lw), jnp.asarray(rw),
                                                            jnp.asarray(live_l), jnp.asarray(live_r)))
        got = [list(rperm[a:a + c]) for a, c in zip(lo, cnt)]
        assert got == want, fn.__name__
        # rperm: a permutation, live rows first
        assert sorted(rperm) == list(range(len(rw))), fn.__name__
        assert live_r[rperm].tolist() == sorted(live_r.tolist(), reverse=True), fn.__name__


@pytest.mark.parametrize("n_l,n_r", [(0, 5), (5, 0), (1, 1), (30, 20), (2000, 700)])
@pytest.mark.parametrize("top", [40, 2**40])  # small words: direct addressing; large: hash
def test_build_probe_matches_reference(n_l, n_r, top):
    rng = np.random.default_rng(n_l + n_r)
    rw = rng.integers(0, top, n_r)
    lw = np.concatenate([rng.integers(0, top, n_l // 2), rng.choice(rw, n_l - n_l // 2) if n_r else
                         rng.integers(0, top, n_l - n_l // 2)])
    check_build_probe(lw, rw, rng.random(n_l) > 0.2, rng.random(n_r) > 0.2)


def test_words_at_the_top_of_uint64_and_all_dead():
    check_build_probe([TOP, TOP - 1, 0, 5], [0, TOP, TOP, 5, TOP - 1])
    check_build_probe([1, 2], [1, 2], live_r=[False, False])
    check_build_probe([1, 2], [1, 2], live_l=[False, False])


@pytest.mark.parametrize("top", [40, 2**40, TOP])  # direct (a byte per word value), hash set
def test_semi_matches_reference(top):
    rng = np.random.default_rng(3)
    build = rng.integers(0, min(top, 2**62), 50).astype(np.uint64)
    build[0] = top
    words = np.concatenate([rng.choice(build, 300), rng.integers(0, min(top, 2**62), 300).astype(np.uint64)])
    live, build_live = rng.random(600) > 0.2, rng.random(50) > 0.3
    want = live & np.isin(words, build[build_live])
    for fn in (join.semi_jax, join.semi) + ((join.semi_native,) if native.available() else ()):
        got = jax.jit(fn)(jnp.asarray(words), jnp.asarray(build), jnp.asarray(live), jnp.asarray(build_live))
        np.testing.assert_array_equal(np.asarray(got), want, err_msg=fn.__name__)
    dead = join.semi(jnp.asarray(words), jnp.asarray(build), jnp.asarray(live), jnp.zeros(50, bool))
    assert not np.asarray(dead).any()


def test_semi_reads_int64_words_as_their_bits():
    rng = np.random.default_rng(4)
    build = rng.integers(-(2**62), 2**62, 30)
    words = np.concatenate([rng.choice(build, 100), rng.integers(-(2**62), 2**62, 100), -build[:5]])
    live = rng.random(words.size) > 0.1
    want = live & np.isin(words, build)
    for fn in (join.semi_jax, join.semi) + ((join.semi_native,) if native.available() else ()):
        got = jax.jit(fn)(jnp.asarray(words), jnp.asarray(build), jnp.asarray(live), jnp.ones(30, bool))
        np.testing.assert_array_equal(np.asarray(got), want, err_msg=fn.__name__)


@needs_native
def test_partitioned_build_side():
    """A build side large enough for the radix-partitioned tables, duplicate keys included."""
    rng = np.random.default_rng(7)
    rw = rng.integers(0, 2**50, 300_000).astype(np.uint64)
    rw[::3] = rw[1::3][: len(rw[::3])]
    lw = np.concatenate([rng.choice(rw, 20_000), rng.integers(0, 2**50, 5_000).astype(np.uint64)])
    lo, cnt, rperm = (np.asarray(a) for a in join.build_probe_native(
        jnp.asarray(lw), jnp.asarray(rw), jnp.ones(len(lw), bool), jnp.ones(len(rw), bool)))
    order = np.argsort(rw, kind="stable")
    s = rw[order]
    want_lo, want_hi = np.searchsorted(s, lw, "left"), np.searchsorted(s, lw, "right")
    np.testing.assert_array_equal(cnt, want_hi - want_lo)
    for i in range(0, len(lw), 97):
        np.testing.assert_array_equal(rperm[lo[i]:lo[i] + cnt[i]], order[want_lo[i]:want_hi[i]])


def _lookup_paths():
    return [join.lookup_jax, join.lookup] + ([join.lookup_native] if native.available() else [])


def reference_lookup(lw, rw, live_l, live_r):
    """(match, facts) of a right side with unique live keys, by brute force."""
    match = np.array([int(np.flatnonzero((rw == w) & live_r)[0]) if live and ((rw == w) & live_r).any() else -1
                      for w, live in zip(lw, live_l)], np.int64)
    n_live = int(live_l.sum())
    facts = [0, int((match >= 0).sum()), n_live, int(live_r.sum()), int(live_l[:n_live].all())]
    return match, facts


@pytest.mark.parametrize("n_l,n_r", [(1, 1), (40, 25), (3000, 900)])
@pytest.mark.parametrize("top", [50, 2**40, TOP])  # small words: direct addressing; large: hash
@pytest.mark.parametrize("prefix", [True, False])
def test_lookup_matches_reference(n_l, n_r, top, prefix):
    rng = np.random.default_rng(n_l + n_r)
    pool = np.arange(max(top, n_r)) if top < 2**40 else np.unique(rng.integers(0, 2**40, 2 * n_r))
    rw = rng.choice(pool, n_r, replace=False).astype(np.uint64)
    if top == TOP:
        rw[0] = TOP
    lw = np.concatenate([rng.choice(rw, n_l - n_l // 3), rng.integers(0, 60, n_l // 3).astype(np.uint64)])
    live_r = rng.random(n_r) > 0.2
    live_l = np.arange(n_l) < n_l - n_l // 5 if prefix else rng.random(n_l) > 0.3
    want_match, want_facts = reference_lookup(lw, rw, live_l, live_r)
    for fn in _lookup_paths():
        match, facts = jax.jit(fn)(jnp.asarray(lw), jnp.asarray(rw), jnp.asarray(live_l), jnp.asarray(live_r))
        np.testing.assert_array_equal(np.asarray(match), want_match, err_msg=fn.__name__)
        assert np.asarray(facts).tolist() == want_facts, fn.__name__


@pytest.mark.parametrize("top", [50, 2**40])
def test_lookup_reports_a_repeated_right_key(top):
    """Two live right rows with one key: facts[0] is 1 (match is then unspecified); the same key
    on a dead right row is no repeat."""
    rw = np.asarray([3, top - 1, 7, top - 1, 9], np.uint64)
    lw = np.asarray([7, 3, 1], np.uint64)
    for live_r, dup in (([True] * 5, 1), ([True, True, True, False, True], 0)):
        for fn in _lookup_paths():
            _, facts = fn(jnp.asarray(lw), jnp.asarray(rw), jnp.ones(3, bool), jnp.asarray(live_r))
            assert int(facts[0]) == dup, fn.__name__


def test_lookup_reads_int64_words_as_their_bits_and_empty_sides():
    rng = np.random.default_rng(5)
    rw = rng.choice(np.arange(-(2**40), 2**40, 2**20), 200, replace=False)
    lw = np.concatenate([rng.choice(rw, 300), -rw[:50], rng.integers(-(2**62), 2**62, 50)])
    live_l, live_r = np.ones(lw.size, bool), np.ones(rw.size, bool)
    want_match, want_facts = reference_lookup(lw, rw, live_l, live_r)
    for fn in _lookup_paths():
        match, facts = jax.jit(fn)(jnp.asarray(lw), jnp.asarray(rw), jnp.asarray(live_l), jnp.asarray(live_r))
        np.testing.assert_array_equal(np.asarray(match), want_match, err_msg=fn.__name__)
        assert np.asarray(facts).tolist() == want_facts, fn.__name__
    match, facts = join.lookup(jnp.asarray(lw[:4]), jnp.zeros(0, jnp.int64), jnp.ones(4, bool), jnp.zeros(0, bool))
    assert np.asarray(match).tolist() == [-1] * 4 and np.asarray(facts).tolist() == [0, 0, 4, 0, 1]
    match, facts = join.lookup(jnp.zeros(0, jnp.int64), jnp.asarray(rw), jnp.zeros(0, bool), jnp.asarray(live_r))
    assert np.asarray(match).shape == (0,) and np.asarray(facts).tolist() == [0, 0, 0, 200, 1]


@pytest.mark.parametrize("cap", [0, 5, 9])
def test_matched_pairs_matches_twin(cap):
    match = jnp.asarray([4, -1, 0, -1, -1, 2, 7], jnp.int64)
    rows = [0, 2, 5, 6][:cap]
    want_l, want_r = rows + [-1] * (cap - len(rows)), [4, 0, 2, 7][:cap] + [-1] * (cap - len(rows))
    paths = [join.matched_pairs_jax, join.matched_pairs] + ([join.matched_pairs_native] if native.available() else [])
    for fn in paths:
        if cap < 4 and fn is not join.matched_pairs_jax:
            continue  # more matches than slots: the kernel refuses (below)
        li, ri = fn(match, cap=cap)
        assert np.asarray(li).tolist() == want_l, fn.__name__
        assert np.asarray(ri).tolist() == want_r, fn.__name__


@needs_native
def test_matched_pairs_rejects_a_total_over_capacity():
    with pytest.raises(jax.errors.JaxRuntimeError, match="join_matched_pairs: the output has more rows"):
        jax.block_until_ready(join.matched_pairs_native(jnp.asarray([1, 2, 3], jnp.int64), cap=2))


def test_expand_matches_twin():
    # left rows 0..3 (row 1 unmatched, counted once as in a left join; row 3 dead: count 0),
    # then unmatched right row 2 (unit n_l + 2), in a shuffled output order
    lo = jnp.asarray([0, 0, 2, 0], jnp.int64)
    cnt = jnp.asarray([2, 0, 1, 0], jnp.int64)
    rperm = jnp.asarray([1, 3, 0, 2], jnp.int64)
    units = jnp.asarray([2, 0, 6, 1, 3], jnp.int64)
    counts = jnp.asarray([1, 2, 1, 1, 0], jnp.int64)
    want_l = [2, 0, 0, -1, 1, -1, -1, -1]
    want_r = [0, 1, 3, 2, -1, -1, -1, -1]
    paths = [join.expand_jax, join.expand] + ([join.expand_native] if native.available() else [])
    for fn in paths:
        li, ri = fn(counts, units, lo, cnt, rperm, cap=8)
        assert np.asarray(li).tolist() == want_l, fn.__name__
        assert np.asarray(ri).tolist() == want_r, fn.__name__


@needs_native
def test_expand_rejects_a_total_over_capacity():
    one = jnp.ones(3, jnp.int64)
    with pytest.raises(jax.errors.JaxRuntimeError, match="join_expand: the output has more rows"):
        jax.block_until_ready(join.expand_native(one, jnp.arange(3), jnp.zeros(3, jnp.int64),
                                                 jnp.zeros(3, jnp.int64), jnp.zeros(0, jnp.int64), cap=2))


HOWS = ["inner", "left", "right", "outer"]


def _frames():
    rng = np.random.default_rng(11)
    left = pd.DataFrame({"k": rng.integers(0, 30, 200), "s": rng.choice(["a", "b", "c", None], 200),
                         "x": rng.normal(size=200)})
    right = pd.DataFrame({"k": rng.integers(0, 40, 90), "s": rng.choice(["b", "c", "d"], 90),
                          "y": rng.normal(size=90)})
    right.loc[::7, "k"] = 10**12 + right.loc[::7, "k"]  # a wide range: the hash build
    return left, right


def _check_all(left, right):
    jl, jr = jf.DataFrame(left), jf.DataFrame(right)
    for how, on in zip(HOWS, (["k", "s"], ["k"], ["s"], ["k", "s"])):  # one merge per how: compiles are slow
        want = pd.merge(left, right, on=on, how=how)
        got = jf.merge(jl, jr, on=on, how=how).to_pandas()
        pd.testing.assert_frame_equal(got, want, obj=f"{how} on {on}")
    filtered = jl[jl["x"] > 0]
    want = pd.merge(left[left["x"] > 0], right, on="k", how="left")
    pd.testing.assert_frame_equal(jf.merge(filtered, jr, on="k", how="left").to_pandas(), want)


def test_merge_native_path_matches_pandas():
    _check_all(*_frames())


def test_merge_twin_path_matches_pandas():
    with native.disabled():
        assert not native.available()
        _check_all(*_frames())
    assert native.available() or not native._state.get("ok")
