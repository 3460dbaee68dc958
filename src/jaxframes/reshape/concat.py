"""Concatenating Columns end to end (melt's value column, groupby.apply's pieces).

The pieces are cast to one dtype first, the way pandas' ``concat`` finds a common dtype
(``find_common_type``); dtypes pandas can only hold as ``object`` are refused. String pieces
get one merged dictionary, their codes remapped on device.
"""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pandas as pd

from jaxframes import column as colmod
from jaxframes import dtypes as jdt
from jaxframes.column import Column
from jaxframes.dictionary import unify


def common_dtype(dtypes: list[jdt.DType]) -> jdt.DType:
    """The dtype pandas gives when it concatenates columns of these dtypes."""
    if len(set(dtypes)) == 1:
        return dtypes[0]
    kinds = {d.kind for d in dtypes}
    if kinds == {"U"}:
        return jdt.STR if all(d == jdt.STR for d in dtypes) else jdt.STRING
    found = pd.api.types.pandas_dtype(_find_common([jdt.to_pandas(d) for d in dtypes]))
    if found == object:
        raise NotImplementedError(f"concatenating columns of dtypes {dtypes}: pandas gives an object column")
    return jdt.from_pandas(found)


def _find_common(pandas_dtypes: list) -> object:
    from pandas.core.dtypes.cast import find_common_type
    return find_common_type(pandas_dtypes)


def concat_columns(columns: list[Column]) -> Column:
    """One Column holding the pieces one after another (all rows of each piece are kept)."""
    if not columns:
        raise ValueError("No objects to concatenate")
    target = common_dtype([c.dtype for c in columns])
    pieces = [colmod.astype(c, target) if c.dtype != target else c for c in columns]
    dictionary = None
    if target.kind == "U":
        pieces, dictionary = _unify_dictionaries(pieces)
    data = jnp.concatenate([p.data for p in pieces])
    if all(p.validity is None for p in pieces):
        validity = None
    else:
        validity = jnp.concatenate([p.not_null() if p.validity is None else p.validity for p in pieces])
    if not target.has_validity and validity is not None:
        raise NotImplementedError(f"concatenating {target} columns with nulls")
    return Column(data, validity, target, dictionary)


def _unify_dictionaries(pieces: list[Column]):
    merged = pieces[0].dictionary
    for p in pieces[1:]:
        merged, _, _ = unify(merged, p.dictionary)
    out = []
    for p in pieces:
        _, remap, _ = unify(p.dictionary, merged)
        table = jnp.asarray(remap if len(remap) else np.zeros(1, np.int32), dtype=jnp.int32)
        out.append(p.replace(data=table[p.data], dictionary=merged))
    return out, merged
