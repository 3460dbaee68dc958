"""Exponentially weighted windows (``obj.ewm(...)``): mean, sum, var, std, cov, corr.

pandas' ewm loop (one running weighted mean, decayed and renormalized per row) is a linear
recurrence, so each statistic here is a few affine scans (``kernels.windows.affine_scan``,
``lax.associative_scan``: O(n) work, O(log n) depth, any backend, inside jit):

- every row decays the old weights by ``d = (1 - alpha) ** e`` when it is an observation or
  ``ignore_na`` is False (``e`` is 1, or the time step over ``halflife`` with ``times=``);
- adjust=True: weights are the decays' products, a new observation weighs 1;
- adjust=False: at an observation, old weights scale by ``p / (p + alpha)`` and the new one
  weighs ``alpha / (p + alpha)`` (``p`` = the product of the decays since the last
  observation); pandas 3's mean with ``times=`` (or alpha exactly 0.5, the alpha times= sets)
  uses ``p`` and ``1 - p`` instead, and so do we (the two differ only across NaN gaps);
- mean = sum(w x) / sum(w); cov = sum(w x y) / sum(w) - mean_x mean_y (on values shifted by
  the first observation, against cancellation), unbiased by ``W^2 / (W^2 - sum(w^2))``.
Dead rows are compacted away first; NaN rows follow pandas' rules above.
"""

from __future__ import annotations

import math
from typing import Any, Hashable

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes.column import Column
from jaxframes.kernels import native
from jaxframes.kernels.windows import affine_scan, ewm_native
from jaxframes.table import Table
from jaxframes.windows.core import Rows, compiled, float_column, float_values, wrap_like


def _alpha(com: Any, span: Any, halflife: Any, alpha: Any, has_times: bool) -> float:
    if has_times:
        if halflife is None:
            raise ValueError("halflife must be a timedelta convertible object")
        if any(v is not None for v in (com, span, alpha)):
            raise ValueError("comass, span, halflife, and alpha are mutually exclusive")
        return 0.5
    if sum(v is not None for v in (com, span, halflife, alpha)) > 1:
        raise ValueError("comass, span, halflife, and alpha are mutually exclusive")
    if com is not None:
        if com < 0:
            raise ValueError("comass must satisfy: comass >= 0")
    elif span is not None:
        if span < 1:
            raise ValueError("span must satisfy: span >= 1")
        com = (span - 1) / 2
    elif halflife is not None:
        if isinstance(halflife, (str, pd.Timedelta, np.timedelta64)):
            raise ValueError("halflife can only be a timedelta convertible argument if times is not None.")
        if halflife <= 0:
            raise ValueError("halflife must satisfy: halflife > 0")
        com = 1 / (1 - math.exp(math.log(0.5) / halflife)) - 1
    elif alpha is not None:
        if not 0 < alpha <= 1:
            raise ValueError("alpha must satisfy: 0 < alpha <= 1")
        com = (1 - alpha) / alpha
    else:
        raise ValueError("Must pass one of comass, span, halflife, or alpha")
    return 1.0 / (1.0 + float(com))


class Recurrence:
    """The static parameters of an ewm and its recurrence: hashable, so each compiled ewm
    function is keyed by them (and holds no frame)."""

    # The C++ recurrence (csrc/ewm.cc) runs one series from its first row; a subclass whose steps
    # differ (per-group segments) sets this False and keeps the affine scans.
    whole_series_kernel = True

    def __init__(self, alpha: float, adjust: bool, ignore_na: bool, min_periods: int, halflife: float | None):
        self.alpha, self.adjust, self.ignore_na = alpha, adjust, ignore_na
        self.min_periods, self.halflife = min_periods, halflife

    def key(self) -> tuple:
        return (self.alpha, self.adjust, self.ignore_na, self.min_periods, self.halflife)

    def deltas(self, rows: Rows, times: jax.Array) -> jax.Array:
        """Each row's decay exponent with ``times=``: the step from the previous row over the
        halflife (differences taken on the int64 instants, then converted: exact steps)."""
        t = rows.gather(times)
        return jnp.concatenate([jnp.zeros(1), (t[1:] - t[:-1]).astype(jnp.float64) / self.halflife])

    def mean_or_sum(self, x: jax.Array, rows: Rows, times: Any, normalize: bool) -> jax.Array:
        """The ewm mean (``normalize``) or sum of live-order values: the C++ recurrence on the CPU
        backend when built (csrc/ewm.cc), the affine scans (the twin) elsewhere."""
        def twin(x: jax.Array) -> jax.Array:
            m = self.moments(x, rows, times)
            return self.gate(m, m["sx"] / m["w"]) if normalize else self.gate(m, m["sx"], carry=False)

        if not self.whole_series_kernel or not native.available() or x.shape[0] == 0:
            return twin(x)

        def cpu(x: jax.Array) -> jax.Array:
            return ewm_native(x, None if times is None else self.deltas(rows, times), alpha=self.alpha,
                              adjust=self.adjust, ignore_na=self.ignore_na, min_periods=self.min_periods,
                              normalize=normalize,
                              one_minus_old=not self.adjust and (times is not None or self.alpha == 0.5))

        return jax.lax.platform_dependent(x, cpu=cpu, default=twin)

    def segment_starts(self, rows: Rows) -> jax.Array | None:
        """Each row's segment start, where the recurrence restarts (None: one series)."""
        return None

    def steps(self, rows: Rows, present: jax.Array, times: Any, cov: bool = False) -> tuple[jax.Array, jax.Array]:
        """(per-row weight multiplier a, new-observation weight b) in live order. With
        adjust=False, pandas 3's mean gives the old weights ``p`` and the new ``1 - p``; its
        covariance keeps ``p / (p + alpha)`` and ``alpha / (p + alpha)`` (``cov=True``)."""
        f = 1.0 - self.alpha
        pos = rows.positions()
        start = self.segment_starts(rows)
        restart = jnp.zeros(rows.n, bool) if start is None else pos == start
        expo = jnp.ones(rows.n, jnp.float64) if times is None else self.deltas(rows, times)
        applied = (present | (not self.ignore_na)) & (pos < rows.count) & ~restart
        expo = jnp.where(applied, expo, 0.0)
        if self.adjust:
            return jnp.where(restart, 0.0, jnp.power(f, expo)), present.astype(jnp.float64)
        # p: decays since the last observation (an exclusive scan of exponents between observations)
        total = jnp.cumsum(expo)
        last_obs = jax.lax.cummax(jnp.where(present, pos, -1))
        prev_obs = jnp.concatenate([jnp.full(1, -1, last_obs.dtype), last_obs])[:-1]  # (0 rows: 0 rows)
        if start is not None:
            prev_obs = jnp.where(prev_obs >= start, prev_obs, -1)  # observations of this segment only
        since = total - jnp.where(prev_obs >= 0, total[jnp.maximum(prev_obs, 0)], 0.0)
        p = jnp.power(f, since)
        first = present & (prev_obs < 0)
        # pandas 3 (observed): the mean gives the new value 1 - p with times= and when alpha is
        # exactly 0.5 (com == 1, the value times= sets), else alpha / (p + alpha); cov always the latter
        new_rule = not cov and (times is not None or self.alpha == 0.5)
        old, new = (p, 1.0 - p) if new_rule else (p / (p + self.alpha), self.alpha / (p + self.alpha))
        a = jnp.where(present, jnp.where(first, 0.0, old), 1.0)
        b = jnp.where(present, jnp.where(first, 1.0, new), 0.0)
        return a, b

    def moments(self, x: jax.Array, rows: Rows, times: Any, y: jax.Array | None = None) -> dict[str, jax.Array]:
        present = ~jnp.isnan(x) if y is None else (~jnp.isnan(x) & ~jnp.isnan(y))
        present = present & (rows.positions() < rows.count)  # dead rows (after the live ones) never count
        a, b = self.steps(rows, present, times, cov=y is not None)
        out = {"w": affine_scan(a, b), "nobs": jnp.cumsum(present)}
        xs = jnp.where(present, x, 0.0)
        out["sx"] = affine_scan(a, b * xs)
        out["started"] = out["nobs"] > 0
        out["last_obs"] = jax.lax.cummax(jnp.where(present, rows.positions(), 0))
        if y is not None:
            ys = jnp.where(present, y, 0.0)
            first = jnp.argmax(present)  # shift by the first observation: a constant series is exactly 0
            sx_shift, sy_shift = xs[first], ys[first]
            xc, yc = jnp.where(present, x - sx_shift, 0.0), jnp.where(present, y - sy_shift, 0.0)
            out["cx"] = affine_scan(a, b * xc)
            out["cy"] = affine_scan(a, b * yc)
            out["cxy"] = affine_scan(a, b * xc * yc)
            out["w2"] = affine_scan(a * a, b * b)
        return out

    def gate(self, m: dict[str, jax.Array], value: jax.Array, carry: bool = True) -> jax.Array:
        """min_periods applied; ``carry``: rows without an observation repeat the value of the
        last observation (pandas leaves its running mean/cov untouched there, and the weights
        alone may have decayed to 0, e.g. alpha=1)."""
        if carry:
            value = value[m["last_obs"]]
        return jnp.where(m["started"] & (m["nobs"] >= self.min_periods), value, jnp.nan)

    def cov_pair(self, x: jax.Array, y: jax.Array, rows: Rows, times: Any, bias: bool) -> jax.Array:
        m = self.moments(x, rows, times, y)
        w = m["w"]
        mx, my = m["cx"] / w, m["cy"] / w
        cov = jnp.where(m["nobs"] == 1, 0.0, m["cxy"] / w - mx * my)  # one observation: exactly 0
        if not bias:
            num = w * w
            den = num - m["w2"]
            cov = jnp.where(den > 0, cov * num / jnp.where(den > 0, den, 1.0), jnp.nan)
        return self.gate(m, cov)


class EWM:
    """``obj.ewm(com, span, halflife, alpha, min_periods, adjust, ignore_na, times, method)``."""

    def __init__(self, table: Table, is_frame: bool, com: Any = None, span: Any = None, halflife: Any = None,
                 alpha: Any = None, min_periods: int | None = 0, adjust: bool = True, ignore_na: bool = False,
                 times: Any = None, method: str = "single"):
        if method != "single":
            raise NotImplementedError("ewm(method='table') is not supported yet")
        self._table, self._is_frame = table, is_frame
        self.min_periods = max(int(min_periods or 0), 1)
        if min_periods is not None and min_periods < 0:
            raise ValueError("min_periods must be >= 0")
        self.adjust, self.ignore_na = bool(adjust), bool(ignore_na)
        self._times: Any = None
        if times is not None:
            self._times = _times_array(times, table)
            try:
                self._halflife = pd.Timedelta(halflife).value
            except (ValueError, TypeError):
                raise ValueError("halflife must be a timedelta convertible object") from None
            if self._halflife <= 0:
                raise ValueError("halflife must satisfy: halflife > 0")
        self.alpha = _alpha(com, span, halflife, alpha, times is not None)

    @property
    def _rec(self) -> Recurrence:
        return Recurrence(self.alpha, self.adjust, self.ignore_na, self.min_periods,
                          None if self._times is None else float(self._halflife))

    def _names(self, numeric_only: bool) -> tuple:
        names = []
        for name, col in self._table.columns.items():
            if numeric_only and not col.dtype.is_numeric:
                continue
            if self._is_frame and not col.dtype.is_numeric:
                raise pd.errors.DataError(f"Cannot aggregate non-numeric type: {col.dtype}")
            names.append(name)
        return tuple(names)

    def _run(self, per_column: Any, key: Hashable, numeric_only: bool = False) -> Any:
        """``per_column(values_in_live_order, rows, times)`` on every aggregated column, as one
        compiled function per (key, recurrence, columns)."""
        names = self._names(numeric_only)
        fn = compiled(("ewm", key, self._rec.key(), names), lambda: _ewm_function(per_column, names))
        results = fn(self._table, self._times)
        return self._wrap({name: float_column(results[name]) for name in names})

    def _wrap(self, columns: dict[Hashable, Column]) -> Any:
        return wrap_like(self._table, columns, self._is_frame)

    # -- aggregations ----------------------------------------------------------------------------
    def mean(self, numeric_only: bool = False, engine: Any = None, engine_kwargs: Any = None) -> Any:
        """Exponentially weighted mean (pandas' ewma)."""
        rec = self._rec

        def per_column(x, rows, times):
            return rec.mean_or_sum(x, rows, times, normalize=True)

        return self._run(per_column, "mean", numeric_only)

    def sum(self, numeric_only: bool = False, engine: Any = None, engine_kwargs: Any = None) -> Any:
        """Exponentially weighted sum (adjust=True weights, unnormalized)."""
        if self._times is not None:
            raise NotImplementedError("sum is not implemented with times")
        if not self.adjust:
            raise NotImplementedError("ewm(adjust=False).sum() is not supported yet")
        rec = self._rec

        def per_column(x, rows, times):
            return rec.mean_or_sum(x, rows, times, normalize=False)

        return self._run(per_column, "sum", numeric_only)

    def var(self, bias: bool = False, numeric_only: bool = False) -> Any:
        """Exponentially weighted variance (bias=False: the unbiased weighted estimator)."""
        rec = self._rec
        return self._run(lambda x, rows, times: jnp.maximum(rec.cov_pair(x, x, rows, times, bias), 0.0),
                         ("var", bool(bias)), numeric_only)

    def std(self, bias: bool = False, numeric_only: bool = False) -> Any:
        rec = self._rec
        return self._run(lambda x, rows, times: jnp.sqrt(jnp.maximum(rec.cov_pair(x, x, rows, times, bias), 0.0)),
                         ("std", bool(bias)), numeric_only)

    def _pair(self, other: Any, pairwise: bool | None, fn: Any, key: Hashable) -> Any:
        if other is None or pairwise:
            raise NotImplementedError("ewm cov/corr without other (pairwise over all columns)")
        if other._table.capacity != self._table.capacity:
            raise NotImplementedError("ewm cov/corr with an other that is not on the same rows (align it first)")
        other_cols = other._table.columns
        other_is_frame = getattr(type(other), "_jf_kind", "") == "dataframe"
        names = self._names(False)
        pairs = tuple((name, name if other_is_frame else next(iter(other_cols))) for name in names)
        run = compiled(("ewm-pair", key, self._rec.key(), pairs), lambda: _ewm_pair_function(fn, pairs))
        results = run(self._table, other._table, self._times)
        out = {name: float_column(results[name]) for name in names}
        if not self._is_frame and getattr(type(other), "_jf_kind", "") == "series":
            (name, col), = out.items()  # pandas names the result only when both names agree
            out = {name if name == next(iter(other_cols)) else None: col}
        return self._wrap(out)

    def cov(self, other: Any = None, pairwise: bool | None = None, bias: bool = False,
            numeric_only: bool = False) -> Any:
        rec = self._rec
        return self._pair(other, pairwise, lambda x, y, rows, times: rec.cov_pair(x, y, rows, times, bias),
                          ("cov", bool(bias)))

    def corr(self, other: Any = None, pairwise: bool | None = None, numeric_only: bool = False) -> Any:
        rec = self._rec

        def fn(x, y, rows, times):
            both = ~jnp.isnan(x) & ~jnp.isnan(y)  # pandas aligns the pair: NaN in either drops both
            x, y = jnp.where(both, x, jnp.nan), jnp.where(both, y, jnp.nan)
            cov = rec.cov_pair(x, y, rows, times, True)
            vx = rec.cov_pair(x, x, rows, times, True)
            vy = rec.cov_pair(y, y, rows, times, True)
            return cov / jnp.sqrt(vx * vy)

        return self._pair(other, pairwise, fn, "corr")

    def aggregate(self, func: Any = None, *args: Any, **kwargs: Any) -> Any:
        if isinstance(func, str) and func in ("mean", "sum", "var", "std"):
            return getattr(self, func)(*args, **kwargs)
        raise NotImplementedError(f"ewm.agg({func!r})")

    agg = aggregate


def _ewm_function(per_column: Any, names: tuple) -> Any:
    def run(table: Table, times: Any) -> dict:
        rows = Rows(table)
        return {name: rows.scatter(per_column(rows.live_values(float_values(table.columns[name])), rows, times))
                for name in names}

    return jax.jit(run)


def _ewm_pair_function(fn: Any, pairs: tuple) -> Any:
    def run(table: Table, other: Table, times: Any) -> dict:
        rows = Rows(table)
        return {name: rows.scatter(fn(rows.live_values(float_values(table.columns[name])),
                                      rows.live_values(float_values(other.columns[other_name])), rows, times))
                for name, other_name in pairs}

    return jax.jit(run)


def _times_array(times: Any, table: Table) -> jax.Array:
    """``times=``: a column name, or datetime values as long as the frame; int64 nanoseconds."""
    if isinstance(times, str) or (isinstance(times, Hashable) and times in table.columns):
        col = table.columns[times]
        if col.dtype.kind != "M":
            raise ValueError("times must be datetime64 dtype.")
        return col.data.astype(jnp.int64) * (10 ** 9 // _per_second(col.dtype.unit))
    values = pd.to_datetime(pd.Series(np.asarray(times))) if not isinstance(times, (pd.Series, pd.Index)) else times
    if not hasattr(values, "dtype") or values.dtype.kind != "M":
        raise ValueError("times must be datetime64 dtype.")
    ns = np.asarray(values, dtype="datetime64[ns]").astype(np.int64)
    if len(ns) != table.capacity or table.row_mask is not None:
        raise ValueError("times must be the same length as the object.")
    if np.isnat(np.asarray(values, dtype="datetime64[ns]")).any():
        raise ValueError("Cannot convert NaT values to integer")
    return jnp.asarray(ns)


def _per_second(unit: str) -> int:
    return {"s": 1, "ms": 10 ** 3, "us": 10 ** 6, "ns": 10 ** 9}[unit]
