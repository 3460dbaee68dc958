"""Windows: rolling, expanding, ewm (the objects and their rules live in jaxframes.windows)."""

from __future__ import annotations

from typing import Any, Hashable

from jaxframes.windows import EWM, Expanding, Rolling


class _WindowMethods:
    __slots__ = ()
    _jf_kind: str

    def rolling(self, window: Any, min_periods: int | None = None, center: bool = False,
                win_type: str | None = None, on: Hashable | None = None, closed: str | None = None,
                step: int | None = None, method: str = "single") -> Rolling:
        """Moving windows of ``window`` rows, or of a time span ('5s', '3D') over a datetime index
        or the ``on`` column. Aggregations (sum, mean, std, var, min, max, median, quantile, skew,
        kurt, count, sem, first, last, apply(raw=True), cov, corr, agg) skip NaN and apply
        ``min_periods`` as pandas does; dead rows of a filtered frame never enter a window."""
        return Rolling(self._table, self._jf_kind == "dataframe", window, min_periods, center, win_type, on,
                       closed, step, method)

    def expanding(self, min_periods: int = 1, method: str = "single") -> Expanding:
        """Windows from the first row to each row."""
        return Expanding(self._table, self._jf_kind == "dataframe", min_periods, method)

    def ewm(self, com: float | None = None, span: float | None = None, halflife: Any = None,
            alpha: float | None = None, min_periods: int | None = 0, adjust: bool = True,
            ignore_na: bool = False, times: Any = None, method: str = "single") -> EWM:
        """Exponentially weighted windows (mean, sum, var, std, cov, corr), as affine scans."""
        return EWM(self._table, self._jf_kind == "dataframe", com, span, halflife, alpha, min_periods, adjust,
                   ignore_na, times, method)


class FrameWindowMethods(_WindowMethods):
    """DataFrame methods: Windows: rolling, expanding, ewm."""

    __slots__ = ()


class SeriesWindowMethods(_WindowMethods):
    """Series methods: Windows: rolling, expanding, ewm."""

    __slots__ = ()
