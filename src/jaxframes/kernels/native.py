"""Loads the C++ extension and registers its XLA FFI handlers for the CPU platform, once.

Registration is lazy and thread-safe: the dispatchers ask ``available()``, and every
``*_native`` entry point calls ``require()`` first, so a direct call works without a prior
``available()``. Registration also tells the kernels how many XLA CPU devices share their
thread pool (each call gets about ``process_cpu_budget() // devices`` threads).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator

import jax

_lock = threading.Lock()
_state: dict[str, bool] = {}


def _cpu_device_count() -> int:
    try:
        return max(1, len(jax.devices("cpu")))
    except RuntimeError:  # no CPU backend in this process: the kernels never run
        return 1


def _register() -> bool:
    try:
        from jaxframes import _native
    except ImportError:  # a source checkout without a build: the pure-JAX twins still work
        return False
    _native.set_cpu_devices(_cpu_device_count())
    for name, capsule in _native.registrations().items():
        jax.ffi.register_ffi_target(name, capsule, platform="cpu")
    return True


def available() -> bool:
    """True when the compiled extension imported and its handlers are registered."""
    if _state.get("disabled"):
        return False
    if "ok" not in _state:
        with _lock:
            if "ok" not in _state:
                _state["ok"] = _register()
    return _state["ok"]


@contextlib.contextmanager
def disabled() -> Iterator[None]:
    """Tests: run the pure-JAX twins on the CPU too (``available()`` is False inside). The
    dispatchers choose their path when they trace, so JAX's caches are cleared on entry and exit."""
    jax.clear_caches()
    _state["disabled"] = True
    try:
        yield
    finally:
        _state.pop("disabled", None)
        jax.clear_caches()


def require() -> None:
    """Registers the handlers if needed; raises RuntimeError when the extension is not built."""
    if not available():
        raise RuntimeError("the C++ extension jaxframes._native is not built")


def thread_budget() -> int:
    """Threads one C++ kernel call may use: the CPUs this process may use (affinity mask capped
    by the cgroup CPU quota) divided between the process's XLA CPU devices, at least 1."""
    require()
    from jaxframes import _native
    return int(_native.thread_budget())


def process_cpu_budget() -> int:
    """CPUs this process may use: the affinity mask capped by the cgroup CPU quota."""
    require()
    from jaxframes import _native
    return int(_native.process_cpu_budget())
