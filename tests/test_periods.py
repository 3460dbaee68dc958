"""Calendar arithmetic on device (periods.py) against pandas' own period conversions: datetime
-> ordinal for every supported frequency (week anchors, quarter and year ends, dates before
1970 giving negative ordinals), the first and last instant of a period, asfreq between
frequencies, and the refusal of frequencies without calendar arithmetic."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jaxframes  # noqa: F401  (64-bit JAX)
from jaxframes import periods

FREQS = (["D", "h", "min", "s", "ms", "us", "ns", "M"] + [f"Q-{m}" for m in periods.MONTHS]
         + [f"Y-{m}" for m in periods.MONTHS] + [f"W-{d}" for d in periods.WEEKDAYS])
US_PER_DAY = 86_400 * 10**6
# microseconds since 1970 from 1700 to 2250: 'ns' periods only inside pandas' nanosecond range
WIDE = st.integers(-270 * 365 * US_PER_DAY, 280 * 365 * US_PER_DAY)
NANO_SAFE = st.integers(-100 * 365 * US_PER_DAY, 200 * 365 * US_PER_DAY)


ROWS = 16  # one array shape: each function compiles once per frequency


@jax.jit(static_argnums=(1,))
def _round_trip(counts, freq):
    ordinals = periods.from_datetime(counts, "us", freq)
    unit = periods.timestamp_unit(freq)
    return ordinals, periods.start(ordinals, freq, unit), periods.end(ordinals, freq, unit)


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(FREQS), st.data())
def test_datetime_to_ordinal_and_back(freq, data):
    values = data.draw(st.lists(NANO_SAFE if freq == "ns" else WIDE, min_size=ROWS, max_size=ROWS))
    counts = np.asarray(values, np.int64)
    expected = pd.DatetimeIndex(counts.astype("datetime64[us]")).to_period(freq)
    ordinals, first, last = (np.asarray(a) for a in _round_trip(jnp.asarray(counts), freq))
    np.testing.assert_array_equal(ordinals, expected.asi8)
    unit = periods.timestamp_unit(freq)
    np.testing.assert_array_equal(first, expected.start_time.as_unit(unit).asi8)
    np.testing.assert_array_equal(last, expected.end_time.as_unit(unit).asi8)


@settings(max_examples=25, deadline=None)
@given(st.sampled_from([f for f in FREQS if f != "ns"]), st.sampled_from([f for f in FREQS if f != "ns"]),
       st.booleans(), st.lists(st.integers(-200 * 365, 250 * 365), min_size=ROWS, max_size=ROWS))
def test_asfreq_matches_pandas(source, target, how_end, days):
    index = pd.DatetimeIndex((np.asarray(days, np.int64) * US_PER_DAY).astype("datetime64[us]")).to_period(source)
    expected = index.asfreq(target, how="E" if how_end else "S")
    got = np.asarray(periods.asfreq(jnp.asarray(index.asi8), source, target, how_end))
    np.testing.assert_array_equal(got, expected.asi8)


def test_anchors_by_hand():
    """Dates pandas numbers in ways that are easy to get wrong, written out."""
    days = jnp.asarray(np.array(["1969-12-31", "1970-01-01", "1970-01-04", "1970-01-05", "1900-03-01"],
                                dtype="datetime64[D]").astype(np.int64))
    assert periods.from_days(days, *periods.calendar("W-SUN", "t")).tolist() == [1, 1, 1, 2, -3643]
    assert periods.from_days(days, *periods.calendar("W-SAT", "t")).tolist() == [0, 0, 1, 1, -3644]
    assert periods.from_days(days, *periods.calendar("Q-NOV", "t")).tolist() == [0, 0, 0, 0, -279]
    assert periods.from_days(days, *periods.calendar("Y-JUN", "t")).tolist() == [0, 0, 0, 0, -70]


@pytest.mark.parametrize("freq", ["2D", "B", "3M", "Q-DEC-X"])
def test_frequencies_without_calendar_arithmetic_refuse(freq):
    with pytest.raises(NotImplementedError, match=rf"to_period of period\[{freq}\] is not supported"):
        periods.calendar(freq, "to_period")


def test_civil_dates_round_trip():
    days = jnp.arange(-800_000, 800_000, 4999, dtype=jnp.int64)
    year, month, day = periods.civil_from_days(days)
    np.testing.assert_array_equal(np.asarray(periods.days_from_civil(year, month, day)), np.asarray(days))
    expected = pd.DatetimeIndex(np.asarray(days).astype("datetime64[D]").astype("datetime64[s]"))
    np.testing.assert_array_equal(np.asarray(year), expected.year)
    np.testing.assert_array_equal(np.asarray(month), expected.month)
    np.testing.assert_array_equal(np.asarray(day), expected.day)
