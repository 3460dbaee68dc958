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
