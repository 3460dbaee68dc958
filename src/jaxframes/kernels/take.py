"""Row gathers: ``take(values, indices)`` is ``jnp.take(v, indices, axis=0, mode="clip")`` for
each array of ``values`` (an index below 0, such as a join's -1 for "no partner row", reads row
0; past the end, the last row; callers mask those rows). ``wrap=True`` is JAX's ``v[indices]``
instead: a negative index counts from the end first, then out-of-range indices are clamped.

On the CPU backend one C++ call (csrc/take.cc) gathers several columns at the same indices over
the shared thread pool: XLA's CPU gather is 2-4x slower on 1e7 rows, and a join's result (and a
sorted group-by's value columns) is nothing but such gathers. The pure-JAX twin (``jnp.take`` /
indexing) is the GPU/TPU path and the reference; arrays the kernel does not take (not 1-D,
empty, 16-byte elements, indices not 1-D) go to the twin.
"""

from __future__ import annotations

import functools
from typing import Callable

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes.kernels import native
from jaxframes.executables import jit


def _take_one(v: jax.Array, indices: jax.Array, wrap: bool) -> jax.Array:
    return v[indices] if wrap else jnp.take(v, indices, axis=0, mode="clip")


def take_jax(values: tuple, indices: jax.Array, wrap: bool = False) -> tuple:
    return tuple(_take_one(v, indices, wrap) for v in values)


def take_native(values: tuple, indices: jax.Array, wrap: bool = False) -> tuple:
    native.require()
    outs = tuple(jax.ShapeDtypeStruct(indices.shape, v.dtype) for v in values)
    return tuple(jax.ffi.ffi_call("jaxframes_take", outs, vmap_method="sequential")(
        indices.astype(jnp.int64), *values, wrap=np.int64(wrap)))


def native_takes(v: jax.Array) -> bool:
    """Whether the C++ kernel takes this array: 1-D, not empty, 1/2/4/8-byte elements."""
    return v.ndim == 1 and v.shape[0] > 0 and np.dtype(v.dtype).itemsize in (1, 2, 4, 8)


def _split_dispatch(values: tuple, ours: list[int], run: Callable[[tuple], tuple],
                    one: Callable[[int], jax.Array]) -> tuple:
    """The columns at ``ours`` through ``run`` (one kernel call for all of them: the C++ one on
    CPU, its JAX twin elsewhere), every other column alone through ``one(i)``, in their order."""
    out: list = [None] * len(values)
    for i, got in zip(ours, run(tuple(values[i] for i in ours)) if ours else ()):
        out[i] = got
    return tuple(one(i) if got is None else got for i, got in enumerate(out))


def _dispatch(values: tuple, indices: jax.Array, wrap: bool) -> tuple:
    def run(picked: tuple) -> tuple:
        return jax.lax.platform_dependent(picked, indices, cpu=functools.partial(take_native, wrap=wrap),
                                          default=functools.partial(take_jax, wrap=wrap))
    ours = [i for i, v in enumerate(values) if native_takes(v)]
    return _split_dispatch(values, ours, run, lambda i: _take_one(values[i], indices, wrap))


@functools.partial(jax.custom_vjp, nondiff_argnums=(2,))
def _differentiable(values: tuple, indices: jax.Array, wrap: bool) -> tuple:
    return _dispatch(values, indices, wrap)


def _fwd(values, indices, wrap):
    return _dispatch(values, indices, wrap), (values, indices)


def _bwd(wrap, residuals, cotangents):
    """A gather's cotangent: each output's cotangent added back to the row it was read from
    (the same clamped, or wrapped, row)."""
    values, indices = residuals
    grads = []
    for v, ct in zip(values, cotangents):
        if not jnp.issubdtype(v.dtype, jnp.inexact):
            grads.append(None)
            continue
        n = v.shape[0]
        rows = jnp.where(indices < 0, indices + n, indices) if wrap else indices
        grads.append(jnp.zeros_like(v).at[jnp.clip(rows, 0, max(n - 1, 0))].add(ct.astype(v.dtype)))
    return tuple(grads), None


_differentiable.defvjp(_fwd, _bwd)


@functools.partial(jit, static_argnames=("wrap",))
def take(values: tuple, indices: jax.Array, wrap: bool = False) -> tuple:
    """Each array of ``values`` at ``indices``, in one compiled call: C++ on the CPU for the
    arrays it takes, the twin for the rest and on other backends (differentiable in the float
    arrays: the kernel has a gather's vjp)."""
    values = tuple(values)
    kind, size = np.dtype(indices.dtype).kind, np.dtype(indices.dtype).itemsize
    if (indices.ndim != 1 or not (kind == "i" or (kind == "u" and size < 8)) or not native.available()
            or not any(native_takes(v) for v in values)):
        return take_jax(values, indices, wrap)
    return _differentiable(values, indices, wrap)


# -- gathers that fill a join's rows without a partner ---------------------------------------------
#: per array: as taken; NaN where the index is < 0; an int array as float64 with NaN there; a
#: validity mask False there (the kernel's mode numbers for each)
FILL_MODES = ("take", "nan", "int_nan", "and_present")


def _fill_one(v: jax.Array, indices: jax.Array, mode: str) -> jax.Array:
    a = jnp.take(v, indices, axis=0, mode="clip")
    present = indices >= 0
    if mode == "nan":
        return jnp.where(present if a.ndim == 1 else present[:, None], a, jnp.nan)
    if mode == "int_nan":
        return jnp.where(present, a.astype(np.float64), np.nan)
    if mode == "and_present":
        return a & present
    return a


def take_fill_jax(values: tuple, indices: jax.Array, modes: tuple) -> tuple:
    return tuple(_fill_one(v, indices, mode) for v, mode in zip(values, modes))


def _native_mode(v: jax.Array, mode: str) -> int | None:
    """The kernel's mode for this array, None when the kernel does not take it."""
    if not native_takes(v):
        return None
    kind, size = np.dtype(v.dtype).kind, np.dtype(v.dtype).itemsize
    if mode == "take":
        return 0
    if mode == "nan":
        return 1 if kind == "f" and size in (4, 8) else None
    if mode == "int_nan":
        return {"i": 2, "u": 3}.get(kind)
    return 4 if kind == "b" else None  # and_present


def take_fill_native(values: tuple, indices: jax.Array, modes: tuple) -> tuple:
    native.require()
    codes = [_native_mode(v, m) for v, m in zip(values, modes)]
    outs = tuple(jax.ShapeDtypeStruct(indices.shape, np.float64 if c in (2, 3) else v.dtype)
                 for v, c in zip(values, codes))
    return tuple(jax.ffi.ffi_call("jaxframes_take_fill", outs, vmap_method="sequential")(
        indices.astype(jnp.int64), *values, modes=np.asarray(codes, np.int64)))


def _fill_dispatch(values: tuple, indices: jax.Array, modes: tuple) -> tuple:
    ours = [i for i, (v, m) in enumerate(zip(values, modes)) if _native_mode(v, m) is not None]
    picked_modes = tuple(modes[i] for i in ours)

    def run(picked: tuple) -> tuple:
        return jax.lax.platform_dependent(picked, indices, cpu=functools.partial(take_fill_native, modes=picked_modes),
                                          default=functools.partial(take_fill_jax, modes=picked_modes))
    return _split_dispatch(values, ours, run, lambda i: _fill_one(values[i], indices, modes[i]))


@functools.partial(jax.custom_vjp, nondiff_argnums=(2,))
def _fill_differentiable(values: tuple, indices: jax.Array, modes: tuple) -> tuple:
    return _fill_dispatch(values, indices, modes)


def _fill_fwd(values, indices, modes):
    return _fill_dispatch(values, indices, modes), (values, indices)


def _fill_bwd(modes, residuals, cotangents):
    """As a gather's cotangent; a filled row was read from no row and sends nothing back."""
    values, indices = residuals
    grads = []
    for v, ct, mode in zip(values, cotangents, modes):
        if not jnp.issubdtype(v.dtype, jnp.inexact):
            grads.append(None)
            continue
        if mode == "nan":
            ct = jnp.where(indices >= 0 if ct.ndim == 1 else (indices >= 0)[:, None], ct, 0)
        n = v.shape[0]
        grads.append(jnp.zeros_like(v).at[jnp.clip(indices, 0, max(n - 1, 0))].add(ct.astype(v.dtype)))
    return tuple(grads), None


_fill_differentiable.defvjp(_fill_fwd, _fill_bwd)


@functools.partial(jit, static_argnames=("modes",))
def take_fill(values: tuple, indices: jax.Array, modes: tuple) -> tuple:
    """``take`` (clamped) of each array, then per mode (``FILL_MODES``) a fill where the index is
    below 0, written by the gather itself on the CPU (one output write per array, where a gather
    and then XLA's ``where`` write two fresh arrays); the twin elsewhere."""
    values = tuple(values)
    kind, size = np.dtype(indices.dtype).kind, np.dtype(indices.dtype).itemsize
    if (indices.ndim != 1 or not (kind == "i" or (kind == "u" and size < 8)) or not native.available()
            or not any(_native_mode(v, m) is not None for v, m in zip(values, modes))):
        return take_fill_jax(values, indices, modes)
    return _fill_differentiable(values, indices, modes)
