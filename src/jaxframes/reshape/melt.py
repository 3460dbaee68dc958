"""melt: wide to long. Id columns are tiled once per value column, the value columns are stacked
(cast to pandas' common dtype), and the variable column repeats each value column's name."""

from __future__ import annotations

from typing import Any, Hashable

import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import column as colmod
from jaxframes.column import Column
from jaxframes.index import Index, MultiIndex, RangeIndex
from jaxframes.reshape.concat import concat_columns
from jaxframes.table import new_frame


def _as_list(obj: Any) -> list:
    if obj is None:
        return []
    return list(obj) if isinstance(obj, (list, tuple, pd.Index, np.ndarray)) else [obj]


def _name_column(names: list, n: int) -> Column:
    """Each name repeated n times (string names: dictionary codes repeated on device)."""
    base = colmod.from_values(pd.Series(names, dtype="str") if all(isinstance(x, str) for x in names) else names)
    reps = jnp.repeat(jnp.arange(len(names)), n, total_repeat_length=len(names) * n)
    return base.take(reps)


def melt(frame: Any, id_vars: Any = None, value_vars: Any = None, var_name: Hashable = None,
         value_name: Hashable = "value", col_level: Any = None, ignore_index: bool = True) -> Any:
    """pandas' melt (eager: the row count is synced once)."""
    if col_level is not None:
        raise NotImplementedError("melt(col_level=...): MultiIndex columns")
    ids = _as_list(id_vars)
    missing = [c for c in ids if c not in frame._columns]
    if missing:
        raise KeyError(f"The following id_vars or value_vars are not present in the DataFrame: {missing}")
    if value_vars is None:
        values = [c for c in frame._columns if c not in ids]
    else:
        values = _as_list(value_vars)
        missing = [c for c in values if c not in frame._columns]
        if missing:
            raise KeyError(f"The following id_vars or value_vars are not present in the DataFrame: {missing}")
    if value_name in frame._columns:
        raise ValueError(f"value_name ({value_name}) cannot match an element in the DataFrame columns.")
    if var_name is None:
        var_name = "variable"
    if var_name in ids or value_name in ids or var_name == value_name:
        raise ValueError(f"melt output columns cannot contain duplicate names: {[var_name]}")
    frame = frame._compact_exact()
    n, k = frame._capacity, len(values)
    tile = jnp.tile(jnp.arange(n), k)
    out = {c: frame._columns[c].take(tile) for c in ids}
    out[var_name] = _name_column(values, n)
    if k:
        out[value_name] = concat_columns([frame._columns[c] for c in values])
    else:
        raise NotImplementedError("melt with no value columns")
    if ignore_index:
        index = RangeIndex(n * k)
    elif isinstance(frame._index, MultiIndex):
        index = frame._index.take(tile)
    else:
        index = Index(frame._index.labels().take(tile), frame._index.name)
    return new_frame(out, index)
