"""Key normalization and packing: the packed words must order rows like the oracle does.

The words are sorted on the host with np.lexsort, so these tests check keys.py alone,
independently of the sort kernels.
"""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxframes  # noqa: F401  (enables x64)
from jaxframes.kernels.keys import SortKey, normalize, pack_keys
from sort_key_cases import KINDS, HostKey, make_key, oracle_argsort


def host_order(keys: list[HostKey]) -> np.ndarray:
    words = [np.asarray(w) for w in pack_keys([k.to_device() for k in keys]).words]
    return np.lexsort(words[::-1])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("ascending", [True, False])
@pytest.mark.parametrize("na_position", ["last", "first"])
@pytest.mark.parametrize("with_validity", [False, True])
def test_single_key_order(kind, ascending, na_position, with_validity):
    rng = np.random.default_rng(hash((kind, ascending, na_position, with_validity)) % 2**32)
    key = make_key(kind, 500, rng, ascending=ascending, na_position=na_position,
                   with_validity=with_validity)
    np.testing.assert_array_equal(host_order([key]), oracle_argsort([key]))


def test_signed_zero_ties_and_nan_is_null():
    x = np.array([0.0, -0.0, np.nan, -np.inf, np.inf, -0.0, np.nan, 0.0])
    for ascending in (True, False):
        for na in ("last", "first"):
            key = HostKey("float64", x, ascending=ascending, na_position=na)
            np.testing.assert_array_equal(host_order([key]), oracle_argsort([key]))
    (field,) = normalize(SortKey(jnp.asarray(x)))
    v = np.asarray(field.value)
    assert v[0] == v[1] == v[5] == v[7]  # -0.0 == 0.0
    assert v[2] == v[6] > v[4] > v[0] > v[3] == 0  # NaN (null, last) > inf > 0 > -inf


def test_nulls_ignore_garbage_values():
    values = np.array([5, 1, 9, 1, 3], np.int32)
    validity = np.array([True, False, True, False, True])
    other = values.copy()
    other[~validity] = [-7, 12345]
    for na in ("first", "last"):
        a = pack_keys([SortKey(jnp.asarray(values), validity=jnp.asarray(validity), na_position=na)])
        b = pack_keys([SortKey(jnp.asarray(other), validity=jnp.asarray(validity), na_position=na)])
        for wa, wb in zip(a.words, b.words):
            np.testing.assert_array_equal(np.asarray(wa), np.asarray(wb))


@pytest.mark.parametrize("kinds", [
    ("int32", "int32"), ("bool", "codes", "float32"), ("int64", "int32"),
    ("float64", "float64", "bool"), ("datetime", "codes"), ("uint32", "bool", "int64"),
])
def test_several_keys_order(kinds):
    rng = np.random.default_rng(len(kinds))
    keys = [make_key(k, 400, rng, ascending=bool(i % 2), na_position=("first", "last")[i % 2],
                     with_validity=(i == 1)) for i, k in enumerate(kinds)]
    np.testing.assert_array_equal(host_order(keys), oracle_argsort(keys))


def _bits(*keys: SortKey) -> tuple[tuple[int, ...], int, np.dtype]:
    packed = pack_keys(list(keys))
    return packed.bits, len(packed.words), np.dtype(packed.words[0].dtype)


def test_bit_widths_and_packing():
    n = 4
    i32, i64 = jnp.zeros(n, jnp.int32), jnp.zeros(n, jnp.int64)
    f32, f64 = jnp.zeros(n, jnp.float32), jnp.zeros(n, jnp.float64)
    b = jnp.zeros(n, bool)
    valid = jnp.ones(n, bool)
    assert _bits(SortKey(b)) == ((1,), 1, np.uint32)
    assert _bits(SortKey(b, validity=valid)) == ((2,), 1, np.uint32)
    assert _bits(SortKey(i32)) == ((32,), 1, np.uint32)
    assert _bits(SortKey(i32, validity=valid)) == ((33,), 1, np.uint64)
    assert _bits(SortKey(i32), SortKey(i32)) == ((32, 32), 1, np.uint64)
    assert _bits(SortKey(i32), SortKey(b)) == ((32, 1), 1, np.uint64)
    assert _bits(SortKey(b), SortKey(b), SortKey(b)) == ((1, 1, 1), 1, np.uint32)
    assert _bits(SortKey(f32), SortKey(f32)) == ((32, 32), 1, np.uint64)  # NaN needs no extra bit
    assert _bits(SortKey(f64)) == ((64,), 1, np.uint64)
    assert _bits(SortKey(i64, kind="M")) == ((64,), 1, np.uint64)  # NaT needs no extra bit
    assert _bits(SortKey(i64)) == ((64,), 1, np.uint64)
    assert _bits(SortKey(i64, validity=valid)) == ((1, 64), 2, np.uint64)  # leading null bit
    assert _bits(SortKey(i64), SortKey(i64)) == ((64, 64), 2, np.uint64)
    codes = jnp.zeros(n, jnp.int32)
    assert _bits(SortKey(codes, kind="U", domain=5)) == ((3,), 1, np.uint32)
    assert _bits(SortKey(codes, kind="U", domain=4)) == ((2,), 1, np.uint32)
    assert _bits(SortKey(codes, kind="U", domain=4, validity=valid)) == ((3,), 1, np.uint32)
    assert _bits(SortKey(codes, kind="U", domain=1000), SortKey(f64)) == ((10, 64), 2, np.uint64)


def test_split_fields_cross_word_boundaries():
    rng = np.random.default_rng(7)
    keys = [HostKey("codes", rng.integers(0, 1000, 300).astype(np.int32), domain=1000),
            HostKey("float64", rng.normal(size=300).round(1), ascending=False),
            HostKey("int32", rng.integers(-3, 3, 300).astype(np.int32), rng.random(300) < 0.7)]
    packed = pack_keys([k.to_device() for k in keys])
    assert len(packed.words) == 2 and sum(packed.bits) == 10 + 64 + 33
    np.testing.assert_array_equal(host_order(keys), oracle_argsort(keys))


def test_under_jit_and_vmap():
    x = jnp.asarray(np.random.default_rng(0).normal(size=(3, 20)))
    direct = [pack_keys([SortKey(row, ascending=False)]).words[0] for row in x]
    jitted = jax.jit(lambda k: pack_keys([k]).words[0])(SortKey(x[0], ascending=False))
    mapped = jax.vmap(lambda r: pack_keys([SortKey(r, ascending=False)]).words[0])(x)
    np.testing.assert_array_equal(np.asarray(jitted), np.asarray(direct[0]))
    np.testing.assert_array_equal(np.asarray(mapped), np.stack([np.asarray(d) for d in direct]))


def test_bad_input_raises():
    x = jnp.arange(3)
    with pytest.raises(ValueError, match="na_position"):
        pack_keys([SortKey(x, na_position="middle")])
    with pytest.raises(ValueError, match="at least one"):
        pack_keys([])
    with pytest.raises(ValueError, match="same length"):
        pack_keys([SortKey(x), SortKey(jnp.arange(4))])
    with pytest.raises(TypeError, match="cannot hold"):
        pack_keys([SortKey(jnp.zeros(3), kind="M")])
    with pytest.raises(TypeError, match="kind"):
        pack_keys([SortKey(x, kind="z")])
    with pytest.raises(ValueError, match="1-D"):
        pack_keys([SortKey(jnp.zeros((2, 2)))])
