"""``jf.to_datetime``: parse strings once per distinct value, gather to rows by code.

A string Series' dictionary holds each distinct string once, so pandas' parser runs on the
dictionary only and rows take their timestamp with a device gather. pandas guesses a format
from the FIRST non-null row when none is given; the dictionary is sorted, so the guess is made
here from the first live row and passed on explicitly (same result, same errors). Whenever the
dictionary parse fails, the live rows are parsed by pandas itself, which raises pandas' exact
error (and succeeds where the failing string only sat in filtered-out rows).

Units: pandas 3 picks the result unit from the values (strings: 'us', or 'ns' when some string
carries nanoseconds). The dictionary may hold strings of filtered-out rows, so a dictionary parse
finer than 'us' is not trusted: the live rows are parsed by pandas instead, which picks the unit.
"""

from __future__ import annotations

import warnings
from typing import Any

import jax.numpy as jnp
import pandas as pd

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes.table import from_pandas, is_frame, is_series, is_traced

# The unit pandas gives any string that carries no nanoseconds (checked in the tests).
_STRING_UNITS = ("us",)
_GUESS_FAILED = ("Could not infer format, so each element will be parsed individually, falling back to "
                 "`dateutil`. To ensure parsing is consistent and as-expected, please specify a format.")


def to_datetime(arg: Any, errors: str = "raise", dayfirst: bool = False, yearfirst: bool = False,
                utc: bool = False, format: str | None = None, exact: Any = pd.api.extensions.no_default,
                unit: str | None = None, origin: Any = "unix", cache: bool = True) -> Any:
    """Convert to datetime64 like ``pandas.to_datetime``, in the unit pandas picks.

    A JaxFrames Series (or DataFrame of year/month/day columns) gives a JaxFrames object;
    scalars, lists and arrays give what pandas gives (a Timestamp or a DatetimeIndex), as
    JaxFrames has no public Index type.
    """
    kwargs = dict(errors=errors, dayfirst=dayfirst, yearfirst=yearfirst, format=format, unit=unit,
                  origin=origin, cache=cache, utc=utc)
    if exact is not pd.api.extensions.no_default:
        kwargs["exact"] = exact
    if is_frame(arg):
        return from_pandas(pd.to_datetime(arg.to_pandas(), **kwargs))
    if isinstance(arg, pd.Series):
        return from_pandas(pd.to_datetime(arg, **kwargs))
    if not is_series(arg):
        return pd.to_datetime(arg, **kwargs)
    kind = arg._column.dtype.kind
    if kind == "M" and utc:
        aware = jdt.tz_of(arg._column.dtype) is not None
        return arg.dt.tz_convert("UTC") if aware else arg.dt.tz_localize("UTC")
    if kind == "M":
        return arg
    if is_traced(arg._column.data, arg._row_mask):
        raise NotImplementedError("to_datetime inside jax.jit (parsing runs on the host)")
    if kind == "U" and unit is None:
        return _parse_strings(arg, kwargs)
    return from_pandas(pd.to_datetime(arg.to_pandas(), **kwargs))


def _parse_strings(series: Any, kwargs: dict) -> Any:
    col = series._column
    kwargs = dict(kwargs)
    if kwargs["format"] is None:
        kwargs["format"] = _guess_format(series, kwargs["dayfirst"])
    values = pd.Series(pd.array(col.dictionary.values.to_pylist() + [None], dtype=jdt.to_pandas(col.dtype)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # a warning on the dictionary may not be pandas' on the rows
            parsed = pd.to_datetime(values, **kwargs)
    except (ValueError, TypeError, OverflowError, Warning):
        # pandas' own error (message and all), or its result if the culprit was filtered out
        return from_pandas(pd.to_datetime(series.to_pandas(), **kwargs))
    if getattr(parsed.dtype, "unit", None) not in _STRING_UNITS:
        # a finer unit may come from a filtered-out row's string: let pandas pick it on the rows
        return from_pandas(pd.to_datetime(series.to_pandas(), **kwargs))
    table = colmod.from_pandas_series(parsed)
    lookup = col.data if col.validity is None else jnp.where(col.validity, col.data, len(col.dictionary))
    out = table.take(lookup)
    return series._with_column(out)


def _guess_format(series: Any, dayfirst: bool) -> str:
    """pandas' format guess from the first live non-null string ('mixed' when it cannot guess)."""
    col = series._column
    present = series._live() & col.not_null()
    if not bool(jnp.any(present)):
        return "mixed"
    first = int(jnp.argmax(present))
    text = col.dictionary.values[int(col.data[first])].as_py()
    guessed = pd.tseries.api.guess_datetime_format(text, dayfirst=dayfirst)
    if guessed is None:
        warnings.warn(_GUESS_FAILED, UserWarning, stacklevel=4)
        return "mixed"
    return guessed


