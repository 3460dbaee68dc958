"""Stable argsort of sort keys: the kernel behind sort_values, group-by and joins.

Keys are normalized and packed into unsigned words (keys.py), then sorted stably:
on the CPU backend by the C++ LSD radix argsort (csrc/radix_sort.cc; XLA's CPU sort is a
single-threaded comparison sort), elsewhere by ``lax.sort`` of (words..., row id), which on GPU
hits XLA's radix sort when one word holds every key. The pure-JAX path is the reference the C++
kernel is tested against. All entry points work eagerly, under ``jit`` and under ``vmap``.
"""

from __future__ import annotations

from collections.abc import Sequence

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes.kernels import native
from jaxframes.kernels.keys import SortKey, pack_keys
from jaxframes.executables import jit

__all__ = ["SortKey", "argsort", "argsort_jax", "argsort_native", "argsort_words",
           "sort_words", "sorted_segments"]

_TARGETS = {np.dtype(np.uint64): "jaxframes_radix_argsort_u64",
            np.dtype(np.uint32): "jaxframes_radix_argsort_u32"}


def _index_dtype() -> jnp.dtype:
    return jnp.dtype(jnp.int64 if jax.config.read("jax_enable_x64") else jnp.int32)


def _check_words(words: Sequence[jax.Array]) -> tuple[jax.Array, ...]:
    words = tuple(words)
    if not words:
        raise ValueError("at least one sort key word is required")
    if any(w.shape != words[0].shape or w.ndim != 1 for w in words):
        raise ValueError("sort key words must be 1-D arrays of one length")
    return words


def _argsort_words_jax(*words: jax.Array) -> jax.Array:
    n = words[0].shape[0]
    row_dtype = jnp.int32 if n < 2**31 else jnp.int64  # narrow row ids: less data to move
    rows = jax.lax.iota(row_dtype, n)
    perm = jax.lax.sort((*words, rows), num_keys=len(words), is_stable=True)[-1]
    return perm.astype(_index_dtype())


def _argsort_words_native(*words: jax.Array, num_threads: int = 0) -> jax.Array:
    native.require()
    n = words[0].shape[0]
    dtype = np.dtype(words[0].dtype)
    if dtype not in _TARGETS or any(np.dtype(w.dtype) != dtype for w in words):
        raise TypeError(f"the C++ argsort takes uint32 or uint64 words, got {[w.dtype for w in words]}")
    if _index_dtype() != jnp.int64:
        raise NotImplementedError("the C++ argsort needs 64-bit mode (jax_enable_x64)")
    stacked = words[0][None, :] if len(words) == 1 else jnp.stack(words)
    return jax.ffi.ffi_call(
        _TARGETS[dtype], jax.ShapeDtypeStruct((n,), jnp.int64), vmap_method="sequential",
    )(stacked, num_threads=np.int64(num_threads))


def _native_usable(words: Sequence[jax.Array]) -> bool:
    return (native.available() and _index_dtype() == jnp.int64
            and np.dtype(words[0].dtype) in _TARGETS)


def argsort_words(words: Sequence[jax.Array]) -> jax.Array:
    """Stable argsort of packed key words (word 0 most significant): the dispatching core."""
    words = _check_words(words)
    if words[0].shape[0] == 0:
        return jnp.zeros((0,), _index_dtype())
    if not _native_usable(words):
        return _argsort_words_jax(*words)
    return _argsort_words_dispatch(*words)


@jit
def _argsort_words_dispatch(*words: jax.Array) -> jax.Array:
    """The platform choice inside one compiled function: called eagerly, ``platform_dependent``
    would read its branch index back to the host (a sync on every sort)."""
    return jax.lax.platform_dependent(*words, cpu=_argsort_words_native, default=_argsort_words_jax)


def argsort(keys: Sequence[SortKey]) -> jax.Array:
    """Stable argsort by several keys (first key most significant), nulls per na_position.

    Returns the row permutation (int64 under x64). Dispatch: the C++ radix sort on the CPU
    backend when the extension is built, ``lax.sort`` elsewhere.
    """
    return argsort_words(pack_keys(keys).words)


def argsort_jax(keys: Sequence[SortKey]) -> jax.Array:
    """The pure-JAX path (``lax.sort``), on every backend: the reference and the GPU/TPU path."""
    words = pack_keys(keys).words
    if words[0].shape[0] == 0:
        return jnp.zeros((0,), _index_dtype())
    return _argsort_words_jax(*words)


def argsort_native(keys: Sequence[SortKey], *, num_threads: int = 0) -> jax.Array:
    """The C++ radix path (CPU backend only). num_threads=0 picks by size (tests force more)."""
    native.require()
    if num_threads < 0:
        raise ValueError(f"num_threads must be >= 0, got {num_threads}")
    words = pack_keys(keys).words
    if words[0].shape[0] == 0:
        return jnp.zeros((0,), _index_dtype())
    return _argsort_words_native(*words, num_threads=num_threads)


def sort_words(words: Sequence[jax.Array]) -> tuple[jax.Array, tuple[jax.Array, ...]]:
    """(stable permutation, the words in sorted order): what group-by needs for boundaries."""
    words = _check_words(words)
    perm = argsort_words(words)
    return perm, tuple(jnp.take(w, perm, axis=0) for w in words)


def sorted_segments(sorted_words: Sequence[jax.Array]) -> tuple[jax.Array, jax.Array]:
    """(starts, segment ids) of runs of equal keys in sorted packed words.

    starts[i] is True where row i begins a new key (row 0 always, when there are rows);
    segment ids count the runs from 0 (``cumsum(starts) - 1``), ready for segment_* reductions
    with ``indices_are_sorted=True``.
    """
    words = _check_words(sorted_words)
    n = words[0].shape[0]
    differs = jnp.zeros((max(n - 1, 0),), bool)
    for w in words:
        differs = differs | (w[1:] != w[:-1])
    starts = jnp.concatenate([jnp.ones((min(n, 1),), bool), differs])
    return starts, jnp.cumsum(starts, dtype=_index_dtype()) - 1
