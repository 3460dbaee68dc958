"""The second half of the fast 8-device cases (see test_distributed.py), in its own file so that
a second pytest worker runs it beside the first half."""

from __future__ import annotations

import pytest

from distributed_cases import SECOND_HALF, run_cases


@pytest.fixture(scope="module")
def report() -> dict:
    return run_cases(SECOND_HALF)


@pytest.mark.parametrize("case", SECOND_HALF)
def test_distributed_case(report, case):
    entry = report[case]
    assert entry["status"] == "passed", entry["detail"]
