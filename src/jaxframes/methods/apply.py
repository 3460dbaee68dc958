"""Function application: agg, apply, map, transform, pipe, combine, combine_first, update, eval, query."""

from __future__ import annotations


class FrameApplyMethods:
    """DataFrame methods: Function application: agg, apply, map, transform, pipe, combine, combine_first, update, eval, query."""

    __slots__ = ()


class SeriesApplyMethods:
    """Series methods: Function application: agg, apply, map, transform, pipe, combine, combine_first, update, eval, query."""

    __slots__ = ()
