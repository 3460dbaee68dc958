"""Elementwise column operations."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from jaxframes import dtypes as jdt
from jaxframes.column import Column


def with_nulls_where(col: Column, null: jax.Array) -> Column:
    """The column with rows where ``null`` is True set to missing, with pandas' dtype rules:
    floats get NaN, masked/string/datetime columns get validity False, numpy int/bool become float64."""
    dtype = col.dtype
    if dtype.has_validity:
        return col.replace(validity=col.not_null() & ~null)
    if dtype.kind == "f":
        return col.replace(data=jnp.where(null, jnp.nan, col.data))
    data = jnp.where(null, jnp.nan, col.data.astype(jnp.float64))
    return Column(data, None, jdt.FLOAT64)
