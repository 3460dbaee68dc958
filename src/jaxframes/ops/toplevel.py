"""Top-level functions (``jf.isna``, ``jf.cut``, ``jf.get_dummies``, ...) for our frames and Series.

Each takes what pandas' function takes; our frames/Series among the arguments are read as their
live rows, pandas computes the answer and frames/Series in it come back as ours (ops/host.py), so
the values, dtypes, labels and errors are pandas'. Arguments that are not ours (lists, numpy
arrays, scalars) go to pandas unchanged, and results that are not frames (numpy arrays, an
Index, scalars) are returned as pandas gives them.
"""

from __future__ import annotations

from importlib import metadata
from typing import Any, Callable

import jax
import pandas as pd

from jaxframes.io.csv import read_csv
from jaxframes.ops.host import hosted
from jaxframes.table import is_container


def isna(obj: Any) -> Any:
    """Missing-value mask: ours for our frames/Series (on device), pandas' for anything else."""
    return obj.isna() if is_container(obj) else pd.isna(obj)


def notna(obj: Any) -> Any:
    """Present-value mask: ours for our frames/Series (on device), pandas' for anything else."""
    return obj.notna() if is_container(obj) else pd.notna(obj)


def _hosted(fn: Callable[..., Any]) -> Callable[..., Any]:
    return hosted(fn, __name__)


to_numeric = _hosted(pd.to_numeric)
cut = _hosted(pd.cut)
qcut = _hosted(pd.qcut)
get_dummies = _hosted(pd.get_dummies)
from_dummies = _hosted(pd.from_dummies)
factorize = _hosted(pd.factorize)
unique = _hosted(pd.unique)
wide_to_long = _hosted(pd.wide_to_long)
lreshape = _hosted(pd.lreshape)
merge_ordered = _hosted(pd.merge_ordered)
json_normalize = _hosted(pd.json_normalize)

# readers: pandas reads, the frame comes back as ours
read_json = _hosted(pd.read_json)
read_feather = _hosted(pd.read_feather)
read_orc = _hosted(pd.read_orc)
read_pickle = _hosted(pd.read_pickle)
read_fwf = _hosted(pd.read_fwf)
to_pickle = _hosted(pd.to_pickle)


def read_table(path: Any, sep: str = "\t", **kwargs: Any) -> Any:
    """``read_csv`` with tab as the default separator (pandas' read_table)."""
    return read_csv(path, sep=sep, **kwargs)


def show_versions(as_json: Any = False) -> None:
    """jaxframes' and JAX's versions, then pandas' report."""
    print(f"jaxframes : {metadata.version('jaxframes')}\njax       : {jax.__version__}\n"
          f"jaxlib    : {metadata.version('jaxlib')}")
    pd.show_versions(as_json=as_json)
