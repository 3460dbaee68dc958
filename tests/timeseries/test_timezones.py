"""Timezone-aware datetimes against pandas: a grid of zones (UTC, a fixed offset, two DST zones),
units, NaT, dead rows and empty frames; eager, lazy and jit where the operation exists there."""

from __future__ import annotations

import jax.numpy as jnp
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import jaxframes as jf
from jaxframes import zones
from jaxframes.testing import assert_matches_pandas, assert_one_answer, assert_same_result, frame_with_dead_rows

ZONES = ("UTC", "+05:30", "US/Eastern", "Europe/Berlin")
DST = ("US/Eastern", "Europe/Berlin")


def _instants(tz: str, unit: str = "us", nat: bool = True) -> pd.Series:
    """Instants across both 2020 DST changes of both DST zones (and a NaT)."""
    spring = pd.date_range("2020-03-07 20:00", periods=12, freq="5h17min", tz="UTC")
    autumn = pd.date_range("2020-10-24 20:00", periods=12, freq="5h17min", tz="UTC")
    far = pd.DatetimeIndex(["1960-06-01 12:34:56", "2090-12-31 23:59:59"], tz="UTC")
    values = spring.append(autumn).append(far).tz_convert(tz).as_unit(unit)
    s = pd.Series(values, name="t")
    if nat:
        s[3] = pd.NaT
    return s


def _frame(tz: str, unit: str = "us", nat: bool = True) -> pd.DataFrame:
    t = _instants(tz, unit, nat)
    return pd.DataFrame({"t": t, "x": np.arange(len(t), dtype=np.float64), "k": np.arange(len(t)) % 3})


# -- representation --------------------------------------------------------------------------
@pytest.mark.parametrize("unit", ["s", "ns"])
@pytest.mark.parametrize("tz", ZONES)
def test_round_trip_columns_and_index(tz: str, unit: str) -> None:
    pdf = _frame(tz, unit)
    ours = jf.from_pandas(pdf)
    assert str(ours.dtypes["t"]) == str(pdf.dtypes["t"])
    assert_same_result(ours, pdf)
    assert_same_result(jf.from_pandas(pdf.set_index("t")), pdf.set_index("t"))
    assert_same_result(jf.from_pandas(pdf.iloc[:0]), pdf.iloc[:0])


def test_dtype_parsing_and_refusals() -> None:
    from jaxframes import dtypes as jdt
    dtype = jdt.parse("datetime64[ns, US/Eastern]")
    assert jdt.tz_of(dtype) is not None and dtype.unit == "ns" and str(dtype) == "datetime64[ns, US/Eastern]"
    assert jdt.to_pandas(dtype) == pd.DatetimeTZDtype("ns", "US/Eastern")
    assert jdt.tz_of(jdt.with_unit(dtype, "s")) == dtype.tz
    assert dtype != jdt.datetime("ns")


def test_offsets_agree_with_pandas() -> None:
    rng = np.random.default_rng(0)
    instants = rng.integers(-3_000_000_000, 4_000_000_000, 4_096)
    for tz in ("Europe/Berlin", "Australia/Lord_Howe", "America/Sao_Paulo"):
        zone = pd.DatetimeTZDtype("s", tz).tz
        wall = np.asarray(zones.to_wall(jnp.asarray(instants), zone, "s"))
        expected = pd.DatetimeIndex(instants.astype("M8[s]")).tz_localize("UTC").tz_convert(zone).tz_localize(None)
        np.testing.assert_array_equal(wall, expected.asi8)


def test_localize_agrees_with_pandas_near_transitions() -> None:
    """Random wall times within two hours of every transition of 1950-2050 (gaps and repeats)."""
    rng = np.random.default_rng(1)
    for tz in ("Europe/Berlin", "Australia/Lord_Howe", "America/Sao_Paulo"):
        zone = pd.DatetimeTZDtype("s", tz).tz
        transitions, _ = zones.table(zone)
        near = transitions[(transitions > -631_152_000) & (transitions < 2_524_608_000)]
        walls = np.repeat(near, 8) + rng.integers(-7200, 7200, 8 * len(near))
        for nonexistent in ("NaT", "shift_forward", "shift_backward"):
            utc, ok = zones.localize(jnp.asarray(walls), None, zone, "s", "NaT", nonexistent)
            expected = pd.DatetimeIndex(walls.astype("M8[s]")).tz_localize(zone, ambiguous="NaT",
                                                                            nonexistent=nonexistent)
            np.testing.assert_array_equal(np.asarray(ok), expected.notna())
            np.testing.assert_array_equal(np.asarray(utc)[np.asarray(ok)], expected.asi8[expected.notna()])


# -- tz_localize / tz_convert ----------------------------------------------------------------
@pytest.mark.parametrize("tz", ZONES)
def test_tz_convert_pairs(tz: str) -> None:
    """Every zone to every zone (one column per target)."""
    op = lambda f: f.assign(**{f"c{i}": f["t"].dt.tz_convert(z) for i, z in enumerate(ZONES)})  # noqa: E731
    assert_one_answer(op, _frame(tz))


@pytest.mark.parametrize("tz", ["+05:30", "US/Eastern"])
def test_tz_convert_none_and_localize_none(tz: str) -> None:
    pdf = _frame(tz)
    assert_one_answer(lambda f: f.assign(u=f["t"].dt.tz_convert(None), w=f["t"].dt.tz_localize(None)), pdf)


def _walls(nat: bool = True) -> pd.DataFrame:
    """Wall-clock times with US/Eastern and Europe/Berlin DST gaps and repeats among them."""
    t = pd.Series(pd.to_datetime([
        "2020-03-08 01:30", "2020-03-08 02:30", "2020-03-08 03:30",  # US gap 02:00-03:00
        "2020-03-29 01:59:59", "2020-03-29 02:00", "2020-03-29 02:30", "2020-03-29 03:00",  # Berlin gap
        "2020-10-25 02:30", "2020-10-25 03:30",  # Berlin repeats 02:00-03:00
        "2020-11-01 00:59", "2020-11-01 01:30", "2020-11-01 02:00",  # US repeats 01:00-02:00
        "2020-06-15 12:00", "1969-12-31 23:00"], format="ISO8601"), name="t")
    if nat:
        t[12] = pd.NaT
    return pd.DataFrame({"t": t, "x": np.arange(len(t), dtype=np.float64)})


@pytest.mark.parametrize("nonexistent", ["NaT", "shift_forward", "shift_backward"])
@pytest.mark.parametrize("tz", DST)
def test_tz_localize_dst_rules(tz: str, nonexistent: str) -> None:
    op = lambda f: f.assign(c=f["t"].dt.tz_localize(tz, ambiguous="NaT", nonexistent=nonexistent))  # noqa: E731
    assert_one_answer(op, _walls())


@pytest.mark.parametrize("tz", ["UTC", "+05:30"])
def test_tz_localize_fixed(tz: str) -> None:
    assert_one_answer(lambda f: f.assign(c=f["t"].dt.tz_localize(tz)), _walls())


def test_tz_localize_ambiguous_array() -> None:
    walls = pd.Series(pd.to_datetime(["2020-11-01 01:30", "2020-11-01 01:30", "2020-11-01 03:00", None]))
    flags = np.array([True, False, True, False])
    assert_matches_pandas(lambda s: s.dt.tz_localize("US/Eastern", ambiguous=flags), walls)
    assert_matches_pandas(lambda s: s.dt.tz_localize("US/Eastern", ambiguous=flags[:2]), walls,
                          raises=ValueError, match="Length of ambiguous")


@pytest.mark.parametrize("tz", DST)
def test_tz_localize_raises_as_pandas(tz: str) -> None:
    gap = {"US/Eastern": "2020-03-08 02:30", "Europe/Berlin": "2020-03-29 02:30"}[tz]
    repeat = {"US/Eastern": "2020-11-01 01:30", "Europe/Berlin": "2020-10-25 02:30"}[tz]
    for wall, match in ((gap, "is a nonexistent time due to daylight savings time"),
                        (repeat, "Cannot infer dst time from")):
        data = pd.DataFrame({"t": pd.to_datetime(["2020-06-01 00:00", wall])})
        assert_one_answer(lambda f: f.assign(c=f["t"].dt.tz_localize(tz)), data, paths=("eager", "lazy"),
                          raises=ValueError, match=match)
    # the offending wall time in a DEAD row decides nothing
    data = pd.DataFrame({"t": pd.to_datetime(["2020-06-01 00:00", gap, repeat, "2020-07-01 00:00"])})
    twin = frame_with_dead_rows(data, [True, False, False, True])
    assert_one_answer(lambda f: f.assign(c=f["t"].dt.tz_localize(tz)), twin)


def test_tz_localize_and_convert_errors() -> None:
    aware, naive = _frame("UTC"), _walls()
    assert_matches_pandas(lambda f: f["t"].dt.tz_localize("US/Eastern"), aware, raises=TypeError,
                          match="Already tz-aware, use tz_convert to convert")
    assert_matches_pandas(lambda f: f["t"].dt.tz_convert("US/Eastern"), naive, raises=TypeError,
                          match="Cannot convert tz-naive timestamps, use tz_localize to localize")
    ours = jf.from_pandas(naive)
    with pytest.raises(NotImplementedError, match="ambiguous='infer'"):
        ours["t"].dt.tz_localize("US/Eastern", ambiguous="infer")
    with pytest.raises(NotImplementedError, match="nonexistent=<timedelta>"):
        ours["t"].dt.tz_localize("US/Eastern", nonexistent=pd.Timedelta("1h"))
    assert jf.from_pandas(aware)["t"].dt.tz == aware["t"].dt.tz
    assert ours["t"].dt.tz is None


@pytest.mark.parametrize("tz", ZONES)
def test_index_tz_localize_and_convert(tz: str) -> None:
    walls = _walls(nat=False).set_index("t")
    assert_matches_pandas(lambda f: f.tz_localize(tz, ambiguous="NaT", nonexistent="shift_forward"), walls)
    assert_matches_pandas(lambda f: f["x"].tz_localize(tz, ambiguous="NaT", nonexistent="NaT"), walls)
    aware = _frame("UTC").set_index("t")
    assert_matches_pandas(lambda f: f.tz_convert(tz), aware)
    assert_matches_pandas(lambda f: f["x"].tz_convert(tz), aware)
    assert_matches_pandas(lambda f: f.tz_convert(tz), walls, raises=TypeError, match="tz-naive")
    assert_matches_pandas(lambda f: f.reset_index().tz_localize(tz), walls, raises=TypeError,
                          match="not a valid DatetimeIndex")


# -- wall-clock fields and rounding ------------------------------------------------------------
FIELDS = ("year", "month", "day", "hour", "minute", "second", "day_of_week", "day_of_year", "quarter")


@pytest.mark.parametrize("tz", ZONES)
def test_fields_in_local_time(tz: str) -> None:
    op = lambda f: f.assign(**{name: getattr(f["t"].dt, name) for name in FIELDS})  # noqa: E731
    assert_one_answer(op, _frame(tz), paths=("eager", "lazy"))
    flags = lambda f: f.assign(a=f["t"].dt.is_month_start, b=f["t"].dt.is_year_end)  # noqa: E731
    assert_one_answer(flags, _frame(tz))
    twin = frame_with_dead_rows(_frame(tz), np.arange(len(_frame(tz))) % 4 != 1)
    assert_one_answer(op, twin, paths=("eager",))


@pytest.mark.parametrize("tz", ["+05:30", *DST])
def test_strftime_and_normalize(tz: str) -> None:
    pdf = _frame(tz)
    assert_matches_pandas(lambda f: f["t"].dt.strftime("%Y-%m-%d %H:%M %z"), pdf)
    assert_one_answer(lambda f: f.assign(n=f["t"].dt.normalize()), pdf)


@pytest.mark.parametrize("tz", ("+05:30", *DST))
def test_floor_ceil_round(tz: str) -> None:
    def op(f):
        return f.assign(**{f"{how}_{freq}": getattr(f["t"].dt, how)(freq, ambiguous="NaT", nonexistent="shift_forward")
                           for how in ("floor", "ceil", "round") for freq in ("h", "D")})
    assert_one_answer(op, _frame(tz), paths=("eager", "jit"))


def test_floor_raises_where_pandas_raises() -> None:
    # 01:30 EDT on 2020-11-01 floors to 01:00, which is ambiguous in US/Eastern
    pdf = pd.DataFrame({"t": pd.Series(pd.to_datetime(["2020-11-01 05:30"])).dt.tz_localize("UTC")
                        .dt.tz_convert("US/Eastern")})
    assert_matches_pandas(lambda f: f["t"].dt.floor("h"), pdf, raises=ValueError, match="Cannot infer dst time")
    assert_matches_pandas(lambda f: f["t"].dt.floor("h", ambiguous=True), pdf)
    assert_matches_pandas(lambda f: f["t"].dt.floor("h", ambiguous=False), pdf)


# -- arithmetic and comparison ---------------------------------------------------------------
@pytest.mark.parametrize(("tz", "other"), [("UTC", "US/Eastern"), ("+05:30", "Europe/Berlin"),
                                           ("US/Eastern", "Europe/Berlin"), ("Europe/Berlin", "Europe/Berlin")])
def test_arithmetic_and_comparison_across_zones(tz: str, other: str) -> None:
    left = _frame(tz)
    data = left.assign(u=left["t"].iloc[::-1].reset_index(drop=True).dt.tz_convert(other).dt.as_unit("ns"))
    op = lambda f: f.assign(d=f["t"] - f["u"], lt=f["t"] < f["u"], eq=f["t"] == f["u"],  # noqa: E731
                            p=f["t"] + pd.Timedelta("90min"), m=f["u"] - pd.Timedelta("1D"))
    assert_one_answer(op, data)


@pytest.mark.parametrize("tz", ["UTC", "Europe/Berlin"])
def test_timestamp_scalars_with_tz(tz: str) -> None:
    pdf = _frame(tz)
    stamp = pd.Timestamp("2020-10-25 01:30", tz="Europe/Berlin")
    op = lambda f: f.assign(a=f["t"] >= stamp, b=f["t"] - stamp, c=f["t"] == stamp,  # noqa: E731
                            d=f["t"].fillna(pd.Timestamp("2021-01-01", tz=tz)))
    assert_one_answer(op, pdf)
    assert_matches_pandas(lambda f: f["t"].min(), pdf)
    assert_matches_pandas(lambda f: f["t"].max(), pdf)
    assert_matches_pandas(lambda f: f["t"].median(), pdf)
    assert_matches_pandas(lambda f: f.loc[f["t"] > stamp], pdf)


def test_naive_with_aware_raises_as_pandas() -> None:
    pdf = _frame("US/Eastern").assign(n=_walls()["t"].reindex(range(len(_frame("UTC")))).ffill())
    assert_one_answer(lambda f: f["t"] - f["n"], pdf, paths=("eager",), raises=TypeError,
                      match="Cannot subtract tz-naive and tz-aware datetime-like objects")
    assert_one_answer(lambda f: f["t"] < f["n"], pdf, paths=("eager",), raises=TypeError,
                      match="Invalid comparison between")
    assert_one_answer(lambda f: f["t"] < pd.Timestamp("2020-01-01"), pdf, paths=("eager",), raises=TypeError,
                      match="Invalid comparison between")
    assert_one_answer(lambda f: f.assign(e=f["t"] == f["n"], ne=f["t"] != f["n"]), pdf)
    assert_matches_pandas(lambda f: f["t"].astype("datetime64[ns]"), pdf, raises=TypeError,
                          match="Cannot use .astype to convert from timezone-aware dtype to timezone-naive")
    assert_matches_pandas(lambda f: f["n"].astype("datetime64[ns, UTC]"), pdf, raises=TypeError,
                          match="Cannot use .astype to convert from timezone-naive dtype to timezone-aware")
    assert_matches_pandas(lambda f: f["t"].astype("datetime64[ns, Asia/Tokyo]"), pdf)


# -- keys: sort, group-by, merge -------------------------------------------------------------
@pytest.mark.parametrize("tz", ["+05:30", "US/Eastern"])
def test_sort_groupby_merge_keep_the_zone(tz: str) -> None:
    pdf = _frame(tz)
    pdf = pd.concat([pdf, pdf.iloc[::3]], ignore_index=True)
    assert_one_answer(lambda f: f.sort_values(["t", "x"], ascending=[False, True]), pdf, paths=("eager", "jit"))
    assert_matches_pandas(lambda f: f.groupby("t").x.sum(), pdf)
    assert_matches_pandas(lambda f: f.groupby("k").agg(lo=("t", "min"), hi=("t", "max"), n=("t", "count")), pdf)
    other = pd.DataFrame({"t": _instants(tz).dt.tz_convert("Asia/Tokyo").iloc[::2], "y": 1.5})
    assert_one_answer(lambda f, g: f.merge(g, on="t", how="left"), (pdf, other), paths=("eager", "lazy"))
    naive = other.assign(t=other["t"].dt.tz_localize(None))
    assert_one_answer(lambda f, g: f.merge(g, on="t"), (pdf, naive), paths=("eager",), raises=ValueError,
                      match="You are trying to merge on")
    assert_matches_pandas(lambda f: f.drop_duplicates("t"), pdf)
    assert_matches_pandas(lambda f: f.set_index("t").reset_index(), pdf)


# -- resample / asfreq / at_time -------------------------------------------------------------
@pytest.mark.parametrize("tz", ["+05:30", *DST])
def test_resample_bins_in_local_time(tz: str) -> None:
    pdf = _frame(tz, nat=False).iloc[:24].set_index("t")
    for rule in ("h", "D", "W"):
        assert_matches_pandas(lambda f: f.resample(rule).agg({"x": "sum", "k": "max"}), pdf)  # noqa: B023
    assert_matches_pandas(lambda f: f["x"].resample("6h", closed="right", label="right").mean(), pdf)


@pytest.mark.parametrize("tz", ["US/Eastern"])
def test_asfreq_at_time_shift(tz: str) -> None:
    idx = pd.DatetimeIndex(pd.date_range("2020-03-07", "2020-03-31", freq="11h", tz=tz).tolist())  # no freq
    pdf = pd.DataFrame({"x": np.arange(len(idx), dtype=np.float64)}, index=idx)
    assert_matches_pandas(lambda f: f.asfreq("D"), pdf)
    assert_matches_pandas(lambda f: f.at_time("09:00"), pdf)
    assert_matches_pandas(lambda f: f.between_time("08:00", "12:00"), pdf)
    assert_matches_pandas(lambda f: f.shift(1, freq="D"), pdf)
    assert_matches_pandas(lambda f: f.shift(2, freq="h"), pdf)


# -- construction: to_datetime, date_range, Arrow, Parquet ------------------------------------
def test_to_datetime_utc_and_date_range() -> None:
    strings = pd.Series(["2020-01-01 10:00", None, "2020-06-01 12:30"], dtype="str")
    assert_matches_pandas(lambda s: jf.to_datetime(s, utc=True) if not isinstance(s, pd.Series)
                          else pd.to_datetime(s, utc=True), strings)
    mixed = pd.Series(["2020-01-01 10:00+01:00", None, "2020-06-01 12:30+02:00"], dtype="str")
    assert_matches_pandas(lambda s: jf.to_datetime(s, utc=True, format="ISO8601") if not isinstance(s, pd.Series)
                          else pd.to_datetime(s, utc=True, format="ISO8601"), mixed)
    offsets = pd.Series(["2020-01-01 10:00+01:00", "2020-06-01 12:30+01:00"], dtype="str")
    assert_matches_pandas(lambda s: jf.to_datetime(s) if not isinstance(s, pd.Series) else pd.to_datetime(s), offsets)
    walls = _walls()["t"]
    assert_matches_pandas(lambda s: jf.to_datetime(s, utc=True) if not isinstance(s, pd.Series)
                          else pd.to_datetime(s, utc=True), walls)
    idx = jf.date_range("2020-03-08", periods=5, freq="h", tz="US/Eastern")
    # (a pandas index's freq is not kept by the constructor yet, tz or not: compared without it)
    assert_same_result(jf.DataFrame({"x": range(5)}, index=idx), pd.DataFrame({"x": range(5)}, index=idx),
                       check_freq=False)


@pytest.mark.parametrize("tz", ZONES)
def test_arrow_and_parquet_round_trip(tz: str, tmp_path) -> None:
    pdf = _frame(tz).assign(s=_frame("Asia/Tokyo", "s")["t"]).set_index(_instants(tz, "ns", nat=False).rename("i"))
    ours = jf.from_pandas(pdf)
    table = ours.to_arrow()
    assert table.schema.field("t").type == pa.timestamp("us", tz=pa.lib.tzinfo_to_string(pdf["t"].dt.tz))
    assert_same_result(jf.from_arrow(table), pdf)
    assert_same_result(jf.from_arrow(pa.Table.from_pandas(pdf)), pdf)
    path = tmp_path / "tz.parquet"
    ours.to_parquet(path)
    expected = pd.read_parquet(path)
    assert_same_result(jf.read_parquet(path), expected)
    assert str(expected["t"].dtype) == str(pdf["t"].dtype)
