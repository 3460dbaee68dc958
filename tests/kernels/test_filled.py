"""kernels.filled.zeros: jnp.zeros, with the zero-length array shared per dtype and x64 mode
(schema passes ask for it hundreds of times per query)."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels.filled import zeros

DTYPES = [np.bool_, np.int8, np.int32, np.int64, np.uint64, np.float32, np.float64]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("n", [0, 1, 5])
def test_matches_jnp_zeros(dtype, n):
    got, want = zeros(n, dtype), jnp.zeros(n, dtype)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(np.asarray(got), np.asarray(want))


def test_empty_is_shared_per_dtype():
    assert zeros(0, np.int64) is zeros(0, "int64")
    assert zeros(0, bool) is not zeros(0, np.int64)
    assert zeros(3, bool) is not zeros(3, bool)  # only the zero-length array is shared


def test_follows_the_x64_mode():
    with jax.enable_x64(False):
        narrow = zeros(0, np.int64)
        assert narrow.dtype == jnp.zeros(0, np.int64).dtype == np.int32
    assert zeros(0, np.int64).dtype == np.int64


def test_usable_inside_jit():
    @jax.jit
    def f(x):
        return jnp.concatenate([x, zeros(0, x.dtype)]) + zeros(x.shape[0], x.dtype)

    np.testing.assert_array_equal(np.asarray(f(jnp.arange(3))), [0, 1, 2])
    assert f(jnp.zeros(0, np.int64)).shape == (0,)


def test_column_take_of_no_rows_keeps_dtype_validity_and_dictionary():
    """Column.take with an empty index (every schema pass) skips the gather."""
    import pandas as pd

    from jaxframes.column import from_pandas_series

    for values in (pd.Series([1, None, 3], dtype="Int64"), pd.Series(["x", "y", None], dtype="str"),
                   pd.Series([1.5, 2.5, 3.5])):
        col = from_pandas_series(values)
        got = col.take(jnp.zeros(0, np.int64))
        want = col.take(jnp.asarray([0, 1, 2]))
        assert got.dtype == want.dtype and got.data.dtype == want.data.dtype and got.data.shape == (0,)
        assert (got.validity is None) == (want.validity is None)
        assert got.dictionary is col.dictionary
