"""The pandas module as user code sees it after ``install()``.

``sys.modules['pandas']`` and every loaded ``pandas.*`` module (except pandas' tests and conftest,
which are user code) are replaced by ``ModuleProxy`` objects. A ModuleProxy has no attributes of
its own: each lookup goes to the real module and then asks who is asking. pandas' own code (and
JaxFrames, pyarrow, numpy) gets the real attribute, so pandas keeps working on real pandas
internally; user code gets proxy types (DataFrame, Series, group-bys), proxy top-level functions
(concat, merge, read_*, to_datetime, pivot_table, melt, crosstab), wrapped submodules, and other
pandas functions wrapped to take and give proxies. The caller is found by inspecting the calling
frame's module name, as cudf.pandas does.

A meta path finder wraps pandas modules imported later (lazily imported parts of pandas).
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import sys
import types
from typing import Any

from jaxframes.pandas import proxy

# Modules whose code must see real pandas; "pandas.tests"/"pandas.conftest" are carved out below.
_INTERNAL = ("pandas", "jaxframes", "pyarrow", "numpy", "importlib", "dateutil", "pytz", "scipy", "numexpr",
             "bottleneck", "matplotlib", "fsspec", "xarray", "_pytest", "pluggy", "pickle", "copyreg", "copy")
_USER_INSIDE_PANDAS = ("pandas.tests", "pandas.conftest")
_DECIDED: dict[str, bool] = {}


def _is_user(module_name: str) -> bool:
    found = _DECIDED.get(module_name)
    if found is None:
        found = True
        for prefix in _INTERNAL:
            if module_name == prefix or module_name.startswith(prefix + "."):
                found = any(module_name == p or module_name.startswith(p + ".") for p in _USER_INSIDE_PANDAS)
                break
        _DECIDED[module_name] = found
    return found


def caller_is_user(depth: int = 2) -> bool:
    """Whether the code that looked up a pandas attribute is user code (skipping the import
    machinery, which looks attributes up on behalf of an import statement)."""
    frame = sys._getframe(depth)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name.startswith("importlib"):
            frame = frame.f_back
            continue
        return _is_user(name)
    return True


_REPLACEMENTS: dict[int, Any] = {}  # id(real object) -> what user code gets
_KEEP: list[Any] = []  # keeps the real objects of _REPLACEMENTS alive (ids stay unique)
_FUNCTIONS: dict[int, Any] = {}


def _for_user(attr: Any) -> Any:
    found = _REPLACEMENTS.get(id(attr))
    if found is not None:
        return found
    if isinstance(attr, types.ModuleType):
        if isinstance(attr, ModuleProxy):
            return attr
        name = attr.__name__
        if name.startswith("pandas.") and not _is_user(name):
            wrapped = sys.modules.get(name)
            return wrapped if isinstance(wrapped, ModuleProxy) else attr
        return attr
    if isinstance(attr, types.FunctionType) and (attr.__module__ or "").startswith("pandas") \
            and not _is_user(attr.__module__ or ""):
        wrapped = _FUNCTIONS.get(id(attr))
        if wrapped is None:
            wrapped = _FUNCTIONS[id(attr)] = proxy.slow_function(attr)
            _KEEP.append(attr)
        return wrapped
    return attr


_OWN_DICT = types.ModuleType.__dict__["__dict__"]


class ModuleProxy(types.ModuleType):
    """A pandas module whose attributes depend on the caller (see the module docstring).

    Its ``__dict__`` is the real module's, so tools that read or restore module globals through
    ``__dict__`` (pytest's monkeypatch) act on pandas itself."""

    def __init__(self, real: types.ModuleType):
        super().__init__(real.__name__, real.__doc__)
        own = _OWN_DICT.__get__(self)
        for key in ("__file__", "__path__", "__spec__", "__loader__", "__package__"):
            if hasattr(real, key):
                own[key] = getattr(real, key)
        own["_jfp_real"] = real

    @property
    def __dict__(self) -> dict:  # type: ignore[override]
        return self._jfp_real.__dict__

    def __getattr__(self, name: str) -> Any:
        real = self._jfp_real
        attr = getattr(real, name)
        if not caller_is_user():
            return attr
        return _for_user(attr)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._jfp_real, name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._jfp_real, name)

    def __dir__(self) -> list[str]:
        return dir(self._jfp_real)

    def __repr__(self) -> str:
        return repr(self._jfp_real).replace("<module", "<module (jaxframes.pandas proxy)", 1)


def _wraps(name: str) -> bool:
    return (name == "pandas" or name.startswith("pandas.")) and not _is_user(name)


class _WrapAfterLoad(importlib.abc.Loader):
    def __init__(self, real: importlib.abc.Loader):
        self.real = real

    def create_module(self, spec: Any) -> Any:
        return self.real.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        self.real.exec_module(module)
        sys.modules[module.__name__] = ModuleProxy(module)


class _Finder(importlib.abc.MetaPathFinder):
    """Wraps pandas modules imported after install (pandas imports some parts lazily)."""

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> Any:
        if not _wraps(fullname) or fullname == "pandas":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = _WrapAfterLoad(spec.loader)
        return spec


_FINDER = _Finder()


def install_modules() -> None:
    """Replace the loaded pandas modules by proxies and catch later pandas imports."""
    import pandas  # noqa: F401 - real pandas, fully imported before it is wrapped
    import pandas._testing  # noqa: F401 - the test helpers, so they are wrapped too

    if not _REPLACEMENTS:
        for real, fake in {**proxy.proxy_types(), **proxy.top_level_functions()}.items():
            _REPLACEMENTS[id(real)] = fake
            _KEEP.append(real)
    for name, module in list(sys.modules.items()):
        if _wraps(name) and isinstance(module, types.ModuleType) and not isinstance(module, ModuleProxy):
            sys.modules[name] = ModuleProxy(module)
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)


def uninstall_modules() -> None:
    """Put the real pandas modules back (for tests of the mode itself)."""
    for name, module in list(sys.modules.items()):
        if isinstance(module, ModuleProxy):
            sys.modules[name] = module._jfp_real
    for name, module in list(sys.modules.items()):  # parents that the import system gave a proxy child
        parent, _, child = name.rpartition(".")
        if parent and _wraps(name) and isinstance(getattr(sys.modules.get(parent), child, None), ModuleProxy):
            setattr(sys.modules[parent], child, module)
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)


def installed() -> bool:
    return isinstance(sys.modules.get("pandas"), ModuleProxy)
