"""Partial aggregates (groupby/partials.py): parts reduced to partials, partials merged, equal to
pandas on the whole frame (the combine step of the distributed and the streaming group-by)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.groupby.aggregations import AGGREGATIONS
from jaxframes.groupby.partials import PARTIALS, decomposable, merge_column, partial_columns
from jaxframes.table import new_frame
from jaxframes.index import RangeIndex


def _frame() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 90
    return pd.DataFrame({
        "k": rng.integers(0, 6, n),
        "v": np.where(rng.random(n) < 0.15, np.nan, rng.normal(loc=1e3, size=n)),
        "m": pd.array(np.where(rng.random(n) < 0.3, None, rng.integers(-5, 9, n)), dtype="Int64"),
        "b": rng.random(n) < 0.5,
    })


def _partials(part: pd.DataFrame, column: str, how: str, kwargs: dict) -> pd.DataFrame:
    """One part's partial rows (keys + partial kinds) as pandas."""
    gb = jf.DataFrame(part).groupby("k")
    col = None if how == "size" else gb._frame._columns[column]
    cols = {"k": gb._key_columns()[0], **partial_columns(col, gb.grouping, how, kwargs)}
    slots = cols["k"].data.shape[0]
    return new_frame(cols, RangeIndex(slots), gb.grouping.result_mask()).to_pandas()


@pytest.mark.parametrize("how,column,kwargs", [
    ("sum", "v", {}), ("sum", "m", {}), ("sum", "b", {}), ("mean", "v", {}), ("mean", "m", {}),
    ("var", "v", {}), ("std", "m", {}), ("var", "v", {"ddof": 0}), ("min", "m", {}), ("max", "v", {}),
    ("first", "v", {}), ("last", "m", {}), ("count", "v", {}), ("size", None, {}), ("any", "b", {}),
    ("prod", "m", {}),
])
def test_parts_merge_to_the_whole_answer(how, column, kwargs):
    pdf = _frame()
    cuts = [0, 7, 50, 51, 90]  # uneven parts, one of a single row
    partials = pd.concat([_partials(pdf.iloc[a:b], column, how, kwargs) for a, b in zip(cuts, cuts[1:])],
                         ignore_index=True)
    merged = jf.DataFrame(partials).groupby("k")
    whole = jf.DataFrame(pdf).groupby("k")
    template = whole._plain_aggregate(column, how, **kwargs)
    parts = {kind: merged._frame._columns[kind] for kind in PARTIALS[how]}
    out = merge_column(parts, merged.grouping, how, kwargs, template)
    got = new_frame({"x": out}, RangeIndex(out.data.shape[0]), merged.grouping.result_mask()).to_pandas()["x"]
    grouped = pdf.groupby("k")
    expected = grouped.size() if how == "size" else getattr(grouped[column], how)(**kwargs)
    pd.testing.assert_series_equal(got.reset_index(drop=True), expected.reset_index(drop=True),
                                   check_names=False, rtol=1e-9)


def test_not_decomposable_cases_say_so():
    col = jf.DataFrame(_frame())._columns["v"]
    assert not decomposable("median", {}, col)
    assert not decomposable("nunique", {"dropna": True}, col)
    assert not decomposable("sum", {"min_count": 1}, col)
    assert decomposable("sum", {"min_count": 0}, col) and decomposable("var", {"ddof": 2}, col)
    dates = jf.DataFrame({"t": pd.to_datetime(["2024-01-01"])})._columns["t"]
    assert not decomposable("mean", {}, dates) and decomposable("min", {}, dates)
    assert set(PARTIALS) <= set(AGGREGATIONS) | {"size"}
