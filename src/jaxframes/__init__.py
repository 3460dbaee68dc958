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
]
__version__ = "0.1.0"
