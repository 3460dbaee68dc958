"""Loads the C++ extension once and registers its XLA FFI handlers for the CPU platform."""

from __future__ import annotations

import functools

import jax


@functools.cache
def available() -> bool:
    """True when the compiled extension imported and its handlers are registered."""
    try:
        from jaxframes import _native
    except ImportError:  # a source checkout without a build: the pure-JAX twins still work
        return False
    for name, capsule in _native.registrations().items():
        jax.ffi.register_ffi_target(name, capsule, platform="cpu")
    return True
