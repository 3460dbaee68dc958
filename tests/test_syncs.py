"""Host syncs per operation, held to the budgets the README states (eager mode):
filter + elementwise 0, sort_values 0, group-by + agg at most 1, merge at most 2.

``count_syncs`` counts ``sync.device_get`` and implicit reads (bool/int/tolist of a device
array). Each result is then checked against pandas, outside the counted block."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.sync import count_syncs
from jaxframes.testing import assert_frame_equal


@pytest.fixture(scope="module")
def data() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(7)
    n = 1000
    left = pd.DataFrame({"k": rng.integers(0, 60, n), "f": rng.integers(0, 30, n) / 4,
                         "s": rng.choice(["x", "y", "z"], n), "a": rng.normal(size=n),
                         "b": rng.integers(-5, 5, n)})
    right = pd.DataFrame({"k": rng.integers(0, 80, 300), "c": rng.normal(size=300)})
    return left, right


def _counted(op, *frames):
    op(*frames)  # warm-up: compilation may read shapes, never values, but keep it out of the count
    with count_syncs() as count:
        result = op(*frames)
    return result, count.syncs


def test_filter_then_elementwise_needs_no_sync(data):
    pdf = data[0]

    def op(df):
        kept = df[df["a"] > 0]
        return kept.assign(c=kept["a"] * 2 + kept["b"], d=kept["a"].abs() - 1)
    result, syncs = _counted(op, jf.from_pandas(pdf))
    assert syncs == 0
    assert_frame_equal(result, op(pdf))


@pytest.mark.parametrize("by", ["a", ["s", "f"], "k"])
def test_sort_values_needs_no_sync(data, by):
    pdf = data[0]
    frame = jf.from_pandas(pdf)
    result, syncs = _counted(lambda df: df.sort_values(by), frame)
    assert syncs == 0
    assert_frame_equal(result, pdf.sort_values(by, kind="stable"))
    filtered, syncs = _counted(lambda df: df[df["b"] > 0].sort_values(by), frame)
    assert syncs == 0  # the result keeps the input's capacity and row mask: no compaction
    assert_frame_equal(filtered, pdf[pdf["b"] > 0].sort_values(by, kind="stable"))


@pytest.mark.parametrize("key", ["k", "s", "f", ["k", "s"]])
def test_groupby_agg_syncs_at_most_once(data, key):
    pdf = data[0]

    def op(df):
        return df.groupby(key).agg({"a": "sum", "b": "mean"})
    result, syncs = _counted(op, jf.from_pandas(pdf))
    assert syncs <= 1
    assert_frame_equal(result, op(pdf))


@pytest.mark.parametrize("how", ["inner", "left", "right", "outer"])
def test_merge_syncs_at_most_twice(data, how):
    left, right = data

    def op(lhs, rhs):
        return lhs.merge(rhs, on="k", how=how)
    result, syncs = _counted(op, jf.from_pandas(left), jf.from_pandas(right))
    assert syncs <= 2
    assert_frame_equal(result, op(left, right))
