"""Fast/slow proxies: objects that look like pandas' and run on JaxFrames where they can.

A proxy DataFrame or Series holds a JaxFrames object (the fast side), a pandas object (the slow
side), or both; each side is made from the other only when a call needs it, and then kept.
Mutation (``df['c'] = v``, ``.loc[...] = v``, ``inplace=True``, ``df.columns = ...``) rebinds the
proxy: the side that did the change stays, the other is dropped as stale.

Every call goes through ``_dispatch``: try JaxFrames; on any exception fall back to pandas, record
the reason (profile.py) and log it; in strict mode raise instead; in verify mode run both and
raise on a differing answer. Intermediate objects (group-bys, indexers, accessors, windows) are
``Intermediate`` proxies that keep the recipe to rebuild their pandas twin from their parent.

What pandas internals must not see is handled by the module proxy (module.py): pandas' own code
always gets real pandas classes; only user code gets these proxies.
"""

from __future__ import annotations

import functools
import inspect
import pickle
import time
import os
import sys
import types
import warnings
from typing import Any, Callable

import jax
import numpy as np
import pandas as _pd
import pandas._testing as _tm
import pyarrow.parquet as pq
from pandas.errors import Pandas4Warning
from pandas.core.groupby import DataFrameGroupBy, SeriesGroupBy
from pandas.core.window import Expanding, ExponentialMovingWindow, Rolling

import jaxframes as jf
from jaxframes.pandas import profile

_REAL_DF = _pd.DataFrame
_REAL_SERIES = _pd.Series
_JF_DF = jf.DataFrame
_JF_SERIES = jf.Series


class _NoFast(Exception):
    """The fast side cannot be had (conversion refused); carries the reason."""


# ---------------------------------------------------------------------------------------------
# conversion between the sides
# ---------------------------------------------------------------------------------------------
def _refuse_lossy(obj: Any) -> None:
    """pandas metadata that a JaxFrames object does not keep: converting would change answers."""
    if obj.attrs:
        raise _NoFast("NotImplementedError: attrs are not kept by JaxFrames")
    if not obj.flags.allows_duplicate_labels:
        raise _NoFast("NotImplementedError: allows_duplicate_labels=False is not kept by JaxFrames")
    index = obj.index
    if getattr(index, "freq", None) is not None:
        raise _NoFast("NotImplementedError: an index freq is not kept by JaxFrames")
    if type(index) not in (_pd.RangeIndex, _pd.Index, _pd.DatetimeIndex, _pd.TimedeltaIndex, _pd.CategoricalIndex):
        raise _NoFast(f"NotImplementedError: {type(index).__name__} rows are not supported by JaxFrames")
    if isinstance(obj, _REAL_DF):
        if type(obj.columns) not in (_pd.Index, _pd.RangeIndex):
            raise _NoFast(f"NotImplementedError: {type(obj.columns).__name__} column labels are not supported by JaxFrames")
        if obj.columns.name is not None:
            raise _NoFast("NotImplementedError: a name on the column labels is not kept by JaxFrames")


def to_fast(obj: Any) -> Any:
    """A JaxFrames DataFrame/Series for an exact pandas DataFrame/Series, checked to keep its
    labels and dtypes; raises _NoFast with the reason otherwise."""
    _refuse_lossy(obj)
    try:
        fast = jf.from_pandas(obj)
    except Exception as e:  # noqa: BLE001 - the reason is recorded
        raise _NoFast(profile.reason_of(e)) from e
    if isinstance(obj, _REAL_DF):
        cols = fast.columns
        if not (cols.equals(obj.columns) and cols.dtype == obj.columns.dtype):
            raise _NoFast(f"NotImplementedError: column labels change in JaxFrames ({obj.columns.dtype} -> {cols.dtype})")
        if not fast.dtypes.equals(obj.dtypes):
            changed = [(a, b) for a, b in zip(obj.dtypes, fast.dtypes) if a != b][:1]
            raise _NoFast(f"NotImplementedError: a column dtype changes in JaxFrames ({changed[0][0]} -> {changed[0][1]})"
                          if changed else "NotImplementedError: a column dtype changes in JaxFrames")
    elif fast.dtype != obj.dtype or fast.name != obj.name:
        raise _NoFast(f"NotImplementedError: the Series dtype changes in JaxFrames ({obj.dtype} -> {fast.dtype})"
                      if fast.dtype != obj.dtype else "NotImplementedError: the Series name changes in JaxFrames")
    return fast


def _numpy(value: jax.Array) -> Any:
    out = np.asarray(value)
    return out[()] if out.ndim == 0 else out


# ---------------------------------------------------------------------------------------------
# wrapping results and unwrapping arguments
# ---------------------------------------------------------------------------------------------
def wrap_slow(value: Any) -> Any:
    """A pandas result as the user sees it: exact DataFrame/Series become proxies; group-bys and
    windows become slow-only intermediates; containers and iterators are wrapped inside."""
    t = type(value)
    if t is _REAL_DF:
        return DataFrame._from_sides(None, value)
    if t is _REAL_SERIES:
        return Series._from_sides(None, value)
    if t is tuple or t is list:
        return t(wrap_slow(v) for v in value)
    if t is types.GeneratorType or t is zip or t is map:
        return (wrap_slow(v) for v in value)
    if t in _SLOW_INTERMEDIATES:
        return Intermediate(None, lambda: value, _SLOW_INTERMEDIATES[t], None)
    return value


def wrap_fast(value: Any, slow: Callable[[], Any], api: str) -> Any:
    """A JaxFrames result as the user sees it; ``slow`` rebuilds the pandas twin of an
    intermediate (group-by, accessor) should a later call need pandas."""
    if isinstance(value, _JF_DF):
        return DataFrame._from_sides(value, None)
    if isinstance(value, _JF_SERIES):
        return Series._from_sides(value, None)
    if isinstance(value, jax.Array):
        return _numpy(value)
    t = type(value)
    if t is tuple or t is list:
        return t(wrap_fast(v, _no_slow, api) for v in value)
    if t is types.GeneratorType:
        return (wrap_fast(v, _no_slow, api) for v in value)
    if t is _REAL_DF or t is _REAL_SERIES:
        return wrap_slow(value)
    if (getattr(t, "__module__", "") or "").startswith("jaxframes"):
        return Intermediate(value, slow, _intermediate_kind(value, api), None)
    return value


def _no_slow():
    raise NotImplementedError("no pandas twin for a value inside a JaxFrames container")


def _intermediate_kind(value: Any, api: str) -> str:
    name = type(value).__name__
    return name if name.endswith("GroupBy") else api


def unwrap_slow(value: Any) -> Any:
    """An argument as pandas wants it: proxies become their pandas objects (converted once and
    kept), user callables get their proxy results unwrapped."""
    if isinstance(value, _Proxy):
        return value._slow()
    if isinstance(value, Intermediate):
        return value._slow()
    t = type(value)
    if t is list or t is tuple:
        return t(unwrap_slow(v) for v in value)
    if t is dict:
        return {unwrap_slow(k) if isinstance(k, _Proxy) else k: unwrap_slow(v) for k, v in value.items()}
    if t is types.FunctionType:
        return _slow_callable(value)
    return value


def _slow_callable(fn: Callable) -> Callable:
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        return unwrap_slow(fn(*args, **kwargs))
    return call


def unwrap_fast(value: Any) -> Any:
    """An argument as JaxFrames wants it; raises _NoFast when a proxy cannot be converted."""
    if isinstance(value, _Proxy):
        return value._fast()
    if isinstance(value, Intermediate):
        if value._fs_fast is None:
            raise _NoFast("an argument exists only on pandas")
        return value._fs_fast
    t = type(value)
    if t is _REAL_DF or t is _REAL_SERIES:
        return to_fast(value)
    if t is list or t is tuple:
        return t(unwrap_fast(v) for v in value)
    if t is dict:
        return {k: unwrap_fast(v) for k, v in value.items()}
    if t is types.FunctionType:
        return _fast_callable(value)
    return value


def _fast_callable(fn: Callable) -> Callable:
    """A user function called by JaxFrames sees proxies, as it would see pandas objects."""
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        args = tuple(wrap_fast(a, _no_slow, "callback") for a in args)
        kwargs = {k: wrap_fast(v, _no_slow, "callback") for k, v in kwargs.items()}
        return unwrap_fast(fn(*args, **kwargs))
    return call


# ---------------------------------------------------------------------------------------------
# the one dispatch
# ---------------------------------------------------------------------------------------------
def _same(fast: Any, slow: Any) -> None:
    """Raise AssertionError when the two answers differ (verify mode)."""
    if isinstance(slow, (_REAL_DF,)):
        _tm.assert_frame_equal(fast, slow)
    elif isinstance(slow, _REAL_SERIES):
        _tm.assert_series_equal(fast, slow)
    elif isinstance(slow, _pd.Index):
        _tm.assert_index_equal(fast, slow)
    elif isinstance(slow, (np.ndarray, int, float, bool, np.generic, str)) or slow is None:
        _tm.assert_almost_equal(fast, slow)


def dispatch(api: str, fast: Callable[[], Any] | None, slow: Callable[[], Any], *,
             reason: str | None = None, verify: bool = True, rebind: Callable[[Any], None] | None = None) -> Any:
    """Run ``fast`` (a thunk returning a raw JaxFrames result) or fall back to ``slow`` (a thunk
    returning a raw pandas result); returns the wrapped result. ``reason`` says why there is no
    fast thunk. ``rebind`` receives the fast result of an inplace call (the result is None)."""
    current = profile.mode()
    if fast is not None and profile.route() == "pandas":
        fast, reason = None, profile.ROUTED
    if fast is not None:
        start = time.perf_counter()
        try:
            raw = _attributed(fast, keep_on_error=False)
            if rebind is not None:
                rebind(raw)
                out = None
            else:
                out = wrap_fast(raw, slow, api)
        except (profile.FallbackError, profile.VerifyError):
            raise
        except _NoFast as e:
            reason = str(e)
            error: BaseException | None = e
        except Exception as e:  # noqa: BLE001 - every failure falls back, with its reason
            reason = profile.reason_of(e)
            error = e
        else:
            profile.record_fast(api, time.perf_counter() - start)
            if current == "verify" and verify and rebind is None and not isinstance(out, Intermediate):
                expected = slow()
                try:
                    _same(unwrap_slow(out), expected)
                except AssertionError as e:
                    raise profile.VerifyError(
                        f"JAXFRAMES_PANDAS=verify: {api} differs between JaxFrames and pandas:\n{e}") from None
            return out
    else:
        error = None
    reason = reason or "NotImplementedError: no JaxFrames implementation"
    if current == "strict":
        raise profile.FallbackError(
            f"{api} would fall back to pandas ({reason}); JAXFRAMES_PANDAS=strict forbids it") from error
    profile.log.debug("fallback to pandas: %s (%s)", api, reason)
    start = time.perf_counter()
    try:
        return wrap_slow(_attributed(slow))
    finally:
        profile.record_slow(api, time.perf_counter() - start, reason)


_PANDAS_DIR = os.path.dirname(_pd.__file__)
_PANDAS_TESTS = os.path.join(_PANDAS_DIR, "tests")
_OUR_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _internal_file(name: str) -> bool:
    return name.startswith(_OUR_DIR) or name.startswith(_PANDAS_DIR) and not name.startswith(_PANDAS_TESTS)


def _attributed(thunk: Callable[[], Any], keep_on_error: bool = True) -> Any:
    """Run a call; its warnings, which pandas (or JaxFrames) attributes to the first frame outside
    it (that is, to this module), are re-issued at the user's line, where pandas would put them.
    ``keep_on_error=False``: a call that raises (a JaxFrames attempt about to fall back) drops its
    warnings, so that the pandas call that follows is the only one to warn."""
    caught: list = []
    failed = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            return thunk()
    except BaseException:
        failed = True
        raise
    finally:
        if caught and (keep_on_error or not failed):
            _reissue(caught)


def _user_frame() -> Any:
    frame = sys._getframe(1)
    while frame is not None and _internal_file(frame.f_code.co_filename):
        frame = frame.f_back
    return frame


def _warn_at_user(message: Warning) -> None:
    frame = _user_frame()
    if frame is None:
        warnings.warn(message, stacklevel=2)
    else:
        warnings.warn_explicit(message, type(message), frame.f_code.co_filename, frame.f_lineno)


def _reissue(pending: list) -> None:
    frame = sys._getframe(1)
    while frame is not None and _internal_file(frame.f_code.co_filename):
        frame = frame.f_back
    where = (frame.f_code.co_filename, frame.f_lineno) if frame is not None else None
    for w in pending:
        filename, lineno = where if where is not None and w.filename.startswith(_OUR_DIR) else (w.filename, w.lineno)
        warnings.warn_explicit(w.message, w.category, filename, lineno, source=w.source)


# ---------------------------------------------------------------------------------------------
# proxy types
# ---------------------------------------------------------------------------------------------
class _ProxyMeta(type):
    """isinstance/issubclass hold for the proxy and for the real pandas class; calling the type
    builds a pandas object (pandas' constructor is the semantics) that moves to JaxFrames on
    the first call that runs there; class attributes are pandas'."""

    _fs_real: type

    def __instancecheck__(cls, obj: Any) -> bool:
        return type.__instancecheck__(cls, obj) or isinstance(obj, cls._fs_real)

    def __subclasscheck__(cls, sub: Any) -> bool:
        return type.__subclasscheck__(cls, sub) or (isinstance(sub, type) and issubclass(sub, cls._fs_real))

    def __call__(cls, *args: Any, **kwargs: Any) -> Any:
        real = cls._fs_real(*unwrap_slow(args), **unwrap_slow(kwargs))
        return cls._from_sides(None, real)

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        attr = getattr(cls._fs_real, name)
        if isinstance(attr, (types.FunctionType, types.MethodType)):
            return slow_function(attr)
        return attr


def slow_function(fn: Callable) -> Callable:
    """A pandas function called by user code: proxies in, proxies out."""
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        return wrap_slow(fn(*unwrap_slow(args), **unwrap_slow(kwargs)))
    call.__jf_slow__ = fn
    return call


_KIND_OF_STATIC: dict[tuple[type, str], str] = {}
# pandas 3.1 warns (Pandas4Warning) whenever inplace= is passed to these; so does the fast side.
_INPLACE_DEPRECATED = frozenset({"drop", "drop_duplicates", "dropna", "eval", "query", "rename", "rename_axis",
                                 "reset_index", "set_index", "sort_index", "sort_values"})
_INDEXERS = frozenset({"loc", "iloc", "at", "iat"})
# Names whose pandas call changes the object itself (pandas 3 is copy-on-write, so nothing else
# does): after one runs on pandas, the JaxFrames side is stale.
_MUTATORS = frozenset({"__setitem__", "__delitem__", "insert", "pop", "update", "_set_value", "__setattr__",
                       "__iadd__", "__isub__", "__imul__", "__itruediv__", "__ifloordiv__", "__imod__",
                       "__ipow__", "__iand__", "__ior__", "__ixor__"})
# Attributes that hand out mutable pandas objects (an Index whose name may be set): served by the
# pandas side, after which the JaxFrames side is re-checked (see _fast).
_FROM_SLOW = frozenset({"index", "columns", "axes", "attrs", "flags"})


def _static_kind(real: type, name: str) -> str:
    """'method', 'indexer', 'attribute' (property/accessor) or 'missing' (maybe a column)."""
    key = (real, name)
    kind = _KIND_OF_STATIC.get(key)
    if kind is None:
        try:
            attr = inspect.getattr_static(real, name)
        except AttributeError:
            kind = "missing"
        else:
            if name in _INDEXERS:
                kind = "indexer"
            elif isinstance(attr, (types.FunctionType, staticmethod, classmethod)):
                kind = "method"
            else:
                kind = "attribute"
        _KIND_OF_STATIC[key] = kind
    return kind


def _signature(slow: Any) -> tuple:
    """What user code can change on a pandas object without a call we see (index/column names)."""
    if isinstance(slow, _REAL_DF):
        return id(slow.index), slow.index.names, id(slow.columns), slow.columns.names
    return id(slow.index), slow.index.names, slow.name


class _Proxy:
    """Common machinery of the DataFrame and Series proxies."""

    __slots__ = ("_fs_fast", "_fs_slow", "_fs_sig", "_fs_refused", "__weakref__")
    _fs_real: type
    _fs_jf: type
    _fs_kind: str
    __array_priority__ = 1000

    @classmethod
    def _from_sides(cls, fast: Any, slow: Any) -> Any:
        obj = object.__new__(cls)
        object.__setattr__(obj, "_fs_fast", fast)
        object.__setattr__(obj, "_fs_slow", slow)
        object.__setattr__(obj, "_fs_sig", None if slow is None or fast is None else _signature(slow))
        object.__setattr__(obj, "_fs_refused", None)
        return obj

    # -- the two sides ------------------------------------------------------------------------
    def _fast(self) -> Any:
        fast, slow = self._fs_fast, self._fs_slow
        if fast is not None and slow is not None and self._fs_sig != _signature(slow):
            fast = None  # user code renamed an index or columns object handed out by the pandas side
        if fast is None:
            if self._fs_refused is not None:
                raise _NoFast(self._fs_refused)
            try:
                fast = to_fast(slow)
            except _NoFast as e:
                object.__setattr__(self, "_fs_refused", str(e))  # not retried until the data changes
                raise
            object.__setattr__(self, "_fs_fast", fast)
            object.__setattr__(self, "_fs_sig", _signature(slow))
        return fast

    def _slow(self) -> Any:
        slow = self._fs_slow
        if slow is None:
            slow = self._fs_fast.to_pandas()
            object.__setattr__(self, "_fs_slow", slow)
            object.__setattr__(self, "_fs_sig", _signature(slow))
        return slow

    def _writable_slow(self) -> Any:
        """The pandas side, about to be changed in place: a private copy when it views buffers
        that came from JaxFrames (those are read-only)."""
        slow = self._slow()
        if _read_only(slow):
            slow = slow.copy(deep=True)
            object.__setattr__(self, "_fs_slow", slow)
            object.__setattr__(self, "_fs_sig", _signature(slow))
        return slow

    def _rebind_fast(self, fast: Any) -> None:
        if not isinstance(fast, self._fs_jf):
            raise TypeError(f"an inplace call gave {type(fast).__name__}, not {self._fs_jf.__name__}")
        object.__setattr__(self, "_fs_fast", fast)
        object.__setattr__(self, "_fs_slow", None)
        object.__setattr__(self, "_fs_sig", None)

    def _slow_changed(self) -> None:
        if self._fs_slow is not None:
            object.__setattr__(self, "_fs_fast", None)
            object.__setattr__(self, "_fs_refused", None)

    # -- calls ----------------------------------------------------------------------------------
    def _call(self, name: str, args: tuple, kwargs: dict) -> Any:
        api = f"{self._fs_kind}.{name}"
        inplace = kwargs.get("inplace") is True
        mutates = inplace or name in _MUTATORS

        def slow() -> Any:
            target = self._writable_slow() if mutates else self._slow()
            try:
                result = getattr(target, name)(*unwrap_slow(args), **unwrap_slow(kwargs))
            finally:
                if mutates:
                    self._slow_changed()
            return self if result is target else result

        if not hasattr(self._fs_jf, name):
            return dispatch(api, None, slow, reason=f"NotImplementedError: JaxFrames has no {self._fs_jf.__name__}.{name}")
        if name in _MUTATORS and not inplace:
            return dispatch(api, None, slow, reason=f"ImmutableFrameError: {name} mutates; done on pandas")
        if name == "astype" and _asks_object(args[0] if args else kwargs.get("dtype")):
            return dispatch(api, None, slow, reason="NotImplementedError: astype(object): JaxFrames holds no object "
                                                    "columns (its 'object' alias gives 'str')")

        def fast() -> Any:
            kw = {k: v for k, v in kwargs.items() if k != "inplace"} if "inplace" in kwargs else kwargs
            if not kwargs.get("inplace", False) and "inplace" in kwargs:
                kw["inplace"] = False
            result = getattr(self._fast(), name)(*unwrap_fast(args), **unwrap_fast(kw))
            if name == "melt":
                _check_melt(self._fast(), result)
            if "inplace" in kwargs and name in _INPLACE_DEPRECATED:
                _warn_at_user(Pandas4Warning(
                    f"The inplace keyword in {self._fs_kind}.{name} is deprecated and will be removed in a future "
                    "version (PDEP-8).\nSee https://pandas.pydata.org/docs/dev/whatsnew/v3.1.0.html"
                    "#deprecation-inplace for more details."))
            return result

        return dispatch(api, fast, slow, rebind=self._rebind_fast if inplace else None)

    def _get(self, name: str) -> Any:
        """A non-method attribute: a property, an accessor, an indexer or a column."""
        kind = _static_kind(self._fs_real, name)
        api = f"{self._fs_kind}.{name}"
        if kind == "method":
            return _BoundMethod(self, name)
        if kind == "indexer":
            return Intermediate(None, lambda: getattr(self._slow(), name), api, self, name)
        if name in _FROM_SLOW or not hasattr(self._fs_jf, name) and kind != "missing":
            value = getattr(self._slow(), name)
            return wrap_slow(value)

        def slow() -> Any:
            return getattr(self._slow(), name)

        def fast() -> Any:
            return getattr(self._fast(), name)

        return dispatch(api, fast, slow, verify=False)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            if name.startswith("__") and name.endswith("__") and not hasattr(self._fs_real, name):
                raise AttributeError(name)
            # pandas internals reaching into a proxy (ABC checks pass on _typ): the pandas side;
            # a private method called on it takes and gives proxies, as public ones do
            attr = getattr(self._slow(), name)
            return slow_function(attr) if isinstance(attr, types.MethodType) else attr
        return self._get(name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name.startswith("_fs_"):
            object.__setattr__(self, name, value)
            return
        api = f"{self._fs_kind}.{name} = ..."

        def slow() -> None:
            try:
                setattr(self._writable_slow(), name, unwrap_slow(value))
            finally:
                self._slow_changed()

        rebuild = _SET_ATTRIBUTE.get((self._fs_kind, name))
        if rebuild is None:
            dispatch(api, None, slow, reason="ImmutableFrameError: attribute assignment is done on pandas")
            return
        # the proxy is rebound to a new immutable JaxFrames object with the new labels
        dispatch(api, lambda: rebuild(self._fast(), unwrap_fast(value)), slow, rebind=self._rebind_fast)

    def __dir__(self) -> list[str]:
        return sorted(set(dir(self._fs_real)) | set(dir(self._slow())))

    # -- protocols ------------------------------------------------------------------------------
    def __getitem__(self, key: Any) -> Any:
        return self._call("__getitem__", (key,), {})

    def __setitem__(self, key: Any, value: Any) -> None:
        if isinstance(self, DataFrame) and (isinstance(key, str) or _scalar_label(key)):
            def fast() -> Any:
                return _set_column(self._fast(), key, unwrap_fast(value))

            def slow() -> None:
                try:
                    self._writable_slow()[key] = unwrap_slow(value)
                finally:
                    self._slow_changed()

            dispatch(f"{self._fs_kind}.__setitem__", fast, slow, rebind=self._rebind_fast)
            return
        if isinstance(self, Series):
            def fast_item() -> Any:  # rebound to the new immutable Series JaxFrames builds
                return self._fast().set(unwrap_fast(key), unwrap_fast(value))

            def slow_item() -> None:
                try:
                    self._writable_slow()[unwrap_slow(key)] = unwrap_slow(value)
                finally:
                    self._slow_changed()

            dispatch("Series.__setitem__", fast_item, slow_item, rebind=self._rebind_fast)
            return
        self._call("__setitem__", (key, value), {})

    def __delitem__(self, key: Any) -> None:
        self._call("__delitem__", (key,), {})

    def __len__(self) -> int:
        return self._call("__len__", (), {})

    def __iter__(self):
        return iter(self._call("__iter__", (), {}))

    def __contains__(self, key: Any) -> bool:
        return self._call("__contains__", (key,), {})

    def __repr__(self) -> str:
        return repr(self._slow())

    def __str__(self) -> str:
        return str(self._slow())

    def __format__(self, spec: str) -> str:
        return format(self._slow(), spec)

    def _repr_html_(self) -> Any:
        return self._slow()._repr_html_()

    def __bool__(self) -> bool:
        return bool(self._slow())

    def __hash__(self) -> int:
        return hash(self._slow())

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return np.asarray(self._slow(), dtype=dtype)

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        api = f"{self._fs_kind}.__array_ufunc__"
        operator = _UFUNC_OPERATORS.get(ufunc) if method == "__call__" and not kwargs else None
        if operator is not None and len(inputs) == ufunc.nin:
            # np.subtract(s, x) is s - x, as in pandas: the operator runs where operators run
            if ufunc.nin == 1:
                return self._call(operator[0], (), {})
            left, right = inputs
            if left is self and not (isinstance(right, _Proxy) and type(right) is not type(self)):
                return self._call(operator[0], (right,), {})
            if right is self and not isinstance(left, _Proxy):
                return self._call(operator[1], (left,), {})
        return dispatch(api, None, lambda: getattr(ufunc, method)(*unwrap_slow(inputs), **unwrap_slow(kwargs)),
                        reason=f"NotImplementedError: numpy ufunc {getattr(ufunc, '__name__', ufunc)} runs on pandas")

    def __copy__(self) -> Any:
        return self._call("copy", (), {"deep": False})

    def __deepcopy__(self, memo: Any = None) -> Any:
        return self._call("copy", (), {"deep": True})

    def __reduce_ex__(self, protocol: int) -> Any:
        # pickled from here so that pickle resolves pandas' real classes
        return _rebuild, (self._fs_kind, pickle.dumps(self._slow(), protocol=protocol))

    def __sizeof__(self) -> int:
        return self._slow().__sizeof__()


def _set_labels(axis: int) -> Callable[[Any, Any], Any]:
    def rebuild(fast: Any, labels: Any) -> Any:
        if isinstance(labels, (_pd.MultiIndex, _JF_DF)):
            raise NotImplementedError("MultiIndex labels are not supported by JaxFrames")
        out = _check_labels(fast.set_axis(labels, axis=axis), labels, axis)
        if axis == 0 and isinstance(fast, _JF_DF):  # the other axis must come through unchanged
            before, after = fast.columns, out.columns
            if after.dtype != before.dtype or list(after.names) != list(before.names) or not after.equals(before):
                raise NotImplementedError("the column labels change in JaxFrames when the index is set")
        elif axis == 0 and out.name != fast.name:
            raise NotImplementedError("the Series name changes in JaxFrames when the index is set")
        return out
    return rebuild


def _set_name(fast: Any, name: Any) -> Any:
    if callable(name) or _pd.api.types.is_dict_like(name) or _pd.api.types.is_list_like(name):
        raise NotImplementedError("a list-like or callable Series name is set on pandas")
    return fast.rename(name)


# pandas attribute assignments that the proxy does by rebinding to a new JaxFrames object
_SET_ATTRIBUTE: dict[tuple[str, str], Callable[[Any, Any], Any]] = {
    ("DataFrame", "index"): _set_labels(0), ("DataFrame", "columns"): _set_labels(1),
    ("Series", "index"): _set_labels(0), ("Series", "name"): _set_name,
}
# numpy ufuncs that are pandas operators: (forward, reflected) operator names
_UFUNC_OPERATORS: dict[Any, tuple[str, ...]] = {
    np.add: ("__add__", "__radd__"), np.subtract: ("__sub__", "__rsub__"),
    np.multiply: ("__mul__", "__rmul__"), np.true_divide: ("__truediv__", "__rtruediv__"),
    np.floor_divide: ("__floordiv__", "__rfloordiv__"), np.remainder: ("__mod__", "__rmod__"),
    np.power: ("__pow__", "__rpow__"), np.equal: ("__eq__", "__eq__"), np.not_equal: ("__ne__", "__ne__"),
    np.less: ("__lt__", "__gt__"), np.less_equal: ("__le__", "__ge__"), np.greater: ("__gt__", "__lt__"),
    np.greater_equal: ("__ge__", "__le__"), np.negative: ("__neg__",), np.positive: ("__pos__",),
    np.absolute: ("__abs__",), np.invert: ("__invert__",),
}


def _check_melt(frame: Any, result: Any) -> None:
    """pandas' melt gives the variable column the dtype of the column labels (object, string,
    str); JaxFrames' is always 'str': any other is pandas' answer."""
    labels = frame.columns.dtype
    if result.shape[1] >= 2 and result.dtypes.iloc[-2] != labels:
        raise NotImplementedError(f"melt of {labels} column labels: the variable column would be "
                                  f"{result.dtypes.iloc[-2]}, not {labels}")


def _check_labels(out: Any, labels: Any, axis: int) -> Any:
    """``df.columns = labels`` on JaxFrames must keep the labels exactly (dtype and names)."""
    want = labels if isinstance(labels, _pd.Index) else _pd.Index(labels)
    got = out.columns if axis == 1 else out.index
    if got.dtype != want.dtype or list(got.names) != list(want.names) or not got.equals(want):
        raise NotImplementedError(f"labels change in JaxFrames ({want.dtype} -> {got.dtype})")
    return out


def _scalar_label(key: Any) -> bool:
    return isinstance(key, (int, float, np.integer, np.floating)) and not isinstance(key, bool)


def _set_column(fast: Any, key: Any, value: Any) -> Any:
    """``df[key] = value`` as a new JaxFrames frame: replaced in place, or appended at the end."""
    if value is None or value is _pd.NA or value is _pd.NaT:
        raise NotImplementedError(f"df[key] = {value!r}: pandas makes an object column, JaxFrames holds none")
    if isinstance(key, str):
        return fast.assign(**{key: value})
    labels = list(fast.columns)
    if len(set(labels)) != len(labels):
        raise NotImplementedError("df[key] = value on duplicate column labels is done on pandas")
    tmp = "__jaxframes_pandas_new_column__"
    if tmp in labels:
        raise NotImplementedError(f"a column is named {tmp!r}")
    out = fast.assign(**{tmp: value})
    if key in labels:  # replaced where it stands
        return out[[tmp if c == key else c for c in labels]].set_axis(labels, axis=1)
    return out.set_axis([*labels, key], axis=1)


def _asks_object(dtype: Any) -> bool:
    """Whether a dtype argument (or a {column: dtype} mapping) asks for pandas' object dtype."""
    if isinstance(dtype, dict):
        return any(_asks_object(d) for d in dtype.values())
    if dtype is object or (isinstance(dtype, str) and dtype in ("object", "O", "|O")):
        return True
    return isinstance(dtype, np.dtype) and dtype.kind == "O"


def _read_only(obj: Any) -> bool:
    """Whether a pandas object holds a read-only buffer (host views of JaxFrames' arrays)."""
    try:
        blocks = obj._mgr.blocks
    except AttributeError:
        return True
    for block in blocks:
        values = block.values
        for arr in (values, getattr(values, "_ndarray", None), getattr(values, "_data", None),
                    getattr(values, "_mask", None), getattr(values, "_codes", None)):
            if isinstance(arr, np.ndarray) and not arr.flags.writeable:
                return True
    return False


def _rebuild(kind: str, data: bytes) -> Any:
    return wrap_slow(pickle.loads(data))


def _binary(name: str) -> Callable:
    def op(self: _Proxy, other: Any) -> Any:
        return self._call(name, (other,), {})
    op.__name__ = name
    return op


def _unary(name: str) -> Callable:
    def op(self: _Proxy) -> Any:
        return self._call(name, (), {})
    op.__name__ = name
    return op


_BINARY = ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and", "or", "xor", "matmul", "divmod"]
for _name in _BINARY:
    for _form in (f"__{_name}__", f"__r{_name}__"):
        setattr(_Proxy, _form, _binary(_form))
for _name in ["eq", "ne", "lt", "le", "gt", "ge"]:
    setattr(_Proxy, f"__{_name}__", _binary(f"__{_name}__"))
for _name in ["neg", "pos", "abs", "invert", "int", "float", "complex", "round"]:
    setattr(_Proxy, f"__{_name}__", _unary(f"__{_name}__"))


def _inplace(name: str) -> Callable:
    base = "__" + name[3:]

    def op(self: _Proxy, other: Any) -> Any:
        result = self._call(base, (other,), {})
        if isinstance(result, _Proxy) and type(result) is type(self):
            object.__setattr__(self, "_fs_fast", result._fs_fast)
            object.__setattr__(self, "_fs_slow", result._fs_slow)
            object.__setattr__(self, "_fs_sig", result._fs_sig)
            object.__setattr__(self, "_fs_refused", result._fs_refused)
            return self
        return result
    op.__name__ = name
    return op


for _name in ["add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "and", "or", "xor"]:
    setattr(_Proxy, f"__i{_name}__", _inplace(f"__i{_name}__"))


class DataFrame(_Proxy, metaclass=_ProxyMeta):
    __slots__ = ()
    _fs_real = _REAL_DF
    _fs_jf = _JF_DF
    _fs_kind = "DataFrame"
    _typ = "dataframe"


class Series(_Proxy, metaclass=_ProxyMeta):
    __slots__ = ()
    _fs_real = _REAL_SERIES
    _fs_jf = _JF_SERIES
    _fs_kind = "Series"
    _typ = "series"


for _cls, _real in ((DataFrame, _REAL_DF), (Series, _REAL_SERIES)):
    _cls.__module__ = _real.__module__
    _cls.__qualname__ = _real.__qualname__
    _cls.__doc__ = _real.__doc__


class _BoundMethod:
    """``df.sum`` before it is called: calling it dispatches."""

    __slots__ = ("_owner", "_name")

    def __init__(self, owner: Any, name: str):
        self._owner, self._name = owner, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._owner._call(self._name, args, kwargs)

    def __repr__(self) -> str:
        return f"<bound method {self._owner._fs_kind}.{self._name} (jaxframes.pandas proxy)>"

    @property
    def __name__(self) -> str:
        return self._name

    @property
    def __self__(self) -> Any:
        return self._owner


# ---------------------------------------------------------------------------------------------
# intermediates: group-bys, indexers, accessors, windows
# ---------------------------------------------------------------------------------------------
class Intermediate:
    """A JaxFrames intermediate object (or none) plus the recipe of its pandas twin. Setting
    items on an indexer (``df.loc[k] = v``) changes the parent frame on pandas and drops its
    stale JaxFrames side."""

    __slots__ = ("_fs_fast", "_fs_make_slow", "_fs_slow_cache", "_fs_kind", "_fs_parent", "_fs_name")

    def __init__(self, fast: Any, make_slow: Callable[[], Any], kind: str, parent: Any, name: str | None = None):
        self._fs_fast, self._fs_make_slow, self._fs_kind = fast, make_slow, kind
        self._fs_parent, self._fs_name, self._fs_slow_cache = parent, name, None

    def _slow(self) -> Any:
        if self._fs_slow_cache is None:
            self._fs_slow_cache = self._fs_make_slow()
        return self._fs_slow_cache

    def _fast_obj(self) -> Any:
        if self._fs_fast is not None:
            return self._fs_fast
        if self._fs_parent is not None and self._fs_name is not None:  # an indexer: the parent's
            return getattr(self._fs_parent._fast(), self._fs_name)
        raise _NoFast(f"NotImplementedError: {self._fs_kind} exists only on pandas")

    def _call(self, name: str, args: tuple, kwargs: dict) -> Any:
        api = f"{self._fs_kind}.{name}"

        def slow() -> Any:
            return getattr(self._slow(), name)(*unwrap_slow(args), **unwrap_slow(kwargs))

        if self._fs_fast is None and self._fs_parent is None:
            return dispatch(api, None, slow, reason=f"NotImplementedError: {self._fs_kind} exists only on pandas")

        def fast() -> Any:
            return getattr(self._fast_obj(), name)(*unwrap_fast(args), **unwrap_fast(kwargs))

        return dispatch(api, fast, slow)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        if name.startswith("_"):
            return getattr(self._slow(), name)
        api = f"{self._fs_kind}.{name}"
        fast_obj = self._fs_fast
        if fast_obj is not None and isinstance(inspect.getattr_static(type(fast_obj), name, None),
                                               (types.FunctionType, staticmethod, classmethod)):
            return _BoundMethod(self, name)
        slow_attr = inspect.getattr_static(type(self._slow()), name, None)
        if isinstance(slow_attr, (types.FunctionType, staticmethod, classmethod)):
            return _BoundMethod(self, name)

        def slow() -> Any:
            return getattr(self._slow(), name)

        def fast() -> Any:
            return getattr(self._fast_obj(), name)

        if fast_obj is None and self._fs_parent is None:
            return dispatch(api, None, slow, reason=f"NotImplementedError: {self._fs_kind} exists only on pandas")
        return dispatch(api, fast, slow, verify=False)

    def __getitem__(self, key: Any) -> Any:
        return self._call("__getitem__", (key,), {})

    def __setitem__(self, key: Any, value: Any) -> None:
        parent = self._fs_parent
        api = f"{self._fs_kind}.__setitem__"

        def slow() -> None:
            try:
                getattr(parent._writable_slow(), self._fs_name)[unwrap_slow(key)] = unwrap_slow(value)
            finally:
                parent._slow_changed()

        if parent is None:
            self._slow()[unwrap_slow(key)] = unwrap_slow(value)
            return

        def fast() -> Any:  # the parent is rebound to the new immutable object JaxFrames builds
            return getattr(parent._fast(), self._fs_name).set(unwrap_fast(key), unwrap_fast(value))

        dispatch(api, fast, slow, rebind=parent._rebind_fast)

    def __iter__(self):
        return iter(self._call("__iter__", (), {}))

    def __len__(self) -> int:
        return self._call("__len__", (), {})

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._call("__call__", args, kwargs)

    def __repr__(self) -> str:
        return repr(self._slow())

    def __dir__(self) -> list[str]:
        return dir(self._slow())


_SLOW_INTERMEDIATES: dict[type, str] = {}


for _t in (DataFrameGroupBy, SeriesGroupBy, Rolling, Expanding, ExponentialMovingWindow):
    _SLOW_INTERMEDIATES[_t] = _t.__name__


class _GroupByMeta(type):
    _fs_real: type

    def __instancecheck__(cls, obj: Any) -> bool:
        if isinstance(obj, Intermediate):
            return obj._fs_kind == cls.__name__
        return isinstance(obj, cls._fs_real)

    def __subclasscheck__(cls, sub: Any) -> bool:
        return isinstance(sub, type) and issubclass(sub, cls._fs_real)

    def __getattr__(cls, name: str) -> Any:
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return getattr(cls._fs_real, name)


def _group_type(real: type) -> type:
    return _GroupByMeta(real.__name__, (), {"_fs_real": real, "__module__": real.__module__})


# ---------------------------------------------------------------------------------------------
# top-level functions
# ---------------------------------------------------------------------------------------------
def _fast_only_for_frames(args: tuple, kwargs: dict) -> str | None:
    first = args[0] if args else kwargs.get("arg")
    if isinstance(first, (_Proxy,)):
        return None
    return "NotImplementedError: to_datetime runs on JaxFrames for Series/DataFrame arguments only"


def top_level(name: str, jf_fn: Callable | None, pd_fn: Callable,
              guard: Callable[[tuple, dict], str | None] | None = None) -> Callable:
    """pandas.<name> as a proxy: JaxFrames' function where it runs, pandas' otherwise."""
    api = f"pandas.{name}"

    @functools.wraps(pd_fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        if name == "concat":
            args, kwargs = _listed_objs(args, kwargs)

        def slow() -> Any:
            return pd_fn(*unwrap_slow(args), **unwrap_slow(kwargs))

        refusal = guard(args, kwargs) if guard is not None else None
        if jf_fn is None or refusal is not None:
            return dispatch(api, None, slow, reason=refusal or f"NotImplementedError: JaxFrames has no {name}")

        def fast() -> Any:
            result = jf_fn(*unwrap_fast(args), **unwrap_fast(kwargs))
            if name == "melt":
                _check_melt(unwrap_fast(args[0] if args else kwargs.get("frame")), result)
            return result

        return dispatch(api, fast, slow)

    call.__jf_slow__ = pd_fn
    return call


def _listed_objs(args: tuple, kwargs: dict) -> tuple[tuple, dict]:
    """concat's ``objs`` as a list when it is a one-shot iterable (a generator, a deque, a custom
    sequence): the JaxFrames attempt must not consume what a fallback to pandas needs."""
    objs = args[0] if args else kwargs.get("objs")
    if objs is None or isinstance(objs, (list, tuple, dict, str, _Proxy, _REAL_DF, _REAL_SERIES)):
        return args, kwargs
    try:
        listed = list(objs)
    except TypeError:
        return args, kwargs
    return ((listed, *args[1:]), kwargs) if args else (args, {**kwargs, "objs": listed})


_PARQUET_TYPES = frozenset({"str", "bool", "boolean", "Int32", "Int64", "Float32", "Float64",
                            *(f"{k}{b}" for k in ("int", "uint") for b in (8, 16, 32, 64)), "float32", "float64",
                            *(f"{t}64[{u}]" for t in ("datetime", "timedelta") for u in ("s", "ms", "us", "ns"))})


def _parquet_guard(args: tuple, kwargs: dict) -> str | None:
    """What JaxFrames' read_parquet would not give as pandas does, from the pandas metadata in
    the file's schema (read without the data): attrs, categoricals, pyarrow-backed or object
    columns, MultiIndex rows, non-string column labels, a frame without columns."""
    path = args[0] if args else kwargs.get("path")
    if hasattr(path, "read"):
        return "NotImplementedError: a file-like object is read by pandas (an attempt would consume it)"
    if not isinstance(path, (str, os.PathLike)) or not os.path.isfile(path):
        return None
    try:
        meta = pq.read_schema(path).pandas_metadata
    except Exception:  # noqa: BLE001 - not a Parquet file: the fast side raises the error
        return None
    if not meta:
        return None
    if meta.get("attributes"):
        return "NotImplementedError: attrs are not kept by JaxFrames"
    if any(c.get("numpy_type") not in ("str", "object") or c.get("pandas_type") != "unicode"
           for c in meta.get("column_indexes", [])):
        return "NotImplementedError: non-string column labels in a Parquet file are read by pandas"
    index = [i for i in meta.get("index_columns", []) if isinstance(i, str)]
    if len(index) > 1:
        return "NotImplementedError: MultiIndex rows are not supported by JaxFrames"
    data = [c for c in meta.get("columns", []) if c.get("field_name") not in index]
    if not data:
        return "NotImplementedError: a Parquet file without columns is read by pandas"
    for c in meta.get("columns", []):
        if c.get("numpy_type") not in _PARQUET_TYPES or c.get("pandas_type") in ("categorical", "datetimetz"):
            return f"NotImplementedError: a {c.get('pandas_type')}/{c.get('numpy_type')} column in Parquet is read by pandas"
    return None


TOP_LEVEL = ("concat", "merge", "read_parquet", "read_csv", "to_datetime", "pivot_table", "melt", "crosstab")


def top_level_functions() -> dict[Any, Any]:
    """{real pandas function: its proxy} for the proxied top-level functions."""
    out = {}
    for name in TOP_LEVEL:
        guard = {"to_datetime": _fast_only_for_frames, "read_parquet": _parquet_guard}.get(name)
        out[getattr(_pd, name)] = top_level(name, getattr(jf, name, None), getattr(_pd, name), guard)
    return out


def proxy_types() -> dict[Any, Any]:
    """{real pandas class: its proxy type}."""
    return {_REAL_DF: DataFrame, _REAL_SERIES: Series,
            DataFrameGroupBy: _group_type(DataFrameGroupBy), SeriesGroupBy: _group_type(SeriesGroupBy)}
