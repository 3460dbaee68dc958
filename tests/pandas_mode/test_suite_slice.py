"""The pandas-suite harness on a fixed slice of pandas' own tests (so it cannot rot): the plugin
records every test, the runner parses the records and writes the table. The floors are what the
slice measured when it was set up (184 tests: 184 passed, 62 on JaxFrames alone); they catch a
harness or proxy regression, not a target."""

from __future__ import annotations

from jaxframes.pandas import suite


def test_ci_slice_runs_through_the_harness(tmp_path):
    paths, ignore = suite.CI_SLICE["ci-slice"]
    run = suite.run_module("ci-slice", paths, ignore, tmp_path, sample=0, seed=0, timeout=600,
                           env_extra={"JAXFRAMES_CACHE_DIR": str(tmp_path / "cache")})  # not ~/.cache
    assert run["rc"] in (0, 1), (tmp_path / "ci-slice.log").read_text()[-3000:]
    s = suite.summarize(tmp_path / "ci-slice.jsonl")
    assert s["collected"] == s["selected"] == s["ran"] == 184
    assert s["passed"] + s["failed"] + s["errors"] + s["skipped"] == 184
    assert s["passed"] >= 178 and s["jaxframes_alone"] >= 55
    assert s["jaxframes_alone"] + s["partly"] + s["pandas_only"] + s["no_proxied_calls"] == 184
    assert sum(s["reasons"].values()) > 0  # fallbacks are recorded with their reasons
    text = suite.write_markdown({"ci-slice": s}, "header", tmp_path / "COMPATIBILITY.md")
    assert (tmp_path / "COMPATIBILITY.md").read_text() == text
    assert "| ci-slice | 184 | 184 |" in text and "Most frequent fallback reasons" in text
