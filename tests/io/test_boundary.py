"""No silent corruption at the boundary: every dtype, with its extreme values, survives
pandas -> JaxFrames -> pandas and Arrow -> JaxFrames -> Arrow unchanged (pandas/pyarrow are the
oracle); values no column can hold raise, naming the column; units and unsigned ints keep
their meaning in arithmetic, comparisons, sorting, group-by and merge."""

from __future__ import annotations

import jax
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given

import jaxframes as jf
from jaxframes.testing import assert_frame_equal, assert_matches_pandas
from strategies import boundary_frames

FAR = pd.Series(np.array(["1500-01-01", "2500-06-01T12:00:01", "NaT"], "datetime64[s]"), name="d")
BIG = pd.Series(np.array([2**63 + 5, 2**64 - 1, 0, 2**63 - 1], np.uint64), name="u")


@given(boundary_frames())
def test_pandas_round_trip_keeps_every_value(pdf: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(jf.from_pandas(pdf).to_pandas(), pdf)


@given(boundary_frames())
def test_arrow_round_trip_keeps_every_value(pdf: pd.DataFrame) -> None:
    table = pa.Table.from_pandas(pdf)
    df = jf.from_arrow(table)
    pd.testing.assert_frame_equal(df.to_pandas(), table.to_pandas())
    assert df.to_arrow().equals(table)


def test_the_two_reported_corruptions() -> None:
    """datetime64[s] 1500-01-01 came back as 2084-07-20; uint64 2**63 + 5 as a negative int64."""
    pdf = pd.DataFrame({"d": FAR, "u": BIG.iloc[:3]})
    out = jf.from_pandas(pdf).to_pandas()
    assert out["d"].iloc[0] == pd.Timestamp("1500-01-01") and str(out["d"].dtype) == "datetime64[s]"
    assert out["u"].iloc[0] == 2**63 + 5 and str(out["u"].dtype) == "uint64"


def test_unholdable_values_raise_naming_the_column() -> None:
    with pytest.raises(TypeError, match="'huge'"):  # pandas keeps ints beyond uint64 as object
        jf.from_pandas(pd.DataFrame({"huge": [2**64, 1]}))
    with pytest.raises(TypeError, match="'m'"):
        jf.from_pandas(pd.DataFrame({"m": pd.array([1, None], dtype="UInt8")}))
    with pytest.raises(TypeError, match="column 'c'"):  # struct columns are not built
        jf.from_arrow(pa.table({"c": pa.array([{"x": 1}, {"x": 2}])}))
    with pytest.raises(TypeError, match="'h'"):  # pandas keeps float16; no silent float32
        jf.from_arrow(pa.table({"h": pa.array(np.ones(2, np.float16))}))


def test_64_bit_values_raise_when_jax_runs_32_bit() -> None:
    """With 64-bit JAX off, an int64 beyond int32 would wrap around on device: it raises."""
    with jax.enable_x64(False):
        with pytest.raises(OverflowError, match="'big'"):
            jf.from_pandas(pd.DataFrame({"big": [2**40, 1]}))
        with pytest.raises(OverflowError, match="'t'"):
            jf.from_arrow(pa.table({"t": pa.array([2**40], pa.int64())}))


def test_arithmetic_takes_pandas_result_unit() -> None:
    ns = pd.Series(np.array(["2000-01-01", "2000-01-01T00:00:00.5", "NaT"], "datetime64[ns]"), name="d")
    ms = pd.Series(np.array([1, -1500, 3], "timedelta64[ms]"), name="t")
    assert_matches_pandas(lambda s: s - pd.Timestamp("1400-03-01"), FAR)  # [s] - [us]: us
    assert_matches_pandas(lambda s: s + pd.Timedelta(1, "ms"), FAR)
    assert_matches_pandas(lambda s: s + ms.set_axis(s.index), FAR)  # [s] + [ms] -> [ms]
    # [s] 1500-01-01 has no [ns] form: pandas raises OutOfBoundsDatetime, so do we
    for fn in (lambda a, b: a - b, lambda a, b: a.astype("datetime64[ns]")):
        with pytest.raises(pd.errors.OutOfBoundsDatetime):
            fn(FAR, ns)
        with pytest.raises(pd.errors.OutOfBoundsDatetime):
            fn(jf.from_pandas(FAR), jf.from_pandas(ns))
    huge = pd.Series(np.array([2**62], "timedelta64[ns]"))
    with pytest.raises(OverflowError, match="Overflow in int64 addition"):
        huge + huge
    with pytest.raises(OverflowError, match="Overflow in int64 addition"):
        jf.from_pandas(huge) + jf.from_pandas(huge)


def test_comparisons_across_units_and_signs_are_exact() -> None:
    ns = pd.Series(np.array(["2000-01-01", "2500-06-01T12:00:00.999999999", "2001-01-01"], "datetime64[ns]"),
                   name="d")
    signed = pd.Series([2**62, -1, 0, 2**63 - 2], name="i")
    near = pd.Series(np.array([2**62 + 1, 2**64 - 1, 0, 2**63 - 1], np.uint64), name="u")
    for op in ("lt", "le", "eq", "ne", "gt", "ge"):
        cmp = lambda a, b, op=op: getattr(a, f"__{op}__")(b)  # noqa: E731
        assert_frame_equal(_pair(FAR.iloc[:3], ns, cmp), cmp(FAR.iloc[:3], ns.set_axis(FAR.index[:3])).to_frame())
        assert_frame_equal(_pair(near, signed, cmp), cmp(near, signed).to_frame())
        assert_matches_pandas(lambda s: cmp(s, 2**62), near)


def _pair(a: pd.Series, b: pd.Series, fn) -> jf.DataFrame:
    """``fn`` of two jaxframes Series, as a one-column frame to compare with pandas'."""
    out = fn(jf.from_pandas(a), jf.from_pandas(b.set_axis(a.index)))
    return out.to_frame()


def test_unsigned_and_far_datetime_keys_sort_and_group() -> None:
    pdf = pd.DataFrame({"u": BIG, "d": pd.concat([FAR, FAR.iloc[:1]], ignore_index=True), "v": [1, 2, 3, 4]})
    assert_matches_pandas(lambda d: d.sort_values("u"), pdf)
    assert_matches_pandas(lambda d: d.sort_values(["d", "u"], ascending=False), pdf)
    assert_matches_pandas(lambda d: d.groupby("u").v.sum(), pdf)
    assert_matches_pandas(lambda d: d.groupby("d").v.sum(), pdf)
    assert_matches_pandas(lambda d: d.u.max(), pdf)
    assert_matches_pandas(lambda d: d.d.min(), pdf)
    assert_matches_pandas(lambda d: d.d.mean(), pdf)


def test_merge_on_datetime_keys_of_two_units() -> None:
    left = pd.DataFrame({"a": FAR.iloc[:2], "x": [1, 2]})
    right = pd.DataFrame({"b": FAR.iloc[:2].astype("datetime64[us]"), "y": [3, 4]})
    expected = left.merge(right, left_on="a", right_on="b")
    assert_frame_equal(jf.from_pandas(left).merge(jf.from_pandas(right), left_on="a", right_on="b"), expected)


def test_unsigned_through_reductions_and_scans() -> None:
    """pandas' dtypes: uint sums are uint64, diff is float64 (of the wrapped difference)."""
    small = pd.Series(np.array([255, 3, 0, 255], np.uint8), name="s")
    for fn in (lambda s: s.sum(), lambda s: s.prod(), lambda s: s.min(), lambda s: s.cumsum(),
               lambda s: s.diff(), lambda s: s.describe()):
        assert_matches_pandas(fn, small)
        assert_matches_pandas(fn, BIG)
    with pytest.raises(NotImplementedError, match="uint64"):  # not yet in the numeric kernels
        jf.from_pandas(BIG) // 2
    with pytest.raises(NotImplementedError, match="uint64"):
        jf.from_pandas(pd.DataFrame({"k": [1, 1, 2, 2], "u": BIG})).groupby("k").u.sum()


def test_far_datetimes_through_the_ops() -> None:
    """isin, fillna, astype between units and reductions in the column's own unit."""
    assert_matches_pandas(lambda s: s.isin([pd.Timestamp("1500-01-01"), "2500-06-01 12:00:01.5"]), FAR)
    assert_matches_pandas(lambda s: s.fillna(pd.Timestamp("1400-01-01")), FAR)
    assert_matches_pandas(lambda s: s.astype("datetime64[ms]"), FAR)
    assert_matches_pandas(lambda s: s.astype("datetime64[ms]").astype("datetime64[s]") - s, FAR)
    for fn in (lambda s: s.min(), lambda s: s.max(), lambda s: s.mean(), lambda s: s.median()):
        assert_matches_pandas(fn, FAR)
