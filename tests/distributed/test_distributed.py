"""The distributed algorithms on 8 simulated CPU devices. The device count is fixed when JAX
starts, so the cases run in a subprocess (tests/distributed_worker.py) per group; each case of
its JSON report becomes one test here. The fast cases are split in two halves, this file's and
test_distributed_half.py's, so that two pytest workers run them side by side. The slow group
(-m slow) holds the cases a faster one covers in spirit."""

from __future__ import annotations

import pytest

from distributed_cases import FAST_CASES, FIRST_HALF, SECOND_HALF, run_cases
from distributed_worker import CASE_NAMES, SLOW_CASES


@pytest.fixture(scope="module")
def report() -> dict:
    return run_cases(FIRST_HALF)


@pytest.fixture(scope="module")
def slow_report() -> dict:
    return run_cases(SLOW_CASES)


def test_slow_cases_exist_and_halves_cover_the_fast_ones():
    assert set(SLOW_CASES) <= set(CASE_NAMES)
    assert sorted(FIRST_HALF + SECOND_HALF) == sorted(FAST_CASES)


@pytest.mark.parametrize("case", FIRST_HALF)
def test_distributed_case(report, case):
    entry = report[case]
    assert entry["status"] == "passed", entry["detail"]


@pytest.mark.slow
@pytest.mark.parametrize("case", SLOW_CASES)
def test_distributed_case_slow(slow_report, case):
    entry = slow_report[case]
    assert entry["status"] == "passed", entry["detail"]
