"""Windows: rolling, expanding, ewm."""

from __future__ import annotations


class FrameWindowMethods:
    """DataFrame methods: Windows: rolling, expanding, ewm."""

    __slots__ = ()


class SeriesWindowMethods:
    """Series methods: Windows: rolling, expanding, ewm."""

    __slots__ = ()
