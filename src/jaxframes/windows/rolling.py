"""Rolling and Expanding: pandas' moving-window aggregations over a Table's live rows.

A window object holds the table and the window's parameters; each aggregation builds the
bounds once (fixed, centred, closed=, time-based over a datetime index or ``on=`` column, or
expanding), runs one O(n) kernel per column (kernels/windows.py) and applies min_periods from
exact window counts. Results are float64 with NaN (pandas' dtype for every numeric input,
nullable ones included) on the input's rows: same index, same row mask.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes.column import Column
from jaxframes.kernels.windows import INTERPOLATIONS, window_count, window_reduce
from jaxframes.table import Table, new_frame
from jaxframes.windows.core import (
    CLOSED, Rows, axis_column, expanding_bounds, fixed_bounds, float_column, float_values, is_time_window,
    compiled, time_direction, time_values, time_width, variable_bounds, wrap_like,
)

# The smallest window count at which each reduction has a value (pandas' rule, beyond min_periods).
_AGGS = ("count", "sum", "mean", "median", "var", "std", "min", "max", "skew", "kurt", "sem", "first", "last")


def _check_engine(engine: Any) -> None:
    if engine not in (None, "cython"):
        raise NotImplementedError(f"engine={engine!r}: window aggregations run as JAX kernels")


def _plain_reduction(name: str, doc: str, op: str | None = None, **fixed: Any) -> Callable:
    """A window method with pandas' ``(numeric_only, engine, engine_kwargs)`` signature that runs
    one reduction of kernels.windows (sum, mean, min, ...)."""
    def method(self: "Window", numeric_only: bool = False, engine: Any = None, engine_kwargs: Any = None) -> Any:
        _check_engine(engine)
        return self._reduce(op or name, numeric_only, **fixed)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = doc
    return method


class Window:
    """Bounds and per-column evaluation shared by Rolling and Expanding."""

    _name = "Rolling"

    def __init__(self, table: Table, is_frame: bool, min_periods: int, on: Hashable | None = None):
        self._table = table
        self._is_frame = is_frame
        self.min_periods = min_periods
        self.on = on

    def _is_on(self, name: Hashable) -> bool:
        """Whether a column is the ``on`` axis (kept as is, not aggregated)."""
        return self.on is not None and self._is_frame and name == self.on

    # -- the engine ------------------------------------------------------------------------------
    def _columns(self, numeric_only: bool) -> dict[Hashable, Column]:
        cols = {k: c for k, c in self._table.columns.items() if not self._is_on(k)}
        if numeric_only:
            return {k: c for k, c in cols.items() if c.dtype.is_numeric}
        if self._is_frame:
            for c in cols.values():
                if not c.dtype.is_numeric:
                    raise pd.errors.DataError(f"Cannot aggregate non-numeric type: {c.dtype}")
        return cols

    def _bounds_key(self) -> tuple:
        """A hashable description of the windows (host facts such as a time axis' direction
        included), the static part of the compiled window function."""
        raise NotImplementedError

    def _run(self, per_column: Callable[[jax.Array, jax.Array, jax.Array, int, Rows], jax.Array],
             numeric_only: bool = False, key: Hashable = None) -> Any:
        """Applies ``per_column(values_in_live_order, start, end, max_window, rows)`` to every
        aggregated column and wraps the results like the input. ``key`` names the computation
        (every value ``per_column`` closes over): one compiled function per key, bounds and
        columns, so a call costs one dispatch whatever the number of steps."""
        names = tuple(self._columns(numeric_only))
        bounds = self._bounds_key()
        fn = compiled(("window", key, bounds, names), lambda: _window_function(per_column, bounds, names))
        return self._wrap(self._merged(fn(self._table)))

    def _merged(self, results: dict[Hashable, jax.Array]) -> dict[Hashable, Column]:
        """The input's columns with each aggregated one replaced by its result; the ``on``
        column is kept as it is, and other columns (not aggregated) are dropped."""
        return {name: col if self._is_on(name) else float_column(results[name])
                for name, col in self._table.columns.items() if self._is_on(name) or name in results}

    def _wrap(self, columns: dict[Hashable, Column]) -> Any:
        return wrap_like(self._table, columns, self._is_frame)

    def _reduce(self, op: str, numeric_only: bool = False, **kw: Any) -> Any:
        minp = self.min_periods

        def per_column(x, start, end, widest, rows):
            return window_reduce(op, x, start, end, max_window=widest, min_periods=minp, **kw)

        return self._run(per_column, numeric_only, ("reduce", op, minp, tuple(sorted(kw.items()))))

    # -- aggregations ----------------------------------------------------------------------------
    def count(self, numeric_only: bool = False) -> Any:
        """Non-NaN values per window (NaN where the window spans fewer than min_periods rows)."""
        minp = self.min_periods

        def per_column(x, start, end, widest, rows):
            nobs = window_count(~jnp.isnan(x), start, end).astype(jnp.float64)
            return jnp.where(end - start >= minp, nobs, jnp.nan)

        return self._run(per_column, numeric_only, ("count", minp))

    sum = _plain_reduction("sum", "Moving sum.")
    mean = _plain_reduction("mean", "Moving mean.")
    median = _plain_reduction("median", "Moving median (the 0.5 quantile, midpoint interpolation).",
                              "quantile", q=0.5, interpolation="midpoint")
    min = _plain_reduction("min", "Moving minimum.")
    max = _plain_reduction("max", "Moving maximum.")

    def var(self, ddof: int = 1, numeric_only: bool = False, engine: Any = None, engine_kwargs: Any = None) -> Any:
        _check_engine(engine)
        return self._reduce("var", numeric_only, ddof=int(ddof))

    def std(self, ddof: int = 1, numeric_only: bool = False, engine: Any = None, engine_kwargs: Any = None) -> Any:
        _check_engine(engine)
        minp = self.min_periods

        def per_column(x, start, end, widest, rows):
            var = window_reduce("var", x, start, end, max_window=widest, ddof=int(ddof), min_periods=minp)
            return jnp.sqrt(jnp.maximum(var, 0.0))  # NaN (below min_periods) stays NaN

        return self._run(per_column, numeric_only, ("std", minp, int(ddof)))

    def sem(self, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Standard error of the mean: std(ddof) / sqrt(count), pandas' formula."""
        minp = self.min_periods

        def per_column(x, start, end, widest, rows):
            nobs = window_count(~jnp.isnan(x), start, end)
            var = window_reduce("var", x, start, end, max_window=widest, ddof=int(ddof))
            out = jnp.sqrt(jnp.maximum(var, 0.0)) / jnp.sqrt(nobs.astype(jnp.float64))
            return jnp.where(nobs >= minp, out, jnp.nan)

        return self._run(per_column, numeric_only, ("sem", minp, int(ddof)))

    def skew(self, numeric_only: bool = False) -> Any:
        return self._reduce("skew", numeric_only)

    def kurt(self, numeric_only: bool = False) -> Any:
        return self._reduce("kurt", numeric_only)

    def quantile(self, q: float, interpolation: str = "linear", numeric_only: bool = False) -> Any:
        if not np.isscalar(q):
            raise NotImplementedError("rolling quantile of several q at once")
        if not 0 <= q <= 1:
            raise ValueError("quantile value must be between 0 and 1")
        if interpolation not in INTERPOLATIONS:
            raise ValueError(f"Interpolation '{interpolation}' is not supported")
        return self._reduce("quantile", numeric_only, q=float(q), interpolation=interpolation)

    def _edge(self, last: bool, numeric_only: bool) -> Any:
        minp = self.min_periods

        def per_column(x, start, end, widest, rows):
            present = ~jnp.isnan(x)
            pos = rows.positions()
            nobs = window_count(present, start, end)
            if last:
                prev = jax.lax.cummax(jnp.where(present, pos, -1))
                at = prev[jnp.clip(end - 1, 0, max(rows.n - 1, 0))]
            else:
                nxt = jax.lax.cummin(jnp.where(present, pos, rows.n), reverse=True)
                at = nxt[jnp.clip(start, 0, max(rows.n - 1, 0))]
            value = x[jnp.clip(at, 0, max(rows.n - 1, 0))]
            return jnp.where((nobs >= minp) & (nobs > 0), value, jnp.nan)

        return self._run(per_column, numeric_only, ("edge", last, minp))

    def first(self, numeric_only: bool = False) -> Any:
        """The first non-NaN value of each window."""
        return self._edge(False, numeric_only)

    def last(self, numeric_only: bool = False) -> Any:
        """The last non-NaN value of each window."""
        return self._edge(True, numeric_only)

    def rank(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{self._name}.rank is not supported yet")

    def nunique(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{self._name}.nunique is not supported yet")

    def apply(self, func: Callable, raw: bool = False, engine: Any = None, engine_kwargs: Any = None,
              args: tuple | None = None, kwargs: dict | None = None) -> Any:
        raise NotImplementedError(f"{self._name}.apply: windows grow, so they have no static shape for JAX")

    # -- pairwise --------------------------------------------------------------------------------
    def _pair(self, other: Any, pairwise: bool | None, fn: Callable, key: Hashable) -> Any:
        if other is None or pairwise:
            raise NotImplementedError(f"{self._name}.cov/corr without other (pairwise over all columns)")
        other_table = other._table
        if other_table.capacity != self._table.capacity or not _same_rows(self._table, other_table):
            raise NotImplementedError(f"{self._name}.cov/corr with an other that is not on the same rows "
                                      "(align it first)")
        other_cols = other_table.columns
        other_is_frame = len(other_cols) != 1 or getattr(type(other), "_jf_kind", "") == "dataframe"
        minp = self.min_periods

        def pair(x, y, start, end, widest):
            both = ~jnp.isnan(x) & ~jnp.isnan(y)
            xb, yb = jnp.where(both, x, jnp.nan), jnp.where(both, y, jnp.nan)
            nobs = window_count(both, start, end)

            def mean(v):
                return window_reduce("mean", v, start, end, max_window=widest)

            cov_biased = mean(xb * yb) - mean(xb) * mean(yb)
            out = fn(cov_biased, nobs, xb, yb, start, end, widest)
            return jnp.where(nobs >= minp, out, jnp.nan)

        names = tuple(self._columns(False))
        if other_is_frame:
            for name in names:
                if name not in other_cols:
                    raise NotImplementedError(f"{self._name}.cov/corr: columns missing from other ({name!r})")
        pairs = tuple((name, name if other_is_frame else next(iter(other_cols))) for name in names)
        bounds = self._bounds_key()
        run = compiled(("pair", key, minp, bounds, pairs), lambda: _pair_function(pair, bounds, pairs))
        out = self._merged(run(self._table, other_table))
        if not self._is_frame and getattr(type(other), "_jf_kind", "") == "series":
            (name, col), = out.items()  # pandas names the result only when both names agree
            out = {name if name == next(iter(other_cols)) else None: col}
        return self._wrap(out)

    def cov(self, other: Any = None, pairwise: bool | None = None, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Moving covariance with ``other`` (a Series, or a frame with the same columns)."""
        def fn(cov_biased, nobs, xb, yb, start, end, widest):
            n = nobs.astype(jnp.float64)
            return cov_biased * n / (n - ddof)

        return self._pair(other, pairwise, fn, ("cov", int(ddof)))

    def corr(self, other: Any = None, pairwise: bool | None = None, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Moving Pearson correlation with ``other``."""
        def fn(cov_biased, nobs, xb, yb, start, end, widest):
            n = nobs.astype(jnp.float64)
            num = cov_biased * n / (n - ddof)
            vx = window_reduce("var", xb, start, end, max_window=widest, ddof=ddof)
            vy = window_reduce("var", yb, start, end, max_window=widest, ddof=ddof)
            return num / jnp.sqrt(vx * vy)

        return self._pair(other, pairwise, fn, ("corr", int(ddof)))

    # -- agg ---------------------------------------------------------------------------------------
    def aggregate(self, func: Any = None, *args: Any, **kwargs: Any) -> Any:
        """A reduction by name, or a list of them (Series: one column each), or a dict of
        column -> name (DataFrame)."""
        if isinstance(func, str):
            return self._by_name(func)(*args, **kwargs)
        if callable(func):
            name = getattr(func, "__name__", "")
            if name in _AGGS:
                return self._by_name(name)()
            raise NotImplementedError(f"{self._name}.agg of a callable; use .apply(func, raw=True)")
        if isinstance(func, (list, tuple)) and not self._is_frame:
            results = {f: self._by_name(f)() for f in func}
            return _frame_of_series(results)
        if isinstance(func, dict) and self._is_frame:
            results = {}
            for col, f in func.items():
                if not isinstance(f, str):
                    raise NotImplementedError(f"{self._name}.agg with a list per column")
                sub = type(self).__new__(type(self))
                sub.__dict__.update(self.__dict__)
                keep = {col: self._table.columns[col]}
                if self.on is not None:
                    keep[self.on] = self._table.columns[self.on]
                sub._table = self._table.with_columns(keep)
                results[col] = sub._by_name(f)()._table.columns[col]
            return new_frame(results, self._table.index, self._table.row_mask, self._table.sharding)
        raise NotImplementedError(f"{self._name}.agg({func!r})")

    agg = aggregate

    def _by_name(self, name: str) -> Callable:
        if name not in _AGGS:
            raise AttributeError(f"'{name}' is not a valid function for '{self._name}' object")
        return getattr(self, name)


def _same_rows(a: Table, b: Table) -> bool:
    """Whether two tables hold the same rows (same index object or equal labels, same mask)."""
    if a.index is b.index and (a.row_mask is b.row_mask):
        return True
    if a.traced() or b.traced():
        return False
    ma, mb = a.live_host(), b.live_host()
    if (ma is None) != (mb is None) or (ma is not None and not np.array_equal(ma, mb)):
        return False
    return a.index.to_pandas(ma).equals(b.index.to_pandas(mb))


def _frame_of_series(results: dict[str, Any]) -> Any:
    first = next(iter(results.values()))._table
    cols = {k: next(iter(s._table.columns.values())) for k, s in results.items()}
    return new_frame(cols, first.index, first.row_mask, first.sharding)


class Rolling(Window):
    """``obj.rolling(window, min_periods, center, win_type, on, closed, step, method)``."""

    _name = "Rolling"

    def __init__(self, table: Table, is_frame: bool, window: Any, min_periods: int | None = None,
                 center: bool = False, win_type: str | None = None, on: Hashable | None = None,
                 closed: str | None = None, step: int | None = None, method: str = "single"):
        if win_type is not None:
            raise NotImplementedError(f"rolling(win_type={win_type!r}): weighted windows are not supported yet")
        if step not in (None, 1):
            raise NotImplementedError("rolling(step=...) is not supported yet")
        if method not in ("single", "table"):
            raise ValueError("method must be 'table' or 'single")
        if method == "table":
            raise NotImplementedError("rolling(method='table') is not supported yet")
        if closed not in CLOSED:
            raise ValueError("closed must be 'right', 'left', 'both' or 'neither'")
        if on is not None and not is_frame:
            raise ValueError("invalid on specified as {on}, must be a column (of DataFrame), an Index or None")
        if not isinstance(center, (bool, np.bool_)):
            raise ValueError("center must be a boolean")
        self.window, self.center, self.closed = window, bool(center), closed
        self._width: int | None = None
        if is_time_window(window):
            col, what = axis_column(table, on)
            if col.dtype.kind not in "Mm":
                raise ValueError("window must be an integer 0 or greater")
            if self.center:
                raise NotImplementedError("rolling(center=True) with a time-based window is not supported yet")
            self._width = time_width(window, col.dtype.unit)
            self._what = what
            default_minp = 1
        else:
            if isinstance(window, (bool, np.bool_)) or not isinstance(window, (int, np.integer)) or window < 0:
                if not isinstance(window, (int, np.integer)) and not isinstance(window, (bool, np.bool_)):
                    raise ValueError("window must be an integer 0 or greater")
                raise ValueError("window must be an integer 0 or greater")
            if on is not None:
                axis_column(table, on)
            self.window = int(window)
            default_minp = self.window
        if min_periods is not None:
            if not isinstance(min_periods, (int, np.integer)) or isinstance(min_periods, bool):
                raise ValueError("min_periods must be an integer")
            if min_periods < 0:
                raise ValueError("min_periods must be >= 0")
            if self._width is None and min_periods > self.window:
                raise ValueError(f"min_periods {min_periods} must be <= window {self.window}")
        super().__init__(table, is_frame, default_minp if min_periods is None else int(min_periods), on)

    def _bounds_key(self) -> tuple:
        if self._width is None:
            return ("fixed", self.window, self.center, self.closed)
        col, _ = axis_column(self._table, self.on)
        down = time_direction(col, self._table, self._what)
        return ("time", self._width, self.closed, self.on, down)

    def apply(self, func: Callable, raw: bool = False, engine: Any = None, engine_kwargs: Any = None,
              args: tuple | None = None, kwargs: dict | None = None) -> Any:
        """``func`` (JAX-traceable, array -> scalar) on each full window, vmapped: raw=True only,
        integer windows whose min_periods equals the window, closed='right'."""
        _check_engine(engine)
        if not raw:
            raise NotImplementedError("rolling.apply(raw=False): windows are passed as JAX arrays; use raw=True")
        if self._width is not None or self.closed not in (None, "right") or self.min_periods != self.window:
            raise NotImplementedError("rolling.apply needs an integer window, closed='right' and "
                                      "min_periods equal to the window (windows of one static shape)")
        args, kwargs = tuple(args or ()), dict(kwargs or {})
        width = self.window
        call = functools.partial(_call, func, args, tuple(sorted(kwargs.items())))

        def per_column(x, start, end, widest, rows):
            nobs = window_count(~jnp.isnan(x), start, end)
            take = jnp.clip(start[:, None] + jnp.arange(max(width, 1))[None, :], 0, max(rows.n - 1, 0))
            values = jax.vmap(call)(x[take][:, :width])
            ok = (end - start == width) & (nobs >= minp) & (width > 0)
            return jnp.where(ok, jnp.asarray(values, jnp.float64), jnp.nan)

        minp = self.min_periods
        return self._run(per_column, False, ("apply", func, args, tuple(sorted(kwargs.items())), minp, width))


def bounds(table: Table, rows: Rows, key: tuple) -> tuple[jax.Array, jax.Array, int]:
    """(start, end, static bound on end - start) of the windows ``key`` describes."""
    kind = key[0]
    if kind == "fixed":
        _, window, center, closed = key
        start, end = fixed_bounds(rows, window, center, closed)
        return start, end, max(1, window + 1)
    if kind == "expanding":
        start, end = expanding_bounds(rows)
        return start, end, max(1, rows.n)
    _, width, closed, on, down = key
    col, _ = axis_column(table, on)
    start, end = variable_bounds(rows, time_values(col, rows, down), width, closed)
    return start, end, max(1, rows.n)


def _window_function(per_column: Callable, key: tuple, names: tuple) -> Callable:
    def run(table: Table) -> dict[Hashable, jax.Array]:
        rows = Rows(table)
        start, end, widest = bounds(table, rows, key)
        return {name: rows.scatter(per_column(rows.live_values(float_values(table.columns[name])), start, end,
                                              widest, rows)) for name in names}

    return jax.jit(run)


def _pair_function(pair: Callable, key: tuple, pairs: tuple) -> Callable:
    def run(table: Table, other: Table) -> dict[Hashable, jax.Array]:
        rows = Rows(table)
        start, end, widest = bounds(table, rows, key)
        out = {}
        for name, other_name in pairs:
            x = rows.live_values(float_values(table.columns[name]))
            y = rows.live_values(float_values(other.columns[other_name]))
            out[name] = rows.scatter(pair(x, y, start, end, widest))
        return out

    return jax.jit(run)


def _call(func: Callable, args: tuple, kwargs: tuple, window: jax.Array) -> jax.Array:
    return jnp.asarray(func(window, *args, **dict(kwargs)), jnp.float64)


class Expanding(Window):
    """``obj.expanding(min_periods)``: every window starts at the first row."""

    _name = "Expanding"

    def __init__(self, table: Table, is_frame: bool, min_periods: int = 1, method: str = "single"):
        if method != "single":
            raise NotImplementedError("expanding(method='table') is not supported yet")
        if not isinstance(min_periods, (int, np.integer)) or isinstance(min_periods, bool):
            raise ValueError("min_periods must be an integer")
        if min_periods < 0:
            raise ValueError("min_periods must be >= 0")
        super().__init__(table, is_frame, int(min_periods))

    def _bounds_key(self) -> tuple:
        return ("expanding",)
