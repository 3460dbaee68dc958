"""crosstab: a frequency (or aggregated) table of two or more factors, as a pivot_table.

Like pandas, the factors go into one frame (names: the Series' names, else row_0/col_0...),
then pivot_table counts rows (fill 0) or aggregates ``values`` with ``aggfunc``. Inputs are
jaxframes Series over the same rows (label alignment of different indexes is not supported).
"""

from __future__ import annotations

from typing import Any

import jax.numpy as jnp

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.reshape.pivot import with_column_axis
from jaxframes.table import is_series, make_frame, new_frame


def _factors(obj: Any, prefix: str) -> list:
    items = list(obj) if isinstance(obj, (list, tuple)) else [obj]
    for s in items:
        if not is_series(s):
            raise NotImplementedError(f"crosstab with {type(s).__name__} factors: pass jaxframes Series")
    return [(s.name if s.name is not None else f"{prefix}_{i}", s) for i, s in enumerate(items)]


def crosstab(index: Any, columns: Any, values: Any = None, rownames: Any = None, colnames: Any = None,
             aggfunc: Any = None, margins: bool = False, margins_name: str = "All", dropna: bool = True,
             normalize: Any = False) -> Any:
    """Counts of each (index, columns) combination, or ``aggfunc`` of ``values`` per combination."""
    if values is None and aggfunc is not None:
        raise ValueError("aggfunc cannot be used without values.")
    if values is not None and aggfunc is None:
        raise ValueError("values cannot be used without an aggfunc.")
    if margins:
        raise NotImplementedError("crosstab(margins=True)")
    if rownames is not None or colnames is not None:
        raise NotImplementedError("crosstab(rownames=/colnames=)")
    rows, cols = _factors(index, "row"), _factors(columns, "col")
    names = [n for n, _ in rows + cols]
    if len(set(names)) != len(names):
        raise NotImplementedError("crosstab with repeated factor names")
    factors = {n: s for n, s in rows + cols}
    frame = make_frame(factors).assign(__dummy__=0) if values is None else make_frame({**factors, "__dummy__": values})
    kwargs = {"aggfunc": len, "fill_value": 0} if values is None else {"aggfunc": aggfunc}
    table = frame.pivot_table("__dummy__", index=[n for n, _ in rows], columns=[n for n, _ in cols],
                              dropna=dropna, **kwargs)
    if normalize is not False:
        table = _normalize(table, normalize)
    return table


def _normalize(table: Any, normalize: Any) -> Any:
    """Shares of the grand total ('all'/True), of each row ('index') or of each column ('columns')."""
    axis_map = {"all": "all", 0: "index", "index": "index", 1: "columns", "columns": "columns"}
    try:
        how = "all" if normalize is True else axis_map[normalize]
    except (KeyError, TypeError):
        raise ValueError("Not a valid normalize argument") from None
    table = table._compact() if table._row_mask is not None else table
    live = table._live()
    cols = {k: jnp.where(live & c.not_null(), c.data.astype(jnp.float64), 0.0) for k, c in table._columns.items()}
    if how == "all":
        total = sum(jnp.sum(v) for v in cols.values())
        out = {k: v / total for k, v in cols.items()}
    elif how == "columns":
        out = {k: v / jnp.sum(v) for k, v in cols.items()}
    else:
        row_total = sum(cols.values())
        out = {k: v / row_total for k, v in cols.items()}
    new = {k: Column(v, None, jdt.FLOAT64) for k, v in out.items()}
    result = new_frame(new, table._index, table._row_mask)
    return with_column_axis(result, table.columns)
