"""Cleaning: replace, interpolate, convert_dtypes, select_dtypes, add_prefix/suffix, sample, compare, repeat."""

from __future__ import annotations


class FrameCleaningMethods:
    """DataFrame methods: Cleaning: replace, interpolate, convert_dtypes, select_dtypes, add_prefix/suffix, sample, compare, repeat."""

    __slots__ = ()


class SeriesCleaningMethods:
    """Series methods: Cleaning: replace, interpolate, convert_dtypes, select_dtypes, add_prefix/suffix, sample, compare, repeat."""

    __slots__ = ()
