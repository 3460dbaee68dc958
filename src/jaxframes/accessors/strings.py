"""``Series.str``: pandas' string methods on dictionary-encoded columns.

A string column is int32 codes on device plus a sorted dictionary of its distinct strings on
the host. Every method runs ONCE per distinct value on the host, then rows get their result by
gathering with the codes on device (``table[codes]``), so the work scales with the number of
distinct strings, not rows.

Inside ``jax.jit``/``vmap`` a column's dictionary is traced data (dictionary.py: new strings
must not retrace), so the per-value work cannot run while tracing: methods with number or
bool results compute their table in a host callback at run time (string_callback.py);
methods with string results raise NotImplementedError naming themselves. Comparisons,
``isin``, sorting and group-by on strings need only string order, found on device.

The per-value work calls pandas' own string method on the dictionary (one extra null entry
stands for the null rows). pandas itself runs those methods with ``pyarrow.compute`` (falling
back to Python's ``re``/``str`` where Arrow differs), so values, regex flavour, null handling
and result dtypes are the oracle's by construction; only the data-dependent dtype rule of the
'str' dtype (integer results turn float64 when a row is null) is decided here, from the live rows.
"""

from __future__ import annotations

from typing import Any, Callable

import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes.accessors.string_callback import extended_series, sampled_table, traced_table
from jaxframes.column import Column
from jaxframes.ops import lists as list_ops
from jaxframes.table import from_pandas, is_container, is_traced, new_frame

_KIND_NAMES = {"i": "integer", "f": "floating", "b": "boolean", "M": "datetime64",
               "m": "timedelta64", "C": "categorical"}


class StringMethods:
    """Vectorized string functions for a string Series (``s.str``), as pandas' ``Series.str``."""

    def __init__(self, series: Any):
        col = series._column
        if col.dtype.kind == "C":
            raise NotImplementedError(".str on a categorical Series is not supported yet; "
                                      "use s.astype('str').str")
        if not col.dtype.is_string:
            raise AttributeError("Can only use .str accessor with string values, not "
                                 f"{_KIND_NAMES.get(col.dtype.kind, str(col.dtype))}")
        self._series = series

    # -- the engine: once per distinct value, gather by code ---------------------------------
    def _extended(self) -> pd.Series:
        """The dictionary as a pandas Series of the column's dtype, plus one null at the end."""
        col = self._series._column
        return extended_series(col.dictionary.values, jdt.to_pandas(col.dtype))

    def _row_lookup(self) -> Any:
        """Per physical row: the position of its value in the per-value table (nulls -> the
        null entry, after the dictionary's last code)."""
        col = self._series._column
        if col.validity is None:
            return col.data
        return jnp.where(col.validity, col.data, col.dictionary.code_bound)

    def _map(self, op: Callable[[pd.Series], Any], name: str, object_as: Any = None) -> Any:
        """Run ``op`` on the distinct values and broadcast its per-value result to the rows
        (``object_as``: the dtype to give a per-value result that pandas leaves as objects)."""
        series = self._series
        if series._column.dictionary.is_traced:  # inside jit: the table comes from a host callback
            if object_as is not None:
                raise NotImplementedError(f"Series.str.{name} inside jax.jit/vmap: its result is "
                                          "strings, whose dictionary is only known at run time")
            table = traced_table(series._column, op, name)
        else:
            # no rows (a lazy plan's schema): the result dtype from a sample, not the dictionary
            table = sampled_table(series._column, op, name) if not series._column.data.shape[0] \
                and object_as is None else None
            if table is None:
                table = self._host_table(op, name, object_as)
        out = table.take(self._row_lookup())
        if out.dtype.kind == "f" and not out.dtype.masked:
            out = self._int_unless_null(out, op, name)
        return series._with_column(out)  # (re)places the result on the Series' sharding

    def _host_table(self, op: Callable[[pd.Series], Any], name: str, object_as: Any) -> Column:
        """The per-value result table, computed by pandas on the host dictionary."""
        result = op(self._extended())
        if not isinstance(result, pd.Series):
            raise NotImplementedError(f"Series.str.{name} returning {type(result).__name__}")
        if object_as is not None:
            result = result.astype(object_as)
        elif result.dtype == object:
            raise NotImplementedError(
                f"Series.str.{name}: pandas returns an object column here, which JaxFrames "
                "columns cannot hold")
        return colmod.from_pandas_series(result.reset_index(drop=True))

    def _int_unless_null(self, out: Column, op: Callable, name: str) -> Column:
        """pandas' 'str' dtype gives int64 for integer results and float64 once a row is null."""
        empty = op(pd.Series(pd.array([], dtype=jdt.to_pandas(self._series._column.dtype))))
        if not isinstance(empty, pd.Series) or empty.dtype.kind not in "iu":
            return out
        series = self._series
        null_rows = series._live() & ~series._column.not_null()
        if is_traced(null_rows):
            raise NotImplementedError(
                f"Series.str.{name} on a nullable string Series inside jax.jit: pandas' result "
                "dtype (int64 or float64) depends on whether a row is null")
        if bool(jnp.any(null_rows)):
            return out
        dtype = jdt.from_pandas(empty.dtype)
        return Column(jnp.where(jnp.isnan(out.data), 0, out.data).astype(dtype.storage), None, dtype)

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        return self._map(lambda s: getattr(s.str, name)(*args, **kwargs), name)

    # -- lengths, counts, positions ----------------------------------------------------------
    def len(self) -> Any:
        """Number of characters of each string."""
        return self._call("len")

    def count(self, pat: str, flags: int = 0) -> Any:
        """Occurrences of a regex in each string."""
        return self._call("count", pat, flags=flags)

    def find(self, sub: str, start: int = 0, end: int | None = None) -> Any:
        """Lowest index of ``sub`` (-1 when absent)."""
        return self._call("find", sub, start, end)

    def rfind(self, sub: str, start: int = 0, end: int | None = None) -> Any:
        """Highest index of ``sub`` (-1 when absent)."""
        return self._call("rfind", sub, start, end)

    # -- case and whitespace -----------------------------------------------------------------
    def lower(self) -> Any:
        return self._call("lower")

    def upper(self) -> Any:
        return self._call("upper")

    def title(self) -> Any:
        return self._call("title")

    def capitalize(self) -> Any:
        return self._call("capitalize")

    def swapcase(self) -> Any:
        return self._call("swapcase")

    def casefold(self) -> Any:
        return self._call("casefold")

    def strip(self, to_strip: str | None = None) -> Any:
        return self._call("strip", to_strip)

    def lstrip(self, to_strip: str | None = None) -> Any:
        return self._call("lstrip", to_strip)

    def rstrip(self, to_strip: str | None = None) -> Any:
        return self._call("rstrip", to_strip)

    # -- padding -----------------------------------------------------------------------------
    def pad(self, width: int, side: str = "left", fillchar: str = " ") -> Any:
        return self._call("pad", width, side=side, fillchar=fillchar)

    def center(self, width: int, fillchar: str = " ") -> Any:
        return self._call("center", width, fillchar)

    def ljust(self, width: int, fillchar: str = " ") -> Any:
        return self._call("ljust", width, fillchar)

    def rjust(self, width: int, fillchar: str = " ") -> Any:
        return self._call("rjust", width, fillchar)

    def zfill(self, width: int) -> Any:
        return self._call("zfill", width)

    # -- predicates --------------------------------------------------------------------------
    def startswith(self, pat: str | tuple[str, ...], na: Any = pd.api.extensions.no_default) -> Any:
        return self._call("startswith", pat, **_na(na))

    def endswith(self, pat: str | tuple[str, ...], na: Any = pd.api.extensions.no_default) -> Any:
        return self._call("endswith", pat, **_na(na))

    def contains(self, pat: str, case: bool = True, flags: int = 0, na: Any = pd.api.extensions.no_default,
                 regex: bool = True) -> Any:
        """Whether each string contains ``pat`` (a regex unless ``regex=False``)."""
        return self._call("contains", pat, case=case, flags=flags, regex=regex, **_na(na))

    def match(self, pat: str, case: bool = True, flags: int = 0, na: Any = pd.api.extensions.no_default) -> Any:
        return self._call("match", pat, case=case, flags=flags, **_na(na))

    def fullmatch(self, pat: str, case: bool = True, flags: int = 0,
                  na: Any = pd.api.extensions.no_default) -> Any:
        return self._call("fullmatch", pat, case=case, flags=flags, **_na(na))

    def isdigit(self) -> Any:
        return self._call("isdigit")

    def isalpha(self) -> Any:
        return self._call("isalpha")

    def isalnum(self) -> Any:
        return self._call("isalnum")

    def isspace(self) -> Any:
        return self._call("isspace")

    def islower(self) -> Any:
        return self._call("islower")

    def isupper(self) -> Any:
        return self._call("isupper")

    def isnumeric(self) -> Any:
        return self._call("isnumeric")

    def isdecimal(self) -> Any:
        return self._call("isdecimal")

    def istitle(self) -> Any:
        return self._call("istitle")

    # -- rewriting ---------------------------------------------------------------------------
    def replace(self, pat: str, repl: str | Callable, n: int = -1, case: bool | None = None, flags: int = 0,
                regex: bool = False) -> Any:
        """Replace occurrences of ``pat`` (literal unless ``regex=True``, as in pandas 3)."""
        return self._call("replace", pat, repl, n=n, case=case, flags=flags, regex=regex)

    def removeprefix(self, prefix: str) -> Any:
        return self._call("removeprefix", prefix)

    def removesuffix(self, suffix: str) -> Any:
        return self._call("removesuffix", suffix)

    def repeat(self, repeats: int) -> Any:
        if not isinstance(repeats, (int, np.integer)):
            raise NotImplementedError("Series.str.repeat with per-row repeats")
        return self._call("repeat", repeats)

    def slice(self, start: int | None = None, stop: int | None = None, step: int | None = None) -> Any:
        return self._call("slice", start, stop, step)

    def slice_replace(self, start: int | None = None, stop: int | None = None, repl: str | None = None) -> Any:
        return self._call("slice_replace", start, stop, repl)

    def get(self, i: int) -> Any:
        """The character at position ``i`` (null where the string is shorter)."""
        return self._call("get", i)

    def __getitem__(self, key: int | slice) -> Any:
        return self._map(lambda s: s.str[key], "__getitem__")

    # -- splitting and joining ---------------------------------------------------------------
    def split(self, pat: str | None = None, *, n: int = -1, expand: bool = False,
              regex: bool | None = None) -> Any:
        """Split each string. ``expand=True`` gives a DataFrame; otherwise a list column (an
        object column of lists, as pandas), whose elements keep this column's string dtype."""
        return self._split("split", pat, n, expand, regex=regex)

    def rsplit(self, pat: str | None = None, *, n: int = -1, expand: bool = False) -> Any:
        return self._split("rsplit", pat, n, expand)

    def _split(self, name: str, pat: Any, n: int, expand: bool, **kwargs: Any) -> Any:
        def parts(s: pd.Series) -> pd.Series:
            return getattr(s.str, name)(pat, n=n, expand=False, **kwargs)
        if not expand:
            return self._lists(parts, name)
        return self._expand(parts, name)

    def _lists(self, parts: Callable, name: str) -> Any:
        """The list column of ``parts``: split once per distinct value on the host (one list
        column over the dictionary plus its null entry), then every row takes its value's
        [start, length] pair by code, on device; the elements are shared, not copied."""
        series = self._series
        if series._column.dictionary.is_traced:
            raise NotImplementedError(f"Series.str.{name} inside jax.jit/vmap: its result is lists of "
                                      "strings, whose dictionary is only known at run time")
        per_value = parts(self._extended())
        table = list_ops.from_objects(per_value.to_numpy(dtype=object), jdt.to_pandas(series._column.dtype))
        return series._with_column(table.take(self._row_lookup()))

    def _expand(self, parts: Callable, name: str) -> Any:
        series = self._series
        if is_traced(series._column.data, series._row_mask):
            raise NotImplementedError(f"Series.str.{name}(expand=True) inside jax.jit: the column count "
                                      "depends on the data")
        counts = self._map(lambda s: parts(s).map(_part_count).astype("Float64"), name)
        live_counts = counts.to_pandas()
        if len(live_counts) == 0:
            width = 0
        else:
            width = max(1, int(np.nan_to_num(live_counts.to_numpy(dtype=np.float64, na_value=np.nan)).max()))
        source_dtype = jdt.to_pandas(series._column.dtype)
        columns = {}
        for j in range(width):
            piece = self._map(lambda s, j=j: parts(s).map(lambda v: _part(v, j)), name, object_as=source_dtype)
            columns[j] = piece._column
        return new_frame(columns, series._index, series._row_mask, series._sharding)

    def cat(self, others: Any = None, sep: str | None = None, na_rep: str | None = None,
            join: str = "left") -> Any:
        """Concatenate: all live strings into one (``others=None``), or row-wise with ``others``.

        This runs on the host (the result is a host string, or depends on pairs of values)."""
        mine = self._series.to_pandas()
        if others is None:
            return mine.str.cat(sep=sep, na_rep=na_rep)
        if is_container(others):
            others = others.to_pandas()
        elif isinstance(others, (list, tuple)):
            others = [o.to_pandas() if is_container(o) else o for o in others]
        return from_pandas(mine.str.cat(others, sep=sep, na_rep=na_rep, join=join))


def _na(na: Any) -> dict:
    return {} if na is pd.api.extensions.no_default else {"na": na}


def _part_count(value: Any) -> float:
    return float(len(value)) if isinstance(value, list) else np.nan


def _part(value: Any, j: int) -> Any:
    return value[j] if isinstance(value, list) and j < len(value) else None
