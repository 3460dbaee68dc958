"""Compiled programs kept across processes: ``jit`` is ``jax.jit`` plus an opt-in disk cache of
serialized executables that skips JAX's tracing and lowering, not only the XLA compile.

JAX's persistent compilation cache keys an executable by the lowered module, so a new process
still traces and lowers every program before it can find one (on the CPU that is most of a
one-shot script's JAX time: benchmarks/pandas_mode). With ``enable(directory)`` (pandas
accelerator mode calls it), a function wrapped by ``jit`` looks its executable up by what
decides the program before tracing: the function, the pytree structure and the avals (shape,
dtype, weak type) of its arguments, its static arguments, and the environment (JAX and jaxlib
versions, backend, x64 mode, whether the C++ kernels are on, a fingerprint of the jaxframes
sources). A hit in memory calls the executable; on disk it is deserialized
(``jax.experimental.serialize_executable``); a miss lowers and compiles through JAX (which still
uses its own persistent cache) and writes the executable.

Anything the key cannot describe exactly takes the plain ``jax.jit`` path: tracer arguments
(a call inside another trace), static arguments or pytree metadata that do not pickle (the
disk key hashes their pickle, which is exact where a printed form may not be) or that print an
identity (functions, plain objects), more than one device, and executables JAX cannot
serialize. Disabled (the default), a wrapped
function is ``jax.jit`` behind one attribute test.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import os
import pickle
import re
import tempfile
import threading
from pathlib import Path
from typing import Any, Callable

import jax
import jaxlib
from jax._src import compilation_cache as _jax_cache
from jax.experimental import serialize_executable

from jaxframes.kernels import native

_state: dict[str, Any] = {"dir": None, "env": None}
_lock = threading.Lock()
_UNSTABLE = re.compile(r" at 0x[0-9a-fA-F]+|<function |<lambda>|object at ")
_SKIP = object()


def _fingerprint() -> str:
    """The jaxframes sources (paths, sizes, modification times) and the C++ extension."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".so", ".pyd") and path.is_file():
            st = path.stat()
            digest.update(f"{path.relative_to(root)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


def enable(directory: str | os.PathLike) -> None:
    """Keep executables of ``jit``-wrapped functions in ``directory`` (created if needed).
    Only on a single-device process: with several devices the plain ``jax.jit`` path is kept."""
    Path(directory).mkdir(parents=True, exist_ok=True)
    backend = jax.devices()[0].client
    _state["env"] = (jax.__version__, jaxlib.__version__,
                     backend.platform, backend.platform_version, bool(jax.config.jax_enable_x64),
                     _fingerprint())
    _state["single"] = jax.device_count() == 1
    _state["dir"] = Path(directory)


def disable() -> None:
    """Back to plain ``jax.jit`` (the programs loaded so far are forgotten)."""
    _state["dir"] = None
    for fn in _WRAPPED:
        fn._memo.clear()
        fn._loaded.clear()


def enabled() -> bool:
    return _state["dir"] is not None


_WRAPPED: list["_CachedJit"] = []
# XLA compiles done by this thread: an executable that JAX returns from its in-memory cache may be
# one its persistent cache deserialized, which must not be written (see _CachedJit._compile).
_compiles = threading.local()


def _count_compile(event: str, duration: float, **kwargs: Any) -> None:
    if event == "/jax/core/compile/backend_compile_duration":
        _compiles.n = getattr(_compiles, "n", 0) + 1


def _count_hit(event: str, **kwargs: Any) -> None:
    if event == "/jax/compilation_cache/cache_hits":
        _compiles.hits = getattr(_compiles, "hits", 0) + 1


jax.monitoring.register_event_duration_secs_listener(_count_compile)
jax.monitoring.register_event_listener(_count_hit)


@contextlib.contextmanager
def _without_jax_cache() -> Any:
    """JAX's persistent cache off for one compile. JAX decides once per process whether it uses
    the cache (config.enable_compilation_cache is read only then), so the decision it keeps is
    set aside and restored; without those internals the cache stays on (the hit is then seen
    by _count_hit and the executable is not written)."""
    mutex = getattr(_jax_cache, "_cache_initialized_mutex", None)
    if mutex is None or not hasattr(_jax_cache, "_cache_checked") or not hasattr(_jax_cache, "_cache_used"):
        yield
        return
    with mutex:
        saved = (_jax_cache._cache_checked, _jax_cache._cache_used)
        _jax_cache._cache_checked, _jax_cache._cache_used = True, False
    try:
        yield
    finally:
        with mutex:
            _jax_cache._cache_checked, _jax_cache._cache_used = saved


def _aval_key(leaf: Any) -> Any:
    if isinstance(leaf, jax.core.Tracer):
        return _SKIP
    try:
        aval = jax.typeof(leaf)
    except TypeError:  # not an array type: jax.jit raises its own error
        return _SKIP
    shape = getattr(aval, "shape", None)
    dtype = getattr(aval, "dtype", None)
    if shape is None or dtype is None:
        return _SKIP
    return (shape, str(dtype), bool(getattr(aval, "weak_type", False)))


class _CachedJit:
    """A ``jax.jit``-wrapped function whose executables can be kept on disk (see module)."""

    def __init__(self, fun: Callable, static_argnums: tuple, static_argnames: tuple, jit_kwargs: dict):
        self._jit = jax.jit(fun, static_argnums=static_argnums or None, static_argnames=static_argnames or None,
                            **jit_kwargs)
        self._name = f"{fun.__module__}.{fun.__qualname__}"
        # as jax.jit does: a static name passed by position is static, and a static position
        # passed by name
        try:
            params = [p.name for p in inspect.signature(fun).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        except (TypeError, ValueError):
            params = []
        self._static_nums = frozenset(static_argnums) | {i for i, p in enumerate(params) if p in static_argnames}
        self._static_names = frozenset(static_argnames) | {params[i] for i in static_argnums if 0 <= i < len(params)}
        self._label = {i: params[i] if i < len(params) else i for i in self._static_nums}
        self._memo: dict = {}
        self._paths: dict = {}  # key -> its disk entry
        self._loaded: set = set()  # keys whose executable was read from disk
        functools.update_wrapper(self, fun)
        _WRAPPED.append(self)

    def __getattr__(self, name: str) -> Any:  # lower, trace, eval_shape, clear_cache, ...
        return getattr(self._jit, name)

    def __get__(self, obj: Any, objtype: Any = None) -> Any:
        return self if obj is None else functools.partial(self, obj)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if _state["dir"] is None or not _state["single"]:
            return self._jit(*args, **kwargs)
        nums, names = self._static_nums, self._static_names
        if nums:
            statics = tuple((self._label[i], a) for i, a in enumerate(args) if i in nums)
            dyn_args = tuple(a for i, a in enumerate(args) if i not in nums)
        else:
            statics, dyn_args = (), args
        if names and kwargs:
            statics += tuple((k, v) for k, v in kwargs.items() if k in names)
            dyn_kwargs = {k: v for k, v in kwargs.items() if k not in names}
        else:
            dyn_kwargs = kwargs
        if len(statics) > 1:  # by name, in one order: positional and keyword spellings meet
            statics = tuple(sorted(statics, key=lambda kv: str(kv[0])))
        leaves, tree = jax.tree_util.tree_flatten((dyn_args, dyn_kwargs))
        avals = tuple(_aval_key(leaf) for leaf in leaves)
        if _SKIP in avals:
            return self._jit(*args, **kwargs)
        try:
            key = (statics, tree, avals, native.available())
            compiled = self._memo.get(key)
        except TypeError:  # an unhashable static argument: jax.jit raises the user-facing error
            return self._jit(*args, **kwargs)
        if compiled is None:
            compiled = self._load_or_compile(key, args, kwargs)
        if compiled is None or compiled is _SKIP:
            return self._jit(*args, **kwargs)
        try:
            return compiled(*dyn_args, **dyn_kwargs)
        except TypeError:  # raised before running: arguments the key did not tell apart
            self._memo[key] = _SKIP
            return self._jit(*args, **kwargs)
        except jax.errors.JaxRuntimeError as err:
            # A disk entry written by an older jaxframes from an executable that JAX's own
            # persistent cache had deserialized: on the CPU it lacks the code of its fusions
            # ("NOT_FOUND: Function ..._fusion not found"). Raised before running: compile afresh.
            if "NOT_FOUND" not in str(err) or key not in self._loaded:
                raise
            self._loaded.discard(key)
            self._path(key).unlink(missing_ok=True)
            compiled = self._compile(self._path(key), args, kwargs)
            self._memo[key] = compiled
            return compiled(*dyn_args, **dyn_kwargs)

    def _load_or_compile(self, key: tuple, args: tuple, kwargs: dict) -> Any:
        statics, tree, avals, kernels = key
        try:
            # pickled, not printed: a pytree node's metadata or a static value may print the same
            # for different values (a categorical dtype prints 'category'); pickling is exact
            blob = pickle.dumps((self._name, statics, tree, avals, kernels, _state["env"]), protocol=4)
        except Exception:  # noqa: BLE001 - no form another process would reproduce: jax.jit
            blob = None
        if blob is None or _UNSTABLE.search(repr(statics)):  # identity-based values (functions, objects)
            self._memo[key] = _SKIP
            return None
        path = _state["dir"] / f"{self._name.rsplit('.', 1)[-1]}-{hashlib.sha256(blob).hexdigest()[:32]}.bin"
        self._paths[key] = path
        compiled = None
        if path.exists():
            try:
                with open(path, "rb") as f:
                    blob, in_tree, out_tree = pickle.load(f)
                compiled = serialize_executable.deserialize_and_load(blob, in_tree, out_tree)
                self._loaded.add(key)
            except Exception:  # noqa: BLE001 - a stale or torn entry: compile afresh and overwrite
                compiled = None
        if compiled is None:
            compiled = self._compile(path, args, kwargs)
        self._memo[key] = compiled
        return compiled

    def _path(self, key: tuple) -> Path:
        return self._paths[key]

    def _compile(self, path: Path, args: tuple, kwargs: dict) -> Any:
        """Compile afresh (never from JAX's persistent cache: an executable that JAX deserialized
        serializes without the code of its fusions on the CPU) and write the executable."""
        before = (getattr(_compiles, "n", 0), getattr(_compiles, "hits", 0))
        with _without_jax_cache():
            compiled = self._jit.lower(*args, **kwargs).compile()
        # written only when XLA compiled it here: not from JAX's in-memory or persistent cache
        if getattr(_compiles, "n", 0) > before[0] and getattr(_compiles, "hits", 0) == before[1]:
            self._write(path, compiled)
        return compiled

    @staticmethod
    def _write(path: Path, compiled: Any) -> None:
        try:
            payload = pickle.dumps(serialize_executable.serialize(compiled))
        except Exception:  # noqa: BLE001 - not serializable (constants, custom pytree nodes): memory only
            return
        with _lock:
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(payload)
                os.replace(tmp, path)  # atomic: a concurrent reader sees the old file or the new one
            except OSError:
                Path(tmp).unlink(missing_ok=True)


def jit(fun: Callable | None = None, *, static_argnums: int | tuple = (), static_argnames: str | tuple = (),
        **jit_kwargs: Any) -> Any:
    """``jax.jit`` with the disk cache of executables (module doc). Usable as ``@jit``,
    ``@jit(static_argnames=...)`` or ``functools.partial(jit, static_argnames=...)``."""
    nums = (static_argnums,) if isinstance(static_argnums, int) else tuple(static_argnums)
    names = (static_argnames,) if isinstance(static_argnames, str) else tuple(static_argnames)
    if fun is None:
        return lambda f: _CachedJit(f, nums, names, jit_kwargs)
    return _CachedJit(fun, nums, names, jit_kwargs)
