"""Constant-filled arrays, with the zero-length ones shared.

Schema inference runs every plan node on zero-row frames (plan/schema.py), so the eager code
asks for empty arrays hundreds of times per query; each ``jnp.zeros`` is a dispatched XLA
computation (~0.1-0.5 ms on a loaded host), which made a lazy TPC-H q18's schema passes cost
tens of milliseconds. A zero-length array holds no values, so one per dtype serves every caller
(JAX arrays are immutable).
"""

from __future__ import annotations

import functools
from typing import Any

import jax
import jax.numpy as jnp
import numpy as np


@functools.cache
def _empty(dtype: np.dtype, x64: bool) -> jax.Array:
    return jnp.zeros(0, dtype)


def zeros(n: int, dtype: Any) -> jax.Array:
    """``jnp.zeros(n, dtype)``; the zero-length result is shared per dtype (and x64 mode)."""
    if n == 0 and not isinstance(n, jax.core.Tracer):
        return _empty(np.dtype(dtype), bool(jax.config.jax_enable_x64))
    return jnp.zeros(n, dtype)
