"""DataFrame cumulative operations, diff and shift (axis=0) against pandas, including
filtered frames (previous LIVE row, labels kept) and jit."""

import jax
import jax.numpy as jnp
import numpy as np
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
