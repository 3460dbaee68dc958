"""pandas' resample bins, computed on the host from two timestamps.

pandas' bin edges and labels depend only on the first and last timestamp (and the rule,
closed, label, origin, offset): ``_get_timestamp_range_edges`` picks the first/last edge,
``date_range`` lays the edges out, and ``_adjust_bin_edges`` moves month/quarter/year-end
edges to the last instant of their day. We run exactly those pandas steps on the two
timestamps, so every rule pandas accepts (fixed ones and calendar ones such as 'ME', 'QE',
'YE', 'MS', 'W') bins as pandas bins it; the rows are then assigned to bins on the device.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pandas.core.resample import TimeGrouper, _get_timestamp_range_edges


@dataclass(frozen=True)
class Bins:
    """edges: int64 counts of the unit, len = number of bins + 1; a row t is in bin i when
    edges[i] <= t < edges[i+1] (closed='left') or edges[i] < t <= edges[i+1] (closed='right').
    labels: the result index (pandas' DatetimeIndex, with its freq). step: the common edge
    spacing when the edges are evenly spaced (then the bin is arithmetic), else None."""

    edges: np.ndarray
    labels: pd.DatetimeIndex
    closed: str
    step: int | None


def time_grouper(rule: Any, closed: Any, label: Any, origin: Any, offset: Any) -> TimeGrouper:
    """pandas' own argument checks and defaults (closed/label 'right' for end rules, ...)."""
    return TimeGrouper(freq=rule, closed=closed, label=label, origin=origin, offset=offset)


def empty_labels(grouper: TimeGrouper, unit: str, name: Any, tz: Any = None) -> pd.DatetimeIndex:
    dtype = f"datetime64[{unit}]" if tz is None else pd.DatetimeTZDtype(unit, tz)
    return pd.DatetimeIndex([], freq=grouper.freq, name=name, dtype=dtype)


def compute(grouper: TimeGrouper, first: int, last: int, unit: str, name: Any, tz: Any = None) -> Bins:
    """The bins covering [first, last] (int64 counts of ``unit``), as pandas makes them. With a
    zone ``tz``, first/last are UTC instants and pandas lays the bins out in the zone's wall
    clock (its DST rules); the edges are UTC instants again."""
    ax = pd.DatetimeIndex(np.array([first, last], dtype=np.int64).view(f"datetime64[{unit}]"), name=name)
    if tz is not None:
        ax = ax.tz_localize("UTC").tz_convert(tz)
    start, end = _get_timestamp_range_edges(ax[0], ax[1], grouper.freq, unit=unit, closed=grouper.closed,
                                            origin=grouper.origin, offset=grouper.offset)
    binner = labels = pd.date_range(freq=grouper.freq, start=start, end=end, tz=tz, name=name,
                                    ambiguous=True, nonexistent="shift_forward", unit=unit)
    binner, edges = grouper._adjust_bin_edges(binner, ax.asi8)
    if first < edges[0]:  # pandas' generate_bins_dt64 checks (e.g. origin='end' with an offset)
        raise ValueError("Values falls before first bin")
    if last > edges[-1]:
        raise ValueError("Values falls after last bin")
    if grouper.closed == "right":
        labels = binner
    if grouper.label == "right":
        labels = labels[1:]
    labels = labels[: len(edges) - 1]
    edges = np.asarray(edges, dtype=np.int64)
    gaps = np.diff(edges)
    step = int(gaps[0]) if len(gaps) and (gaps == gaps[0]).all() else None
    return Bins(edges, labels, grouper.closed, step)
