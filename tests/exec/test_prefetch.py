"""exec/prefetch.py: read-ahead on a background thread gives the producer's items in order,
raises the producer's error at the consumer, and stops the producer when the consumer stops."""

from __future__ import annotations

import threading
import time

import pytest

from jaxframes.exec.prefetch import prefetched


def test_items_in_order():
    assert list(prefetched(lambda: iter(range(50)))) == list(range(50))
    assert list(prefetched(lambda: iter([]))) == []


def test_producer_error_raised_at_its_item():
    def produce():
        yield 1
        yield 2
        raise ValueError("cannot read Parquet file: broken")

    got = []
    with pytest.raises(ValueError, match="broken"):
        for item in prefetched(produce):
            got.append(item)
    assert got == [1, 2]


def test_early_stop_stops_the_producer():
    made = []

    def produce():
        for i in range(1_000):
            made.append(i)
            yield i

    before = threading.active_count()
    stream = prefetched(produce)
    assert [next(stream), next(stream)] == [0, 1]
    stream.close()  # a limit that has its rows
    time.sleep(0.1)
    assert len(made) <= 4  # two taken, at most one queued and one in hand
    assert threading.active_count() <= before
