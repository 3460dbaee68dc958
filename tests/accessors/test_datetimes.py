"""Series.dt and jf.to_datetime against pandas: calendar fields over a wide date range
(pre-1970, leap days, month ends), NaT, empty and filtered Series; rounding; timedeltas."""

from __future__ import annotations

import warnings

import jax
import numpy as np
import pandas as pd
import pytest

import jaxframes as jf
from frames import make_column
from jaxframes.testing import assert_matches_pandas, assert_same_result, assert_series_equal

LO, HI = pd.Timestamp("1700-01-01").value, pd.Timestamp("2250-12-31").value


def _wide(n: int = 1000, nulls: bool = True) -> pd.Series:
    rng = np.random.default_rng(2)
    values = rng.integers(LO, HI, n)
    values[: 6] = [pd.Timestamp(t).value for t in ("2024-02-29 23:59:59.999999999", "1969-12-31 23:59:59.5",
                                                    "1970-01-01", "2000-12-31 12:00", "1900-03-01", "2023-06-30")]
    s = pd.Series(values.view("datetime64[ns]"), name="t")
    return s.mask(rng.random(n) < 0.2) if nulls else s


def _far(unit: str, n: int = 200) -> pd.Series:
    """Years 1000-3000 in a coarse unit: mostly outside datetime64[ns], held in ``unit`` as pandas does."""
    rng = np.random.default_rng(3)
    per_second = {"s": 1, "ms": 1000, "us": 10**6}[unit]
    lo, hi = -30_610_224_000 * per_second, 32_503_680_000 * per_second  # 1000-01-01, 3000-01-01
    values = rng.integers(lo, hi, n)
    s = pd.Series(values.view(f"datetime64[{unit}]"), name="t")
    return s.mask(rng.random(n) < 0.2)


CASES = {
    "far_ms": _far("ms"),
    "wide": _wide(),
    "wide_no_nulls": _wide(nulls=False),
    "grid_some": make_column("datetime64[ns]", 7, "some"),
    "all_null": make_column("datetime64[ns]", 7, "all"),
    "empty": pd.Series([], dtype="datetime64[ns]"),
}
FIELDS = ("year", "quarter", "month", "day", "hour", "minute", "second", "microsecond", "nanosecond",
          "day_of_week", "day_of_year", "days_in_month", "is_month_start", "is_month_end", "is_leap_year",
          "is_quarter_start", "is_quarter_end", "is_year_start", "is_year_end")


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("field", FIELDS)
def test_fields(field: str, case: str) -> None:
    assert_matches_pandas(lambda s: getattr(s.dt, field), CASES[case])


@pytest.mark.parametrize("unit", ["s", "us"])
@pytest.mark.parametrize("freq", ["s", "D", "15min", "ms", "1500ms"])
def test_rounding_keeps_the_unit(freq: str, unit: str) -> None:
    """pandas rounds in the column's unit: a finer freq leaves values alone, one that is not a
    whole number of steps raises ValueError (s and 1500ms)."""
    s = _far(unit, 50)
    for op in ("floor", "ceil", "round"):
        if unit == "s" and freq == "1500ms":
            with pytest.raises(ValueError, match="incompatible with unit=s"):
                getattr(s.dt, op)(freq)
            with pytest.raises(ValueError, match="incompatible with unit=s"):
                getattr(jf.from_pandas(s).dt, op)(freq)
        else:
            assert_matches_pandas(lambda x: getattr(x.dt, op)(freq), s)


def test_timedelta_components_in_seconds() -> None:
    t = pd.Series(np.array([10**12, -7, 86_399, 0], "timedelta64[s]")).mask([False, False, False, True])
    for field in ("days", "seconds", "microseconds", "nanoseconds"):
        assert_matches_pandas(lambda x: getattr(x.dt, field), t)
    assert_matches_pandas(lambda x: x.dt.total_seconds(), t)


@pytest.mark.parametrize("field", ["dayofweek", "weekday", "dayofyear"])
def test_deprecated_aliases(field: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_matches_pandas(lambda s: getattr(s.dt, field), CASES["grid_some"])
    with pytest.warns(pd.errors.Pandas4Warning):
        getattr(jf.from_pandas(CASES["grid_some"]).dt, field)


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("op", ["floor", "ceil", "round"])
@pytest.mark.parametrize("freq", ["s", "min", "h", "D", "15min", "ms"])
def test_rounding(op: str, freq: str, case: str) -> None:
    assert_matches_pandas(lambda s: getattr(s.dt, op)(freq), CASES[case])


@pytest.mark.parametrize("case", sorted(CASES))
def test_normalize(case: str) -> None:
    assert_matches_pandas(lambda s: s.dt.normalize(), CASES[case])


def test_rounding_ties_to_even_and_calendar_freq() -> None:
    s = pd.Series(pd.to_datetime(["2024-01-01 12:00", "2024-01-02 12:00", "2024-01-01 00:00:01.5",
                                  "2024-01-01 00:00:02.5"], format="mixed")).astype("datetime64[ns]")
    assert_matches_pandas(lambda x: x.dt.round("D"), s)
    assert_matches_pandas(lambda x: x.dt.round("s"), s)
    assert_matches_pandas(lambda x: x.dt.floor("MS"), s, raises=ValueError, match="non-fixed frequency")


@pytest.mark.parametrize("case", ["wide", "grid_some", "all_null", "empty"])
@pytest.mark.parametrize("fmt", ["%Y-%m-%d", "%d/%m/%Y %H:%M:%S", "%A %B %j"])
def test_strftime(fmt: str, case: str) -> None:
    assert_matches_pandas(lambda s: s.dt.strftime(fmt), CASES[case])


def test_filtered_series() -> None:
    s = CASES["wide"]
    keep = s.notna().to_numpy() & (np.arange(len(s)) % 2 == 0)   # no live NaT: int32 fields
    for field in ("year", "month", "day", "hour", "is_month_end"):
        assert_matches_pandas(lambda x: getattr(x[keep].dt, field), s)
    assert_matches_pandas(lambda x: x[np.arange(len(s)) % 2 == 1].dt.year, s)
    assert_matches_pandas(lambda x: x[keep].dt.strftime("%Y"), s)


def test_date_and_time_refuse() -> None:
    ours = jf.from_pandas(CASES["grid_some"])
    with pytest.raises(NotImplementedError, match="normalize"):
        ours.dt.date
    with pytest.raises(NotImplementedError):
        ours.dt.time


def test_non_datetime_raises_attribute_error() -> None:
    for s in (pd.Series([1, 2]), pd.Series(["a"], dtype="str"), pd.Series([1.5])):
        assert_matches_pandas(lambda x: x.dt, s, raises=AttributeError)
    assert_matches_pandas(lambda x: x.dt.year, pd.to_timedelta(pd.Series([1, 2]), unit="s"), raises=AttributeError)


def test_under_jit() -> None:
    s = CASES["wide"]
    ours = jf.from_pandas(s)
    assert_series_equal(jax.jit(lambda x: x.dt.floor("h"))(ours), s.dt.floor("h"))
    assert_series_equal(jax.jit(lambda x: x.dt.is_month_end)(ours), s.dt.is_month_end)
    with pytest.raises(NotImplementedError, match="inside jax.jit"):
        jax.jit(lambda x: x.dt.year)(ours)


TIMEDELTAS = {
    "mixed": pd.to_timedelta(pd.Series(["1 days 02:03:04.5", None, "-1 days +01:00:00", "-3ns",
                                        "100 days 00:00:00.000001", "0s"])),
    "no_nulls": pd.to_timedelta(pd.Series(np.random.default_rng(3).integers(-10**15, 10**15, 1000)), unit="ns"),
    "empty": pd.Series([], dtype="timedelta64[ns]"),
}


@pytest.mark.parametrize("case", sorted(TIMEDELTAS))
@pytest.mark.parametrize("op", ["days", "seconds", "microseconds", "nanoseconds", "total_seconds"])
def test_timedelta_components(op: str, case: str) -> None:
    call = (lambda s: s.dt.total_seconds()) if op == "total_seconds" else (lambda s: getattr(s.dt, op))
    assert_matches_pandas(call, TIMEDELTAS[case])


# -- to_datetime --------------------------------------------------------------------------------
def _expect(result, expected) -> None:
    """pandas 3 picks a unit per input ('us' for strings); JaxFrames keeps the same unit."""
    assert_same_result(result, expected)


STRING_INPUTS = {
    "iso": ["2024-01-05", None, "2023-03-01", "1999-12-31", "2024-01-05"],
    "iso_time": ["2024-01-05 10:00:00", "2023-03-01 23:59:59", None],
    "us_first": ["01/02/2024", "12/31/2023", "07/04/1999"],
    "day_first_guess": ["13/02/2024", "01/03/2024"],
    "many": [f"20{i % 30:02d}-{i % 12 + 1:02d}-{i % 28 + 1:02d}" if i % 9 else None for i in range(1000)],
    "all_null": [None, None],
    "empty": [],
}


@pytest.mark.parametrize("dtype", ["str", "string"])
@pytest.mark.parametrize("case", sorted(STRING_INPUTS))
def test_to_datetime_strings(case: str, dtype: str) -> None:
    s = pd.Series(STRING_INPUTS[case], dtype=dtype, name="d")
    _expect(jf.to_datetime(jf.from_pandas(s)), pd.to_datetime(s))


def test_to_datetime_options() -> None:
    s = pd.Series(["01/02/2024", "03/04/2024", None], dtype="str")
    ours = jf.from_pandas(s)
    _expect(jf.to_datetime(ours, dayfirst=True), pd.to_datetime(s, dayfirst=True))
    _expect(jf.to_datetime(ours, format="%d/%m/%Y"), pd.to_datetime(s, format="%d/%m/%Y"))
    bad = pd.Series(["2024-01-01", "nope", None], dtype="str")
    _expect(jf.to_datetime(jf.from_pandas(bad), errors="coerce"), pd.to_datetime(bad, errors="coerce"))


def test_to_datetime_bad_value_raises_pandas_error() -> None:
    bad = pd.Series(["2024-01-01", "2024-13-45", "nope"], dtype="str")
    with pytest.raises(ValueError) as expected:
        pd.to_datetime(bad)
    with pytest.raises(ValueError) as ours:
        jf.to_datetime(jf.from_pandas(bad))
    assert str(ours.value) == str(expected.value)
    # the bad strings only in filtered-out rows: no error, as pandas on the live rows
    keep = np.array([True, False, False])
    _expect(jf.to_datetime(jf.from_pandas(bad)[keep]), pd.to_datetime(bad[keep]))


def test_to_datetime_first_row_decides_the_format() -> None:
    """pandas guesses the format from the first row; the sorted dictionary must not change that."""
    s = pd.Series(["13/01/2024", "05/01/2024", None], dtype="str")  # sorted, "05/01" would guess %m/%d
    _expect(jf.to_datetime(jf.from_pandas(s)), pd.to_datetime(s))
    mixed = pd.Series(["2024-01-02", "01/02/2024"], dtype="str")
    with pytest.raises(ValueError) as expected:
        pd.to_datetime(mixed)
    with pytest.raises(ValueError) as ours:
        jf.to_datetime(jf.from_pandas(mixed))
    assert str(ours.value) == str(expected.value)


def test_to_datetime_numbers_and_other_inputs() -> None:
    ints = pd.Series([1, 2, 1_700_000_000], name="n")
    _expect(jf.to_datetime(jf.from_pandas(ints), unit="s"), pd.to_datetime(ints, unit="s"))
    floats = pd.Series([1.5, np.nan, 3.25])
    _expect(jf.to_datetime(jf.from_pandas(floats), unit="ms"), pd.to_datetime(floats, unit="ms"))
    assert_same_result(jf.to_datetime(["2024-01-01", "2024-02-01"]), pd.to_datetime(["2024-01-01", "2024-02-01"]))
    assert jf.to_datetime("2024-01-01") == pd.Timestamp("2024-01-01")
    dts = CASES["grid_some"]
    assert_series_equal(jf.to_datetime(jf.from_pandas(dts)), pd.to_datetime(dts))
    assert_series_equal(jf.to_datetime(jf.from_pandas(dts), utc=True), pd.to_datetime(dts, utc=True))


def test_to_datetime_unit_comes_from_the_live_rows() -> None:
    """pandas 3 parses strings to 'us', or 'ns' when a string carries nanoseconds: a nanosecond
    string only in a filtered-out row must not change the unit (the dictionary still holds it)."""
    s = pd.Series(["2024-01-01 00:00:00.000001", "2024-01-02 00:00:00.000000001", None], dtype="str")
    _expect(jf.to_datetime(jf.from_pandas(s)), pd.to_datetime(s))  # ns
    keep = np.array([True, False, True])
    assert str(pd.to_datetime(s[keep]).dtype) == "datetime64[us]"
    _expect(jf.to_datetime(jf.from_pandas(s)[keep]), pd.to_datetime(s[keep]))


@pytest.mark.parametrize("step", [7, 4096, 4097, 86_400, 3_600 * 10**9, 86_400 * 10**9])
def test_floor_multiple_is_exact_at_the_int64_ends(step):
    # floors with a float64 quotient: one exact correction must reach numpy's floor everywhere
    from jaxframes.accessors.datetimes import floor_multiple
    rng = np.random.default_rng(step)
    x = np.concatenate([rng.integers(-2**63 + 1, 2**63 - 1, 2000), rng.integers(-10**12, 10**12, 2000),
                        [2**63 - 1, -2**63 + 1, 0, -1, 1, step, -step, step - 1]]).astype(np.int64)
    np.testing.assert_array_equal(np.asarray(floor_multiple(x, step)), x // step * step)


@pytest.mark.parametrize("freq", ["D", "h", "15min", "s"])
def test_floor_over_dead_rows_and_nat_then_group_by(freq: str) -> None:
    """The naive floor runs as one compiled pass (NaT rows zeroed in it): dead rows, NaT and the
    dense group-by on the floored keys (the read-path workload) agree with pandas."""
    from jaxframes.testing import assert_one_answer, frame_with_dead_rows

    rng = np.random.default_rng(3)
    t = pd.Series(np.datetime64("2024-01-01", "ns") + rng.integers(0, 10 * 86_400 * 10**9, 300).astype("timedelta64[ns]"))
    data = pd.DataFrame({"t": t.mask(rng.random(300) < 0.1), "v": rng.normal(size=300)})
    twin = frame_with_dead_rows(data, rng.random(300) < 0.3)
    assert_one_answer(lambda d: d.assign(day=d["t"].dt.floor(freq)).groupby("day").agg({"v": "sum"}), twin,
                      paths=("eager", "lazy"))
    assert_one_answer(lambda d: d["t"].dt.floor(freq), twin, paths=("eager",))
