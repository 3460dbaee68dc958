"""Join indexers: which left row and which right row make each output row.

Build + probe (kernels/join.py: a C++ hash join on the CPU, sort-merge elsewhere) gives each
left key its run of equal right keys, rperm[lo, lo + cnt). Output rows come from "units" in output
order: a left row expands to its matches (or to one row with no partner in left/outer joins),
a right row that no left row matched is one unit of an outer join. Unit counts give the output
size (eager: one host sync for the exact total, and the output takes that total's capacity
bucket with a row mask; inside jit: a static ``capacity`` and a row mask), and ``jnp.repeat``
with ``total_repeat_length`` (or the C++ expansion) turns units into rows.

Order, as pandas: inner/left follow the left rows, matches in right order; outer (and sort=True)
order units stably by key (nulls last), so within a key the left rows come first, in order.
A right join is a left join with the sides swapped (the caller swaps the indexers back).

A right side whose live keys are unique (``lookup``: found while building, one host sync with
the other facts) skips the counts and the expansion: a left join's output row i is left slot i,
its right row the partner found; an inner join's pairs are the matched rows compacted.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import jax
import jax.numpy as jnp

from jaxframes.table import is_traced
from jaxframes.kernels.join import build_probe, expand, lookup, matched_pairs, semi
from jaxframes.sharding import bucket_capacity
from jaxframes.kernels.sort import argsort_words
from jaxframes.kernels.take import take
from jaxframes.sync import device_get
from jaxframes.executables import jit


@dataclass(frozen=True, eq=False)
class Indexers:
    """left/right: source row per output row, -1 where that side has no row (int64). A side
    marked identity may be built as None and is then made (an arange) only if read.

    mask: None when every output row is real, else True for the real rows (eagerly the output
    has a bucketed capacity, so that similar sizes reuse the compiled assembly; inside jit the
    static ``capacity``). total: the number of real output rows (a Python int eagerly, else a
    device scalar). The facts below come back with the total in the same host sync; inside jit
    they are the static assumptions (a side may be missing, not all of it, both sides live).
    """

    left_rows: jax.Array | None
    right_rows: jax.Array | None
    mask: jax.Array | None
    total: object
    left_missing: bool = False       # some output row has no left row
    right_missing: bool = False      # some output row has no right row
    all_left_missing: bool = False   # there are output rows and none has a left row
    all_right_missing: bool = False  # there are output rows and none has a right row
    left_live: bool = True           # the left input has a live row
    right_live: bool = True          # the right input has a live row
    left_identity: bool = False      # output row i is left row i (left: arange): left columns need no gather
    right_identity: bool = False     # the same for the right side (a swapped left join)

    @property
    def size(self) -> int:
        """Output slots (the capacity)."""
        return (self.left_rows if self.left_rows is not None else self.right_rows).shape[0]

    @functools.cached_property
    def left(self) -> jax.Array:
        return jnp.arange(self.size, dtype=jnp.int64) if self.left_rows is None else self.left_rows

    @functools.cached_property
    def right(self) -> jax.Array:
        return jnp.arange(self.size, dtype=jnp.int64) if self.right_rows is None else self.right_rows

    def swapped(self) -> "Indexers":
        """The same join seen from the other side (a right join is a swapped left join)."""
        return Indexers(self.right_rows, self.left_rows, self.mask, self.total, self.right_missing, self.left_missing,
                        self.all_right_missing, self.all_left_missing, self.right_live, self.left_live,
                        self.right_identity, self.left_identity)


@functools.partial(jit, static_argnums=0)
def _prefix(n: int, total: "int | jax.Array") -> jax.Array:
    """The first ``total`` of ``n`` slots (total traced: one program per n)."""
    return jnp.arange(n) < total


def _stable_order(words: jax.Array) -> jax.Array:
    return argsort_words([words]) if words.shape[0] else jnp.zeros(0, jnp.int64)


@functools.partial(jit, static_argnames=("how", "sort"))
def _units(lw: jax.Array, rw: jax.Array, live_l: jax.Array, live_r: jax.Array, *, how: str, sort: bool):
    """Build, probe and count in one compiled function: (counts per unit in output order, unit
    order or None, lo, cnt, right rows grouped by key, facts). facts = [total, some live left row
    unmatched, some right-only row, some match, any live left row, any live right row]."""
    n_l, n_r = lw.shape[0], rw.shape[0]
    lo, cnt, perm_r = build_probe(lw, rw, live_l, live_r)
    unit_count = cnt if how == "inner" else jnp.where(live_l, jnp.maximum(cnt, 1), 0)
    unit_key = lw
    right_only = jnp.zeros(0, bool)
    if how == "outer":
        hit = (cnt > 0).astype(jnp.int64)
        cover = jnp.zeros(n_r + 1, jnp.int64).at[lo].add(hit).at[lo + cnt].add(-hit)
        matched_grouped = jnp.cumsum(cover)[:n_r] > 0
        matched_r = jnp.zeros(n_r, bool).at[perm_r].set(matched_grouped, unique_indices=True)
        right_only = live_r & ~matched_r
        unit_count = jnp.concatenate([unit_count, right_only.astype(jnp.int64)])
        unit_key = jnp.concatenate([lw, rw])
    order = _stable_order(unit_key) if (sort or how == "outer") else None
    counts = unit_count if order is None else unit_count[order]
    # one output row per left row, in place: every live left row makes exactly one output row
    # and the live left rows are a prefix of the slots (a frame's capacity padding), so output
    # row i is left slot i and the result can keep the left columns as they are
    in_place = jnp.asarray(False) if order is not None else jnp.all(~live_l | (unit_count == 1)) & \
        jnp.all(live_l == (jnp.arange(n_l) < jnp.sum(live_l, dtype=jnp.int64)))
    facts = jnp.stack([jnp.sum(counts), jnp.any(live_l & (cnt == 0)), jnp.any(right_only),
                       jnp.any(live_l & (cnt > 0)), jnp.any(live_l), jnp.any(live_r), in_place]).astype(jnp.int64)
    return counts, order, lo, cnt, perm_r, facts


@jit
def _in_place(lo: jax.Array, cnt: jax.Array, perm_r: jax.Array, live_l: jax.Array) -> jax.Array:
    """The right indexer of a join whose output row i is left slot i (the left one is the
    identity): each row's one match."""
    n_l, n_r = lo.shape[0], perm_r.shape[0]
    hit = live_l & (cnt > 0)
    # the C++ take on the CPU (clamped indices; XLA's CPU gather is 2-4x slower)
    return jnp.where(hit, take((perm_r,), lo)[0], -1) if n_r else jnp.full(n_l, -1, jnp.int64)


def join_indexers(lw: jax.Array, rw: jax.Array, live_l: jax.Array, live_r: jax.Array, how: str,
                  sort: bool, capacity: int | None = None) -> Indexers:
    """Indexers of an inner, left or outer join of key words ``lw`` with ``rw``.

    Eagerly: one host sync (the output size and the missing-side facts together), two when the
    lookup of a unique right side finds a repeated key."""
    n_l, n_r = lw.shape[0], rw.shape[0]
    if how in ("inner", "left") and not sort and capacity is None and n_l and n_r \
            and not is_traced(lw, rw, live_l, live_r):
        found = lookup_indexers(lw, rw, live_l, live_r, how)
        if found is not None:
            return found
    counts, order, lo, cnt, perm_r, facts = _units(lw, rw, live_l, live_r, how=how, sort=sort)
    traced = is_traced(facts)
    if traced:
        if capacity is None:
            raise ValueError(
                "merge inside jax.jit needs capacity=: the number of output rows is data-dependent; "
                "pass merge(..., capacity=N) with N >= the row count (the result gets a row mask)")
        total, cap = facts[0], int(capacity)
        known = dict(left_missing=how == "outer", right_missing=how in ("left", "outer"))
    else:
        total, unmatched_l, right_only, matched, live_l_any, live_r_any, in_place = (
            int(x) for x in device_get(facts))
        if capacity is not None and total > int(capacity):
            raise ValueError(f"merge produced {total} rows, more than capacity={int(capacity)}")
        left_missing = bool(right_only)
        right_missing = how != "inner" and bool(unmatched_l)
        known = dict(left_missing=left_missing, right_missing=right_missing,
                     all_left_missing=total > 0 and left_missing and not live_l_any,
                     all_right_missing=total > 0 and right_missing and not matched and not right_only,
                     left_live=bool(live_l_any), right_live=bool(live_r_any))
        if in_place and capacity is None and how in ("inner", "left") and n_l:
            # the output keeps the left frame's slots (its capacity, live rows first): no
            # expansion, and the caller reuses the left columns without a gather
            right_idx = _in_place(lo, cnt, perm_r, live_l)
            mask = None if total == n_l else _prefix(n_l, total)
            return Indexers(None, right_idx, mask, total, **known, left_identity=True)
        cap = bucket_capacity(total) if capacity is None else int(capacity)
    mask = None if not traced and cap == total else _prefix(cap, total)
    if counts.shape[0] == 0 or cap == 0:
        empty = jnp.full(cap, -1, jnp.int64)
        return Indexers(empty, empty, mask, total, **known)
    left_idx, right_idx = _expand(counts, order, lo, cnt, perm_r, cap=cap, n_l=n_l, n_r=n_r)
    return Indexers(left_idx, right_idx, mask, total, **known)


def lookup_indexers(lw: jax.Array, rw: jax.Array, live_l: jax.Array, live_r: jax.Array,
                    how: str) -> Indexers | None:
    """Indexers of an eager inner or left join whose live right keys are unique (one build, one
    probe, one host sync); None when a right key repeats, or for a left join whose live left
    rows are not a prefix (the general path handles both)."""
    n_l = lw.shape[0]
    match, facts = lookup(lw, rw, live_l, live_r)
    dup, matched, live_l_n, live_r_n, prefix = (int(x) for x in device_get(facts))
    if dup or (how == "left" and not prefix):
        return None
    total = matched if how == "inner" else live_l_n
    right_missing = how == "left" and matched < live_l_n
    known = dict(left_missing=False, right_missing=right_missing, all_left_missing=False,
                 all_right_missing=total > 0 and right_missing and not matched,
                 left_live=live_l_n > 0, right_live=live_r_n > 0)
    if prefix and (how == "left" or matched == live_l_n):
        # output row i is left slot i (dead slots after the live prefix are masked, match -1)
        mask = None if total == n_l else _prefix(n_l, total)
        return Indexers(None, match, mask, total, **known, left_identity=True)
    cap = bucket_capacity(total)
    left_idx, right_idx = matched_pairs(match, cap=cap)
    return Indexers(left_idx, right_idx, None if cap == total else _prefix(cap, total), total, **known)


@functools.partial(jit, static_argnames=("cap", "n_l", "n_r"))
def _expand(counts: jax.Array, order: jax.Array | None, lo: jax.Array, cnt: jax.Array, perm_r: jax.Array,
            *, cap: int, n_l: int, n_r: int) -> tuple[jax.Array, jax.Array]:
    """Units (left rows, unmatched right rows) expanded to output rows: one fused function."""
    units = jnp.arange(counts.shape[0], dtype=jnp.int64) if order is None else order
    return expand(counts, units, lo, cnt, perm_r, cap)


@jit
def matched_rows(words: jax.Array, other: jax.Array, live: jax.Array, other_live: jax.Array) -> jax.Array:
    """Which live rows of one side have their key among the other side's live rows (a semi-join
    with the other side as the build: a small other side is the one hashed or sorted)."""
    return semi(words, other, live, other_live)


def has_duplicates(words: jax.Array, live: jax.Array) -> bool:
    """Whether two live rows share a key (eager only: it decides an exception)."""
    if words.shape[0] < 2:
        return False
    order = _stable_order(words)
    s, alive = words[order], live[order]
    return bool(device_get(jnp.any((s[1:] == s[:-1]) & alive[1:] & alive[:-1])))
