"""Output and display by pandas on the host copy of the live rows: text/HTML/Markdown/LaTeX/JSON
rendering, records, info, memory usage, other file formats (Feather, ORC, pickle) and plotting.

These are host work by nature (their result is text, a file or a figure), so pandas renders the
live rows and its output is returned as is: the same text, bytes and figures as pandas gives.
"""

from __future__ import annotations

import io as _io
import re
from typing import Any

import numpy as np
import pandas as pd

from jaxframes.ops.host import from_host
from jaxframes.table import from_pandas, is_frame


def render(obj: Any, method: str, *args: Any, **kwargs: Any) -> Any:
    """pandas' ``method`` (to_string, to_html, to_json, ...) on the live rows."""
    return getattr(obj.to_pandas(), method)(*args, **kwargs)


def info(frame: Any, verbose: Any, buf: Any, max_cols: Any, memory_usage: Any, show_counts: Any) -> None:
    """pandas' summary of the live rows, headed with our class name."""
    out = _io.StringIO()
    frame.to_pandas().info(verbose=verbose, buf=out, max_cols=max_cols, memory_usage=memory_usage,
                           show_counts=show_counts)
    text = re.sub(r"^<class '[^']*'>", f"<class 'jaxframes.{type(frame).__name__}'>", out.getvalue())
    if buf is None:
        print(text, end="")
    else:
        buf.write(text)


def memory_usage(obj: Any, index: bool, deep: bool) -> Any:
    """Bytes per column as pandas counts them for the same data (Series: a number)."""
    host = obj.to_pandas()
    if is_frame(obj):
        return from_pandas(host.memory_usage(index=index, deep=deep))
    return host.memory_usage(index=index, deep=deep)


def to_xarray(obj: Any) -> Any:
    try:
        import xarray  # noqa: F401  (optional dependency)
    except ImportError as err:
        raise NotImplementedError("to_xarray is refused here: xarray is not installed "
                                  "(pip install xarray, then df.to_xarray() works)") from err
    return obj.to_pandas().to_xarray()


def read_with_pandas(reader: Any, *args: Any, **kwargs: Any) -> Any:
    """A pandas reader's result as ours (JSON, Feather, ORC, pickle, fixed-width text)."""
    return from_host(reader(*args, **kwargs))


def to_pickle(obj: Any, path: Any, **kwargs: Any) -> None:
    """Pickled as the pandas object (readable by pandas too); ``jf.read_pickle`` brings it back."""
    obj.to_pandas().to_pickle(path, **kwargs)


def flags(obj: Any) -> pd.Flags:
    return pd.Flags(obj, allows_duplicate_labels=True)


def set_flags(obj: Any, copy: Any, allows_duplicate_labels: Any) -> Any:
    if allows_duplicate_labels is False:
        raise NotImplementedError("set_flags(allows_duplicate_labels=False): checking labels after every "
                                  "operation is not supported")
    return obj._wrap(obj._table)


def records(frame: Any, index: bool, column_dtypes: Any, index_dtypes: Any) -> np.recarray:
    return frame.to_pandas().to_records(index=index, column_dtypes=column_dtypes, index_dtypes=index_dtypes)


class HostedPlotting:
    """``jf.plotting``: pandas.plotting's functions over our frames/Series (their live rows)."""

    def __getattr__(self, name: str) -> Any:
        target = getattr(pd.plotting, name)
        if not callable(target) or isinstance(target, type):
            return target

        def run(*args: Any, **kwargs: Any) -> Any:
            return target(*[_host(a) for a in args], **{k: _host(v) for k, v in kwargs.items()})

        run.__name__, run.__doc__ = name, target.__doc__
        return run

    def __dir__(self) -> list[str]:
        return [n for n in dir(pd.plotting) if not n.startswith("_")]


def _host(value: Any) -> Any:
    return value.to_pandas() if hasattr(value, "_jf_kind") and hasattr(value, "to_pandas") else value


plotting = HostedPlotting()


def pandas_groupby(gb: Any) -> Any:
    """The pandas group-by of the same keys, options and selection over the live rows (plots)."""
    grouped = gb._frame.to_pandas().groupby(gb._keys if gb._by_list else gb._keys[0], as_index=gb._as_index,
                                            sort=gb._sort, dropna=gb._dropna, group_keys=gb._group_keys)
    if gb._selection is not None:
        grouped = grouped[gb._selection[0] if gb._series_selection else list(gb._selection)]
    return grouped
