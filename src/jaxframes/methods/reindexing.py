"""Index and shape: set_index, reset_index, reindex, align, xs, transpose, take, at/iat, insert/pop, iteration."""

from __future__ import annotations


class FrameReindexingMethods:
    """DataFrame methods: Index and shape: set_index, reset_index, reindex, align, xs, transpose, take, at/iat, insert/pop, iteration."""

    __slots__ = ()


class SeriesReindexingMethods:
    """Series methods: Index and shape: set_index, reset_index, reindex, align, xs, transpose, take, at/iat, insert/pop, iteration."""

    __slots__ = ()
