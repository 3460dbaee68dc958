"""The C++ group-stats kernel (csrc/group_kernels.cc) against its pure-JAX twin and numpy:
count, mean, two-pass sum of squared deviations and quantiles (median = mean of the two middle
values; other q: linear interpolation), unsorted ids, absent rows, ids outside the slots, empty
groups, and a sizeable case that takes the threaded path."""

import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import group_stats as gs
from jaxframes.kernels import native


def reference(values, ids, present, num_slots, q):
    out = []
    for g in range(num_slots):
        x = values[(ids == g) & present]
        c = len(x)
        mean = x.mean() if c else 0.0
        m2 = ((x - mean) ** 2).sum() if c else 0.0
        quant = np.quantile(x, q) if c else np.nan
        out.append((c, mean, m2, quant))
    return [np.array(col) for col in zip(*out)]


def paths():
    fns = [gs.group_stats_jax, gs.group_stats]
    if native.available():
        fns.append(gs.group_stats_native)
    return fns


@pytest.mark.parametrize("n,num_slots", [(0, 3), (1, 1), (50, 7), (300_000, 40)])
@pytest.mark.parametrize("q", [0.5, 0.25])
def test_matches_numpy(n, num_slots, q):
    rng = np.random.default_rng(n + num_slots)
    values = rng.normal(size=n)
    values[::11] = np.nan
    ids = rng.integers(-1, num_slots + 2, n)  # some ids outside the slots: skipped
    present = ~np.isnan(values) & (rng.random(n) > 0.1)
    want = reference(values, ids, present, num_slots, q)
    for fn in paths():
        got = [np.asarray(a) for a in fn(jnp.asarray(values), jnp.asarray(ids), jnp.asarray(present),
                                         num_slots=num_slots, q=q)]
        np.testing.assert_array_equal(got[0], want[0], err_msg=fn.__name__)
        for a, b in zip(got[1:], want[1:]):
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9, err_msg=fn.__name__)


def test_without_quantile_and_empty_groups():
    values, ids = jnp.asarray([1.0, 2.0, 4.0]), jnp.asarray([0, 0, 2])
    for fn in paths():
        count, mean, m2, quant = (np.asarray(a) for a in fn(values, ids, jnp.ones(3, bool), num_slots=3))
        assert count.tolist() == [2, 0, 1] and mean.tolist() == [1.5, 0.0, 4.0] and m2.tolist() == [0.5, 0.0, 0.0]
        assert np.isnan(quant).all()


def test_q_out_of_range_raises():
    with pytest.raises(ValueError, match="quantile q must be between 0 and 1"):
        gs.group_stats(jnp.ones(2), jnp.zeros(2, jnp.int64), jnp.ones(2, bool), num_slots=1, q=1.5)


# -- group_reduce: several columns in one pass -------------------------------------------------
def reduce_paths():
    fns = [gs.group_reduce_jax, gs.group_reduce]
    if native.available():
        fns.append(gs.group_reduce_native)
    return fns


def reduce_reference(values, present, ids, live, num_slots, op, acc, nan_null):
    ok = live & (np.ones(len(values), bool) if present is None else present)
    if nan_null:
        ok &= ~np.isnan(values)
    x = values.astype(acc)
    out, count = [], []
    for g in range(num_slots):
        sel = x[ok & (ids == g)]
        count.append(len(sel))
        if op == "sum":
            out.append(sel.sum(dtype=acc) if len(sel) else acc.type(0))
        elif len(sel) == 0:
            out.append(gs._acc_identity(op, acc))
        else:
            out.append(sel.min() if op == "min" else sel.max())
    return np.array(out, acc), np.array(count)


@pytest.mark.parametrize("n,num_slots,id_dtype", [(0, 3, np.int64), (1, 1, np.int64), (60, 7, np.int64),
                                                   (300_000, 40, np.int64), (60, 7, np.int32), (300_000, 40, np.int32)])
def test_group_reduce_matches_numpy(n, num_slots, id_dtype):
    # int32 ids (a dense grouping's) are read as they are by the C++ kernel: no int64 copy
    rng = np.random.default_rng(n + num_slots)
    floats = rng.normal(size=n)
    floats[::13] = np.nan
    ints32 = rng.integers(-5, 6, n).astype(np.int32)
    bools = rng.random(n) > 0.5
    big = np.full(n, np.iinfo(np.int64).max - 1, np.int64)  # sums wrap like numpy's
    mask = rng.random(n) > 0.2
    columns = [(floats, None), (floats, mask), (ints32, mask), (bools, None), (floats.astype(np.float32), None),
               (ints32, None), (big, None)]
    specs = [("sum", np.dtype(np.float64), True), ("min", np.dtype(np.float64), True),
             ("sum", np.dtype(np.float64), False), ("sum", np.dtype(np.int64), False),
             ("max", np.dtype(np.float32), True), ("max", np.dtype(np.int32), False),
             ("sum", np.dtype(np.int64), False)]
    ids = rng.integers(-1, num_slots + 2, n).astype(id_dtype)  # some ids outside the slots: skipped
    live = rng.random(n) > 0.1
    jcols = tuple((jnp.asarray(v), None if p is None else jnp.asarray(p)) for v, p in columns)
    for fn in reduce_paths():
        got = fn(jnp.asarray(ids), jnp.asarray(live), jcols, specs=tuple(specs), num_slots=num_slots)
        for (values, present), spec, (acc, count) in zip(columns, specs, got):
            want_acc, want_count = reduce_reference(values, present, ids, live, num_slots, *spec)
            assert np.asarray(acc).dtype == spec[1], fn.__name__
            np.testing.assert_array_equal(np.asarray(count), want_count, err_msg=f"{fn.__name__} {spec}")
            np.testing.assert_allclose(np.asarray(acc), want_acc, rtol=1e-6 if spec[1] == np.float32 else 1e-10,
                                       err_msg=f"{fn.__name__} {spec}")


def test_group_reduce_min_max_rules():
    """NaN propagates through min/max when it is present (nan_null False); -0.0 orders below
    +0.0 whatever the row order; an empty group holds the identity."""
    values = jnp.asarray([0.0, -0.0, 1.0, np.nan, -0.0, 0.0])
    ids = jnp.asarray([0, 0, 1, 1, 2, 2])
    live = jnp.ones(6, bool)
    specs = (("min", np.dtype(np.float64), False), ("max", np.dtype(np.float64), False))
    for fn in reduce_paths():
        (lo, _), (hi, count) = fn(ids, live, ((values, None), (values, None)), specs=specs, num_slots=4)
        lo, hi = np.asarray(lo), np.asarray(hi)
        assert np.signbit(lo[0]) and np.signbit(lo[2]) and not np.signbit(hi[0]) and not np.signbit(hi[2])
        assert np.isnan(lo[1]) and np.isnan(hi[1]), fn.__name__
        assert lo[3] == np.inf and hi[3] == -np.inf and np.asarray(count).tolist() == [2, 2, 2, 0]


@pytest.mark.skipif(not native.available(), reason="C++ extension not built")
def test_group_reduce_native_refuses_unknown_dtypes():
    with pytest.raises(Exception, match="group_reduce: values: float64.*accumulators: float64"):
        gs.group_reduce_native(jnp.zeros(3, jnp.int64), jnp.ones(3, bool), ((jnp.ones(3), None),),
                               specs=(("sum", np.dtype(np.int16), False),), num_slots=2)
