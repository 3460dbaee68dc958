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
