"""Statistics: corr, cov, mode, sem, skew, kurt, pct_change, argmax/argmin, factorize, monotonicity."""

from __future__ import annotations


class FrameStatisticsMethods:
    """DataFrame methods: Statistics: corr, cov, mode, sem, skew, kurt, pct_change, argmax/argmin, factorize, monotonicity."""

    __slots__ = ()


class SeriesStatisticsMethods:
    """Series methods: Statistics: corr, cov, mode, sem, skew, kurt, pct_change, argmax/argmin, factorize, monotonicity."""

    __slots__ = ()
