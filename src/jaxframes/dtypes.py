"""Logical dtypes: the pandas name a column reports, and how it is stored on device.

One table maps pandas dtypes to device storage. Null handling follows pandas:
numpy float columns use NaN as null (no validity mask); numpy int/uint/bool columns hold no
nulls; datetime/timedelta, the masked extension dtypes (Int64, Int32, boolean, Float64)
and strings carry a boolean validity mask next to the data.

Datetimes and timedeltas keep pandas' unit (s, ms, us, ns): the data are int64 counts of that
unit, so a ``datetime64[s]`` value of the year 1500 is held exactly (it has no ``[ns]`` form).
Unsigned integers are held unsigned (kind 'u'), so values above 2**63 survive.
Timezone-aware datetimes (``datetime64[unit, tz]``, DatetimeTZDType) hold UTC instants in the
same layout, the zone being static dtype metadata (zones.py converts to wall-clock time).
Periods (``period[M]``, PeriodDType) hold pandas' int64 ordinals, the frequency being static
dtype metadata (periods.py does the calendar arithmetic); NaT is a null in the validity mask.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa


@dataclass(frozen=True)
class DType:
    """A column's logical dtype.

    name: the pandas dtype name (what ``df.dtypes`` shows).
    storage: the numpy dtype of the device array.
    kind: 'b' bool, 'i' int, 'u' unsigned int, 'f' float, 'U' string (dictionary codes),
        'M' datetime, 'm' timedelta, 'C' category, 'd' decimal (scaled int64), 'P' period
        (int64 ordinals of a frequency), 'L' list
        (lists.py: [start, length] pairs per row over a child column of the element dtype).
    masked: nulls live in a validity mask and show as pd.NA (pandas extension dtypes).
    unit: for 'M'/'m', what one step of the int64 data is ('s', 'ms', 'us' or 'ns'); else None.
    """

    name: str
    storage: np.dtype
    kind: str
    masked: bool = False
    unit: str | None = None

    def __repr__(self) -> str:
        return self.name

    def __str__(self) -> str:
        return self.name

    @property
    def is_numeric(self) -> bool:
        return self.kind in "biuf"

    @property
    def is_string(self) -> bool:
        return self.kind == "U"

    @property
    def has_validity(self) -> bool:
        """Whether nulls of this dtype are kept in a validity mask (else: NaN or impossible)."""
        return self.masked or self.kind in "UMmCLP"


@dataclass(frozen=True, repr=False)
class CategoryDType(DType):
    """pandas' CategoricalDtype: data are int32 codes into ``categories`` in pandas' order (so
    sorting codes sorts like pandas does), nulls in the validity mask. The categories live here,
    as static host data; ``categories=None`` is the bare 'category' of ``astype('category')``."""

    categories: tuple | None = None
    categories_dtype: str | None = None
    ordered: bool | None = False


def category(categories: tuple | None = None, categories_dtype: str | None = None,
             ordered: bool | None = False) -> CategoryDType:
    """The DType of a categorical column (codes stored as int32)."""
    return CategoryDType("category", np.dtype(np.int32), "C", False, categories=categories,
                         categories_dtype=categories_dtype, ordered=ordered)


@dataclass(frozen=True, repr=False)
class DecimalDType(DType):
    """pandas' ``ArrowDtype(pa.decimal128(precision, scale))``: the data are int64 counts of
    ``10**-scale`` (1.25 at scale 2 is 125), nulls in the validity mask. Columns read from
    Arrow/pandas hold at most ``MAX_DECIMAL_DIGITS`` digits (so every value fits int64); results
    of arithmetic carry the wider precision pandas gives them (decimal128(13, 2) for a sum of two
    decimal128(12, 2)) and raise OverflowError where a value leaves int64."""

    precision: int = 18
    scale: int = 0


# A decimal of at most 18 digits always fits a signed int64 (|value| < 10**18 < 2**63).
MAX_DECIMAL_DIGITS = 18


def decimal(precision: int, scale: int) -> DecimalDType:
    """The DType of pandas' ``decimal128(precision, scale)[pyarrow]`` (precision up to 38)."""
    if not 1 <= precision <= 38 or not 0 <= scale <= precision:
        raise ValueError(f"decimal128 needs 1 <= precision <= 38 and 0 <= scale <= precision, "
                         f"got ({precision}, {scale})")
    return DecimalDType(f"decimal128({precision}, {scale})[pyarrow]", np.dtype(np.int64), "d", True,
                        precision=precision, scale=scale)


def check_decimal_held(dtype: DType) -> None:
    """Values of a decimal dtype can only come in when every one fits int64: precision <= 18."""
    if isinstance(dtype, DecimalDType) and dtype.precision > MAX_DECIMAL_DIGITS:
        raise NotImplementedError(
            f"{dtype} holds up to {dtype.precision} digits; JaxFrames holds decimals as scaled int64, "
            f"up to {MAX_DECIMAL_DIGITS} digits (cast it to decimal128({MAX_DECIMAL_DIGITS}, {dtype.scale}) "
            "or float64 first)")


@dataclass(frozen=True, repr=False)
class ListDType(DType):
    """A list column (Arrow's ``list<T>``): data are int64 ``[start, length]`` pairs per row
    into a child column of dtype ``element`` (column.py, lists.py). ``arrow_type`` is the Arrow
    list type when pandas holds the column as ``pd.ArrowDtype(list<T>)``; None: a pandas object
    column of Python lists (what ``pd.Series([[1, 2], [3]])`` and ``str.split`` give)."""

    element: DType | None = None
    arrow_type: object = None
    missing: str = "none"  # how the object flavour shows a missing row: "none", "nan" or "na" (pd.NA)
    element_missing: str = "none"  # how it shows a missing string/number element: None, or "nan"


def list_of(element: DType, arrow_type: object = None, missing: str = "none",
            element_missing: str = "none") -> ListDType:
    """The DType of a list column whose elements have dtype ``element``."""
    name = "object" if arrow_type is None else str(pd.ArrowDtype(arrow_type))
    return ListDType(name, np.dtype(np.int64), "L", False, element=element, arrow_type=arrow_type,
                     missing=missing, element_missing=element_missing)


@dataclass(frozen=True, repr=False)
class DatetimeTZDType(DType):
    """pandas' DatetimeTZDtype: the data are int64 counts of ``unit`` since 1970-01-01 UTC (the
    same layout as datetime64[unit], so sorting, grouping, joining and comparing instants need
    nothing more), and ``tz`` (pandas' tz object: a ZoneInfo, datetime.timezone or pytz zone) is
    static metadata. Wall-clock fields go through zones.py (the zone's UTC offsets)."""

    tz: object = None


def datetime_tz(unit: str, tz: object) -> DatetimeTZDType:
    """The DType of a timezone-aware datetime column (``tz`` as anything pandas takes: 'UTC',
    'US/Eastern', '+05:30', a tzinfo); ValueError/TypeError as pandas for an unknown zone."""
    pandas_dtype = pd.DatetimeTZDtype(_checked_unit(unit), tz)
    return DatetimeTZDType(str(pandas_dtype), np.dtype(np.int64), "M", unit=unit, tz=pandas_dtype.tz)


def tz_of(dtype: DType) -> object:
    """The zone of a timezone-aware datetime dtype; None for every other dtype."""
    return dtype.tz if isinstance(dtype, DatetimeTZDType) else None


@dataclass(frozen=True, repr=False)
class PeriodDType(DType):
    """pandas' PeriodDtype: the data are pandas' int64 ordinals (periods of ``freq`` since the
    one holding 1970-01-01: ``period[M]`` 0 is 1970-01, -1 is 1969-12), so sorting, grouping,
    joining and comparing need nothing more; ``freq`` is pandas' frequency string ('M', 'Q-DEC',
    'W-SUN', 'D', 'h', ...). NaT rows are nulls in the validity mask."""

    freq: str = "D"


def period(freq: object) -> PeriodDType:
    """The DType of ``period[freq]`` (``freq`` as pandas takes it: 'M', 'Q', 'W', an offset);
    pandas' ValueError for an unknown frequency."""
    if isinstance(freq, PeriodDType):
        return freq
    pandas_dtype = freq if isinstance(freq, pd.PeriodDtype) else pd.PeriodDtype(freq)
    name = str(pandas_dtype)
    return PeriodDType(name, np.dtype(np.int64), "P", freq=name[len("period["):-1])


def freq_of(dtype: DType) -> str | None:
    """The frequency of a period dtype; None for every other dtype."""
    return dtype.freq if isinstance(dtype, PeriodDType) else None


UNITS = ("s", "ms", "us", "ns")
# Steps of each unit in one second: converting between units multiplies or divides by a ratio.
PER_SECOND = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}


def _temporal(kind: str, unit: str) -> DType:
    base = "datetime64" if kind == "M" else "timedelta64"
    return DType(f"{base}[{unit}]", np.dtype(np.int64), kind, unit=unit)


BOOL = DType("bool", np.dtype(np.bool_), "b")
INT8 = DType("int8", np.dtype(np.int8), "i")
INT16 = DType("int16", np.dtype(np.int16), "i")
INT32 = DType("int32", np.dtype(np.int32), "i")
INT64 = DType("int64", np.dtype(np.int64), "i")
FLOAT32 = DType("float32", np.dtype(np.float32), "f")
FLOAT64 = DType("float64", np.dtype(np.float64), "f")
UINT8 = DType("uint8", np.dtype(np.uint8), "u")
UINT16 = DType("uint16", np.dtype(np.uint16), "u")
UINT32 = DType("uint32", np.dtype(np.uint32), "u")
UINT64 = DType("uint64", np.dtype(np.uint64), "u")
DATETIMES = {unit: _temporal("M", unit) for unit in UNITS}
TIMEDELTAS = {unit: _temporal("m", unit) for unit in UNITS}
DATETIME = DATETIMES["ns"]
TIMEDELTA = TIMEDELTAS["ns"]
# pandas 3's default string dtype (StringDtype with NaN as its missing value) prints as "str".
STR = DType("str", np.dtype(np.int32), "U")
STRING = DType("string", np.dtype(np.int32), "U", masked=True)
NBOOL = DType("boolean", np.dtype(np.bool_), "b", masked=True)
NINT32 = DType("Int32", np.dtype(np.int32), "i", masked=True)
NINT64 = DType("Int64", np.dtype(np.int64), "i", masked=True)
NFLOAT32 = DType("Float32", np.dtype(np.float32), "f", masked=True)
NFLOAT64 = DType("Float64", np.dtype(np.float64), "f", masked=True)
# Arrow-backed results of decimal operations (comparisons, counts), held like their masked twins.
PA_BOOL = DType("bool[pyarrow]", np.dtype(np.bool_), "b", masked=True)
PA_INT64 = DType("int64[pyarrow]", np.dtype(np.int64), "i", masked=True)

ALL = (BOOL, INT8, INT16, INT32, INT64, UINT8, UINT16, UINT32, UINT64, FLOAT32, FLOAT64,
       *DATETIMES.values(), *TIMEDELTAS.values(), STR, STRING, NBOOL, NINT32, NINT64, NFLOAT32, NFLOAT64,
       PA_BOOL, PA_INT64)
_BY_NAME = {d.name: d for d in ALL}
_ALIASES = {
    "int": INT64, "float": FLOAT64, "i8": INT64, "i4": INT32, "f8": FLOAT64, "f4": FLOAT32,
    "object": STR, "datetime64": DATETIME, "str_": STR, "u8": UINT64, "u4": UINT32,
    **{f"{p}{c}8[{u}]": (DATETIMES if c == "M" else TIMEDELTAS)[u] for p in ("", "<") for c in "Mm" for u in UNITS},
}
_PY_TYPES = {bool: BOOL, int: INT64, float: FLOAT64, str: STR}


def parse(dtype_like: object) -> DType:
    """Resolve anything pandas accepts as a dtype (a name, a numpy/pandas dtype, a Python type)."""
    if isinstance(dtype_like, DType):
        return dtype_like
    if dtype_like in _PY_TYPES:
        return _PY_TYPES[dtype_like]  # type: ignore[index]
    if isinstance(dtype_like, str):
        if dtype_like in _BY_NAME:
            return _BY_NAME[dtype_like]
        if dtype_like in _ALIASES:
            return _ALIASES[dtype_like]
    try:
        pandas_dtype = pd.api.types.pandas_dtype(dtype_like)
    except TypeError as err:
        raise TypeError(f"data type {dtype_like!r} not understood") from err
    return from_pandas(pandas_dtype)


def from_pandas(pandas_dtype: object) -> DType:
    """The DType for a pandas/numpy dtype; TypeError for dtypes JaxFrames does not hold."""
    if isinstance(pandas_dtype, pd.StringDtype):
        masked = pandas_dtype.na_value is pd.NA
        if pandas_dtype.storage != "pyarrow":
            # Held as Arrow strings it would come back with pyarrow storage, which changes answers
            # (rank gives Float64 instead of float64, astype keeps the storage, ...).
            name = "string" if masked else "str"
            raise TypeError(f"unsupported pandas dtype '{name}[{pandas_dtype.storage}]': JaxFrames strings are "
                            f"Arrow-backed ('{name}', storage 'pyarrow')")
        return STRING if masked else STR
    if isinstance(pandas_dtype, pd.DatetimeTZDtype):
        return datetime_tz(pandas_dtype.unit, pandas_dtype.tz)
    if isinstance(pandas_dtype, pd.PeriodDtype):
        return period(pandas_dtype)
    if isinstance(pandas_dtype, pd.CategoricalDtype):
        cats = pandas_dtype.categories
        if cats is None:
            return category(None, None, pandas_dtype.ordered)
        return category(tuple(cats.tolist()), str(cats.dtype), bool(pandas_dtype.ordered))
    if isinstance(pandas_dtype, pd.ArrowDtype) and pa.types.is_decimal(pandas_dtype.pyarrow_dtype):
        typ = pandas_dtype.pyarrow_dtype
        if not pa.types.is_decimal128(typ):
            raise NotImplementedError(f"{pandas_dtype} columns are not supported (decimal128 only)")
        return decimal(typ.precision, typ.scale)
    if isinstance(pandas_dtype, pd.ArrowDtype) and _is_arrow_list(pandas_dtype.pyarrow_dtype):
        return list_of(arrow_element(pandas_dtype.pyarrow_dtype.value_type), pandas_dtype.pyarrow_dtype)
    if isinstance(pandas_dtype, pd.api.extensions.ExtensionDtype):
        name = str(pandas_dtype)
        if name in _BY_NAME:
            return _BY_NAME[name]
        raise TypeError(f"unsupported pandas dtype {name!r}")
    np_dtype = np.dtype(pandas_dtype)  # type: ignore[arg-type]
    if np_dtype.kind in "Mm":
        unit = np.datetime_data(np_dtype)[0]
        if unit == "generic":
            unit = "ns"
        if unit not in UNITS:
            raise TypeError(f"unsupported dtype {np_dtype}: pandas' supported resolutions are "
                            "'s', 'ms', 'us' and 'ns'")
        return (DATETIMES if np_dtype.kind == "M" else TIMEDELTAS)[unit]
    if np_dtype.kind in "OUS":
        return STR
    name = np_dtype.name
    if name in _BY_NAME:
        return _BY_NAME[name]
    # No silent widening or narrowing (float16 -> float32, longdouble -> float64): pandas keeps them.
    raise TypeError(f"unsupported dtype {pandas_dtype!r}: JaxFrames columns hold bool, int8-int64, "
                    "uint8-uint64, float32, float64, strings, datetime64/timedelta64 (s, ms, us, ns), "
                    "datetime64[unit, tz], period[freq]")


def _is_arrow_list(arrow_type: object) -> bool:
    return pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type)


def arrow_element(value_type: object) -> DType:
    """The child dtype holding an Arrow list's values: nullable where Arrow is (a null element is
    not NaN), numpy otherwise; TypeError for element types JaxFrames does not hold."""
    pandas_dtype = value_type.to_pandas_dtype()  # type: ignore[attr-defined]
    if np.dtype(pandas_dtype).kind in "OUS":
        return STRING
    dtype = from_pandas(pandas_dtype)
    return masked_of(dtype)


def held(pandas_dtype: object, what: str) -> DType:
    """The DType that holds a pandas result dtype exactly; NotImplementedError naming ``what``
    when no JaxFrames column can (object, Int8, pyarrow-backed results, ...)."""
    try:
        dtype = from_pandas(pandas_dtype)
        if to_pandas(dtype) != pandas_dtype:
            raise TypeError(pandas_dtype)
        return dtype
    except TypeError as err:
        raise NotImplementedError(f"{what} gives pandas dtype {pandas_dtype}, which JaxFrames columns "
                                  "do not hold") from err


def to_pandas(dtype: DType) -> object:
    """The pandas dtype object a column of this DType converts to."""
    if dtype.kind == "U":
        return pd.StringDtype(na_value=np.nan) if dtype is STR else pd.StringDtype()
    if isinstance(dtype, ListDType):
        return np.dtype(object) if dtype.arrow_type is None else pd.ArrowDtype(dtype.arrow_type)
    if isinstance(dtype, CategoryDType):
        cats = None if dtype.categories is None else pd.Index(list(dtype.categories), dtype=dtype.categories_dtype)
        return pd.CategoricalDtype(cats, ordered=dtype.ordered)
    if isinstance(dtype, DatetimeTZDType):
        return pd.DatetimeTZDtype(dtype.unit, dtype.tz)
    if isinstance(dtype, PeriodDType):
        return pd.PeriodDtype(dtype.freq)
    if dtype.kind in "Mm":
        return np.dtype(dtype.name)
    if isinstance(dtype, DecimalDType):
        return pd.ArrowDtype(pa.decimal128(dtype.precision, dtype.scale))
    if dtype in (PA_BOOL, PA_INT64):
        return pd.ArrowDtype(pa.bool_() if dtype == PA_BOOL else pa.int64())
    if dtype.masked:
        return pd.api.types.pandas_dtype(dtype.name)
    return dtype.storage


def from_storage(np_dtype: np.dtype) -> DType:
    """The plain (numpy-like) DType for a device array's dtype."""
    return from_pandas(np.dtype(np_dtype))


def masked_of(dtype: DType) -> DType:
    """The nullable (masked) twin of a numpy dtype: int64 -> Int64."""
    return {BOOL: NBOOL, INT32: NINT32, INT64: NINT64, FLOAT32: NFLOAT32,
            FLOAT64: NFLOAT64}.get(dtype, dtype)


def unmasked_of(dtype: DType) -> DType:
    """The numpy twin of a masked dtype: Int64 -> int64."""
    return {NBOOL: BOOL, NINT32: INT32, NINT64: INT64, NFLOAT32: FLOAT32,
            NFLOAT64: FLOAT64}.get(dtype, dtype)


def datetime(unit: str = "ns") -> DType:
    """The datetime64 DType of a unit (ValueError for a unit pandas does not hold)."""
    return DATETIMES[_checked_unit(unit)]


def timedelta(unit: str = "ns") -> DType:
    """The timedelta64 DType of a unit (ValueError for a unit pandas does not hold)."""
    return TIMEDELTAS[_checked_unit(unit)]


def with_unit(dtype: DType, unit: str) -> DType:
    """The same temporal kind in another unit: datetime64[s] -> datetime64[ns]."""
    if dtype.kind not in "Mm":
        raise TypeError(f"{dtype} has no unit")
    if isinstance(dtype, DatetimeTZDType):
        return datetime_tz(unit, dtype.tz)
    return datetime(unit) if dtype.kind == "M" else timedelta(unit)


def finer_unit(*units: str) -> str:
    """The finest of some units: what pandas converts operands of mixed units to."""
    return max(units, key=PER_SECOND.__getitem__)


def _checked_unit(unit: str) -> str:
    if unit not in PER_SECOND:
        raise ValueError(f"unit must be one of {UNITS}, got {unit!r}")
    return unit
