"""DataFrame cumulative operations, diff and shift (axis=0) against pandas, including
filtered frames (previous LIVE row, labels kept) and jit."""

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import NULLS, SIZES, make_frame
from jaxframes.testing import assert_matches_pandas, assert_same_result

CUM = ["cumsum", "cumprod", "cummin", "cummax"]
NUMERIC = ("int32", "int64", "float64", "Int64", "Int32", "boolean", "Float64")


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("nulls", NULLS)
@pytest.mark.parametrize("op", CUM + ["diff", "shift"])
def test_grid(op, nulls, n):
    pdf = make_frame(NUMERIC + ("datetime64[ns]",) if op in ("cummin", "cummax", "diff", "shift") else NUMERIC,
                     n=n, nulls=nulls)
    assert_matches_pandas(lambda df: getattr(df, op)(), pdf)
    if op in CUM:
        assert_matches_pandas(lambda df: getattr(df, op)(skipna=False), pdf)


@pytest.mark.parametrize("periods", [-2, 0, 1, 3])
def test_shift_diff_periods_and_fill(periods):
    pdf = make_frame(("int64", "float64", "Int64"), n=9, nulls="some")
    assert_matches_pandas(lambda df: df.shift(periods), pdf)
    assert_matches_pandas(lambda df: df.shift(periods, fill_value=0), pdf)
    assert_matches_pandas(lambda df: df.diff(periods), pdf)


def test_type_errors_like_pandas():
    assert_matches_pandas(lambda df: df.cumprod(), make_frame(("str",), n=5), raises=TypeError)
    assert_matches_pandas(lambda df: df.cumsum(), make_frame(("datetime64[ns]",), n=5), raises=TypeError)
    assert_matches_pandas(lambda df: df.diff(), make_frame(("str",), n=5), raises=TypeError)


@pytest.mark.parametrize("op", CUM + ["diff", "shift"])
def test_filtered(op):
    pdf = make_frame(NUMERIC, n=40, nulls="some", seed=6)
    keep = np.random.default_rng(1).random(40) < 0.5
    assert_same_result(getattr(jf.from_pandas(pdf)[keep], op)(), getattr(pdf[keep], op)())


@pytest.mark.parametrize("op", CUM + ["diff", "shift"])
def test_under_jit(op):
    pdf = make_frame(("int64", "float64", "Int64"), n=20, nulls="some")
    keep = np.arange(20) % 3 != 2
    got = jax.jit(lambda df: getattr(df[jnp.asarray(keep)], op)())(jf.from_pandas(pdf))
    assert_same_result(got, getattr(pdf[keep], op)())


@pytest.mark.parametrize("n", [10, 1000])
def test_assign_row_op_back_onto_filtered_frame(n):
    """Fuzz regression: g.assign(z=g['s'].shift(1)) put the values on the wrong rows (the shift
    compacted its result, and assign laid the compacted column onto the uncompacted frame)."""
    pdf = pd.DataFrame({"s": np.arange(float(n)), "i": np.arange(n) * 3})
    ops = {"shift": lambda x: x.shift(1), "shift_back": lambda x: x.shift(-2), "diff": lambda x: x.diff(3),
           "cumsum": lambda x: x.cumsum(), "ffill": lambda x: x.ffill()}
    for name, op in ops.items():
        def pipeline(d):
            g = d[(d["s"] != 2) & (d["s"] % 7 != 5)]
            return g.assign(z=op(g["s"]), w=op(g["i"]))
        assert_matches_pandas(pipeline, pdf)
        keep = jnp.asarray((pdf["s"] != 2) & (pdf["s"] % 7 != 5))
        got = jax.jit(lambda d: d[keep].assign(z=op(d[keep]["s"])))(jf.from_pandas(pdf))
        expected = pdf[np.asarray(keep)].assign(z=op(pdf[np.asarray(keep)]["s"]))
        assert_same_result(got, expected)


@pytest.mark.parametrize("periods", [-2, 1, 3])
def test_frame_shift_diff_skip_dead_rows_between_live_ones(periods):
    """Dead rows sit between live ones (two filters, so the mask is not a prefix); eager and jit."""
    pdf = make_frame(("int64", "float64", "Int64", "datetime64[ns]"), n=15, nulls="some", seed=5)
    keep = np.arange(15) % 4 != 1
    df = jf.from_pandas(pdf)
    for op in ("shift", "diff"):
        expected = getattr(pdf[keep], op)(periods)
        assert_same_result(getattr(df[keep], op)(periods), expected)
        got = jax.jit(lambda d: getattr(d[jnp.asarray(keep)], op)(periods))(df)
        assert_same_result(got, expected)
    # the shifted frame lines up with the frame it came from, row by row
    combined = pdf[keep]["c1"] - pdf[keep].shift(periods)["c1"]
    assert_same_result(df[keep]["c1"] - df[keep].shift(periods)["c1"], combined)


def test_shift_of_empty_filtered_frame_keeps_dtypes():
    pdf = make_frame(("int64", "bool", "float64"), n=6)
    assert_matches_pandas(lambda d: d[d["c2"] > 100].shift(1), pdf)
    assert_matches_pandas(lambda d: d[d["c2"] > 100][["c0", "c2"]].shift(2, fill_value=0), pdf)
