"""Fuzzer findings (tests/test_fuzz.py) in areas other engineers own: minimal reproductions,
marked xfail(strict=True) so that each turns into a failure (flip it) once its fix lands;
the unmarked ones are findings whose fix has landed."""

import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from jaxframes.testing import assert_matches_pandas, assert_same_result


def test_reduction_without_numeric_columns_index():
    """A reduction over no numeric columns gave a RangeIndex (pandas: an empty Index of the labels); fixed on main."""
    pdf = pd.DataFrame({"k": pd.Series(["a", None], dtype="str")})
    assert_matches_pandas(lambda d: d.sum(numeric_only=True), pdf)


def test_lazy_bool_mod_int32_dtype():
    """bool % int32 was float64 lazily (int32 eagerly and in pandas); fixed on main."""
    pdf = pd.DataFrame({"a": [True], "b": pd.Series([2], dtype="int32")})
    lf = jf.from_pandas(pdf).lazy()
    assert_same_result(lf.assign(x=lf["a"] % lf["b"]).collect(), pdf.assign(x=pdf["a"] % pdf["b"]))


@pytest.mark.xfail(strict=True, reason="one-answer (lazy): expressions have no .cat accessor (AttributeError, "
                                       "where a missing feature should raise NotImplementedError or work)")
def test_lazy_cat_codes():
    pdf = pd.DataFrame({"b": pd.Categorical(["x", None, "y"])})
    lf = jf.from_pandas(pdf).lazy()
    assert_same_result(lf.assign(x=lf["b"].cat.codes).collect(), pdf.assign(x=pdf["b"].cat.codes))


def test_filtered_categorical_astype_bool():
    """astype('bool') refused (object) because of a NaN on a filtered-out row; fixed on main by casts-rows."""
    pdf = pd.DataFrame({"k": pd.Series([None, -0.0, -2.0, np.inf], dtype="float64")}).astype({"k": "category"})
    assert_matches_pandas(lambda d: d[d["k"].notna()].astype({"k": "bool"}), pdf)


def test_filtered_int_mod_dtype():
    """Fixed by elementwise (live rows decide): a zero divisor on a filtered-out row no longer makes int % int float64."""
    pdf = pd.DataFrame({"k": [-2, -3, 2, 0, -3]})
    assert_matches_pandas(lambda d: d[d["k"] == -3].assign(x=lambda f: f["k"] % f["k"]), pdf)


def test_lazy_int_mod_masked_int_dtype():
    """int64 % Int64 with NA was Float64 lazily (Int64 eagerly and in pandas); fixed on main."""
    pdf = pd.DataFrame({"k": [-1, 3, 3], "a": pd.array([None, -3, None], dtype="Int64")})
    lf = jf.from_pandas(pdf).lazy()
    assert_same_result(lf.assign(x=lf["k"] % lf["a"]).collect(), pdf.assign(x=pdf["k"] % pdf["a"]))


def test_bool_truediv_zero():
    """Found lazily (False / 0 gave 0.0, eagerly NotImplementedError); fixed on main by elementwise."""
    pdf = pd.DataFrame({"k": [True, False, False, True]})
    lf = jf.from_pandas(pdf).lazy()
    assert_same_result(lf.assign(x=lf["k"] / 0).collect(), pdf.assign(x=pdf["k"] / 0))
    assert_matches_pandas(lambda d: d.assign(x=d["k"] / 0), pdf)


def test_astype_masked_int_of_infinity_error_type():
    """astype('Int64') of -inf raised TypeError where pandas raises OverflowError; fixed on main."""
    pdf = pd.DataFrame({"a": pd.Series([513.9, -np.inf], dtype="float32")})
    with pytest.raises(OverflowError):
        pdf.astype({"a": "Int64"})
    with pytest.raises(OverflowError):
        jf.from_pandas(pdf).astype({"a": "Int64"})
