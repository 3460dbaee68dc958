"""Spreading a key's values into columns (the unstack behind pivot and pivot_table).

Rows are grouped twice with the shared group-by sort: by the index keys (result rows) and by
the column keys (result columns). Every value lands in a dense (rows x columns) grid with one
scatter on device; only the distinct column-key values (the result's column labels, a small
set) come to the host. Combinations that never occur are null, and, as pandas' unstack does,
numpy int columns then become float64 (for all columns spread from a value column, since the
missing combinations are the same for every value column).
"""

from __future__ import annotations

from typing import Any, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.table import is_traced
from jaxframes.groupby import grouper


def row_slots(g: grouper.Grouping, n_groups: int) -> jax.Array:
    """Output position of each original row's group (``n_groups`` for rows in no group)."""
    return jnp.where(g.live, g.row_groups(), n_groups)


def _group(keys: list[Column], live: jax.Array, sort: bool, capacity: int):
    if capacity == 0:
        return 0, jnp.zeros(0, jnp.int64), jnp.zeros(0, jnp.int64)
    g = grouper.build(keys, live, sort, dropna=False)
    rows = g.exact_group_rows()
    n_groups = int(rows.shape[0])
    return n_groups, row_slots(g, n_groups), rows


def label_arrays(keys: list[Column], rows: jax.Array) -> list[pd.Index]:
    """The distinct key values (one pandas Index per key) at the given rows, on the host."""
    return [pd.Index(k.take(rows).to_host()) for k in keys]


class Spread:
    """The result of spreading: result-row keys, column labels per key, and a grid builder."""

    def __init__(self, index_keys: list[Column], column_keys: list[Column], live: jax.Array, sort: bool,
                 order_live: jax.Array | None = None):
        """``order_live``: the rows whose keys set the labels and their order (pandas keeps the
        levels of rows that pivot_table's dropna removed); values come from ``live`` rows only."""
        if is_traced(live, *[k.data for k in index_keys + column_keys]):
            raise NotImplementedError("pivot/pivot_table inside jax.jit: the result's columns depend on the data")
        capacity = live.shape[0]
        order_live = live if order_live is None else order_live
        self.n_rows, self.row_of, index_rows = _group(index_keys, order_live, sort, capacity)
        self.n_cols, self.col_of, column_rows = _group(column_keys, order_live, sort, capacity)
        self.row_of = jnp.where(live, self.row_of, self.n_rows)
        self.index_columns = [k.take(index_rows) for k in index_keys]
        self.column_labels = label_arrays(column_keys, column_rows)
        self.live = live
        filled = jnp.zeros((self.n_rows, self.n_cols), bool).at[self.row_of, self.col_of].set(live, mode="drop")
        self.filled = filled
        self.all_filled = bool(jnp.all(filled))
        self.col_used = np.asarray(jnp.any(filled, axis=0))
        used = jnp.any(filled, axis=1)
        self.row_mask = None if bool(jnp.all(used)) else used

    def grid(self, col: Column) -> tuple[jax.Array, jax.Array]:
        """(values, present) as (rows x columns) arrays; absent combinations are not present."""
        shape = (self.n_rows, self.n_cols)
        data = jnp.zeros(shape, col.data.dtype).at[self.row_of, self.col_of].set(col.data, mode="drop")
        present = jnp.zeros(shape, bool).at[self.row_of, self.col_of].set(col.not_null() & self.live, mode="drop")
        return data, present

    def columns_of(self, col: Column, fill_value: Any = None) -> list[Column]:
        """One result column per column-key combination, with pandas' unstack dtypes."""
        data, present = self.grid(col)
        dtype = col.dtype
        if fill_value is not None:
            return [_filled(col, data[:, j], present[:, j], fill_value) for j in range(self.n_cols)]
        if not self.all_filled and not dtype.has_validity and dtype.kind in "bi":
            if dtype.kind == "b":
                raise NotImplementedError("spreading a bool column with missing combinations (pandas: object)")
            data = jnp.where(present, data.astype(jnp.float64), jnp.nan)
            return [Column(data[:, j], None, jdt.FLOAT64) for j in range(self.n_cols)]
        if dtype.kind == "f" and not dtype.masked:
            data = jnp.where(present, data, jnp.nan)
            return [Column(data[:, j], None, dtype) for j in range(self.n_cols)]
        validity = present if dtype.has_validity else None
        return [col.replace(data=data[:, j], validity=None if validity is None else validity[:, j])
                for j in range(self.n_cols)]


def _filled(col: Column, data: jax.Array, present: jax.Array, fill_value: Any) -> Column:
    """unstack(fill_value=...) then fillna(fill_value): every cell holds a value."""
    dtype = col.dtype
    if dtype.kind not in "if" or isinstance(fill_value, (bool, np.bool_)) or not isinstance(
            fill_value, (int, float, np.integer, np.floating)):
        raise NotImplementedError(f"fill_value={fill_value!r} for a {dtype} column")
    if dtype.kind == "i" and not float(fill_value).is_integer():
        raise NotImplementedError(f"fill_value={fill_value!r} for an integer column")
    value = jnp.asarray(fill_value, dtype=data.dtype)
    data = jnp.where(present, data, value)
    return Column(data, jnp.ones(data.shape, bool) if dtype.has_validity else None, dtype)


def column_axis(prefixes: list[tuple], key_labels: list[pd.Index], key_names: list[Hashable],
                n_prefix_levels: int) -> pd.Index:
    """The pandas column axis: for each prefix (value name, aggfunc name...), every key combination."""
    n_cols = len(key_labels[0]) if key_labels else 0
    tile = np.tile(np.arange(n_cols), len(prefixes))
    repeat = np.repeat(np.arange(len(prefixes)), n_cols)
    arrays = [pd.Index([p[i] for p in prefixes]).take(repeat) for i in range(n_prefix_levels)]
    arrays += [labels.take(tile) for labels in key_labels]
    names = [None] * n_prefix_levels + list(key_names)
    if len(arrays) == 1:
        return arrays[0].rename(names[0])
    return pd.MultiIndex.from_arrays(arrays, names=names)
