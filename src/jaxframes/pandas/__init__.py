"""pandas accelerator mode: run unchanged pandas code on JaxFrames, falling back to pandas.

    python -m jaxframes.pandas [--report] script.py [args]   # or: -m module [args]
    import jaxframes.pandas; jaxframes.pandas.install()       # before `import pandas`
    %load_ext jaxframes.pandas                               # IPython / Jupyter

After ``install()``, ``import pandas as pd`` in user code gives proxy DataFrame/Series/group-by
types and proxy concat, merge, read_parquet, read_csv, to_datetime, pivot_table, melt and
crosstab; everything else is real pandas. Each call runs on JaxFrames where it can and on pandas
otherwise, never silently: ``report()`` lists every API with its calls on each side, the time
spent and the grouped fallback reasons; ``logging.getLogger("jaxframes.pandas")`` logs each
fallback at DEBUG; ``JAXFRAMES_PANDAS=strict`` raises ``FallbackError`` instead of falling back;
``JAXFRAMES_PANDAS=verify`` runs both sides and raises ``VerifyError`` on a differing answer.

pandas' Index types stay real pandas (JaxFrames has no public Index type). JAX's persistent
compilation cache is switched on, and JaxFrames' cache of serialized executables beside it
(``~/.cache/jaxframes``, or ``$JAXFRAMES_CACHE_DIR``), so a rerun of a script neither recompiles
nor retraces the programs it cached.
"""

from __future__ import annotations

import os
from pathlib import Path

import jax

from jaxframes import executables
from jaxframes.pandas import module as _module
from jaxframes.pandas import profile as _profile
from jaxframes.pandas.profile import FallbackError, VerifyError, mode
from jaxframes.pandas.proxy import DataFrame, Series

__all__ = ["install", "uninstall", "installed", "report", "reset", "mode", "FallbackError", "VerifyError",
           "DataFrame", "Series", "load_ipython_extension"]


def cache_dir() -> Path:
    """Where accelerator mode keeps compiled programs: ``$JAXFRAMES_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/jaxframes`` (``~/.cache/jaxframes``)."""
    where = os.environ.get("JAXFRAMES_CACHE_DIR")
    if where:
        return Path(where)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "jaxframes"


def enable_compilation_cache() -> str:
    """Switch on JAX's persistent compilation cache (``<cache_dir>/jax``) and JaxFrames' cache
    of serialized executables (``<cache_dir>/executables``, jaxframes.executables: a rerun
    skips tracing and lowering too); returns the directory of JAX's cache."""
    root = cache_dir()
    where = str(root / "jax")
    Path(where).mkdir(parents=True, exist_ok=True)
    jax.config.update("jax_compilation_cache_dir", where)
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", 0)
    executables.enable(root / "executables")
    return where


def install(compilation_cache: bool = True) -> None:
    """Make ``import pandas`` give the accelerated module to user code (idempotent). Call it
    before user code imports pandas: a module that already holds the real pandas keeps it.
    ``compilation_cache=False`` leaves JAX's persistent compilation cache as it is."""
    _profile.mode()  # an unknown JAXFRAMES_PANDAS value fails here, not at the first call
    route = os.environ.get("JAXFRAMES_PANDAS_ROUTE", "jaxframes").strip().lower() or "jaxframes"
    if route not in _profile.ROUTES:
        raise ValueError(f"JAXFRAMES_PANDAS_ROUTE={route!r}: expected one of {', '.join(_profile.ROUTES)}")
    if compilation_cache:
        enable_compilation_cache()
    _module.install_modules()


def uninstall() -> None:
    """Give user code the real pandas again (for tests of the mode)."""
    _module.uninstall_modules()


def installed() -> bool:
    return _module.installed()


def report() -> str:
    """The per-API table of calls on JaxFrames, fallbacks, time on each side and reasons."""
    return _profile.report()


def reset() -> None:
    """Forget the recorded calls."""
    _profile.reset()


def load_ipython_extension(ipython) -> None:  # noqa: ANN001 - IPython's shell
    """``%load_ext jaxframes.pandas``: install the mode; a later ``import pandas`` is proxied.
    A ``pandas`` name already bound in the user namespace is rebound to the proxy module."""
    install()
    if "pd" in ipython.user_ns or "pandas" in ipython.user_ns:
        import sys
        for name in ("pd", "pandas"):
            if getattr(ipython.user_ns.get(name), "__name__", None) == "pandas":
                ipython.user_ns[name] = sys.modules["pandas"]
