"""Stable argsort: the C++ radix path, the pure-JAX path and the dispatcher against a numpy oracle
(np.lexsort over ranks), eagerly, under jit and vmap; pandas sort_values as a cross-check.
The key values (sort_key_cases) include NaN, +-0.0, +-inf, negative values and the dtype
extremes; sizes run from empty and one row to one 1e6-row case."""

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels import native, sort
from jaxframes.kernels.keys import SortKey, pack_keys
from frames import spread
from sort_key_cases import KINDS, HostKey, make_key, oracle_argsort

PATHS = {"dispatch": sort.argsort, "jax": sort.argsort_jax, "native": sort.argsort_native}


def run_paths(keys: list[HostKey], *, jit: bool = False):
    """Yields (path name, permutation) for every path, optionally under jit."""
    device_keys = [k.to_device() for k in keys]
    for name, fn in PATHS.items():
        if name == "native" and not native.available():
            continue
        perm = (jax.jit(fn) if jit else fn)(device_keys)
        assert perm.dtype == jnp.int64, name
        yield name, np.asarray(perm)


def check(keys: list[HostKey], *, jit: bool = False) -> None:
    expected = oracle_argsort(keys)
    for name, perm in run_paths(keys, jit=jit):
        np.testing.assert_array_equal(perm, expected, err_msg=name)


def test_native_extension_is_built():
    assert native.available(), "the C++ extension jaxframes._native did not build/import"


@pytest.mark.parametrize(("kind", "n", "ascending", "na_position", "with_validity"), spread(
    KINDS, (0, 1, 7, 1000),
    ((True, "last", False), (False, "first", True), (True, "first", True), (False, "last", False)), stride=2))
def test_single_key(kind, n, ascending, na_position, with_validity):
    rng = np.random.default_rng(n)
    check([make_key(kind, n, rng, ascending=ascending, na_position=na_position,
                    with_validity=with_validity)])


@pytest.mark.parametrize("kinds", [
    ("int32", "int32"),                 # packed into one uint64 word
    ("bool", "codes", "float32"),       # packed into one uint64 word
    ("int64", "float64"),               # two words
    ("datetime", "int32", "bool"),      # crosses a word boundary
    ("float64", "int64", "codes"),      # three words
])
@pytest.mark.parametrize("n", [0, 7, 1000])
def test_several_keys(kinds, n):
    rng = np.random.default_rng(n + len(kinds))
    keys = [make_key(k, n, rng, ascending=bool(i % 2), na_position=("last", "first")[i % 2],
                     with_validity=(i == 0)) for i, k in enumerate(kinds)]
    check(keys)
    check(keys, jit=True)


@pytest.mark.parametrize("kinds", [("int64",), ("int32", "int32"), ("int64", "int32")])
def test_large_threaded(kinds):
    # 100_000 rows run the C++ kernel multi-threaded on machines with >= 2 cores.
    rng = np.random.default_rng(1)
    check([make_key(k, 100_000, rng, ascending=(i == 0), with_validity=(i == 1))
           for i, k in enumerate(kinds)])


def test_million_rows_with_nan_and_nulls():
    # One 1e6-row case: float64 with NaN, +-0.0, +-inf and the extremes, a validity mask, descending.
    rng = np.random.default_rng(2)
    check([make_key("float64", 1_000_000, rng, ascending=False, na_position="first", with_validity=True)])


@pytest.mark.skipif(not native.available(), reason="C++ extension not built")
def test_native_empty_input():
    for dtype in (jnp.uint64, jnp.uint32):
        perm = sort._argsort_words_native(jnp.zeros(0, dtype), jnp.zeros(0, dtype))
        assert perm.shape == (0,) and perm.dtype == jnp.int64


@pytest.mark.skipif(not native.available(), reason="C++ extension not built")
@pytest.mark.parametrize("num_threads", [1, 2, 3, 8])
@pytest.mark.parametrize("n", [7, 300, 1001])
def test_forced_threads_and_radix_on_small_inputs(num_threads, n):
    # num_threads > 0 forces the radix path even below the small-input cutoff, with uneven chunks.
    rng = np.random.default_rng(num_threads)
    keys = [make_key("int64", n, rng), make_key("float32", n, rng, ascending=False)]
    perm = sort.argsort_native([k.to_device() for k in keys], num_threads=num_threads)
    np.testing.assert_array_equal(np.asarray(perm), oracle_argsort(keys))


def test_all_equal_and_presorted_keys():
    # every digit constant (all passes skipped) and already-sorted input
    for values in (np.full(1000, 42, np.int64), np.arange(1000, dtype=np.int64),
                   np.arange(1000, 0, -1).astype(np.int64)):
        check([HostKey("int64", values)])


def test_stability_on_ties():
    values = np.repeat(np.array([3, 1, 2], np.int32), 400)
    for ascending in (True, False):
        key = HostKey("int32", values, ascending=ascending)
        for name, perm in run_paths([key]):
            for v in (1, 2, 3):
                run = perm[values[perm] == v]
                assert np.all(np.diff(run) > 0), name


def test_vmap_over_batches():
    rng = np.random.default_rng(3)
    data = rng.integers(-5, 5, (4, 50))
    validity = rng.random((4, 50)) < 0.8
    for name, fn in PATHS.items():
        if name == "native" and not native.available():
            continue
        perms = jax.vmap(lambda d, v: fn([SortKey(d, validity=v, na_position="first")]))(
            jnp.asarray(data), jnp.asarray(validity))
        for row, valid, perm in zip(data, validity, perms):
            expected = oracle_argsort([HostKey("int64", row, valid, na_position="first")])
            np.testing.assert_array_equal(np.asarray(perm), expected, err_msg=name)


def test_vmap_of_jit_with_two_words():
    rng = np.random.default_rng(4)
    a, b = rng.integers(0, 3, (3, 40)), rng.normal(size=(3, 40)).round(0)
    perms = jax.vmap(jax.jit(lambda x, y: sort.argsort([SortKey(x), SortKey(y, ascending=False)])))(
        jnp.asarray(a), jnp.asarray(b))
    for x, y, perm in zip(a, b, perms):
        expected = oracle_argsort([HostKey("int64", x), HostKey("float64", y, ascending=False)])
        np.testing.assert_array_equal(np.asarray(perm), expected)


@pytest.mark.parametrize("ascending", [True, False])
@pytest.mark.parametrize("na_position", ["first", "last"])
def test_matches_pandas_sort_values(ascending, na_position):
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"a": rng.integers(0, 4, 300).astype(float), "b": rng.normal(size=300).round(1)})
    df.loc[rng.random(300) < 0.2, "a"] = np.nan
    df.loc[rng.random(300) < 0.2, "b"] = np.nan
    expected = df.sort_values(["a", "b"], ascending=ascending, na_position=na_position,
                              kind="stable").index.to_numpy()
    keys = [SortKey(jnp.asarray(df[c].to_numpy()), ascending=ascending, na_position=na_position)
            for c in ("a", "b")]
    for fn in PATHS.values():
        np.testing.assert_array_equal(np.asarray(fn(keys)), expected)


def test_sorted_segments():
    rng = np.random.default_rng(6)
    a, b = rng.integers(0, 3, 200).astype(np.int32), rng.integers(0, 2, 200).astype(np.int32)
    perm, sorted_words = sort.sort_words(pack_keys([SortKey(jnp.asarray(a)), SortKey(jnp.asarray(b))]).words)
    starts, ids = sort.sorted_segments(sorted_words)
    pairs = np.stack([a, b], 1)[np.asarray(perm)]
    expected_starts = np.concatenate([[True], np.any(pairs[1:] != pairs[:-1], axis=1)])
    np.testing.assert_array_equal(np.asarray(starts), expected_starts)
    np.testing.assert_array_equal(np.asarray(ids), np.cumsum(expected_starts) - 1)
    empty_starts, empty_ids = sort.sorted_segments([jnp.zeros(0, jnp.uint32)])
    assert empty_starts.shape == empty_ids.shape == (0,)


def test_bad_input_raises():
    with pytest.raises(ValueError, match="at least one"):
        sort.argsort([])
    with pytest.raises(ValueError, match="num_threads"):
        sort.argsort_native([SortKey(jnp.arange(3))], num_threads=-1)
    if native.available():  # the kernel's own check, raised through the handler's guard
        with pytest.raises(jax.errors.JaxRuntimeError, match="radix_argsort: num_threads > 1024"):
            sort.argsort_native([SortKey(jnp.arange(3))], num_threads=2000)


_kind = st.sampled_from(KINDS)


@given(st.lists(st.tuples(_kind, st.booleans(), st.sampled_from(["first", "last"]), st.booleans()),
                min_size=1, max_size=3),
       st.integers(0, 60), st.integers(0, 2**32 - 1))
def test_property_matches_oracle(specs, n, seed):
    rng = np.random.default_rng(seed)
    keys = [make_key(kind, n, rng, ascending=asc, na_position=na, with_validity=val)
            for kind, asc, na, val in specs]
    check(keys)
