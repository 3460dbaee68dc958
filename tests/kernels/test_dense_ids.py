"""The C++ dense group-id kernel against its pure-JAX twin and a numpy reference: int32, int64
and bool keys, several keys (mixed radix), nullable keys, stepped (temporal) keys, dead rows
holding out-of-range values, sort and first-appearance order, and a size that splits the rows
over several tasks (first appearances merged across chunks)."""

import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import native
from jaxframes.kernels.dense_ids import dense_group_ids, dense_group_ids_jax, dense_group_ids_native


def reference(datas, presents, lows, sizes, live, steps, nullable, num_slots, sort):
    n = live.shape[0]
    slot = np.zeros(n, np.int64)
    for data, present, low, size, step, has_null in zip(datas, presents, lows, sizes, steps, nullable):
        code = np.clip((data.astype(np.int64) - low) // step, 0, size - 1)
        if has_null:
            code = np.where(present, code, size)
            size += 1
        slot = slot * size + code
    live_slots = slot[live]
    uniq, first = np.unique(live_slots, return_index=True)
    rows = np.flatnonzero(live)[first]
    if not sort:
        by = np.argsort(rows, kind="stable")
        uniq, rows = uniq[by], rows[by]
    position = dict(zip(uniq.tolist(), range(len(uniq))))
    ids = np.full(n, num_slots, np.int32)
    ids[live] = [position[s] for s in live_slots.tolist()]
    group_rows = np.full(num_slots, max(n - 1, 0), np.int64)
    group_rows[:len(rows)] = rows
    return ids, group_rows, len(uniq)


def check(datas, presents, lows, sizes, live, steps, nullable, num_slots):
    args = (tuple(jnp.asarray(d) for d in datas), tuple(jnp.asarray(p) for p in presents),
            np.asarray(lows, np.int64), np.asarray(sizes, np.int64), jnp.asarray(live))
    for sort in (False, True):
        kw = dict(steps=tuple(steps), num_slots=num_slots, nullable=tuple(nullable), sort=sort)
        want = reference(datas, presents, lows, sizes, live, steps, nullable, num_slots, sort)
        paths = [dense_group_ids_jax(*args, **kw), dense_group_ids(*args, **kw)]
        if native.available():
            paths.append(dense_group_ids_native(*args, **kw))
        for ids, group_rows, count in paths:
            assert ids.dtype == jnp.int32
            np.testing.assert_array_equal(np.asarray(ids), want[0])
            np.testing.assert_array_equal(np.asarray(group_rows), want[1])
            assert int(count) == want[2]


@pytest.mark.parametrize("n", [50, 300_000])
def test_one_key(n):
    rng = np.random.default_rng(n)
    data = rng.integers(-3, 97, n).astype(np.int32)
    live = rng.random(n) < 0.9
    data[~live] = 10_000  # dead rows out of range
    check([data], [np.ones(n, bool)], [-3], [100], live, [1], [False], 128)


def test_keys_mixed_radix_nulls_steps():
    rng = np.random.default_rng(1)
    n = 2_000
    a = rng.integers(5, 12, n)                                  # int64, low 5
    b = rng.random(n) < 0.5                                    # bool
    c = rng.integers(0, 4, n) * 3_600 + 7                      # stepped: hours, low 7
    pa, pc = rng.random(n) < 0.8, rng.random(n) < 0.9           # nullable a and c
    live = rng.random(n) < 0.95
    check([a, b, c], [pa, np.ones(n, bool), pc], [5, 0, 7], [7, 2, 4], live, [1, 1, 3_600],
          [True, False, True], 256)


def test_no_live_row():
    n = 10
    check([np.arange(n, dtype=np.int32)], [np.ones(n, bool)], [0], [1], np.zeros(n, bool), [1], [False], 8)


@pytest.mark.parametrize("n, dtype", [(0, np.int64), (40, np.int64), (300_000, np.int32)])
def test_group_positions(n, dtype):
    from jaxframes.kernels.dense_ids import group_positions, group_positions_jax, group_positions_native
    rng = np.random.default_rng(n)
    num_slots = 64
    ids = rng.integers(0, num_slots + 3, n).astype(dtype)  # some ids outside the slots
    live = rng.random(n) < 0.9
    inside = live & (ids < num_slots)
    want_pos = np.full(n, -1, np.int64)
    rows = np.flatnonzero(inside)
    by = rows[np.argsort(ids[rows], kind="stable")]
    sorted_ids = ids[by]
    starts = np.r_[True, sorted_ids[1:] != sorted_ids[:-1]] if by.size else np.zeros(0, bool)
    run_start = np.maximum.accumulate(np.where(starts, np.arange(by.size), 0)) if by.size else by
    want_pos[by] = np.arange(by.size) - run_start
    counter = np.bincount(ids[rows], minlength=num_slots)
    args = (jnp.asarray(ids), jnp.asarray(live))
    paths = [group_positions_jax(*args, num_slots), group_positions(*args, num_slots)]
    if native.available() and n:
        paths.append(group_positions_native(*args, num_slots))
    for pos, size in paths:
        np.testing.assert_array_equal(np.asarray(pos), want_pos)
        np.testing.assert_array_equal(np.asarray(size), counter)


def test_single_task_sparse_domain_sorted_then_unsorted():
    """A slot domain larger than the rows (one task, its slot table kept between calls): keys
    first seen in increasing order (no pass over the domain), then shuffled, then a smaller
    domain after a larger one: every call starts from a clean table."""
    rng = np.random.default_rng(5)
    for n, size, shuffle in [(400, 5000, False), (400, 5000, True), (300, 700, True), (50, 5000, False)]:
        data = np.sort(rng.integers(0, size, n))
        if shuffle:
            rng.shuffle(data)
        live = rng.random(n) < 0.8
        check([data], [np.ones(n, bool)], [0], [size], live, [1], [False], 1 << (size - 1).bit_length())


def test_run_ids_of_a_sorted_key():
    """Runs of a key sorted by the key: the same outputs as the dense kernel (first-appearance
    order is key order), twin and C++; dead rows hold out-of-order values."""
    from jaxframes.kernels.dense_ids import run_ids, run_ids_jax, run_ids_native
    rng = np.random.default_rng(5)
    n = 2000
    data = np.sort(rng.integers(0, 10**9, n)) // 1000 * 1000  # repeats, a sparse domain
    live = rng.random(n) < 0.85
    data[~live] = rng.integers(-10**12, 10**12, int((~live).sum()))
    count = len(np.unique(data[live]))
    num_slots = 2048
    want = reference([data], [np.ones(n, bool)], [int(data[live].min())], [int(data[live].max() - data[live].min()) + 1],
                     live, [1], [False], num_slots, True)
    d, u = jnp.asarray(data, jnp.int64), jnp.asarray(live)
    paths = [run_ids_jax(d, u, num_slots), run_ids(d, u, num_slots=num_slots)]
    if native.available():
        paths.append(run_ids_native(d, u, num_slots))
    for ids, group_rows, got in paths:
        assert ids.dtype == jnp.int32 and int(got) == count == want[2]
        np.testing.assert_array_equal(np.asarray(ids), want[0])
        np.testing.assert_array_equal(np.asarray(group_rows), want[1])
