"""Statistics: corr, cov, mode, sem, skew, kurt, pct_change, argmax/argmin, factorize, monotonicity.

Thin facades over ops/statistics.py (device moments and pairwise statistics over live rows).
"""

from __future__ import annotations

from typing import Any

from jaxframes.ops import statistics as st


class FrameStatisticsMethods:
    """DataFrame methods: Statistics: corr, cov, mode, sem, skew, kurt, pct_change, argmax/argmin, factorize, monotonicity."""

    __slots__ = ()

    def corr(self, method: Any = "pearson", min_periods: int = 1, numeric_only: bool = False) -> Any:
        """Pairwise correlation of columns over pairwise-complete live rows (float64 frame)."""
        return st.frame_corr(self, method, min_periods, numeric_only)

    def cov(self, min_periods: Any = None, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Pairwise covariance of columns (pandas: ddof applies when no value is missing)."""
        return st.frame_cov(self, min_periods, ddof, numeric_only)

    def corrwith(self, other: Any, axis: Any = 0, drop: bool = False, method: Any = "pearson",
                 numeric_only: bool = False, min_periods: Any = None) -> Any:
        """Correlation of each column with a Series, or with the same-named column of a frame."""
        return st.frame_corrwith(self, other, axis, drop, method, numeric_only, min_periods)

    def dot(self, other: Any) -> Any:
        """Matrix product with another frame, a Series or an array."""
        return st.dot(self, other)

    def __matmul__(self, other: Any) -> Any:
        return st.dot(self, other)

    def mode(self, axis: Any = 0, numeric_only: bool = False, dropna: bool = True) -> Any:
        """Each column's most frequent values (padded with nulls to the longest)."""
        return st.frame_mode(self, axis, numeric_only, dropna)

    def sem(self, axis: Any = 0, skipna: bool = True, ddof: int = 1, numeric_only: bool = False) -> Any:
        """Standard error of the mean per column."""
        return st.frame_moment(self, "sem", axis, skipna, numeric_only, ddof)

    def skew(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, **kwargs: Any) -> Any:
        """Unbiased skewness per column (NaN below 3 values or for a constant column)."""
        return st.frame_moment(self, "skew", axis, skipna, numeric_only)

    def kurt(self, axis: Any = 0, skipna: bool = True, numeric_only: bool = False, **kwargs: Any) -> Any:
        """Unbiased excess kurtosis per column (NaN below 4 values or for a constant column)."""
        return st.frame_moment(self, "kurt", axis, skipna, numeric_only)

    kurtosis = kurt

    def pct_change(self, periods: int = 1, fill_method: Any = None, freq: Any = None, **kwargs: Any) -> Any:
        """Change relative to the value ``periods`` live rows before."""
        return st.pct_change(self, periods, fill_method, freq, kwargs)


class SeriesStatisticsMethods:
    """Series methods: Statistics: corr, cov, mode, sem, skew, kurt, pct_change, argmax/argmin, factorize, monotonicity."""

    __slots__ = ()

    def corr(self, other: Any, method: Any = "pearson", min_periods: Any = None) -> Any:
        """Correlation with another Series over the rows where both are present."""
        return st.series_corr(self, other, method, min_periods)

    def cov(self, other: Any, min_periods: Any = None, ddof: int = 1) -> Any:
        """Covariance with another Series over the rows where both are present."""
        return st.series_cov(self, other, min_periods, ddof)

    def autocorr(self, lag: int = 1) -> Any:
        """Correlation with the Series shifted by ``lag`` rows."""
        return st.series_corr(self, self.shift(lag))

    def dot(self, other: Any) -> Any:
        return st.dot(self, other)

    def __matmul__(self, other: Any) -> Any:
        return st.dot(self, other)

    def mode(self, dropna: bool = True) -> Any:
        """The most frequent value(s), sorted."""
        return st.series_mode(self, dropna)

    def sem(self, axis: Any = None, skipna: bool = True, ddof: int = 1, numeric_only: bool = False) -> Any:
        return st.series_moment(self, "sem", skipna, ddof)

    def skew(self, axis: Any = None, skipna: bool = True, numeric_only: bool = False, **kwargs: Any) -> Any:
        return st.series_moment(self, "skew", skipna)

    def kurt(self, axis: Any = None, skipna: bool = True, numeric_only: bool = False, **kwargs: Any) -> Any:
        return st.series_moment(self, "kurt", skipna)

    kurtosis = kurt

    def pct_change(self, periods: int = 1, fill_method: Any = None, freq: Any = None, **kwargs: Any) -> Any:
        return st.pct_change(self, periods, fill_method, freq, kwargs)

    def argmax(self, axis: Any = None, skipna: bool = True, *args: Any, **kwargs: Any) -> Any:
        """Position (among the live rows) of the first largest value."""
        return st.series_argextreme(self, "argmax", skipna)

    def argmin(self, axis: Any = None, skipna: bool = True, *args: Any, **kwargs: Any) -> Any:
        """Position (among the live rows) of the first smallest value."""
        return st.series_argextreme(self, "argmin", skipna)

    def argsort(self, axis: Any = 0, kind: str = "quicksort", order: Any = None, stable: Any = None) -> Any:
        """Positions that sort the values (stable; nulls last)."""
        return st.series_argsort(self, kind, stable)

    def factorize(self, sort: bool = False, use_na_sentinel: bool = True) -> tuple:
        """(codes, uniques): integer codes per value (-1 for nulls) and the distinct values."""
        return st.factorize_series(self, sort, use_na_sentinel)

    @property
    def is_unique(self) -> bool:
        return int(self.nunique(dropna=False)) == len(self)

    @property
    def is_monotonic_increasing(self) -> bool:
        return st.is_monotonic(self, True)

    @property
    def is_monotonic_decreasing(self) -> bool:
        return st.is_monotonic(self, False)

    @property
    def hasnans(self) -> bool:
        return st.has_live_nulls(self)

    @property
    def nbytes(self) -> int:
        return st.nbytes(self)
