"""astype over every dtype pair of the test grid: pandas' result, or pandas' exception type."""

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import DTYPES, NULLS, make_frame
from jaxframes.sync import count_syncs
from jaxframes.testing import assert_frame_equal, assert_matches_pandas

TARGETS = DTYPES + ("float", "int")


_INT_TARGETS = ("int", "int32", "int64")


def _astype_refusal(source, target, column):
    """The exception pandas raises for ``column.astype(target)`` (None: values)."""
    has_null, all_null = bool(column.isna().any()), bool(column.isna().all())
    if source == "datetime64[ns]":
        return None if target in ("int64", "int", "str", "datetime64[ns]", "bool") else TypeError
    if source == "str":
        if all_null:
            return ValueError if target in _INT_TARGETS else None
        if target == "boolean":
            return TypeError
        return None if target in ("str", "bool") else ValueError  # unparsable strings
    if source in ("float32", "float64"):
        if target in ("Int32", "Int64", "boolean"):
            return None if all_null else TypeError  # non-integer / non-bool-like values
        return ValueError if target in _INT_TARGETS and has_null else None  # NaN to int
    if source in ("Float64", "Int32", "Int64", "boolean") and target in _INT_TARGETS + ("bool",):
        return ValueError if has_null else None  # NA to a numpy int/bool
    if source in ("int32", "int64") and target == "boolean":
        return TypeError
    return None




@pytest.mark.parametrize("nulls", NULLS)
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("source", DTYPES)
def test_astype_pairs(source, target, nulls):
    pdf = make_frame([source], n=7, nulls=nulls)
    raises = _astype_refusal(source, target, pdf["c0"])
    assert_matches_pandas(lambda d: d.astype(target), pdf, raises=raises)
    assert_matches_pandas(lambda d: d["c0"].astype(target), pdf, raises=raises)


@pytest.mark.parametrize("n", [0, 1000])
def test_astype_sizes_and_filtered(n):
    pdf = make_frame(["int64", "float64", "Int64", "boolean"], n=n, nulls="some")
    assert_matches_pandas(lambda d: d.astype("float64"), pdf)
    assert_matches_pandas(lambda d: d[np.arange(n) % 3 == 0].astype("Float64"), pdf)


def test_astype_dict_and_errors():
    pdf = make_frame(["int64", "float64", "str"], n=7, nulls="some")
    assert_matches_pandas(lambda d: d.astype({"c0": "float32"}), pdf)
    assert_matches_pandas(lambda d: d.astype({"zz": "int64"}), pdf, raises=KeyError)
    assert_matches_pandas(lambda d: d.astype("int64", errors="ignore"), pdf)
    assert_matches_pandas(lambda d: d.astype("int64", errors="bad"), pdf, raises=ValueError)
    assert_matches_pandas(lambda d: d.astype("not a dtype"), pdf, raises=TypeError)


# -- value checks and host casts see only LIVE rows -----------------------------------------------
# Each case: a column, the target, and a filter whose dead rows hold the value pandas would reject
# (or that would change a host cast's categories/format), while the live rows are fine.
DEAD_ROW_CASES = {
    "nan_inf_to_int64": (pd.Series([1.0, np.nan, 2.0, np.inf, -5.0, 3.0]), "int64"),
    "nan_to_int32": (pd.Series([1.0, np.nan, 2.0, np.nan, 4.0, 3.0]), "int32"),
    "inf_to_Int64": (pd.Series([1.0, np.nan, 2.0, np.inf, np.nan, 3.0]), "Int64"),
    "fraction_to_Int64": (pd.Series([1.0, 1.5, 2.0, 2.5, np.nan, 3.0]), "Int64"),
    "float_2_to_boolean": (pd.Series([1.0, 2.0, 0.0, 0.5, np.nan, 1.0]), "boolean"),
    "int_2_to_boolean": (pd.Series([1, 2, 0, 3, 0, 1]), "boolean"),
    "Int64_NA_to_int64": (pd.Series([1, None, 2, None, 5, 3], dtype="Int64"), "int64"),
    "boolean_NA_to_bool": (pd.Series([True, None, False, None, True, True], dtype="boolean"), "bool"),
    "str_to_category": (pd.Series(["b", "zz", "a", "yy", "b", "a"], dtype="str"), "category"),
    "datetime_to_str": (pd.Series(pd.to_datetime(["2024-01-01", "2024-01-01 10:30", "2024-01-02", "2024-01-03 00:00:01",
                                                  "2024-01-04", "2024-01-05"], format="ISO8601").astype("datetime64[ns]")), "str"),
    "int_to_str": (pd.Series([1, 22, 3, 44, 5, 6]), "str"),
}
KEEP = np.array([True, False, True, False, True, True])  # rows 1 and 3 hold the rejected values


def _two_filters(d):
    """Rows 1 and 3 removed by two filters in a row (the row masks AND together)."""
    e = d[d["k"] != 1]
    return e[e["k"] != 3]


@pytest.mark.parametrize("case", sorted(DEAD_ROW_CASES))
def test_dead_rows_are_not_checked(case):
    values, target = DEAD_ROW_CASES[case]
    pdf = pd.DataFrame({"c0": values, "k": np.arange(len(values))})
    assert_matches_pandas(lambda d: d[KEEP].astype({"c0": target}), pdf)
    assert_matches_pandas(lambda d: d[KEEP]["c0"].astype(target), pdf)
    assert_matches_pandas(lambda d: _two_filters(d)["c0"].astype(target), pdf)


def test_dead_row_cases_would_fail_unfiltered():
    """Guards the table above: every case's dead rows really trigger the rule or change the result."""
    for case, (values, target) in DEAD_ROW_CASES.items():
        try:
            full = values.astype(target)
        except (ValueError, TypeError, OverflowError):
            continue
        live = values[KEEP].astype(target)
        if target == "category":
            assert list(full.cat.categories) != list(live.cat.categories), case
        else:
            assert full[KEEP].tolist() != live.tolist() or case == "int_to_str", case


def test_dropna_then_astype_int():
    """Fuzz regression: dropna() then astype('int64') raised because the dropped rows were checked."""
    pdf = pd.DataFrame({"a": [1.0, np.nan, 3.0, np.inf], "b": [1, 2, 3, 4]})
    assert_matches_pandas(lambda d: d.iloc[:3].dropna().astype("int64"), pdf)
    assert_matches_pandas(lambda d: d.iloc[:3].dropna()["a"].astype("int64"), pdf)


def test_live_inf_to_int_raises():
    """Fuzz regression: +-inf to int64 saturated silently; pandas raises IntCastingNaNError."""
    for values in ([1.0, np.inf], [-np.inf, 2.0]):
        pdf = pd.DataFrame({"a": values})
        for target in ("int64", "int32"):
            with pytest.raises(pd.errors.IntCastingNaNError):
                pdf.astype(target)
            with pytest.raises(pd.errors.IntCastingNaNError, match="non-finite"):
                jf.from_pandas(pdf).astype(target)
    with pytest.raises(OverflowError):
        pd.Series([np.inf]).astype("Int64")
    with pytest.raises(OverflowError, match="infinity"):
        jf.from_pandas(pd.Series([np.inf])).astype("Int64")


def test_nat_to_int64_is_int64_min():
    """pandas 3.1.1 gives iNaT (int64 min) for NaT, datetime and timedelta alike; and bool is True."""
    s = pd.Series(pd.to_datetime(["2024-01-01", None]).astype("datetime64[ns]"))
    for values in (s, s - s.iloc[0]):
        for target in ("int64", "bool"):
            assert_matches_pandas(lambda x: x.astype(target), values)


@pytest.mark.parametrize("values, dtype, target, raises", [
    ([1.0, None], "Float64", "int64", ValueError), ([1, None], "Int64", "int64", ValueError),
    ([True, None], "boolean", "bool", ValueError), ([1.5, np.inf, 1e30], "Float64", "int64", None),
    ([np.inf, -1e30], "Float64", "int32", None), ([1e30, 2.5], "float64", "int64", None),
    ([2.0, 1.0], "float64", "boolean", TypeError), ([2, 1], "Int64", "boolean", None),
])
def test_masked_and_out_of_range_like_pandas(values, dtype, target, raises):
    assert_matches_pandas(lambda x: x.astype(target), pd.Series(values, dtype=dtype), raises=raises)


def test_live_checks_cost_one_sync_each():
    pdf = pd.DataFrame({"a": [1.0, np.nan, 3.0, 4.0]})
    df = jf.from_pandas(pdf)
    g = df[df["a"].notna()]
    with count_syncs() as count:
        out = g.astype({"a": "int64"})
    assert count.syncs == 1
    assert_frame_equal(out, pdf.dropna().astype("int64"))


# -- inside jax.jit: no check can raise; the documented static rule -----------------------------
def test_under_jit_dead_rows_match_pandas():
    pdf = pd.DataFrame({"a": [1.0, np.nan, 2.0, np.inf, 3.0], "b": pd.array([1, None, 2, None, 3], dtype="Int64")})
    keep = np.array([True, False, True, False, True])
    got = jax.jit(lambda d: d[jnp.asarray(keep)].astype("int64"))(jf.from_pandas(pdf))
    assert_frame_equal(got, pdf[keep].astype("int64"))
    got = jax.jit(lambda d: d[jnp.asarray(keep)].astype({"a": "Int64", "b": "float64"}))(jf.from_pandas(pdf))
    assert_frame_equal(got, pdf[keep].astype({"a": "Int64", "b": "float64"}))


def test_under_jit_rejected_values_follow_the_documented_rule():
    """What pandas would reject gives numpy's integer-indefinite value (int64 min; int32 min for
    int32), truncation for Int64, ``!= 0`` for boolean, False for a masked null to bool."""
    i64, i32 = np.iinfo(np.int64).min, np.iinfo(np.int32).min
    floats = jf.from_pandas(pd.Series([1.0, np.nan, np.inf, -np.inf, 1e30, 2.5]))
    cast = jax.jit(lambda s, t: s.astype(t), static_argnums=1)
    assert cast(floats, "int64").tolist() == [1, i64, i64, i64, i64, 2]
    assert cast(floats, "int32").tolist() == [1, i32, i32, i32, i32, 2]
    assert cast(jf.from_pandas(pd.Series([1.5, -2.5, np.nan])), "Int64").to_pandas().tolist() == [1, -2, pd.NA]
    assert cast(jf.from_pandas(pd.Series([2.0, 0.0, 0.5])), "boolean").tolist() == [True, False, True]
    assert cast(jf.from_pandas(pd.Series([1, None], dtype="Int64")), "int64").tolist() == [1, i64]
    assert cast(jf.from_pandas(pd.Series([True, None], dtype="boolean")), "bool").tolist() == [True, False]
    with pytest.raises(NotImplementedError, match="strings inside jax.jit"):
        cast(jf.from_pandas(pd.Series([1, 2])), "str")
