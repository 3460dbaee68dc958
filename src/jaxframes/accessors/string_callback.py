"""``Series.str`` inside jax.jit: the per-value table of a traced dictionary, from a host callback.

Inside jit a string column's dictionary is traced data (dictionary.py), so pandas' string
method cannot run while tracing. When its per-value result is a number or a bool, the result
dtype is fixed by the column dtype alone (the table always has its null entry), so it is read
from pandas on a two-value sample at trace time, and ``jax.pure_callback`` runs pandas' own
method on the real dictionary at run time: the same values as the eager path, one host round
trip per call, no retrace for new strings. String results would need a dictionary whose size
is only known at run time: those raise NotImplementedError.

Table layout: entry i is the result for code i, entry ``capacity`` the result for null rows
(``StringMethods._row_lookup`` sends nulls to ``code_bound``, which is the capacity here).
"""

from __future__ import annotations

from typing import Any, Callable

import jax
import numpy as np
import pandas as pd
import pyarrow as pa

from jaxframes import dtypes as jdt
from jaxframes import column as colmod
from jaxframes.column import Column
from jaxframes.dictionary import host_strings


def extended_series(values: pa.Array, pandas_dtype: Any) -> pd.Series:
    """Dictionary strings as a pandas Series of ``pandas_dtype`` plus one null at the end,
    straight from Arrow (no Python strings: a million-entry dictionary converted through
    to_pylist and back took seconds, more than the string method itself)."""
    extended = pa.concat_arrays([values, pa.nulls(1, values.type)])
    return pd.Series(pandas_dtype.__from_arrow__(extended))


def traced_table(col: Column, op: Callable[[pd.Series], Any], name: str) -> Column:
    """The per-value result Column of ``op`` for a column whose dictionary is traced."""
    pandas_dtype = jdt.to_pandas(col.dtype)
    sample = op(pd.Series(pd.array(["a", None], dtype=pandas_dtype)))
    logical = _numeric_dtype(sample, name)
    strings = col.dictionary.device()
    size = strings.capacity + 1
    fill = np.nan if logical.kind == "f" else 0

    def on_host(offsets: np.ndarray, data: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values = host_strings(offsets, data, count)
        result = op(extended_series(values, pandas_dtype))
        if not isinstance(result, pd.Series) or result.dtype != sample.dtype:
            raise TypeError(f"Series.str.{name} inside jax.jit: pandas gave "
                            f"{getattr(result, 'dtype', type(result).__name__)}, not the traced {sample.dtype}")
        n = len(values)
        out, valid = np.full(size, fill, logical.storage), np.zeros(size, bool)
        flat = result.to_numpy(dtype=logical.storage, na_value=fill)
        out[:n], out[-1] = flat[:n], flat[n]
        present = result.notna().to_numpy()
        valid[:n], valid[-1] = present[:n], present[n]
        return out, valid

    shapes = (jax.ShapeDtypeStruct((size,), logical.storage), jax.ShapeDtypeStruct((size,), bool))
    data, valid = jax.pure_callback(on_host, shapes, *strings, vmap_method="sequential")
    return Column(data, valid if logical.has_validity else None, logical)


def sampled_table(col: Column, op: Callable[[pd.Series], Any], name: str) -> Column | None:
    """For a column without rows: a one-entry table of ``op``'s result dtype, read from a
    two-value sample as inside jit (a number or bool result's dtype is fixed by the column dtype
    alone), so that a zero-row frame (lazy schema inference) does not run the method over its
    whole dictionary. None when the result is not numbers or bools (the caller computes it)."""
    pandas_dtype = jdt.to_pandas(col.dtype)
    sample = op(pd.Series(pd.array(["a", None], dtype=pandas_dtype)))
    try:
        logical = _numeric_dtype(sample, name)
    except NotImplementedError:
        return None
    return colmod.from_pandas_series(sample.iloc[1:].reset_index(drop=True)) if logical else None


def _numeric_dtype(sample: Any, name: str) -> jdt.DType:
    """The result dtype when it is a number or a bool; NotImplementedError otherwise."""
    if isinstance(sample, pd.Series) and sample.dtype != object:
        logical = jdt.from_pandas(sample.dtype)
        if logical.kind in "bif":
            return logical
    raise NotImplementedError(f"Series.str.{name} inside jax.jit/vmap: its result is not numbers or "
                              "bools (string results need a dictionary only known at run time); "
                              "call it outside the transform")
