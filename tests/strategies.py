"""Hypothesis strategies for random pandas frames (the input space of property tests)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import strategies as st

from frames import NULLABLE

_ELEMENTS = {
    "bool": st.booleans(),
    "int64": st.integers(-(2**40), 2**40),
    "int32": st.integers(-(2**20), 2**20),
    "float64": st.floats(-1e6, 1e6, allow_nan=False, width=64),
    "str": st.text(alphabet="abcXYZ é", max_size=4),
    "Int64": st.integers(-1000, 1000),
    "boolean": st.booleans(),
    "Float64": st.floats(-1e3, 1e3, allow_nan=False),
}


@st.composite
def series(draw, dtype: str | None = None, min_size: int = 0, max_size: int = 30, name: str = "x",
           nulls: bool = True) -> pd.Series:
    """A pandas Series of one dtype, with nulls where the dtype allows them."""
    dtype = dtype or draw(st.sampled_from(sorted(_ELEMENTS)))
    n = draw(st.integers(min_size, max_size))
    values = draw(st.lists(_ELEMENTS[dtype], min_size=n, max_size=n))
    s = pd.Series(values, dtype=dtype, name=name)
    if nulls and dtype in NULLABLE and n:
        null_at = draw(st.lists(st.booleans(), min_size=n, max_size=n))
        s = s.mask(np.array(null_at))
    return s


@st.composite
def frames(draw, dtypes: list[str] | None = None, min_size: int = 0, max_size: int = 30,
           nulls: bool = True) -> pd.DataFrame:
    """A pandas DataFrame with columns c0, c1, ... of the given (or drawn) dtypes."""
    if dtypes is None:
        dtypes = draw(st.lists(st.sampled_from(sorted(_ELEMENTS)), min_size=1, max_size=4))
    n = draw(st.integers(min_size, max_size))
    cols = {f"c{i}": draw(series(d, n, n, f"c{i}", nulls)) for i, d in enumerate(dtypes)}
    return pd.DataFrame(cols)


# -- the differential fuzzer's input space (tests/test_fuzz.py) ----------------------------------
# Every dtype JaxFrames holds, with the values pandas treats specially: NaN, +-inf, -0.0, NA,
# NaT, unused and missing categories, few distinct values (duplicate keys), empty frames.
FUZZ_DTYPES = ("bool", "int64", "int32", "float64", "float32", "str", "Int64", "boolean", "Float64",
               "datetime64[ns]", "timedelta64[ns]", "category")
# Dtypes that group and join well (few distinct values, so groups and matches repeat).
FUZZ_KEY_DTYPES = ("int64", "str", "bool", "category", "Int64", "float64", "datetime64[ns]")
CATEGORIES = ("z", "x", "y", "w")  # not sorted, and "w" never drawn: an unused category

_SPECIAL_FLOATS = (np.nan, np.inf, -np.inf, -0.0, 0.0)
_small_ints = st.integers(-3, 3)
_fuzz_floats = st.one_of(st.sampled_from(_SPECIAL_FLOATS), _small_ints.map(float),
                         st.floats(-1e3, 1e3, allow_nan=False, allow_subnormal=False, width=32).map(float))
_FUZZ_ELEMENTS = {
    "bool": st.booleans(),
    "int64": st.one_of(_small_ints, st.integers(-(2**40), 2**40)),
    "int32": st.one_of(_small_ints, st.integers(-(2**20), 2**20)),
    "float64": _fuzz_floats,
    "float32": _fuzz_floats,
    "str": st.one_of(st.none(), st.text(alphabet="abAB é", max_size=3)),
    "Int64": st.one_of(st.none(), _small_ints, st.integers(-(2**40), 2**40)),
    "boolean": st.one_of(st.none(), st.booleans()),
    "Float64": st.one_of(st.none(), _fuzz_floats.filter(lambda x: not np.isnan(x))),
    "datetime64[ns]": st.one_of(st.none(), _small_ints, st.integers(-(10**6), 10**6)),
    "timedelta64[ns]": st.one_of(st.none(), _small_ints, st.integers(-(10**6), 10**6)),
    "category": st.one_of(st.none(), st.sampled_from(CATEGORIES[:3])),
}
_KEY_ELEMENTS = {
    "int64": _small_ints, "Int64": st.one_of(st.none(), _small_ints), "bool": st.booleans(),
    "str": st.one_of(st.none(), st.sampled_from(["a", "B", "é", ""])),
    "float64": st.one_of(st.sampled_from([np.nan, -0.0, 0.0, np.inf]), _small_ints.map(float)),
    "datetime64[ns]": st.one_of(st.none(), _small_ints), "category": _FUZZ_ELEMENTS["category"],
}


def _fuzz_series(values: list, dtype: str, name: str, ordered: bool = False) -> pd.Series:
    if dtype == "datetime64[ns]":
        hours = [None if v is None else pd.Timestamp("2024-01-01") + pd.Timedelta(hours=v) for v in values]
        return pd.Series(pd.to_datetime(hours).astype(dtype) if values else [], dtype=dtype, name=name)
    if dtype == "timedelta64[ns]":
        return pd.Series([None if v is None else pd.Timedelta(minutes=v) for v in values], dtype=dtype, name=name)
    if dtype == "category":
        return pd.Series(pd.Categorical(values, categories=list(CATEGORIES), ordered=ordered), name=name)
    if dtype in ("str", "float64", "float32"):
        return pd.Series(values, dtype=dtype, name=name)
    return pd.Series(pd.array(values, dtype=dtype), name=name)


@st.composite
def fuzz_frames(draw, min_rows: int = 0, max_rows: int = 12, max_values: int = 4,
                dtypes: tuple[str, ...] = FUZZ_DTYPES) -> pd.DataFrame:
    """A frame with a key column ``k`` (few distinct values) and 1..max_values value columns
    ``a``, ``b``, ... of random dtypes: the fuzzer's starting point."""
    n = draw(st.integers(min_rows, max_rows))
    key_dtype = draw(st.sampled_from([d for d in FUZZ_KEY_DTYPES if d in dtypes] or ["int64"]))
    ordered = draw(st.booleans())
    cols = {"k": _fuzz_series(draw(st.lists(_KEY_ELEMENTS[key_dtype], min_size=n, max_size=n)),
                              key_dtype, "k", ordered)}
    for name in "abcd"[:draw(st.integers(1, max_values))]:
        dtype = draw(st.sampled_from(dtypes))
        values = draw(st.lists(_FUZZ_ELEMENTS[dtype], min_size=n, max_size=n))
        cols[name] = _fuzz_series(values, dtype, name, ordered)
    return pd.DataFrame(cols)


# -- the boundary: every dtype a column holds, with its extreme values ------------------------------
def _ints(dtype: str) -> st.SearchStrategy:
    info = np.iinfo(dtype)
    extremes = st.sampled_from([int(info.min), int(info.max), 0, -1 if info.min < 0 else 1])
    return st.one_of(extremes, st.integers(int(info.min), int(info.max)))


def _floats(width: int) -> st.SearchStrategy:
    special = st.sampled_from([np.nan, np.inf, -np.inf, -0.0, 0.0, float(np.finfo(f"float{width}").max)])
    return st.one_of(special, st.floats(width=width))


_TIME_UNITS = ("s", "ms", "us", "ns")
# int64 counts of a unit: the whole range except int64 min, which is NaT.
_COUNTS = st.one_of(st.sampled_from([-(2**63) + 1, 2**63 - 1, 0, -1]), st.integers(-(2**63) + 1, 2**63 - 1))

BOUNDARY_ELEMENTS: dict[str, st.SearchStrategy] = {
    "bool": st.booleans(),
    **{d: _ints(d) for d in ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")},
    "float32": _floats(32), "float64": _floats(64),
    "str": st.one_of(st.just(""), st.text(max_size=5)), "string": st.one_of(st.just(""), st.text(max_size=5)),
    "Int32": _ints("int32"), "Int64": _ints("int64"), "boolean": st.booleans(),
    "Float32": st.floats(width=32, allow_nan=False), "Float64": st.floats(allow_nan=False),
    **{f"datetime64[{u}]": _COUNTS for u in _TIME_UNITS},
    **{f"timedelta64[{u}]": _COUNTS for u in _TIME_UNITS},
}
# dtypes whose nulls a column holds (numpy ints and bools hold none: pandas makes them float/object)
BOUNDARY_NULLABLE = {"float32", "float64", "str", "string", "Int32", "Int64", "boolean", "Float32",
                     "Float64", *(f"{k}64[{u}]" for k in ("datetime", "timedelta") for u in _TIME_UNITS)}


@st.composite
def boundary_series(draw, dtype: str, n: int, name: str) -> pd.Series:
    """``n`` values of ``dtype`` drawn with its extremes (int64 min/max, uint64 max, datetime64[s]
    far outside the ns range, NaT, NaN, inf, -0.0, empty strings) and nulls where it holds them."""
    values = draw(st.lists(BOUNDARY_ELEMENTS[dtype], min_size=n, max_size=n))
    if dtype.startswith(("datetime64", "timedelta64")):
        s = pd.Series(np.array(values, dtype=np.int64).view(dtype), name=name)
    else:
        s = pd.Series(np.array(values, dtype=np.dtype(dtype)) if dtype in ("float32", "float64") else values,
                      dtype=dtype, name=name)
    if dtype in BOUNDARY_NULLABLE and n and draw(st.booleans()):
        s = s.mask(np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n))))
    return s


@st.composite
def boundary_frames(draw, max_size: int = 12) -> pd.DataFrame:
    """A frame of a few columns of any supported dtype (see ``BOUNDARY_ELEMENTS``)."""
    dtypes = draw(st.lists(st.sampled_from(sorted(BOUNDARY_ELEMENTS)), min_size=1, max_size=5))
    n = draw(st.integers(0, max_size))
    return pd.DataFrame({f"c{i}": draw(boundary_series(d, n, f"c{i}")) for i, d in enumerate(dtypes)})
