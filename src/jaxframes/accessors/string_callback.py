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

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.dictionary import host_strings


def traced_table(col: Column, op: Callable[[pd.Series], Any], name: str) -> Column:
    """The per-value result Column of ``op`` for a column whose dictionary is traced."""
    pandas_dtype = jdt.to_pandas(col.dtype)
    sample = op(pd.Series(pd.array(["a", None], dtype=pandas_dtype)))
    logical = _numeric_dtype(sample, name)
    strings = col.dictionary.device()
    size = strings.capacity + 1
    fill = np.nan if logical.kind == "f" else 0

    def on_host(offsets: np.ndarray, data: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        values = host_strings(offsets, data, count).to_pylist()
        result = op(pd.Series(pd.array(values + [None], dtype=pandas_dtype)))
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


def _numeric_dtype(sample: Any, name: str) -> jdt.DType:
    """The result dtype when it is a number or a bool; NotImplementedError otherwise."""
    if isinstance(sample, pd.Series) and sample.dtype != object:
        logical = jdt.from_pandas(sample.dtype)
        if logical.kind in "bif":
            return logical
    raise NotImplementedError(f"Series.str.{name} inside jax.jit/vmap: its result is not numbers or "
                              "bools (string results need a dictionary only known at run time); "
                              "call it outside the transform")
