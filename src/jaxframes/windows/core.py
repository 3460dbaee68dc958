"""What every window operation shares: the live rows in order, float64 values with NaN for
nulls, window bounds over those rows, and the scatter of results back onto the frame's rows.

Dead rows (a filtered frame's row mask) never enter a window: the live rows are moved to the
front by the compaction permutation (the dead ones after them), the bounds are clipped to the
live count, and each result goes back to its physical row. The count stays a device scalar,
so all of this runs inside ``jax.jit`` (windows of a static size).

Bounds are pandas' window indexers, written as arrays over the live positions:
``[start[i], end[i])`` is row i's window.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.facts import any_live
from jaxframes.index import Index, MultiIndex
from jaxframes.kernels.compact import compact_permutation
from jaxframes.table import Table, new_frame, new_series

CLOSED = (None, "right", "left", "both", "neither")


class Rows:
    """The live rows of a table in order: ``perm`` (live positions first), ``count`` (a device
    scalar) and ``n`` (the static capacity)."""

    __slots__ = ("table", "perm", "count", "n")

    def __init__(self, table: Table):
        self.table = table
        self.n = table.capacity
        if table.row_mask is None:
            self.perm, self.count = None, jnp.asarray(self.n, jnp.int64)
        else:
            self.perm, self.count = compact_permutation(table.row_mask)

    def gather(self, array: jax.Array) -> jax.Array:
        """The array's values in live order (dead rows after)."""
        return array if self.perm is None else array[self.perm]

    def live_values(self, array: jax.Array) -> jax.Array:
        """Float values in live order with NaN on the dead tail (so no kernel statistic, not even
        a shift for precision, ever reads a dead row)."""
        x = self.gather(array)
        return x if self.perm is None else jnp.where(self.positions() < self.count, x, jnp.nan)

    def scatter(self, array: jax.Array) -> jax.Array:
        """Values in live order back to their physical rows."""
        if self.perm is None:
            return array
        return jnp.zeros_like(array).at[self.perm].set(array, unique_indices=True)

    def positions(self) -> jax.Array:
        return jnp.arange(self.n, dtype=jnp.int64)

    def clip(self, start: jax.Array, end: jax.Array) -> tuple[jax.Array, jax.Array]:
        """Bounds kept inside the live rows, and never reversed."""
        end = jnp.clip(end, 0, self.count)
        start = jnp.clip(start, 0, self.count)
        return jnp.minimum(start, end), end


def float_values(col: Column, what: str = "") -> jax.Array:
    """A numeric column as float64 with NaN where null (how every window kernel reads it)."""
    if not col.dtype.is_numeric:
        raise pd.errors.DataError(what or "No numeric types to aggregate")
    data = col.data.astype(jnp.float64)
    if col.validity is not None:
        data = jnp.where(col.validity, data, jnp.nan)
    return data


def float_column(data: jax.Array) -> Column:
    return Column(data, None, jdt.FLOAT64)


_CACHE: dict[Hashable, Callable] = {}


def compiled(key: Hashable, build: Callable[[], Callable]) -> Callable:
    """The jitted window function for ``key`` (built once; the cache is bounded)."""
    fn = _CACHE.get(key)
    if fn is None:
        if len(_CACHE) > 512:
            _CACHE.clear()
        fn = _CACHE[key] = build()
    return fn


# -- bounds ------------------------------------------------------------------------------------
def fixed_bounds(rows: Rows, window: int, center: bool, closed: str | None) -> tuple[jax.Array, jax.Array]:
    """pandas' FixedWindowIndexer over the live positions."""
    offset = (window - 1) // 2 if (center or window == 0) else 0
    end = rows.positions() + 1 + offset
    start = end - window
    if closed in ("left", "both"):
        start = start - 1
    if closed in ("left", "neither"):
        end = end - 1
    return rows.clip(start, end)


def expanding_bounds(rows: Rows) -> tuple[jax.Array, jax.Array]:
    return rows.clip(jnp.zeros(rows.n, jnp.int64), rows.positions() + 1)


def time_direction(col: Column, table: Table, what: str) -> bool:
    """Checks a time axis on the live rows (pandas' ValueErrors for NaT and for values neither
    increasing nor decreasing) and says whether it decreases. Host facts: called before the
    compiled window function (inside a user jit the axis is taken as valid and increasing)."""
    live = table.live()
    if any_live(f"rolling: {what} holds NaT", ~col.not_null(), live, in_jit=False):
        raise ValueError(f"{what} values must not have NaT")
    rows = Rows(table)
    t = rows.gather(col.data.astype(jnp.int64))
    inside = rows.positions() < rows.count
    pairs = inside & jnp.concatenate([jnp.zeros(1, bool), inside[:-1]])
    step = jnp.concatenate([jnp.zeros(1, jnp.int64), t[1:] - t[:-1]])
    up = any_live("rolling: axis rises", step > 0, pairs, in_jit=True)
    down = any_live("rolling: axis falls", step < 0, pairs, in_jit=False)
    if up and down:
        raise ValueError(f"{what} values must be monotonic")
    return down


def time_values(col: Column, rows: Rows, down: bool) -> jax.Array:
    """A time axis as int64 counts in live order, increasing (a decreasing axis is negated, as
    pandas allows either), dead rows last."""
    t = rows.gather(col.data.astype(jnp.int64))
    t = -t if down else t
    return jnp.where(rows.positions() < rows.count, t, jnp.iinfo(jnp.int64).max)


def variable_bounds(rows: Rows, times: jax.Array, width: int, closed: str | None) -> tuple[jax.Array, jax.Array]:
    """pandas' VariableWindowIndexer: row i holds the rows whose time lies in
    ``(t_i - width, t_i]`` (closed='right', the default), ``[.., ..]`` ('both'), ``[.., ..)``
    ('left') or ``(.., ..)`` ('neither'); with equal times, a right-closed window ends at the row
    itself and a right-open one before the first row of its time."""
    closed = closed or "right"
    left_closed = closed in ("left", "both")
    right_closed = closed in ("right", "both")
    start = jnp.searchsorted(times, times - width, side="left" if left_closed else "right")
    if right_closed:
        end = rows.positions() + 1
    else:
        end = jnp.searchsorted(times, times, side="left")
    return rows.clip(start.astype(jnp.int64), end.astype(jnp.int64))


def time_width(window: Any, unit: str) -> int:
    """A fixed-frequency window ('5s', '3D', a Timedelta or an offset) in ``unit`` steps."""
    try:
        nanos = pd.tseries.frequencies.to_offset(window).nanos
    except (ValueError, TypeError):
        raise ValueError("window must be an integer 0 or greater") from None
    per = 10 ** 9 // jdt.PER_SECOND[unit]
    if nanos % per:
        raise NotImplementedError(f"a window of {window!r} is not a whole number of {unit} on a datetime64[{unit}] axis")
    return int(nanos // per)


def is_time_window(window: Any) -> bool:
    return isinstance(window, (str, pd.Timedelta, pd.DateOffset, np.timedelta64)) or hasattr(window, "nanos")


def axis_column(table: Table, on: Hashable | None) -> tuple[Column, str]:
    """The column a time-based window runs over: ``on`` or the index."""
    if on is not None:
        if on not in table.columns:
            raise ValueError(f"invalid on specified as {on}, must be a column (of DataFrame), an Index or None")
        return table.columns[on], "on"
    index = table.index
    if isinstance(index, Index) and index.dtype.kind in "Mm":
        return index.column, "index"
    if isinstance(index, MultiIndex):
        raise NotImplementedError("a time-based window over a MultiIndex")
    raise ValueError("window must be an integer 0 or greater")


# -- results -----------------------------------------------------------------------------------
def wrap_like(table: Table, columns: dict[Hashable, Column], is_frame: bool) -> Any:
    """The window results on the input's rows (index, mask, sharding), as a frame or a Series
    like the input."""
    table = table.with_columns(columns)
    if is_frame:
        return new_frame(table.columns, table.index, table.row_mask, table.sharding)
    (name, col), = table.columns.items()
    return new_series(col, table.index, table.row_mask, name, table.sharding)
