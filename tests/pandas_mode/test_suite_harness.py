"""The pandas-suite harness' own parts, on synthetic tests: the plugin's consecutive block and
per-test seconds, the runner's fast-compile environment and its before/after speed table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from jaxframes.pandas import suite


def _pytest(tmp_path, *options: str) -> tuple[subprocess.CompletedProcess, list[dict]]:
    (tmp_path / "test_many.py").write_text(textwrap.dedent("""
        import pytest

        @pytest.mark.parametrize("i", range(10))
        def test_n(i):
            assert i >= 0
    """))
    ini = tmp_path / "ini.ini"
    ini.write_text(suite.INI)
    record = tmp_path / "record.jsonl"
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "JAXFRAMES_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "pytest", "-p", "jaxframes.pandas.pytest_plugin", "-p",
                          "no:cacheprovider", "-c", str(ini), "--rootdir", str(tmp_path), "-q", "-n", "0",
                          "--jf-record", str(record), *options, str(tmp_path / "test_many.py")],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    rows = [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []
    return run, rows


def test_a_block_is_consecutive_tests_and_each_records_its_seconds(tmp_path):
    run, rows = _pytest(tmp_path, "--jf-block", "4", "--jf-seed", "3")
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert rows[0] == {"collected": 10} and rows[1] == {"selected": 4}
    tests = rows[2:]
    ids = [int(r["id"].split("[")[1].rstrip("]")) for r in tests]
    assert len(ids) == 4 and ids == list(range(ids[0], ids[0] + 4))
    assert all(r["outcome"] == "passed" and r["seconds"] >= 0 and r["cpu"] >= 0 for r in tests)


def test_block_and_sample_exclude_each_other(tmp_path):
    run, _ = _pytest(tmp_path, "--jf-block", "4", "--jf-sample", "4")
    assert run.returncode == 4  # pytest's usage error
    assert "--jf-sample and --jf-block exclude each other" in run.stderr + run.stdout


def test_fast_compile_flags_are_added_and_a_user_flag_is_kept():
    env = suite.fast_compile_env({"XLA_FLAGS": "--xla_force_host_platform_device_count=2"})
    assert env["XLA_FLAGS"].split() == ["--xla_force_host_platform_device_count=2", *suite.FAST_COMPILE]
    mine = suite.fast_compile_env({"XLA_FLAGS": "--xla_backend_optimization_level=2"})["XLA_FLAGS"].split()
    assert "--xla_backend_optimization_level=2" in mine and "--xla_backend_optimization_level=0" not in mine
    assert suite.fast_compile_env({})["XLA_FLAGS"].split() == list(suite.FAST_COMPILE)
    cmd = suite.command(["groupby"], [], tmp_record := suite.Path("r.jsonl"), suite.Path("i.ini"), 0, 5, block=7)
    assert cmd[cmd.index("--jf-block") + 1] == "7" and "--jf-sample" not in cmd and str(tmp_record) in cmd


def test_compare_reports_tests_per_second_only_where_recorded(tmp_path):
    before, after = tmp_path / "before", tmp_path / "after"
    before.mkdir()
    after.mkdir()
    rows = [{"id": f"t{i}", "outcome": "passed", "usage": "jaxframes"} for i in range(4)]
    (before / "groupby.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (after / "groupby.jsonl").write_text("".join(json.dumps({**r, "seconds": 0.5, "cpu": 0.25}) + "\n"
                                                 for r in rows))
    text = suite.compare(before, after, ["groupby"])
    assert "| groupby | 4 | 100.0% | 100.0% | 100.0% | 100.0% | - | 2.00 | - | 4.00 |" in text
    s = suite.summarize(after / "groupby.jsonl")
    assert (s["seconds"], s["cpu"]) == (2.0, 1.0)
