"""The static schedule of the distributed concat (distributed/concat.py), checked on the host by
playing it on numpy arrays: every output slot written once, from the slot pandas' order puts
there; every ppermute round a partial permutation; the buffers flat in the device count."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from jaxframes.distributed.concat import round_limit, schedule


def play(kept: tuple[int, ...], shards: int, limit: int = 8) -> np.ndarray:
    """(S, M) output: the global id (input-major, device-major, slot) of each output slot."""
    block = sum(kept)
    local = np.zeros((shards, block), np.int64)  # a device's inputs side by side, as global ids
    below, at = 0, 0
    for m in kept:
        for d in range(shards):
            local[d, at:at + m] = below + d * m + np.arange(m)
        below, at = below + shards * m, at + m
    out = np.full((shards, block), -1, np.int64)
    copies, rounds, tail = schedule(kept, shards, limit)
    assert len(rounds.capacity) <= limit
    for c, cap in enumerate(copies.capacity):
        for d in range(shards):
            n = copies.rows[c, d]
            assert n <= cap
            src, dst = copies.source[c, d], copies.target[c, d]
            assert (out[d, dst:dst + n] == -1).all()
            out[d, dst:dst + n] = local[d, src:src + n]
    for c, cap in enumerate(rounds.capacity):
        senders = [d for d, _ in rounds.pairs[c]]
        receivers = [t for _, t in rounds.pairs[c]]
        assert len(set(senders)) == len(senders) and len(set(receivers)) == len(receivers)
        for d, t in rounds.pairs[c]:
            assert d != t
            n = rounds.rows[c, t]
            assert 0 < n <= cap
            src, dst = rounds.source[c, d], rounds.target[c, t]
            assert (out[t, dst:dst + n] == -1).all()
            out[t, dst:dst + n] = local[d, src:src + n]
    sent = np.zeros((shards, shards), np.int64)
    for d in range(shards) if tail is not None else ():
        for src, n, t, dst in zip(tail.source[d], tail.rows[d], tail.device[d], tail.target[d]):
            assert (out[t, dst:dst + n] == -1).all()
            out[t, dst:dst + n] = local[d, src:src + n]
            sent[d, t] += n
    assert tail is None or sent.max() == tail.capacity
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 40), min_size=1, max_size=4), st.integers(1, 12), st.integers(0, 8))
def test_schedule_writes_every_slot_in_pandas_order(kept, shards, limit):
    kept = tuple(kept) if sum(kept) else (1, *kept[1:])
    out = play(kept, shards, limit)
    assert (out.reshape(-1) == np.arange(shards * sum(kept))).all()


def test_equal_inputs_move_whole_shards_in_k_rounds_at_any_device_count():
    for shards in (8, 64, 512):
        copies, rounds, tail = schedule((1000, 1000, 1000), shards, round_limit(3))
        assert set(rounds.capacity) == {1000} and len(rounds.capacity) <= 3  # 3000 rows a device at most
        assert len(copies.capacity) <= 1 and tail is None


def test_a_small_input_over_many_devices_leaves_a_small_tail():
    """Its rows land on one or two devices, each receiving from hundreds: past the round limit
    the small pieces go by one all_to_all, the rounds keep the large ones."""
    copies, rounds, tail = schedule((1000, 8), 512, round_limit(2))
    assert len(rounds.capacity) == round_limit(2) and rounds.capacity[:2] == (1000, 1000)
    assert tail is not None and tail.capacity <= 8
