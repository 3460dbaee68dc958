"""Output and display: to_string, to_markdown, to_html, to_json, to_records, info, memory_usage, values, plot."""

from __future__ import annotations


class FrameOutputMethods:
    """DataFrame methods: Output and display: to_string, to_markdown, to_html, to_json, to_records, info, memory_usage, values, plot."""

    __slots__ = ()


class SeriesOutputMethods:
    """Series methods: Output and display: to_string, to_markdown, to_html, to_json, to_records, info, memory_usage, values, plot."""

    __slots__ = ()
