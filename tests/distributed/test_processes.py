"""Two CPU processes (2 devices each, gloo) on localhost run the distributed sort, group-by and merge
(tests/multiprocess_worker.py); a killed process ends its peer with an error in bounded time."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

WORKER = Path(__file__).parents[1] / "multiprocess_worker.py"
BOUND_S = 240  # start-up and compiles included; the failure detection itself is ~10 s


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _spawn(num_processes: int, mode: str) -> list[subprocess.Popen]:
    env = dict(os.environ, JAX_PLATFORMS="cpu", XLA_FLAGS="--xla_force_host_platform_device_count=2")
    port = _free_port()
    return [subprocess.Popen([sys.executable, str(WORKER), str(i), str(num_processes), str(port), mode],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             cwd=WORKER.parent) for i in range(num_processes)]


def _finish(procs: list[subprocess.Popen], bound: float = BOUND_S) -> list[tuple[int, str, float]]:
    start, out = time.monotonic(), []
    try:
        for proc in procs:
            text, _ = proc.communicate(timeout=max(1.0, bound - (time.monotonic() - start)))
            out.append((proc.returncode, text, time.monotonic() - start))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    return out


def _report(text: str) -> dict:
    lines = [line for line in text.splitlines() if line.startswith("{")]
    assert lines, f"no report in:\n{text[-4000:]}"
    return json.loads(lines[-1])


@pytest.fixture(scope="module")
def two_processes() -> list[tuple[int, str, float]]:
    return _finish(_spawn(2, "queries"))


@pytest.mark.parametrize("query", ["sort", "groupby", "merge", "merge_outer", "merge_broadcast", "parquet_merge"])
def test_two_processes_match_pandas(two_processes, query):
    for rc, text, _ in two_processes:
        assert rc == 0, text[-4000:]
        entry = _report(text)[query]
        assert entry["status"] == "passed", entry["detail"]
        if "merge" in query:  # the distributed strategy ran, across both processes
            assert ("broadcast" if query == "merge_broadcast" else "partitioned") in entry["detail"], entry


@pytest.mark.slow
def test_four_processes_match_pandas():
    """4 processes x 2 devices: the same queries as the 2-process run (which covers the
    behaviour in CI) plus a sort=False group-by and drop_duplicates."""
    results = _finish(_spawn(4, "queries4"), bound=900)
    for rc, text, _ in results:
        assert rc == 0, text[-4000:]
    report = _report(results[0][1])
    assert sorted(report) == ["drop_duplicates", "groupby", "groupby_sort_false", "merge", "merge_broadcast",
                              "merge_outer", "sort"]
    for query, entry in report.items():
        assert entry["status"] == "passed", (query, entry["detail"])


def test_killed_process_ends_its_peer_with_an_error():
    (rc0, text0, _), (rc1, _, _) = _finish(_spawn(2, "killed"))
    assert rc1 == -9  # the worker killed itself (SIGKILL) before the second query
    assert rc0 != 0, f"the surviving process exited cleanly:\n{text0[-3000:]}"
    report = _report(text0)
    assert report["sort"]["status"] == "passed"
    # the next collective fails (gloo sees the closed connection); the coordination service then
    # ends the process: no hang (the bound is the test's timeout)
    assert report["groupby"]["status"] == "failed"
    assert "Gloo" in report["groupby"]["detail"] or "CoordinationService" in text0, text0[-3000:]
