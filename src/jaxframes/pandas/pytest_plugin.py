"""pytest plugin: run pandas' own tests under accelerator mode and record what each test did.

    python -m pytest -p jaxframes.pandas.pytest_plugin --jf-record out.jsonl <pandas test paths>

Importing this plugin installs the mode, so pandas' conftest (and every test module) imports the
proxy module; pandas' tests and conftest count as user code. Per test it appends one JSON line to
``--jf-record``: the outcome (passed/failed/error/skipped/xfailed/xpassed), the proxied calls that
ran on JaxFrames and on pandas, the fallback reasons and its wall and CPU seconds; the usage is
``jaxframes`` (every call on JaxFrames), ``partly``, ``pandas`` (none on JaxFrames) or ``none``
(no proxied call: such a test says nothing about JaxFrames and is counted apart). ``--jf-sample N`` runs a fixed random sample
of N collected tests (seed ``--jf-seed``); ``--jf-block N`` runs N consecutive ones from a seeded
random start: tests next to each other share data shapes, and so compiled programs, as in a full
run, which a scattered sample does not show. The collected count is recorded first.

Pass ``--jf-off`` to record the same outcomes with real pandas (the baseline of the harness).
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from collections import Counter

import pytest

from jaxframes.pandas import install, profile

_OFF = "--jf-off" in sys.argv or os.environ.get("JAXFRAMES_SUITE_OFF") == "1"
if not _OFF:
    # the suite measures JaxFrames: no routing to pandas on a CPU-only JAX (profile.route)
    os.environ["JAXFRAMES_PANDAS_ROUTE"] = "jaxframes"
    install()  # before pandas' conftest imports pandas


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("jaxframes.pandas")
    group.addoption("--jf-record", default=None, help="append one JSON line per test to this file")
    group.addoption("--jf-sample", type=int, default=0, help="run a fixed random sample of N collected tests")
    group.addoption("--jf-block", type=int, default=0,
                    help="run N consecutive collected tests from a seeded random start (as a full run meets them)")
    group.addoption("--jf-seed", type=int, default=0, help="seed of --jf-sample and --jf-block")
    group.addoption("--jf-off", action="store_true", help="do not install the mode (baseline run)")


def pytest_configure(config: pytest.Config) -> None:
    try:  # first-call JIT compiles exceed hypothesis' 200 ms deadline; that is not a failure
        from hypothesis import settings
        settings.register_profile("jaxframes-pandas", deadline=None)
        settings.load_profile("jaxframes-pandas")
    except ImportError:
        pass
    config._jf_recorder = _Recorder(config.getoption("--jf-record"))
    config.pluginmanager.register(config._jf_recorder, "jaxframes-pandas-recorder")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list) -> None:
    recorder = config._jf_recorder
    recorder.write({"collected": len(items)})
    n = config.getoption("--jf-sample")
    block = config.getoption("--jf-block")
    if n and block:
        raise pytest.UsageError("--jf-sample and --jf-block exclude each other")
    if block and block < len(items):
        start = random.Random(config.getoption("--jf-seed")).randrange(len(items) - block + 1)
        keep = set(range(start, start + block))
    elif n and n < len(items):
        keep = set(random.Random(config.getoption("--jf-seed")).sample(range(len(items)), n))
    else:
        keep = None
    if keep is not None:
        deselected = [it for i, it in enumerate(items) if i not in keep]
        items[:] = [it for i, it in enumerate(items) if i in keep]
        config.hook.pytest_deselected(items=deselected)
    recorder.write({"selected": len(items)})


class _Recorder:
    def __init__(self, path: str | None):
        self.path = path
        self.current: dict | None = None
        self.start = (0, 0)

    def write(self, row: dict) -> None:
        if self.path:
            with open(self.path, "a") as f:
                f.write(json.dumps(row) + "\n")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):  # noqa: ANN001
        self.current = {"id": item.nodeid, "outcome": None}
        self.start = (profile.TOTALS["fast"], profile.TOTALS["slow"])
        profile.WINDOW.clear()
        clock = (time.perf_counter(), time.process_time())
        yield
        fast = profile.TOTALS["fast"] - self.start[0]
        slow = profile.TOTALS["slow"] - self.start[1]
        row = self.current
        row["fast"], row["slow"] = fast, slow
        row["usage"] = ("none" if fast + slow == 0 else "jaxframes" if slow == 0
                        else "pandas" if fast == 0 else "partly")
        row["reasons"] = dict(Counter(profile.WINDOW).most_common(5))
        # setup + call + teardown: wall and this process' CPU seconds (the CPU time is the
        # steadier throughput measure on a loaded machine)
        row["seconds"] = round(time.perf_counter() - clock[0], 4)
        row["cpu"] = round(time.process_time() - clock[1], 4)
        self.write(row)
        self.current = None

    def pytest_runtest_logreport(self, report) -> None:  # noqa: ANN001
        row = self.current
        if row is None:
            return
        if report.when == "call":
            if hasattr(report, "wasxfail"):
                row["outcome"] = "xfailed" if report.skipped else "xpassed"
            else:
                row["outcome"] = report.outcome  # passed / failed / skipped
            if report.failed:
                row["error"] = _short(report)
        elif report.failed:  # setup or teardown
            if row["outcome"] in (None, "passed"):
                row["outcome"] = "error"
                row["error"] = _short(report)
        elif report.skipped and row["outcome"] is None:
            row["outcome"] = "xfailed" if hasattr(report, "wasxfail") else "skipped"


def _short(report) -> str:  # noqa: ANN001
    crash = getattr(report.longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(report.longrepr)
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:200]
