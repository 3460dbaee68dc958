"""jaxframes.executables: executables kept on disk are found again without tracing, give the
same answers, and everything the key cannot describe takes the plain jax.jit path."""

from __future__ import annotations

import functools
import os
import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np
import pytest

from jaxframes import executables


@functools.partial(executables.jit, static_argnames=("op",))
def _combine(x, y, op: str = "add"):
    return x + y if op == "add" else x * y


@functools.partial(executables.jit, static_argnums=1)
def _scaled(x, f):
    return x * f(2)


@pytest.fixture
def cache(tmp_path):
    executables.enable(tmp_path)
    yield tmp_path
    executables.disable()


def _traces():
    count = []
    listener = lambda event, duration, **kw: count.append(1) if event.endswith("jaxpr_trace_duration") else None
    jax.monitoring.register_event_duration_secs_listener(listener)
    return count, listener


def test_a_new_process_loads_without_tracing(cache):
    x = jnp.arange(4.0)
    assert np.array_equal(_combine(x, 2.0, op="mul"), x * 2)  # compiled and written
    assert np.array_equal(_combine(x, 1.0, "mul"), x)  # static name passed by position: same program
    assert np.array_equal(_scaled(x, float), x * 2.0)  # static position passed by name or by position
    assert np.array_equal(_scaled(x, f=float), x * 2.0)
    assert len(list(cache.glob("_combine-*.bin"))) == 1
    _combine._memo.clear()  # what a new process starts with
    count, listener = _traces()
    try:
        loaded = _combine(x, 3.0, op="mul")
        other = _combine(x, 3.0)  # another static value: another program, traced
    finally:
        jax.monitoring.unregister_event_duration_listener(listener)
    assert np.array_equal(loaded, x * 3) and np.array_equal(other, x + 3)
    assert len(count) == 1 and len(list(cache.glob("_combine-*.bin"))) == 2
    # another shape or dtype is another program, never a wrong one
    assert _combine(jnp.arange(3), 1).dtype == jnp.arange(3).dtype
    assert _combine(jnp.arange(5.0), 1.0).shape == (5,)


def test_frames_and_keys_as_arguments(cache):
    """Engine pytrees (SortKeys: registered dataclasses with static fields) and a column's data
    round-trip through the disk: a second load gives the same answer."""
    from jaxframes.column import Column, gather
    from jaxframes.kernels.keys import SortKey, packed_words
    import jaxframes as jf

    col = jf.Series([3, 1, 2])._column
    keys = [SortKey(jnp.array([2, 0, 1]), kind="i", domain=3), SortKey(jnp.array([True, False, True]), kind="b")]
    first = (gather(col.data, jnp.array([2, 0])), packed_words(keys))
    for fn in (gather, packed_words):
        fn._memo.clear()
    again = (gather(col.data, jnp.array([2, 0])), packed_words(keys))
    assert isinstance(col, Column) and first[0].tolist() == again[0].tolist() == [2, 3]
    assert [w.tolist() for w in first[1]] == [w.tolist() for w in again[1]]
    assert {p.name.split("-")[0] for p in cache.glob("*.bin")} == {"gather", "packed_words"}


def test_what_the_key_cannot_describe_takes_jax_jit(cache):
    x = jnp.arange(3.0)
    assert np.array_equal(_scaled(x, lambda n: n), x * 2)  # a function as static argument
    assert jax.jit(lambda v: _combine(v, v))(x).tolist() == [0.0, 2.0, 4.0]  # traced arguments
    assert not list(cache.glob("*.bin"))
    with pytest.raises(TypeError):
        _combine(x, "a")  # jax.jit's own error for a non-array argument


def test_disabled_is_plain_jit():
    assert not executables.enabled()
    assert _combine(jnp.ones(2), 1.0, op="add").tolist() == [2.0, 2.0]
    assert _combine.lower(jnp.ones(2), 1.0).compile() is not None  # jax.jit's API stays reachable


_WITH_JAX_CACHE = r"""
import os, pickle, sys
from pathlib import Path
import jax, jax.numpy as jnp
from jax.experimental import serialize_executable
from jaxframes import executables

root = Path(sys.argv[1])
jax.config.update("jax_compilation_cache_dir", str(root / "jax"))
jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)

@executables.jit
def f(x, i):
    return (x * 3 + 1)[i] != 2

x, i = jnp.arange(10.0), jnp.array([1, 2])
f._jit(x, i)  # JAX's persistent cache now holds the program
jax.clear_caches()
executables.enable(root / "ex")
assert f(x, i).tolist() == [True, True]  # compiled afresh (not from JAX's cache) and written
f._memo.clear()
assert f(x, i).tolist() == [True, True] and f._loaded  # read from disk: it runs
# an entry that an older jaxframes wrote from JAX's cache (it lacks its fusions' code) is replaced
[path] = (root / "ex").glob("f-*.bin")
jax.clear_caches()
path.write_bytes(pickle.dumps(serialize_executable.serialize(jax.jit(f.__wrapped__).lower(x, i).compile())))
f._memo.clear()
assert f(x, i).tolist() == [True, True]  # fails to run, is removed, compiled again
jax.clear_caches(), f._memo.clear()
assert f(x, i).tolist() == [True, True] and path.exists()  # a new process: compiled and written
f._memo.clear(), f._loaded.clear()
assert f(x, i).tolist() == [True, True] and f._loaded  # the rewritten entry runs
print("ok")
"""


def test_jax_persistent_cache_hits_are_not_written(tmp_path):
    """On the CPU an executable that JAX's persistent cache deserialized serializes without the
    code of its fusions ("NOT_FOUND: Function ..._fusion not found" when run in another process):
    the disk entry is compiled afresh, and a lossy entry already on disk is replaced."""
    out = subprocess.run([sys.executable, "-c", _WITH_JAX_CACHE, str(tmp_path)], capture_output=True, text=True,
                         timeout=120, env={**os.environ, "JAX_PLATFORMS": "cpu"})
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-3000:]
