"""One answer on every path: each operation eagerly, through ``lazy().collect()`` and inside
``jax.jit`` gives pandas' values and dtypes, or pandas' exception type
(``jaxframes.testing.assert_one_answer``).

Most inputs carry DEAD rows (``frame_with_dead_rows``): rows our storage still holds behind the
row mask, chosen so that a rule looking at them instead of the live rows would change the
answer (a zero divisor, a negative exponent, a NaN, a null). pandas never sees them.

Where jit follows the documented static-dtype rule (README, "Static dtypes inside jit"), the
case says so with ``jit_dtypes``. A path left out says why in a comment. Cases waiting for
another engineer's branch are ``xfail(strict=True)`` naming it, so they flip when it lands.
"""

import numpy as np
import pandas as pd
import pytest

from jaxframes.testing import assert_one_answer, frame_with_dead_rows



def dead(data: dict, live: list, **dtypes) -> object:
    frame = pd.DataFrame(data)
    return frame_with_dead_rows(frame.astype(dtypes) if dtypes else frame, live)


# -- arithmetic -------------------------------------------------------------------------------------
NUMBERS = dead({"a": [7, 8, 9, 3, 5], "b": [2, 0, 3, -1, 4], "x": [0.5, np.nan, 2.0, 1.0, -3.0]},
               [True, False, True, False, True])


@pytest.mark.parametrize("op", ["add", "sub", "mul", "truediv"])
def test_arithmetic_operators(op):
    assert_one_answer(lambda f: f.assign(c=getattr(f["a"], f"__{op}__")(f["b"]),
                                         y=getattr(f["x"], f"__{op}__")(f["a"])), NUMBERS)


@pytest.mark.parametrize("op", ["floordiv", "mod"])
def test_integer_division_by_a_live_zero_is_float64(op):
    data = dead({"a": [7, 8, 9, 3], "b": [2, 0, 3, 0]}, [True, True, True, False])
    assert_one_answer(lambda f: f.assign(c=getattr(f["a"], f"__{op}__")(f["b"])), data)


@pytest.mark.parametrize("op", ["floordiv", "mod"])
@pytest.mark.parametrize("path", ["eager", "lazy", "jit"])
def test_integer_division_by_a_dead_zero_stays_int(op, path):
    # pandas: no live zero divisor, int64. jit cannot see the divisor: float64, documented.
    assert_one_answer(lambda f: f.assign(c=getattr(f["a"], f"__{op}__")(f["b"])), NUMBERS, paths=(path,),
                      jit_dtypes={"c": "float64"})


def test_negative_integer_power_raises():
    # jit is left out: a traced exponent cannot be checked (ops/arithmetic.py documents it).
    data = dead({"a": [7, 8, 9, 3], "b": [0, 2, 3, -1]}, [True, True, True, True])
    assert_one_answer(lambda f: f.assign(c=f["a"] ** f["b"]), data, paths=("eager", "lazy"),
                      raises=ValueError, match="negative integer powers")


@pytest.mark.parametrize("path", ["eager", "lazy", "jit"])
def test_negative_power_in_a_dead_row_does_not_raise(path):
    assert_one_answer(lambda f: f.assign(c=f["a"] ** f["b"]), NUMBERS, paths=(path,))


def test_integer_overflow_wraps_as_numpy():
    big = np.iinfo(np.int64).max
    data = dead({"a": [big, 1, big - 1], "s": [2**30, 5, 2**30]}, [True, True, False], s="int32")
    assert_one_answer(lambda f: f.assign(c=f["a"] + 1, d=f["s"] * 4), data)


# -- comparisons, filters, missing values ------------------------------------------------------------
def test_comparisons_with_nulls():
    data = dead({"x": [0.5, np.nan, 2.0, 1.0], "m": pd.array([1, None, 3, 2], dtype="Int64")},
                [True, True, False, True])
    assert_one_answer(lambda f: f.assign(gt=f["x"] > 1, ne=f["x"] != 1, mgt=f["m"] > 1, meq=f["m"] == 2), data)


def test_filter():
    assert_one_answer(lambda f: f[(f["x"] > 0) & (f["a"] < 9)], NUMBERS)


def test_fillna():
    data = dead({"x": [0.5, np.nan, 2.0, np.nan], "m": pd.array([1, None, 3, None], dtype="Int64")},
                [True, True, True, False])
    assert_one_answer(lambda f: f.assign(x=f["x"].fillna(0.0), m=f["m"].fillna(7)), data)


def test_shift():
    # shift introduces a NaN: int64 becomes float64 (pandas' rule, and jit's static one).
    # lazy is left out: LazyFrame has no shift.
    assert_one_answer(lambda f: f.shift(1), NUMBERS, paths=("eager", "jit"))


def test_shift_assigned_to_a_frame_with_dead_rows():
    assert_one_answer(lambda f: f.assign(c=f["a"].shift(1)), NUMBERS, paths=("eager", "jit"))


# -- casts ---------------------------------------------------------------------------------------------
def test_cast_of_a_live_nan_to_int_raises():
    # jit is left out: the NaN cannot be seen under jit (column.astype documents the static rule).
    data = dead({"x": [0.5, np.nan, 2.0]}, [True, True, True])
    assert_one_answer(lambda f: f.assign(c=f["x"].astype("int64")), data, paths=("eager", "lazy"),
                      raises=ValueError)


@pytest.mark.parametrize("path", ["eager", "lazy", "jit"])
def test_cast_with_a_dead_nan_to_int(path):
    data = dead({"x": [0.5, np.nan, 2.0]}, [True, False, True])
    assert_one_answer(lambda f: f.assign(c=f["x"].astype("int64")), data, paths=(path,))


# -- sorting, group-by, joins ---------------------------------------------------------------------------
def test_sort_values():
    data = dead({"a": [3, 1, 2, 0], "x": [np.nan, 1.0, 0.5, -1.0]}, [True, True, True, False])
    assert_one_answer(lambda f: f.sort_values("x"), data)


def test_groupby_agg():
    # A dead row of key 9 would add a group; dead values would change sums and counts.
    data = dead({"k": [1, 2, 1, 9, 2], "v": [1, 2, 3, 100, 4], "x": [0.5, np.nan, 1.5, 9.0, 2.0]},
                [True, True, True, False, True])
    assert_one_answer(lambda f: f.groupby("k").agg({"v": "sum", "x": "mean"}), data)


def test_merge():
    left = dead({"k": [1, 2, 3, 4], "v": [10, 20, 30, 40]}, [True, False, True, True])
    right = dead({"k": [1, 2, 3, 5], "z": [1.5, 2.5, 3.5, 5.5]}, [True, True, False, True])
    # jit is left out: a merge under jit needs capacity=, which pandas' merge does not take.
    assert_one_answer(lambda a, b: a.merge(b, on="k", how="left"), (left, right), paths=("eager", "lazy"))
