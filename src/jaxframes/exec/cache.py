"""The compile cache of fused stages, keyed by (plan shape, input schema, capacity bucket).

The input frame's PyTree structure carries the schema (names, dtypes, dictionaries, index
metadata); its leaves' shapes carry the capacity bucket. A Python side effect in the traced
function counts traces, so tests can check that new data of a similar size does not recompile.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import jax

_CACHE: dict[Any, Any] = {}
EAGER = object()  # marks a stage that cannot be traced (host-only operation): run it eagerly
STATS = {"traces": 0, "compiles": 0, "hits": 0, "eager_fallbacks": 0, "compile_seconds": 0.0}
_NOT_TRACEABLE = (jax.errors.ConcretizationTypeError, jax.errors.TracerArrayConversionError,
                  jax.errors.TracerBoolConversionError, jax.errors.TracerIntegerConversionError,
                  NotImplementedError, TypeError)


def trace_count() -> int:
    """How many times a fused stage has been traced (each trace precedes a compilation)."""
    return STATS["traces"]


def clear() -> None:
    _CACHE.clear()


def cache_key(stage_key: Any, frame: Any) -> tuple:
    leaves, treedef = jax.tree_util.tree_flatten(frame)
    return stage_key, treedef, tuple((leaf.shape, str(leaf.dtype)) for leaf in leaves)


def run_cached(stage_key: Any, body: Callable[[Any], Any], frame: Any, eager: Callable[[], Any]) -> Any:
    """``body(frame)`` through a cached compiled function; ``eager()`` when it cannot trace."""
    key = cache_key(stage_key, frame)
    compiled = _CACHE.get(key)
    if compiled is EAGER:
        return eager()
    if compiled is None:
        def traced(f: Any) -> Any:
            STATS["traces"] += 1  # a Python side effect: runs only while tracing
            return body(f)
        start = time.perf_counter()
        try:
            compiled = jax.jit(traced).lower(frame).compile()
        except _NOT_TRACEABLE:
            _CACHE[key] = EAGER
            STATS["eager_fallbacks"] += 1
            return eager()
        STATS["compile_seconds"] += time.perf_counter() - start
        STATS["compiles"] += 1
        _CACHE[key] = compiled
    else:
        STATS["hits"] += 1
    return compiled(frame)
