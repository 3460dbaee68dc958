"""Join kernels: build + probe (each left row's run of matching right rows) and the expansion of
those runs into left/right row-index pairs.

On the CPU backend they run in C++ (csrc/hash_join.cc: direct addressing for small key words, a
radix-partitioned hash table for large build sides, the shared thread pool); the pure-JAX twins
(sort-merge: stable radix argsort + ``searchsorted``; ``jnp.repeat`` expansion) are the GPU/TPU
path and the test reference. Both are functions of local arrays only (usable per shard).

``build_probe(lw, rw, live_l, live_r) -> (lo, cnt, rperm)``: rperm lists the live right rows with
equal keys contiguous (in their original order within a key), then the dead right rows; a live
left row's matches are ``rperm[lo:lo + cnt]``; dead left rows get cnt 0. The two paths may lay
out the runs differently (hash: first-appearance order of keys; twin: key order), so only
``rperm[lo:lo+cnt]`` per left row is comparable between them.

``expand(counts, units, lo, cnt, rperm, cap)``: units in output order (unit u < n_l: left row u,
expanded to counts[u] rows; u >= n_l: the unmatched right row u - n_l), positions past the
total -1.

``lookup(lw, rw, live_l, live_r) -> (match, facts)`` and ``matched_pairs(match, cap)``: the
join of a right side whose live keys are unique (a dimension table, the common case): one
build and one probe pass give each left row its partner or -1, with the facts the caller needs
in the same result; an inner join's pairs are the rows with a partner, compacted. A repeated
right key is reported and the caller takes build_probe + expand.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

from jaxframes.kernels import native
from jaxframes.kernels.probe import probe_jax
from jaxframes.kernels.sort import argsort_words


def build_probe_jax(lw: jax.Array, rw: jax.Array, live_l: jax.Array,
                    live_r: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Sort-merge: the right rows sorted by (dead, word), each left word's run by searchsorted."""
    n_l, n_r = lw.shape[0], rw.shape[0]
    if n_r == 0:
        zeros = jnp.zeros(n_l, jnp.int64)
        return zeros, zeros, jnp.zeros(0, jnp.int64)
    dead_r = (~live_r).astype(jnp.uint64)
    rperm = argsort_words([dead_r, rw.astype(jnp.uint64)]).astype(jnp.int64)
    # the dead right rows sort last; past the live prefix the words are set to the top value
    # (keeps them ascending) and the runs are clipped to the live prefix
    n_live = jnp.sum(live_r, dtype=jnp.int64)
    top = jnp.asarray(jnp.iinfo(jnp.uint64).max, jnp.uint64)
    sorted_words = jnp.where(jnp.arange(n_r) < n_live, rw.astype(jnp.uint64)[rperm], top)
    lo, hi = probe_jax(sorted_words, lw.astype(jnp.uint64))
    lo = jnp.minimum(lo, n_live)
    hi = jnp.minimum(hi, n_live)
    cnt = jnp.where(live_l, hi - lo, 0)
    return jnp.where(live_l, lo, 0), cnt, rperm


def build_probe_native(lw: jax.Array, rw: jax.Array, live_l: jax.Array,
                       live_r: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    native.require()
    n_l, n_r = lw.shape[0], rw.shape[0]
    outs = (jax.ShapeDtypeStruct((n_l,), jnp.int64), jax.ShapeDtypeStruct((n_l,), jnp.int64),
            jax.ShapeDtypeStruct((n_r,), jnp.int64))
    return jax.ffi.ffi_call("jaxframes_join_build_probe", outs, vmap_method="sequential")(
        lw.astype(jnp.uint64), rw.astype(jnp.uint64), live_l.astype(bool), live_r.astype(bool))


def build_probe(lw: jax.Array, rw: jax.Array, live_l: jax.Array,
                live_r: jax.Array) -> tuple[jax.Array, jax.Array, jax.Array]:
    """Dispatch: C++ on the CPU backend, the sort-merge twin elsewhere (and for empty sides)."""
    if not native.available() or lw.shape[0] == 0 or rw.shape[0] == 0:
        return build_probe_jax(lw, rw, live_l, live_r)
    return jax.lax.platform_dependent(lw, rw, live_l, live_r, cpu=build_probe_native, default=build_probe_jax)


def semi_jax(words: jax.Array, build: jax.Array, live: jax.Array, build_live: jax.Array) -> jax.Array:
    """The twin of ``semi_native``: the live rows whose word a live build row has (the build
    side sorted, each word's run found by ``searchsorted``)."""
    return build_probe_jax(words, build, live, build_live)[1] > 0


def semi_native(words: jax.Array, build: jax.Array, live: jax.Array, build_live: jax.Array) -> jax.Array:
    """int64 words go as they are (the kernel reads their bits): no uint64 copy of a large key."""
    native.require()
    words, build = (w if w.dtype in (jnp.uint64, jnp.int64) else w.astype(jnp.uint64) for w in (words, build))
    if words.dtype != build.dtype:
        words, build = words.astype(jnp.uint64), build.astype(jnp.uint64)
    return jax.ffi.ffi_call("jaxframes_join_semi", jax.ShapeDtypeStruct(words.shape, jnp.bool_),
                            vmap_method="sequential")(words, build, live.astype(bool), build_live.astype(bool))


@jax.jit
def semi(words: jax.Array, build: jax.Array, live: jax.Array, build_live: jax.Array) -> jax.Array:
    """Which live rows have their word among the live ``build`` rows (bool per row): C++ on the
    CPU backend (a set of the build words, one byte out per row), the sort-merge twin elsewhere."""
    if not native.available() or words.shape[0] == 0 or build.shape[0] == 0:
        return semi_jax(words, build, live, build_live)
    return jax.lax.platform_dependent(words, build, live, build_live, cpu=semi_native, default=semi_jax)


def expand_jax(counts: jax.Array, units: jax.Array, lo: jax.Array, cnt: jax.Array, rperm: jax.Array,
               cap: int) -> tuple[jax.Array, jax.Array]:
    n_units, n_l, n_r = counts.shape[0], lo.shape[0], rperm.shape[0]
    if n_units == 0 or cap == 0:
        empty = jnp.full(cap, -1, jnp.int64)
        return empty, empty
    out_unit = jnp.repeat(jnp.arange(n_units, dtype=jnp.int64), counts, total_repeat_length=cap)
    starts = jnp.cumsum(counts) - counts
    step = jnp.arange(cap, dtype=jnp.int64) - starts[out_unit]
    real = jnp.arange(cap, dtype=jnp.int64) < jnp.sum(counts)
    unit = units[out_unit]
    is_left = unit < n_l
    left_idx = jnp.where(real & is_left, unit, -1)
    if not n_r:
        return left_idx, jnp.full(cap, -1, jnp.int64)
    row_l = jnp.clip(unit, 0, max(n_l - 1, 0))
    lo_p, cnt_p = (lo, cnt) if n_l else (jnp.zeros(1, jnp.int64), jnp.zeros(1, jnp.int64))
    pos = jnp.clip(lo_p[row_l] + step, 0, n_r - 1)
    matched = is_left & (cnt_p[row_l] > 0)
    right_idx = jnp.where(matched, rperm[pos], jnp.where(is_left, -1, unit - n_l))
    return left_idx, jnp.where(real, right_idx, -1)


def expand_native(counts: jax.Array, units: jax.Array, lo: jax.Array, cnt: jax.Array, rperm: jax.Array,
                  cap: int) -> tuple[jax.Array, jax.Array]:
    native.require()
    out = jax.ShapeDtypeStruct((cap,), jnp.int64)
    return jax.ffi.ffi_call("jaxframes_join_expand", (out, out), vmap_method="sequential")(
        counts.astype(jnp.int64), units.astype(jnp.int64), lo.astype(jnp.int64), cnt.astype(jnp.int64),
        rperm.astype(jnp.int64))


def expand(counts: jax.Array, units: jax.Array, lo: jax.Array, cnt: jax.Array, rperm: jax.Array,
           cap: int) -> tuple[jax.Array, jax.Array]:
    """Dispatch: C++ on the CPU backend, ``jnp.repeat`` elsewhere."""
    if not native.available() or counts.shape[0] == 0 or cap == 0:
        return expand_jax(counts, units, lo, cnt, rperm, cap)
    return jax.lax.platform_dependent(counts, units, lo, cnt, rperm,
                                      cpu=functools.partial(expand_native, cap=cap),
                                      default=functools.partial(expand_jax, cap=cap))


def lookup_jax(lw: jax.Array, rw: jax.Array, live_l: jax.Array, live_r: jax.Array) -> tuple[jax.Array, jax.Array]:
    """The twin of ``lookup_native``: sort-merge build + probe; the right side's own run lengths
    tell whether a live right key repeats (then ``match`` holds some partner per row)."""
    n_l, n_r = lw.shape[0], rw.shape[0]
    lo, cnt, rperm = build_probe_jax(lw, rw, live_l, live_r)
    dup = jnp.any(build_probe_jax(rw, rw, live_r, live_r)[1] > 1) if n_r else jnp.asarray(False)
    match = jnp.where(cnt > 0, rperm[jnp.clip(lo, 0, max(n_r - 1, 0))], -1) if n_r else jnp.full(n_l, -1, jnp.int64)
    n_live = jnp.sum(live_l, dtype=jnp.int64)
    prefix = jnp.all(live_l == (jnp.arange(n_l) < n_live))
    facts = jnp.stack([dup, jnp.sum(cnt > 0, dtype=jnp.int64), n_live, jnp.sum(live_r, dtype=jnp.int64),
                       prefix]).astype(jnp.int64)
    return match.astype(jnp.int64), facts


def lookup_native(lw: jax.Array, rw: jax.Array, live_l: jax.Array, live_r: jax.Array) -> tuple[jax.Array, jax.Array]:
    """int64 words go as they are (the kernel compares bits): no uint64 copy of a large key."""
    native.require()
    if lw.dtype != rw.dtype or lw.dtype not in (jnp.uint64, jnp.int64):
        lw, rw = lw.astype(jnp.uint64), rw.astype(jnp.uint64)
    outs = (jax.ShapeDtypeStruct(lw.shape, jnp.int64), jax.ShapeDtypeStruct((5,), jnp.int64))
    return jax.ffi.ffi_call("jaxframes_join_lookup", outs, vmap_method="sequential")(
        lw, rw, live_l.astype(bool), live_r.astype(bool))


@jax.jit
def lookup(lw: jax.Array, rw: jax.Array, live_l: jax.Array, live_r: jax.Array) -> tuple[jax.Array, jax.Array]:
    """The join of a right side with unique live keys: (match, facts). match[i] is the right row
    with left row i's key, -1 when none or the row is dead; facts = [duplicate, matched live left
    rows, live left rows, live right rows, live left rows are a prefix]. When duplicate is 1
    (two live right rows share a key) ``match`` is unspecified (the C++ build stops there): take
    the general build + probe. C++ on the CPU backend (one build, one probe pass), the twin elsewhere."""
    if not native.available() or lw.shape[0] == 0 or rw.shape[0] == 0:
        return lookup_jax(lw, rw, live_l, live_r)
    return jax.lax.platform_dependent(lw, rw, live_l, live_r, cpu=lookup_native, default=lookup_jax)


def matched_pairs_jax(match: jax.Array, cap: int) -> tuple[jax.Array, jax.Array]:
    n = match.shape[0]
    if n == 0 or cap == 0:
        empty = jnp.full(cap, -1, jnp.int64)
        return empty, empty
    left = jnp.nonzero(match >= 0, size=cap, fill_value=-1)[0].astype(jnp.int64)
    right = jnp.where(left >= 0, match[jnp.clip(left, 0, n - 1)], -1)
    return left, right.astype(jnp.int64)


def matched_pairs_native(match: jax.Array, cap: int) -> tuple[jax.Array, jax.Array]:
    native.require()
    out = jax.ShapeDtypeStruct((cap,), jnp.int64)
    return jax.ffi.ffi_call("jaxframes_join_matched_pairs", (out, out), vmap_method="sequential")(
        match.astype(jnp.int64))


@functools.partial(jax.jit, static_argnames=("cap",))
def matched_pairs(match: jax.Array, cap: int) -> tuple[jax.Array, jax.Array]:
    """An inner lookup join's indexers: the rows with a partner (match >= 0) in order and their
    partners, compacted into ``cap`` slots (-1 past their count)."""
    if not native.available() or match.shape[0] == 0 or cap == 0:
        return matched_pairs_jax(match, cap)
    return jax.lax.platform_dependent(match, cpu=functools.partial(matched_pairs_native, cap=cap),
                                      default=functools.partial(matched_pairs_jax, cap=cap))
