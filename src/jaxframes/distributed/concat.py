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
whose target is its source is a local copy; the others are edges of a bipartite multigraph
coloured greedily (largest pieces first; no device sends or receives twice in one colour). A
colour is one ``lax.ppermute`` round over the pairs of that colour, its buffer the largest piece
of the colour. A device's range of one input spans about ``m_i / M + 1`` blocks, so a device
sends and receives a handful of pieces (k for k equal inputs), whatever S is; with k equal
inputs every piece is one whole shard and the k rounds move exactly the rows that leave their
device: per device the bytes are those of its output block, flat in S. (``ragged_all_to_all``
would do the same in one collective; XLA:CPU does not implement it: ``tests/distributed``
checks that it still does not, so that the choice is revisited when it does.)

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


def _rounds(pieces: list[tuple[int, int, int, int, int]], shards: int, local: bool) -> Rounds:
    colour_of: list[int] = []
    busy_send: list[set[int]] = []
    busy_recv: list[set[int]] = []
    ordered = sorted(pieces, key=lambda p: (-p[4], p[0], p[1]))
    for d, t, _, _, _ in ordered:
        c = 0
        # local copies: one per device per round; edges: a device sends once and receives once
        while c < len(busy_send) and (d in busy_send[c] or t in busy_recv[c]):
            c += 1
        if c == len(busy_send):
            busy_send.append(set())
            busy_recv.append(set())
        busy_send[c].add(d)
        busy_recv[c].add(t)
        colour_of.append(c)
    count = len(busy_send)
    source = np.zeros((count, shards), np.int64)
    target = np.zeros((count, shards), np.int64)
    rows = np.zeros((count, shards), np.int64)
    capacity = [0] * count
    pairs: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    for (d, t, src, dst, n), c in zip(ordered, colour_of):
        source[c, d] = src
        target[c, t] = dst
        rows[c, t] = n
        capacity[c] = max(capacity[c], n)
        if not local:
            pairs[c].append((d, t))
    return Rounds(tuple(capacity), tuple(tuple(p) for p in pairs), source, target, rows)


@lru_cache(maxsize=256)
def schedule(kept: tuple[int, ...], shards: int) -> tuple[Rounds, Rounds]:
    """(local copies, ppermute rounds) that lay out k inputs of ``kept`` slots per device."""
    pieces = _pieces(kept, shards)
    local = [p for p in pieces if p[0] == p[1]]
    moving = [p for p in pieces if p[0] != p[1]]
    return _rounds(local, shards, True), _rounds(moving, shards, False)


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
    if kept == live.shape[0]:
        return arrays, live
    order = jnp.argsort(~live, stable=True)[:kept]
    return [a[order] for a in arrays], live[order]


def _place(out, buffer, start, rows, at):
    """``buffer[:rows]`` written to ``out[at:at + rows]``."""
    step = jnp.arange(buffer.shape[0], dtype=jnp.int64)
    return out.at[jnp.where(step < rows, at + step, out.shape[0])].set(buffer, mode="drop")


def _concat_body(parts, lives, *, axis: str, num_shards: int, kept: tuple[int, ...]):
    me = jax.lax.axis_index(axis)
    block = sum(kept)
    cut = [_compacted(list(p), l, m) for p, l, m in zip(parts, lives, kept)]
    # the mask travels as uint8 with the columns (ppermute of bool is not portable)
    local = [jnp.concatenate(a) for a in zip(*([*c[0], c[1].astype(jnp.uint8)] for c in cut))]
    out = [jnp.zeros((block,), a.dtype) for a in local]
    copies, rounds = schedule(kept, num_shards)
    for steps, moving in ((copies, False), (rounds, True)):
        source, target, rows = (jnp.asarray(t)[:, me] for t in (steps.source, steps.target, steps.rows))
        for r, cap in enumerate(steps.capacity):
            take = jnp.clip(source[r] + jnp.arange(cap, dtype=jnp.int64), 0, block - 1)
            sent = [a[take] for a in local]
            got = jax.lax.ppermute(sent, axis, steps.pairs[r]) if moving else sent
            out = [_place(o, g, source[r], rows[r], target[r]) for o, g in zip(out, got)]
    mask = out[-1].astype(bool)
    counts = jax.lax.all_gather(jnp.sum(mask, dtype=jnp.int64), axis)
    before = jnp.sum(jnp.where(jnp.arange(num_shards) < me, counts, 0))
    positions = before + jnp.cumsum(mask, dtype=jnp.int64) - 1
    return tuple(out[:-1]), mask, positions


@partial(jax.jit, static_argnames=("sharding", "kept"))
def concat_program(parts, lives, *, sharding: RowSharding, kept: tuple[int, ...]):
    """(arrays, live mask, global live positions) of the concatenation: input i contributes its
    first ``kept[i]`` local slots (live ones first when cut) per device."""
    rows = P(sharding.axis)
    body = partial(_concat_body, axis=sharding.axis, num_shards=sharding.num_shards, kept=kept)
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
                                             kept=kept)
    return list(arrays), mask, positions
