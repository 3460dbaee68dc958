"""Windows per group: ``groupby(...).rolling(...)``, ``.expanding()``, ``.ewm(...)``.

The group-by hands over its grouped rows already laid out in group order (groupby/rows.py:
groups in output order, each group's rows in their original order, rows in no group masked
after them) with each row's group as ``[seg_start, seg_end)`` over those rows. A group is then a
segment, and every window is the ungrouped one clipped to its segment:

- rolling/expanding: pandas' bounds (fixed, centred, closed=, expanding) with ``start`` raised
  to ``seg_start`` and ``end`` lowered to ``seg_end``, so the same O(n) kernels
  (kernels/windows.py; the C++ one restarts when consecutive windows do not overlap) never
  mix groups. Time-based windows search each row's window start inside its own segment
  (a vectorized binary search, O(n log n)); each group's axis may rise or fall (pandas' rule:
  each group monotonic), a falling one is negated;
- ewm: the affine recurrences restart at every segment's first row (adjust=True) or first
  observation (adjust=False), and observation counts, the last observation and the shift
  against cancellation are taken per segment.

Results are indexed by the group keys then the row labels (as_index=False for rolling: the
row labels, with the keys as leading columns; pandas' expanding and ewm keep the keys in the
index either way). The key columns never enter a window. Dead rows never do either: they are not
among the grouped rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes.column import Column
from jaxframes.facts import any_live
from jaxframes.table import Table, new_frame, new_series
from jaxframes.windows.core import Rows, axis_column, compiled, fixed_bounds, float_column, float_values
from jaxframes.windows.ewm import EWM, Recurrence
from jaxframes.windows.rolling import Expanding, Rolling
from jaxframes.kernels.windows import affine_scan


@dataclass(frozen=True, eq=False)
class Groups:
    """The segments of a grouped table and how its results are labelled."""
    start: jax.Array                           # first row of each row's group
    end: jax.Array                             # one past the last row of each row's group
    index: Any                                 # the result index (keys + row labels), or None: the table's
    key_columns: dict[Hashable, Column] | None  # as_index=False: the keys as leading result columns


class SegmentRows(Rows):
    """Rows of a grouped table (its live rows are a prefix, so live order is physical order)
    with each row's segment."""

    __slots__ = ("seg_start", "seg_end")

    def __init__(self, table: Table, seg_start: jax.Array, seg_end: jax.Array):
        super().__init__(table)
        self.seg_start, self.seg_end = seg_start, seg_end


# -- bounds --------------------------------------------------------------------------------------
def _search(values: jax.Array, lo: jax.Array, hi: jax.Array, target: jax.Array, strict: bool) -> jax.Array:
    """Per row, the first j in [lo, hi) with values[j] > target (strict) or >= target, else hi;
    ``values`` increasing on every [lo, hi)."""
    n = values.shape[0]
    steps = max(1, int(np.ceil(np.log2(n + 1))) + 1)

    def body(_, bounds):
        lo, hi = bounds
        mid = (lo + hi) // 2
        v = values[jnp.clip(mid, 0, max(n - 1, 0))]
        right = (v > target) if strict else (v >= target)
        go = lo < hi
        return jnp.where(go & ~right, mid + 1, lo), jnp.where(go & right, mid, hi)

    lo, _ = jax.lax.fori_loop(0, steps, body, (lo, hi))
    return lo


def segment_bounds(table: Table, rows: SegmentRows, key: tuple, axis: jax.Array) -> tuple[jax.Array, jax.Array, int]:
    """(start, end, static bound on end - start) of the windows ``key`` describes, per group."""
    kind = key[0]
    pos = rows.positions()
    if kind == "fixed":
        _, window, center, closed = key
        start, end = fixed_bounds(rows, window, center, closed)
        widest = max(1, window + 1)
    elif kind == "expanding":
        start, end, widest = rows.seg_start, pos + 1, max(1, rows.n)
    else:
        _, width, closed = key
        closed = closed or "right"
        t = axis.astype(jnp.int64)
        first, last = t[jnp.clip(rows.seg_start, 0, rows.n - 1)], t[jnp.clip(rows.seg_end - 1, 0, rows.n - 1)]
        t = jnp.where(last < first, -t, t)  # a falling group's axis, negated
        start = _search(t, rows.seg_start, pos, t - width, strict=closed not in ("left", "both"))
        if closed in ("right", "both"):
            end = pos + 1
        else:
            end = _search(t, rows.seg_start, pos, t, strict=False)
        widest = max(1, rows.n)
    start = jnp.maximum(start, rows.seg_start)
    end = jnp.minimum(end, rows.seg_end)
    start, end = rows.clip(start, end)
    return start, end, widest


def _window_function(per_column: Callable, key: tuple, names: tuple) -> Callable:
    def run(table: Table, seg_start: jax.Array, seg_end: jax.Array, axis: jax.Array) -> dict[Hashable, jax.Array]:
        rows = SegmentRows(table, seg_start, seg_end)
        start, end, widest = segment_bounds(table, rows, key, axis)
        return {name: rows.scatter(per_column(rows.live_values(float_values(table.columns[name])), start, end,
                                              widest, rows)) for name in names}

    return jax.jit(run)


# -- the window objects --------------------------------------------------------------------------
class _Grouped:
    """What grouped Rolling and Expanding share: the run over segments and the labelling."""

    _groups: Groups
    _table: Table
    _is_frame: bool

    def _time_key(self) -> tuple | None:
        return None

    def _run(self, per_column: Callable, numeric_only: bool = False, key: Hashable = None) -> Any:
        names = tuple(self._columns(numeric_only))
        bounds = self._bounds_key()
        axis = self._axis_values(bounds)
        fn = compiled(("group-window", key, bounds, names), lambda: _window_function(per_column, bounds, names))
        return self._wrap(self._merged(fn(self._table, self._groups.start, self._groups.end, axis)))

    def _axis_values(self, bounds: tuple) -> jax.Array:
        if bounds[0] != "time":
            return jnp.zeros(0, jnp.int64)
        col, _ = axis_column(self._table, self.on)
        return col.data.astype(jnp.int64)

    def _wrap(self, columns: dict[Hashable, Column]) -> Any:
        return wrap(self._table, self._groups, self._is_frame, columns)

    def _pair(self, other: Any, pairwise: bool | None, fn: Callable, key: Hashable) -> Any:
        raise NotImplementedError(f"groupby(...).{self._name.lower()}(...).cov/corr is not supported yet")

    def aggregate(self, func: Any = None, *args: Any, **kwargs: Any) -> Any:
        result = super().aggregate(func, *args, **kwargs)
        if isinstance(func, dict):  # the base assembles dict results on the table's own index
            return self._wrap(dict(result._table.columns))
        return result

    agg = aggregate


def wrap(table: Table, groups: Groups, is_frame: bool, columns: dict[Hashable, Column]) -> Any:
    """Results on the grouped rows: the keys + row labels index, or (as_index=False) the row
    labels with the keys as leading columns."""
    mask = table.row_mask
    if groups.key_columns is not None:
        cols = {**groups.key_columns, **{k: c for k, c in columns.items() if k not in groups.key_columns}}
        return new_frame(cols, table.index, mask)
    index = table.index if groups.index is None else groups.index
    if is_frame:
        return new_frame(columns, index, mask)
    (name, col), = columns.items()
    return new_series(col, index, mask, name)


class GroupedRolling(_Grouped, Rolling):
    """``groupby(...).rolling(window, min_periods, center, win_type, on, closed, method)``."""

    _name = "Rolling"

    def __init__(self, table: Table, is_frame: bool, groups: Groups, window: Any, min_periods: int | None = None,
                 center: bool = False, win_type: str | None = None, on: Hashable | None = None,
                 closed: str | None = None, step: int | None = None, method: str = "single"):
        if step is not None:
            raise NotImplementedError("step not implemented for groupby")
        super().__init__(table, is_frame, window, min_periods, center, win_type, on, closed, None, method)
        self._groups = groups

    def _bounds_key(self) -> tuple:
        if self._width is None:
            return ("fixed", self.window, self.center, self.closed)
        col, _ = axis_column(self._table, self.on)
        on = "index" if self.on is None else self.on
        live = self._table.live()
        if any_live("groupby rolling: axis holds NaT", ~col.not_null(), live, in_jit=False):
            raise ValueError(f"{on} values must not have NaT")
        if _not_monotonic(col.data.astype(jnp.int64), self._groups, live):
            raise ValueError(f"Each group within {on} must be monotonic. Sort the values in {on} first.")
        return ("time", self._width, self.closed)


def _not_monotonic(t: jax.Array, groups: Groups, live: jax.Array) -> bool:
    """Whether some group's axis both rises and falls (a host fact, one sync)."""
    n = t.shape[0]
    if n < 2:
        return False
    same = (groups.start[1:] == groups.start[:-1]) & live[1:] & live[:-1]
    step = t[1:] - t[:-1]
    seg = jnp.where(same, groups.start[1:], n)
    rises = jnp.zeros(n + 1, bool).at[seg].max(step > 0)[:n]
    falls = jnp.zeros(n + 1, bool).at[seg].max(step < 0)[:n]
    return bool(jax.device_get(jnp.any(rises & falls)))


class GroupedExpanding(_Grouped, Expanding):
    """``groupby(...).expanding(min_periods)``: windows from each group's first row."""

    _name = "Expanding"

    def __init__(self, table: Table, is_frame: bool, groups: Groups, min_periods: int = 1, method: str = "single"):
        super().__init__(table, is_frame, min_periods, method)
        self._groups = groups


# -- ewm -----------------------------------------------------------------------------------------
class SegmentRecurrence(Recurrence):
    """The ewm recurrence restarted at every segment (rows: SegmentRows)."""

    whole_series_kernel = False  # per-segment restarts: the affine scans, not the C++ recurrence

    def segment_starts(self, rows: Rows) -> jax.Array:
        return rows.seg_start

    def moments(self, x: jax.Array, rows: Rows, times: Any, y: jax.Array | None = None) -> dict[str, jax.Array]:
        pos = rows.positions()
        present = ~jnp.isnan(x) if y is None else (~jnp.isnan(x) & ~jnp.isnan(y))
        present = present & (pos < rows.count)
        a, b = self.steps(rows, present, times, cov=y is not None)
        counts = jnp.cumsum(present, dtype=jnp.int64)
        before = jnp.where(rows.seg_start > 0, counts[jnp.maximum(rows.seg_start - 1, 0)], 0)
        out = {"w": affine_scan(a, b), "nobs": counts - before}
        xs = jnp.where(present, x, 0.0)
        out["sx"] = affine_scan(a, b * xs)
        out["started"] = out["nobs"] > 0
        out["last_obs"] = jax.lax.cummax(jnp.where(present, pos, 0))  # read only where started
        if y is not None:
            ys = jnp.where(present, y, 0.0)
            n = rows.n
            nxt = jax.lax.cummin(jnp.where(present, pos, n), reverse=True)
            first = nxt[jnp.clip(rows.seg_start, 0, n - 1)]
            first_c = jnp.clip(first, 0, n - 1)
            xc = jnp.where(present, x - xs[first_c], 0.0)  # shifted by the group's first observation
            yc = jnp.where(present, y - ys[first_c], 0.0)
            out["cx"] = affine_scan(a, b * xc)
            out["cy"] = affine_scan(a, b * yc)
            out["cxy"] = affine_scan(a, b * xc * yc)
            out["w2"] = affine_scan(a * a, b * b)
        return out


def _ewm_function(per_column: Any, names: tuple) -> Any:
    def run(table: Table, times: Any, seg_start: jax.Array, seg_end: jax.Array) -> dict:
        rows = SegmentRows(table, seg_start, seg_end)
        return {name: rows.scatter(per_column(rows.live_values(float_values(table.columns[name])), rows, times))
                for name in names}

    return jax.jit(run)


class GroupedEWM(EWM):
    """``groupby(...).ewm(...)``: mean, sum, var, std per group. The parameters come checked
    by an ``EWM`` over the frame's own rows (``checked``: pandas' errors, the alpha, times= in
    nanoseconds); ``times`` is that axis on the grouped rows."""

    def __init__(self, table: Table, is_frame: bool, groups: Groups, checked: EWM, times: Any = None):
        self._table, self._is_frame, self._groups = table, is_frame, groups
        self.min_periods, self.adjust, self.ignore_na = checked.min_periods, checked.adjust, checked.ignore_na
        self.alpha = checked.alpha
        self._times, self._halflife = times, getattr(checked, "_halflife", None)

    @property
    def _rec(self) -> Recurrence:
        return SegmentRecurrence(self.alpha, self.adjust, self.ignore_na, self.min_periods,
                                 None if self._times is None else float(self._halflife))

    def _run(self, per_column: Any, key: Hashable, numeric_only: bool = False) -> Any:
        names = self._names(numeric_only)
        fn = compiled(("group-ewm", key, self._rec.key(), names), lambda: _ewm_function(per_column, names))
        results = fn(self._table, self._times, self._groups.start, self._groups.end)
        return self._wrap({name: float_column(results[name]) for name in names})

    def _wrap(self, columns: dict[Hashable, Column]) -> Any:
        return wrap(self._table, self._groups, self._is_frame, columns)

    def _pair(self, other: Any, pairwise: bool | None, fn: Any, key: Hashable) -> Any:
        raise NotImplementedError("groupby(...).ewm(...).cov/corr is not supported yet")
