"""Device-to-host syncs, counted. The engine's own syncs go through ``device_get``.

A sync stalls asynchronous dispatch, so the README states a budget per operation and tests
hold the code to it with ``count_syncs()``. It counts every explicit ``device_get`` as one sync,
and every implicit read of a device array's value (``bool(array)``, ``int(array)``,
``array.tolist()``) as one more: JAX's transfer guard does not fire on the CPU backend,
where device memory is host memory, so the count hooks the array's host value instead.
``np.asarray(array)`` reads CPU arrays through the buffer protocol, which no Python hook sees:
engine code converts with ``device_get`` so that its syncs are counted.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any, Iterator

import jax
from jax._src import array as _array

_state = threading.local()
_ORIGINAL_VALUE = _array.ArrayImpl._value


def _counts() -> list:
    stack = getattr(_state, "stack", None)
    if stack is None:
        stack = _state.stack = []
    return stack


def _add(n: int = 1) -> None:
    for count in _counts():
        count.syncs += n


def device_get(value: Any) -> Any:
    """``jax.device_get`` (numpy values on the host), counted as one sync."""
    if getattr(_state, "inside_get", False):
        return jax.device_get(value)
    _add()
    _state.inside_get = True
    try:
        return jax.device_get(value)
    finally:
        _state.inside_get = False


class SyncCount:
    """How many syncs happened inside a ``count_syncs()`` block."""

    def __init__(self) -> None:
        self.syncs = 0

    def __repr__(self) -> str:
        return f"SyncCount(syncs={self.syncs})"


def _counting_value(self: Any) -> Any:
    if self._npy_value is None and not getattr(_state, "inside_get", False):
        _add()
    return _ORIGINAL_VALUE.fget(self)


@contextlib.contextmanager
def count_syncs() -> Iterator[SyncCount]:
    """Count device-to-host syncs made inside the block (explicit and implicit)."""
    count = SyncCount()
    stack = _counts()
    stack.append(count)
    if len(stack) == 1:
        _array.ArrayImpl._value = property(_counting_value)
    try:
        yield count
    finally:
        stack.remove(count)
        if not stack:
            _array.ArrayImpl._value = _ORIGINAL_VALUE
