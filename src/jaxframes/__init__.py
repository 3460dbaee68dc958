"""JaxFrames: a pandas-compatible DataFrame library on JAX.

64-bit policy: pandas computes in int64/float64, so importing jaxframes enables
``jax_enable_x64`` (set JAXFRAMES_X64=0 before import to keep JAX's 32-bit default; columns
then hold int32/float32 and results differ from pandas where precision matters).
"""

import os as _os

import jax as _jax

if _os.environ.get("JAXFRAMES_X64", "1") != "0":
    _jax.config.update("jax_enable_x64", True)

from jaxframes.concat import concat as concat  # noqa: E402
from jaxframes.errors import ImmutableFrameError as ImmutableFrameError  # noqa: E402
from jaxframes.frame import DataFrame as DataFrame  # noqa: E402
from jaxframes.frame import from_arrow as from_arrow  # noqa: E402
from jaxframes.frame import from_pandas as from_pandas  # noqa: E402
from jaxframes.io import read_csv as read_csv  # noqa: E402
from jaxframes.joins import merge as merge  # noqa: E402
from jaxframes.kernels.native import available as native_kernels_available  # noqa: E402
from jaxframes.io import read_parquet as read_parquet  # noqa: E402
from jaxframes.series import Series as Series  # noqa: E402
from jaxframes.expr import col as col  # noqa: E402
from jaxframes.expr import lit as lit  # noqa: E402
from jaxframes.expr import when as when  # noqa: E402
from jaxframes.lazy import LazyFrame as LazyFrame  # noqa: E402
from jaxframes.lazy import scan_parquet as scan_parquet  # noqa: E402
from jaxframes.exec.streaming import set_memory_budget as set_memory_budget  # noqa: E402
from jaxframes.sharding import RowSharding as RowSharding  # noqa: E402
from jaxframes.sharding import row_sharded as row_sharded  # noqa: E402
from jaxframes.accessors.datetime_parse import to_datetime as to_datetime  # noqa: E402
from jaxframes.reshape import crosstab as crosstab  # noqa: E402
from jaxframes.reshape import melt as melt  # noqa: E402
from jaxframes.reshape import pivot as pivot  # noqa: E402
from jaxframes.reshape import pivot_table as pivot_table  # noqa: E402
# time series (issue 13): merge_asof, date ranges, to_timedelta, infer_freq
from jaxframes.joins import merge_asof as merge_asof  # noqa: E402
from jaxframes.timeseries.ranges import bdate_range as bdate_range  # noqa: E402
from jaxframes.timeseries.ranges import date_range as date_range  # noqa: E402
from jaxframes.timeseries.ranges import infer_freq as infer_freq  # noqa: E402
from jaxframes.timeseries.ranges import timedelta_range as timedelta_range  # noqa: E402
from jaxframes.timeseries.ranges import to_timedelta as to_timedelta  # noqa: E402
# function application (apply-stats): top-level eval
from jaxframes.methods.apply import top_level_eval as eval  # noqa: E402,A001

# -- top level: cleaning/output/options (issue 14 item 5) ---------------------------------------
# Functions over our frames (logic in ops/toplevel.py), options (options.py), and pandas' scalar,
# dtype and index types re-exported where ours are the same (our frames report pandas dtypes and
# take pandas Index/scalars as inputs). Names refused on purpose come from refusals.py.
import pandas as _pd  # noqa: E402

from jaxframes import testing as testing  # noqa: E402
from jaxframes.ops.toplevel import cut as cut  # noqa: E402
from jaxframes.ops.toplevel import factorize as factorize  # noqa: E402
from jaxframes.ops.toplevel import from_dummies as from_dummies  # noqa: E402
from jaxframes.ops.toplevel import get_dummies as get_dummies  # noqa: E402
from jaxframes.ops.toplevel import isna as isna  # noqa: E402
from jaxframes.ops.toplevel import json_normalize as json_normalize  # noqa: E402
from jaxframes.ops.toplevel import lreshape as lreshape  # noqa: E402
from jaxframes.ops.toplevel import merge_ordered as merge_ordered  # noqa: E402
from jaxframes.ops.toplevel import notna as notna  # noqa: E402
from jaxframes.ops.toplevel import qcut as qcut  # noqa: E402
from jaxframes.ops.toplevel import read_feather as read_feather  # noqa: E402
from jaxframes.ops.toplevel import read_fwf as read_fwf  # noqa: E402
from jaxframes.ops.toplevel import read_json as read_json  # noqa: E402
from jaxframes.ops.toplevel import read_orc as read_orc  # noqa: E402
from jaxframes.ops.toplevel import read_pickle as read_pickle  # noqa: E402
from jaxframes.ops.toplevel import read_table as read_table  # noqa: E402
from jaxframes.ops.toplevel import show_versions as show_versions  # noqa: E402
from jaxframes.ops.toplevel import to_numeric as to_numeric  # noqa: E402
from jaxframes.ops.toplevel import to_pickle as to_pickle  # noqa: E402
from jaxframes.ops.toplevel import unique as unique  # noqa: E402
from jaxframes.ops.toplevel import wide_to_long as wide_to_long  # noqa: E402
from jaxframes.options import describe_option as describe_option  # noqa: E402
from jaxframes.options import get_option as get_option  # noqa: E402
from jaxframes.options import option_context as option_context  # noqa: E402
from jaxframes.options import options as options  # noqa: E402
from jaxframes.options import reset_option as reset_option  # noqa: E402
from jaxframes.options import set_option as set_option  # noqa: E402
from jaxframes.io.render import plotting as plotting  # noqa: E402
# -- file formats pandas parses for us (issue 14) --
from jaxframes.io.formats import ExcelFile as ExcelFile  # noqa: E402
from jaxframes.io.formats import ExcelWriter as ExcelWriter  # noqa: E402
from jaxframes.io.formats import HDFStore as HDFStore  # noqa: E402
from jaxframes.io.formats import read_clipboard as read_clipboard  # noqa: E402
from jaxframes.io.formats import read_excel as read_excel  # noqa: E402
from jaxframes.io.formats import read_hdf as read_hdf  # noqa: E402
from jaxframes.io.formats import read_html as read_html  # noqa: E402
from jaxframes.io.formats import read_iceberg as read_iceberg  # noqa: E402
from jaxframes.io.formats import read_sas as read_sas  # noqa: E402
from jaxframes.io.formats import read_spss as read_spss  # noqa: E402
from jaxframes.io.formats import read_sql as read_sql  # noqa: E402
from jaxframes.io.formats import read_sql_query as read_sql_query  # noqa: E402
from jaxframes.io.formats import read_sql_table as read_sql_table  # noqa: E402
from jaxframes.io.formats import read_stata as read_stata  # noqa: E402
from jaxframes.io.formats import read_xml as read_xml  # noqa: E402
from jaxframes.refusals import refused_functions as _refused_functions  # noqa: E402

isnull = isna
notnull = notna
array = _pd.array  # a pandas ExtensionArray: an input our constructors take
api, arrays, offsets, tseries = _pd.api, _pd.arrays, _pd.offsets, _pd.tseries
set_eng_float_format = _pd.set_eng_float_format  # display: our repr renders with pandas
(Timestamp, Timedelta, NA, NaT, DateOffset, Interval, Flags, NamedAgg, NamedFunc, Grouper,
 Index, MultiIndex, RangeIndex, CategoricalIndex, DatetimeIndex, TimedeltaIndex, IntervalIndex, IndexSlice,
 Categorical, interval_range) = (
    _pd.Timestamp, _pd.Timedelta, _pd.NA, _pd.NaT, _pd.DateOffset, _pd.Interval, _pd.Flags, _pd.NamedAgg,
    _pd.NamedFunc,
    _pd.Grouper, _pd.Index, _pd.MultiIndex, _pd.RangeIndex, _pd.CategoricalIndex, _pd.DatetimeIndex,
    _pd.TimedeltaIndex, _pd.IntervalIndex, _pd.IndexSlice, _pd.Categorical, _pd.interval_range)
(ArrowDtype, BooleanDtype, CategoricalDtype, DatetimeTZDtype, Float32Dtype, Float64Dtype, Int8Dtype,
 Int16Dtype, Int32Dtype, Int64Dtype, StringDtype, UInt8Dtype, UInt16Dtype, UInt32Dtype, UInt64Dtype,
 IntervalDtype) = (
    _pd.ArrowDtype, _pd.BooleanDtype, _pd.CategoricalDtype, _pd.DatetimeTZDtype, _pd.Float32Dtype,
    _pd.Float64Dtype, _pd.Int8Dtype, _pd.Int16Dtype, _pd.Int32Dtype, _pd.Int64Dtype, _pd.StringDtype,
    _pd.UInt8Dtype, _pd.UInt16Dtype, _pd.UInt32Dtype, _pd.UInt64Dtype, _pd.IntervalDtype)
globals().update(_refused_functions())
# Periods (issue 14): pandas' scalar, dtype and index types; our period[freq] columns hold ordinals
(Period, PeriodDtype, PeriodIndex, period_range) = (_pd.Period, _pd.PeriodDtype, _pd.PeriodIndex, _pd.period_range)
_TOPLEVEL_PERIODS = ["Period", "PeriodDtype", "PeriodIndex", "period_range"]
_TOPLEVEL_14 = [
    "cut", "factorize", "from_dummies", "get_dummies", "isna", "isnull", "json_normalize", "lreshape",
    "merge_ordered", "notna", "notnull", "qcut", "read_feather", "read_fwf", "read_json", "read_orc",
    "read_pickle", "read_table", "show_versions", "to_numeric", "to_pickle", "unique", "wide_to_long",
    "describe_option", "get_option", "option_context", "options", "reset_option", "set_option", "array",
    "api", "arrays", "offsets", "tseries", "testing", "set_eng_float_format", "Timestamp", "Timedelta", "NA",
    "NaT", "DateOffset", "Interval", "Flags", "NamedAgg", "NamedFunc", "plotting", "Grouper", "Index", "MultiIndex", "RangeIndex",
    "CategoricalIndex", "DatetimeIndex", "TimedeltaIndex", "IntervalIndex", "IndexSlice", "Categorical",
    "interval_range", "ArrowDtype", "BooleanDtype", "CategoricalDtype", "DatetimeTZDtype", "Float32Dtype",
    "Float64Dtype", "Int8Dtype", "Int16Dtype", "Int32Dtype", "Int64Dtype", "StringDtype", "UInt8Dtype",
    "UInt16Dtype", "UInt32Dtype", "UInt64Dtype", "IntervalDtype", "ExcelFile", "ExcelWriter", "HDFStore",
    "read_clipboard", "read_excel", "read_hdf", "read_html", "read_iceberg", "read_sas", "read_spss", "read_sql",
    "read_sql_query", "read_sql_table", "read_stata", "read_xml",
]
# -- end of the issue-14 top-level block ----------------------------------------------------------

JaxFrame = DataFrame
JaxSeries = Series

__all__ = [
    "DataFrame",
    "LazyFrame",
    "col",
    "lit",
    "scan_parquet",
    "set_memory_budget",
    "when",
    "ImmutableFrameError",
    "concat",
    "JaxFrame",
    "JaxSeries",
    "RowSharding",
    "Series",
    "crosstab",
    "from_arrow",
    "from_pandas",
    "merge",
    "melt",
    "pivot",
    "pivot_table",
    "native_kernels_available",
    "read_csv",
    "read_parquet",
    "row_sharded",
    "to_datetime",
    # time series
    "bdate_range",
    "date_range",
    "infer_freq",
    "merge_asof",
    "timedelta_range",
    "to_timedelta",
    "eval",
] + _TOPLEVEL_14 + _TOPLEVEL_PERIODS + sorted(_refused_functions())
__version__ = "0.1.0"
