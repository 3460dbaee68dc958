"""Row concatenation (``concat(axis=0)``) of row-sharded tables in one ``shard_map``, by
``collective-permute`` rounds whose bytes per device do not grow with the device count.

pandas' order is every row of the first input, then of the second, ...; a frame's order is its
physical slot order, so device d's shard of the second input cannot stay on device d (it comes
after the first input's rows on every later device). The target layout is static: input i
contributes ``m_i`` slots per device (its shard, or eagerly its live rows moved to the front of
the shard and cut to ``m_i = bucket(most live rows of input i on one device)``), the slots are
laid out input-major then device-major (pandas' order), and the ``S * M`` slots (``M = sum m_i``)
are cut into S contiguous blocks of M: global slot ``g`` goes to device ``g // M``, slot
``g % M``. Dead slots travel with the rows (the output's live mask is the inputs' masks moved
alike), so nothing depends on the data: the schedule is a function of (m_1..m_k, S) alone and
one compiled program serves eager and jit calls of the same shapes.

The schedule (``schedule``): each (device, input) range of slots is cut at the block
boundaries into pieces (source device, target device, source slot, target slot, rows). A piece
whose target is its source is a local copy; the others are edges of a bipartite multigraph,
coloured in as many colours as its largest degree (Koenig; largest pieces first; no device
sends or receives twice in one colour). A colour is one ``lax.ppermute`` round over its pairs,
its buffer the largest piece of the colour. A device's range of one input spans about
``m_i / M + 1`` blocks, so a device sends and receives a handful of pieces (k for k equal
inputs), whatever S is; with k equal inputs every piece is one whole shard and the k rounds move
exactly the rows that leave their device: per device the bytes are those of its output block,
flat in S. A small input spread over many devices lands on one or two, whose senders are many:
past ``round_limit`` rounds the remaining (small) pieces go by one padded ``all_to_all`` (the
tail). (``ragged_all_to_all`` would do it all in one collective; XLA:CPU does not implement it:
``tests/distributed`` checks that it still does not, so that the choice is revisited then.)

Arrays are stacked by dtype into matrices (one gather, permute and scatter per dtype); a list
column's (rows, 2) [start, length] pairs are two columns of the int64 matrix (its child, the
inputs' children stacked, stays replicated: concat.py shifts the starts before).

The only other collective is the all-gather of the S output live counts, for the positions of
a RangeIndex result (ignore_index). Eagerly the host first reads the (S, k) live counts (one
sync) to cut each input to its live rows; inside ``jax.jit`` the shards travel whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial
from typing import Sequence

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import PartitionSpec as P

from jaxframes.facts import is_traced
from jaxframes.sharding import RowSharding, bucket_capacity
from jaxframes.sync import device_get


@dataclass(frozen=True)
class Rounds:
    """One kind of step of the schedule, per round: its capacity, its (source, target) pairs and
    per-device tables (source slot of what a device sends, target slot and rows of what it
    receives: rows 0 where it receives nothing)."""

    capacity: tuple[int, ...]
    pairs: tuple[tuple[tuple[int, int], ...], ...]
    source: np.ndarray   # (rounds, S) local slot a device sends from
    target: np.ndarray   # (rounds, S) output slot a device writes to
    rows: np.ndarray     # (rounds, S) rows a device receives


def _pieces(kept: tuple[int, ...], shards: int) -> list[tuple[int, int, int, int, int]]:
    """(source device, target device, source local slot, target slot, rows) of every piece."""
    block = sum(kept)
    pieces = []
    local = 0  # the input's first slot in a device's compacted local arrays
    below = 0  # slots of the earlier inputs over all devices
    for m in kept:
        for d in range(shards):
            lo, hi = below + d * m, below + (d + 1) * m
            while lo < hi:
                t = lo // block
                end = min(hi, (t + 1) * block)
                pieces.append((d, t, local + lo - (below + d * m), lo - t * block, end - lo))
                lo = end
        local += m
        below += shards * m
    return pieces


def _colours(edges: list[tuple[int, int]]) -> list[int]:
    """A colour per (sender, receiver) edge, no two edges of a colour sharing a sender or a
    receiver, in as many colours as the largest degree (Koenig: an edge whose free colours
    differ at its ends flips an alternating path first). Edges earlier in the list get the
    lower colours, unless a flip moves them."""
    degree = max([0, *np.unique([d for d, _ in edges], return_counts=True)[1],
                  *np.unique([t for _, t in edges], return_counts=True)[1]])
    at: tuple[dict, dict] = ({}, {})   # per side: {vertex: {colour: edge}}
    colour = [-1] * len(edges)

    def free(side: int, vertex: int) -> int:
        used = at[side].get(vertex, {})
        return next(c for c in range(degree) if c not in used)

    def put(e: int, c: int) -> None:
        colour[e] = c
        at[0].setdefault(edges[e][0], {})[c] = e
        at[1].setdefault(edges[e][1], {})[c] = e

    for e, (d, t) in enumerate(edges):
        a, b = free(0, d), free(1, t)
        if a in at[1].get(t, {}):
            path, side, vertex, c = [], 1, t, a    # the a/b path from t (it cannot reach d)
            while (f := at[side].get(vertex, {}).get(c)) is not None:
                path.append(f)
                vertex, side, c = edges[f][1 - side], 1 - side, b if c == a else a
            for f in path:
                del at[0][edges[f][0]][colour[f]], at[1][edges[f][1]][colour[f]]
            for f in path:
                put(f, b if colour[f] == a else a)
        put(e, a)
    return colour


def _rounds(pieces: list[tuple[int, int, int, int, int]], shards: int, local: bool,
            limit: int | None = None) -> tuple[Rounds, list[tuple[int, int, int, int, int]]]:
    """Rounds of pieces, the largest rounds first; a device sends at most one piece and receives
    at most one per round (a local copy is both). At most ``limit`` rounds: the pieces of the
    smaller rounds past it are returned (the tail)."""
    ordered = sorted(pieces, key=lambda p: (-p[4], p[0], p[1]))
    colour_of = _colours([(d, t) for d, t, _, _, _ in ordered])
    count = max(colour_of, default=-1) + 1
    largest = [0] * count
    for (*_, n), c in zip(ordered, colour_of):
        largest[c] = max(largest[c], n)
    rank = {c: r for r, c in enumerate(sorted(range(count), key=lambda c: -largest[c]))}
    kept = count if limit is None else min(count, limit)
    source = np.zeros((kept, shards), np.int64)
    target = np.zeros((kept, shards), np.int64)
    rows = np.zeros((kept, shards), np.int64)
    pairs: list[list[tuple[int, int]]] = [[] for _ in range(kept)]
    tail = []
    for piece, c in zip(ordered, colour_of):
        r = rank[c]
        if r >= kept:
            tail.append(piece)
            continue
        d, t, src, dst, n = piece
        source[r, d], target[r, t], rows[r, t] = src, dst, n
        if not local:
            pairs[r].append((d, t))
    capacity = tuple(largest[c] for c in sorted(range(count), key=lambda c: -largest[c]))[:kept]
    return Rounds(capacity, tuple(tuple(p) for p in pairs), source, target, rows), tail


@dataclass(frozen=True)
class Tail:
    """The pieces past the round limit, sent by one padded ``all_to_all``: per device its (at
    most ``pieces``) tail pieces (source slot, rows, target device, target slot) and the pair
    capacity (the most rows one device sends to one device)."""

    capacity: int
    source: np.ndarray   # (S, pieces)
    rows: np.ndarray
    device: np.ndarray
    target: np.ndarray


def _tail(pieces: list[tuple[int, int, int, int, int]], shards: int) -> Tail | None:
    if not pieces:
        return None
    per: list[list[tuple[int, int, int, int, int]]] = [[] for _ in range(shards)]
    pair: dict[tuple[int, int], int] = {}
    for p in pieces:
        per[p[0]].append(p)
        pair[p[0], p[1]] = pair.get((p[0], p[1]), 0) + p[4]
    width = max(len(p) for p in per)
    table = np.zeros((4, shards, width), np.int64)
    for d, mine in enumerate(per):
        for j, (_, t, src, dst, n) in enumerate(sorted(mine, key=lambda p: p[2])):
            table[:, d, j] = (src, n, t, dst)
    return Tail(max(pair.values()), *table)


def round_limit(inputs: int) -> int:
    """The most collective-permute rounds: k equal inputs need k; a small input spread over many
    devices lands on few, whose many senders would each need a round (S of them)."""
    return max(8, 2 * inputs)


@lru_cache(maxsize=256)
def schedule(kept: tuple[int, ...], shards: int, limit: int) -> tuple[Rounds, Rounds, Tail | None]:
    """(local copies, at most ``limit`` ppermute rounds, all_to_all tail) that lay out k inputs
    of ``kept`` slots per device."""
    pieces = _pieces(kept, shards)
    local = [p for p in pieces if p[0] == p[1]]
    moving = [p for p in pieces if p[0] != p[1]]
    rounds, tail = _rounds(moving, shards, False, limit)
    return _rounds(local, shards, True)[0], rounds, _tail(tail, shards)


def _counts_body(lives, *, axis: str):
    return jax.lax.all_gather(jnp.stack([jnp.sum(l, dtype=jnp.int64) for l in lives]), axis)


@partial(jax.jit, static_argnames=("sharding",))
def live_counts(lives: tuple[jax.Array, ...], *, sharding: RowSharding) -> jax.Array:
    """(S, k) live rows of each input on each device, replicated."""
    body = partial(_counts_body, axis=sharding.axis)
    return jax.shard_map(body, mesh=sharding.mesh, in_specs=(P(sharding.axis),), out_specs=P(),
                         check_vma=False)(tuple(lives))


def _compacted(arrays, live, kept: int):
    """The local rows with the live ones first (in order), cut to ``kept`` slots."""
    n = live.shape[0]
    if kept == n:
        return arrays, live
    at = jnp.where(live, jnp.cumsum(live) - 1, jnp.sum(live) + jnp.cumsum(~live) - 1)
    order = jnp.zeros(n, jnp.int64).at[at].set(jnp.arange(n, dtype=jnp.int64), unique_indices=True)[:kept]
    return [a[order] for a in arrays], live[order]


def _place(out, buffer, rows, at):
    """``buffer[:rows]`` written to ``out[at:at + rows]``."""
    step = jnp.arange(buffer.shape[0], dtype=jnp.int64)
    return out.at[jnp.where(step < rows, at + step, out.shape[0])].set(buffer, mode="drop")


def _tail_exchange(local, out, tail: Tail, me, *, axis: str, num_shards: int):
    """The tail pieces by one padded all_to_all: a row's destination and target slot come from
    its piece; local order is global order, so destinations are non-decreasing and a row's
    place in its destination's block is its rank among the sending rows less those before."""
    block = out[0].shape[0]
    slot = jnp.arange(block, dtype=jnp.int64)
    source, rows, device, target = (jnp.asarray(t)[me] for t in (tail.source, tail.rows, tail.device, tail.target))
    dest = jnp.full((block,), num_shards, jnp.int64)
    at = jnp.full((block,), block, jnp.int64)
    for j in range(tail.source.shape[1]):
        inside = (slot >= source[j]) & (slot < source[j] + rows[j])
        dest = jnp.where(inside, device[j], dest)
        at = jnp.where(inside, target[j] + slot - source[j], at)
    sending = dest < num_shards
    counts = jax.ops.segment_sum(sending.astype(jnp.int64), dest, num_segments=num_shards + 1)[:num_shards]
    rank = jnp.cumsum(sending, dtype=jnp.int64) - 1 - (jnp.cumsum(counts) - counts)[jnp.minimum(dest, num_shards - 1)]
    where = jnp.where(sending, dest * tail.capacity + rank, num_shards * tail.capacity)
    size = num_shards * tail.capacity

    def swap(a, fill=0):
        buffer = jnp.full((size, *a.shape[1:]), fill, a.dtype).at[where].set(a, mode="drop")
        return jax.lax.all_to_all(buffer, axis, 0, 0, tiled=True)

    arrived = swap(at, block)
    return [o.at[arrived].set(swap(a), mode="drop") for o, a in zip(out, local)]


def _stacked(arrays) -> tuple[list[jax.Array], list[tuple[int, int, int | None]]]:
    """The arrays stacked by dtype into (rows, n) matrices (one gather, permute and scatter per
    dtype instead of per array; a (rows, w) array, a list column's pairs, takes w columns), and
    each array's (matrix, first column, width or None for a vector)."""
    groups: dict = {}
    for i, a in enumerate(arrays):
        groups.setdefault(a.dtype, []).append(i)
    where: list[tuple[int, int, int | None]] = [(0, 0, None)] * len(arrays)
    for g, members in enumerate(groups.values()):
        at = 0
        for i in members:
            width = arrays[i].shape[1] if arrays[i].ndim == 2 else None
            where[i] = (g, at, width)
            at += width or 1
    return [jnp.concatenate([arrays[i].reshape(arrays[i].shape[0], -1) for i in members], axis=1)
            for members in groups.values()], where


def _concat_body(parts, lives, *, axis: str, num_shards: int, kept: tuple[int, ...], limit: int):
    me = jax.lax.axis_index(axis)
    block = sum(kept)
    cut = [_compacted(list(p), l, m) for p, l, m in zip(parts, lives, kept)]
    # the mask travels as uint8 with the columns (ppermute of bool is not portable)
    local, where = _stacked([jnp.concatenate(a) for a in zip(*([*c[0], c[1].astype(jnp.uint8)] for c in cut))])
    out = [jnp.zeros_like(a) for a in local]
    copies, rounds, tail = schedule(kept, num_shards, limit)
    for steps, moving in ((copies, False), (rounds, True)):
        source, target, rows = (jnp.asarray(t)[:, me] for t in (steps.source, steps.target, steps.rows))
        for r, cap in enumerate(steps.capacity):
            take = jnp.clip(source[r] + jnp.arange(cap, dtype=jnp.int64), 0, block - 1)
            sent = [a[take] for a in local]
            got = jax.lax.ppermute(sent, axis, steps.pairs[r]) if moving else sent
            out = [_place(o, g, rows[r], target[r]) for o, g in zip(out, got)]
    if tail is not None:
        out = _tail_exchange(local, out, tail, me, axis=axis, num_shards=num_shards)
    arrays = [out[g][:, j] if w is None else out[g][:, j:j + w] for g, j, w in where]
    mask = arrays[-1].astype(bool)
    counts = jax.lax.all_gather(jnp.sum(mask, dtype=jnp.int64), axis)
    before = jnp.sum(jnp.where(jnp.arange(num_shards) < me, counts, 0))
    positions = before + jnp.cumsum(mask, dtype=jnp.int64) - 1
    return tuple(arrays[:-1]), mask, positions


@partial(jax.jit, static_argnames=("sharding", "kept", "limit"))
def concat_program(parts, lives, *, sharding: RowSharding, kept: tuple[int, ...], limit: int):
    """(arrays, live mask, global live positions) of the concatenation: input i contributes its
    first ``kept[i]`` local slots (live ones first when cut) per device; at most ``limit``
    collective-permute rounds (the rest by one all_to_all)."""
    rows = P(sharding.axis)
    body = partial(_concat_body, axis=sharding.axis, num_shards=sharding.num_shards, kept=kept, limit=limit)
    return jax.shard_map(body, mesh=sharding.mesh, in_specs=(rows, rows), out_specs=(rows, rows, rows),
                         check_vma=False)(tuple(tuple(p) for p in parts), tuple(lives))


def kept_slots(counts: np.ndarray, local: Sequence[int]) -> tuple[int, ...]:
    """Per input, the slots per device it keeps: the most live rows one device holds,
    bucketed (at most the shard); at least one slot in all."""
    kept = [min(bucket_capacity(int(c)), m) if c else 0 for c, m in zip(counts.max(axis=0), local)]
    if not any(kept):
        kept[0] = 1
    return tuple(kept)


def concat_rows(parts: Sequence[Sequence[jax.Array]], lives: Sequence[jax.Array],
                sharding: RowSharding) -> tuple[list[jax.Array], jax.Array, jax.Array]:
    """The row arrays of k row-sharded inputs (equal structure and dtypes, each with its live
    mask) concatenated in order: (arrays, live mask, live rows' global positions), row-sharded."""
    shards = sharding.num_shards
    local = tuple(l.shape[0] // shards for l in lives)
    if is_traced(*lives, *(a for p in parts for a in p)):
        kept = local
    else:
        kept = kept_slots(np.asarray(device_get(live_counts(tuple(lives), sharding=sharding))), local)
    arrays, mask, positions = concat_program(tuple(tuple(p) for p in parts), tuple(lives), sharding=sharding,
                                             kept=kept, limit=round_limit(len(kept)))
    return list(arrays), mask, positions
