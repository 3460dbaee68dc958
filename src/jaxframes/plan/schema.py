"""Schemas by running the plan on empty inputs: the same eager code decides the dtypes.

Schema inference has no dtype rules of its own (they would drift from the eager engine): a
node's schema is the dtypes of ``node.evaluate`` applied to its children's EMPTY frames, and a
source's empty frame is zero rows of the source with the same dtypes and dictionaries.
"""

from __future__ import annotations

from typing import Any, Hashable

import jax.numpy as jnp

from jaxframes.plan.nodes import DataFrameScan, Node, ParquetScan
from jaxframes.frame import DataFrame
from jaxframes.index import RangeIndex
from jaxframes.io.arrow import dates_as_timestamps, table_to_frame
from jaxframes.io.parquet import _dataset


def _empty_of(frame: Any) -> Any:
    none = jnp.zeros(0, dtype=jnp.int64)
    return DataFrame._from_parts({k: c.take(none) for k, c in frame._columns.items()}, RangeIndex(0))


def _empty_parquet(node: ParquetScan) -> Any:
    import pyarrow.dataset as ds

    dataset: ds.Dataset = _dataset(node.path)
    frame = table_to_frame(dates_as_timestamps(dataset.schema.empty_table(), node.date_as_object))
    return frame if node.columns is None else frame._select(list(node.columns))


def empty_frame(node: Node) -> Any:
    """Zero rows of the node's output (cached on the node: nodes are immutable)."""
    cached = node.__dict__.get("_empty")
    if cached is not None:
        return cached
    if getattr(node, "opaque_schema", False):
        raise NotImplementedError(f"the columns of a lazy {node.describe()} are known only after collect(): "
                                  "make it the last step of the plan, or collect() first")
    if isinstance(node, DataFrameScan):
        frame = _empty_of(node.frame)
        frame = frame if node.columns is None else frame._select(list(node.columns))
    elif isinstance(node, ParquetScan):
        frame = _empty_parquet(node)
    else:
        frame = node.evaluate(*[empty_frame(c) for c in node.children])
    object.__setattr__(node, "_empty", frame)
    return frame


def schema(node: Node) -> dict[Hashable, Any]:
    """Column name -> pandas dtype of the node's output, in order."""
    frame = empty_frame(node)
    return {name: frame._series(name).dtype for name in frame._columns}


def names(node: Node) -> list[Hashable]:
    return list(empty_frame(node)._columns)


def expr_dtype(expr: Any, node: Node) -> Any:
    """The pandas dtype of an expression evaluated on the node's output (None for a scalar)."""
    value = expr.evaluate(empty_frame(node))
    return getattr(value, "dtype", None) if hasattr(value, "_column") else None


def is_boolean(expr: Any, node: Node) -> bool:
    value = expr.evaluate(empty_frame(node))
    return hasattr(value, "_column") and value._column.dtype.kind == "b"
