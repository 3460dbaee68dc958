"""XLA compilations, counted: the test helper that holds "no wasted compilations" budgets.

Capacity buckets exist so that a new data size reuses compiled kernels; a test proves it by
counting compilations around a repeated workload. jax 0.10.2 reports every backend compile
(a compilation-cache miss) as a ``/jax/core/compile/backend_compile_duration`` monitoring
event with the function's name, so the count is a listener on that event: no log parsing,
and ``jax.log_compiles`` stays free for the user.
"""

from __future__ import annotations

import collections
import contextlib
import threading
from typing import Any, Iterator

import jax

_EVENT = "/jax/core/compile/backend_compile_duration"
_lock = threading.Lock()
_active: list["CompileCount"] = []


class CompileCount:
    """Compilations inside a ``count_compiles()`` block: the total and the count per function."""

    def __init__(self) -> None:
        self.by_function: collections.Counter[str] = collections.Counter()

    @property
    def compiles(self) -> int:
        return sum(self.by_function.values())

    def __repr__(self) -> str:
        return f"CompileCount(compiles={self.compiles}, by_function={dict(self.by_function)})"


def _listener(event: str, duration: float, **kwargs: Any) -> None:
    if event != _EVENT:
        return
    name = str(kwargs.get("fun_name", "?"))
    for count in list(_active):
        count.by_function[name] += 1


@contextlib.contextmanager
def count_compiles() -> Iterator[CompileCount]:
    """Count XLA compilations made inside the block (all threads; blocks may nest)."""
    count = CompileCount()
    with _lock:
        if not _active:
            jax.monitoring.register_event_duration_secs_listener(_listener)
        _active.append(count)
    try:
        yield count
    finally:
        with _lock:
            _active.remove(count)
            if not _active:
                jax.monitoring.unregister_event_duration_listener(_listener)
