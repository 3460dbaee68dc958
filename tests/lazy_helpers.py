"""Helpers for optimizer-rule tests: run ONE rule, compare plan text, compare results."""

from __future__ import annotations

import textwrap

import pandas as pd

from jaxframes.exec.lower import execute
from jaxframes.plan.explain import explain
from jaxframes.plan.optimizer import optimize
from jaxframes.testing import assert_frame_equal


def only(lf, rule: str):
    """The plan after running only ``rule`` to a fixed point."""
    return optimize(lf._plan, enable={rule})


def assert_plan(lf, rule: str, expected: str) -> None:
    got = explain(only(lf, rule))
    assert got == textwrap.dedent(expected).strip("\n"), "\n" + got


def assert_rule_results(lf, rule: str, expected: pd.DataFrame, **kwargs) -> None:
    """Same result with the rule on, with it off, and as pandas'."""
    on = execute(only(lf, rule))
    off = execute(lf._plan)
    assert_frame_equal(on, expected, **kwargs)
    assert_frame_equal(off, expected, **kwargs)
