"""Operations computed by pandas on the host copy of the live rows, the answer brought back.

For operations whose work is host-bound anyway (rendering, file formats, Python-object values)
or value-dependent in ways that have no static-shape device form yet (regex replacement,
dtype inference), pandas computes the answer on the live rows and the
result returns as our frame/Series. The answer is pandas' own, so values, dtypes, index and
errors match by construction. Inside ``jax.jit`` these raise ``TypeError`` (host conversions
need concrete data: ``Table.live_host`` says so). Results of a row-sharded input are row-sharded like it
(via_pandas); call_pandas results are unsharded.
"""

from __future__ import annotations

import functools
from typing import Any, Callable

import pandas as pd

from jaxframes.table import from_pandas, is_container, make_frame, make_series


def to_host(obj: Any) -> Any:
    """Our frame/Series as pandas (the live rows); anything else unchanged."""
    return obj.to_pandas() if is_container(obj) else obj


def from_host(result: Any) -> Any:
    """A pandas DataFrame/Series result as ours (also inside tuples, lists and dicts, as readers
    return them); anything else (scalars, Index, arrays) as is."""
    if isinstance(result, pd.DataFrame) and isinstance(result.columns, pd.MultiIndex):
        flat = result.set_axis(pd.Index(list(result.columns), tupleize_cols=False), axis=1)
        frame = from_pandas(flat)
        frame._column_axis = result.columns  # the labels to_pandas reports (as reshape/pivot.py does)
        return frame
    if isinstance(result, (pd.DataFrame, pd.Series)):
        return from_pandas(result)
    if isinstance(result, tuple):
        return tuple(from_host(r) for r in result)
    if isinstance(result, list) and any(isinstance(r, (pd.DataFrame, pd.Series)) for r in result):
        return [from_host(r) for r in result]
    if isinstance(result, dict) and any(isinstance(r, (pd.DataFrame, pd.Series)) for r in result.values()):
        return {k: from_host(r) for k, r in result.items()}
    return result


def via_pandas(obj: Any, fn: Callable[[Any], Any]) -> Any:
    """``fn`` applied by pandas to ``obj``'s live rows; the result as ours, row-sharded like
    ``obj`` when it was."""
    result = fn(to_host(obj))
    sharding = obj._sharding if is_container(obj) else None
    if sharding is not None and isinstance(result, pd.Series):
        return make_series(result, sharding=sharding)
    if sharding is not None and isinstance(result, pd.DataFrame) and not isinstance(result.columns, pd.MultiIndex):
        return make_frame(result, sharding=sharding)
    return from_host(result)


def call_pandas(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """A pandas function on arguments whose frames/Series (top level and in lists/dicts) are ours;
    the result as ours."""
    return from_host(fn(*[_arg(a) for a in args], **{k: _arg(v) for k, v in kwargs.items()}))


def _arg(value: Any) -> Any:
    if is_container(value):
        return value.to_pandas()
    if isinstance(value, list) and any(is_container(v) for v in value):
        return [_arg(v) for v in value]
    if isinstance(value, dict) and any(is_container(v) for v in value.values()):
        return {k: _arg(v) for k, v in value.items()}
    return value


def hosted(fn: Callable[..., Any], module: str, what: str = "on JaxFrames objects (their live rows); frames and "
           "Series in the result are JaxFrames'") -> Callable[..., Any]:
    """pandas' function ``fn`` with its signature and doc, called through ``call_pandas``, shown as
    a function of ``module``."""

    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        return call_pandas(fn, *args, **kwargs)

    run.__doc__ = f"pandas.{fn.__name__} {what}.\n\n{fn.__doc__ or ''}"
    run.__module__ = module
    return run
