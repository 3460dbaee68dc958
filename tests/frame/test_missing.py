"""DataFrame isna/notna, fillna (scalar and per-column dict), dropna (axis, how, subset, thresh),
ffill/bfill against pandas."""

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest
from hypothesis import given

import jaxframes as jf
from frames import NULLS, SIZES, make_frame
from jaxframes.errors import ImmutableFrameError
from jaxframes.testing import assert_frame_equal, assert_matches_pandas, assert_same_result
from strategies import frames


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("nulls", NULLS)
def test_isna_dropna_grid(n, nulls):
    pdf = make_frame(n=n, nulls=nulls)
    for fn in (lambda d: d.isna(), lambda d: d.notna(), lambda d: d.dropna(),
               lambda d: d.dropna(how="all"), lambda d: d.dropna(thresh=3),
               lambda d: d.dropna(subset=["c3", "c7"]), lambda d: d.dropna(axis=1),
               lambda d: d.dropna(axis=1, how="all"), lambda d: d.dropna(axis="columns", thresh=2),
               lambda d: d.ffill(), lambda d: d.bfill(), lambda d: d.dropna(ignore_index=True)):
        # check_column_type=False: a frame left without columns reports an object column Index.
        assert_matches_pandas(fn, pdf, check_column_type=False)


@pytest.mark.parametrize("nulls", ["some", "all"])
def test_fillna(nulls):
    pdf = make_frame(["float64", "float32", "Int64", "str", "boolean"], n=9, nulls=nulls)
    assert_matches_pandas(lambda d: d[["c0", "c1"]].fillna(0), pdf)
    assert_matches_pandas(lambda d: d.fillna({"c0": 1.5, "c2": 3, "c3": "x", "c4": True}), pdf)
    assert_matches_pandas(lambda d: d.fillna({"c0": 1.5, "nope": 3}), pdf)
    assert_matches_pandas(lambda d: d.fillna({"c2": 0.5}), pdf, raises=TypeError)  # 0.5 into Int64


def test_errors():
    pdf = make_frame(["float64", "Int64"], n=5, nulls="some")
    assert_matches_pandas(lambda d: d.dropna(subset=["x"]), pdf, raises=KeyError)
    assert_matches_pandas(lambda d: d.dropna(how="any", thresh=1), pdf, raises=TypeError)
    assert_matches_pandas(lambda d: d.dropna(how="foo"), pdf, raises=ValueError)
    df = jf.from_pandas(pdf)
    with pytest.raises(ImmutableFrameError):
        df.dropna(inplace=True)
    with pytest.raises(ImmutableFrameError):
        df.fillna(0, inplace=True)
    with pytest.raises(NotImplementedError, match="limit"):
        df.fillna(0, limit=2)


def test_filtered_frame_and_jit():
    pdf = make_frame(["float64", "Int64", "str"], n=40, nulls="some", seed=3)
    assert_matches_pandas(lambda d: d[d["c0"] > -1].dropna(), pdf)
    assert_matches_pandas(lambda d: d[d["c0"].isna() | (d["c0"] > 0)].fillna({"c0": 0.0}), pdf)
    df = jf.from_pandas(pdf)
    got = jax.jit(lambda d: d.dropna())(df)
    assert_frame_equal(got, pdf.dropna())
    got = jax.jit(lambda d: d[["c0", "c1"]].fillna(1))(df)
    assert_frame_equal(got, pdf[["c0", "c1"]].fillna(1))


@given(frames(dtypes=["float64", "Int64", "str", "boolean"], max_size=20))
def test_property_dropna_fillna(pdf):
    assert_matches_pandas(lambda d: d.dropna(), pdf)
    assert_matches_pandas(lambda d: d.dropna(how="all", subset=["c0", "c1"]), pdf)
    assert_matches_pandas(lambda d: d.isna(), pdf)
    assert_matches_pandas(lambda d: d.fillna({"c0": 0.0, "c1": 1, "c2": "q", "c3": False}), pdf)


def test_fill_directions_never_take_dead_rows():
    """ffill/bfill take the nearest LIVE present value: a dead row's value must not leak in."""
    pdf = pd.DataFrame({"f": [np.nan, 1.0, np.nan, 2.0, np.nan, np.nan, 3.0, np.nan],
                        "m": pd.array([None, 1, None, 2, None, None, 3, None], dtype="Int64"),
                        "k": np.arange(8)})
    keep = np.array([True, False, True, True, True, True, False, True])  # values 1 and 3 are dead, 2 is live
    df = jf.from_pandas(pdf)
    for op in ("ffill", "bfill"):
        assert_matches_pandas(lambda d: getattr(d[keep], op)(), pdf)
        assert_matches_pandas(lambda d: getattr(d[keep]["f"], op)(), pdf)
        got = jax.jit(lambda d: getattr(d[jnp.asarray(keep)], op)())(df)
        assert_frame_equal(got, getattr(pdf[keep], op)())


def test_value_dependent_dtypes_look_at_live_rows_only():
    """where/fillna change a dtype only when a LIVE value is replaced; under jit the replacement
    dtype is always used (module docstring of missing.py)."""
    pdf = pd.DataFrame({"i": np.arange(6), "f": [1.0, np.nan, 2.0, 3.0, np.nan, 4.0]})
    keep = np.array([True, False, True, True, False, True])  # the NaNs and the replaced row 1 are dead
    assert_matches_pandas(lambda d: d[keep].where(d["i"] != 1), pdf)
    assert_matches_pandas(lambda d: d[keep]["i"].where(d[keep]["i"] != 1), pdf)
    assert_matches_pandas(lambda d: d[keep].fillna({"f": 0}), pdf)
    got = jax.jit(lambda d: d[jnp.asarray(keep)]["i"].where(d[jnp.asarray(keep)]["i"] != 1))(jf.from_pandas(pdf))
    assert_same_result(got, pdf[keep]["i"].astype("float64"))
