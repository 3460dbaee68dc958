"""Run pandas' own test suite under accelerator mode and write COMPATIBILITY.md.

    uv run python -m jaxframes.pandas.suite [--selection NAME ...] [--sample N | --block N] [--jobs 2]
                                            [--records DIR] [--output COMPATIBILITY.md]
    uv run python -m jaxframes.pandas.suite --aggregate-only --records DIR   # table from old records
    uv run python -m jaxframes.pandas.suite --compare BEFORE_DIR --records AFTER_DIR   # before/after

The tests run in place from the installed pandas wheel (``pandas/tests``), one pytest process per
selection module (``--jobs`` at a time), with the plugin jaxframes.pandas.pytest_plugin and OUR
ini (``xfail_strict = true``; NOT pandas' ``filterwarnings = error``, which lives in pandas'
pyproject and is not in the wheel). Message matching (``pytest.raises(match=)``) and warning
assertions are kept as pandas wrote them. Hypothesis' deadline is off (first-call JIT compiles).

The test processes compile with XLA's fast-compile settings (``FAST_COMPILE``, added to
``XLA_FLAGS``; ``--full-compile`` leaves them out): pandas' tests run thousands of programs on a
few rows each, each compiled for its new shapes, so XLA's compile time is most of a test's time
while the speed of the compiled code is not measurable; the answers are the same (no fast-math
either way).

Rates, per module and in total:
  * cudf.pandas' rate: passed / (passed + failed + errors + skipped), xfailed counted as skipped;
  * the strict rate: tests that passed with every proxied call on JaxFrames (at least one call,
    no fallback) over the same denominator.
Tests with no proxied call at all are counted in their own column and never in the strict rate.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas

TESTS = Path(pandas.__file__).resolve().parent / "tests"
SITE = TESTS.parent.parent

# name -> (paths under pandas/tests, paths to ignore)
SELECTION: dict[str, tuple[list[str], list[str]]] = {
    "frame/methods": (["frame/methods"], []),
    "series/methods": (["series/methods"], []),
    "groupby": (["groupby"], ["groupby/test_raises.py"]),
    "groupby/test_raises": (["groupby/test_raises.py"], []),
    "reshape/merge": (["reshape/merge"], []),
    "reshape/concat": (["reshape/concat"], []),
    "reshape/pivot": (["reshape/test_pivot.py", "reshape/test_pivot_multilevel.py"], []),
    "reshape/melt": (["reshape/test_melt.py"], []),
    "indexing": (["indexing"], []),
    "io/parquet": (["io/test_parquet.py"], []),
}
# The CI slice (tests/pandas_mode): fixed files, a few hundred tests, well under a minute.
CI_SLICE: dict[str, tuple[list[str], list[str]]] = {
    "ci-slice": (["frame/methods/test_sort_values.py::TestDataFrameSortValues",
                  "reshape/test_melt.py::TestMelt",
                  "series/methods/test_nlargest.py"], []),
}

INI = "[pytest]\nxfail_strict = true\n"
# LLVM's optimization of the CPU code off: about half of XLA's compile time on the small programs
# of pandas' tests (benchmarks/pandas_mode/RESULTS.md); results are unchanged
FAST_COMPILE = ("--xla_backend_optimization_level=0", "--xla_llvm_disable_expensive_passes=true")


def fast_compile_env(env: dict) -> dict:
    """``env`` with FAST_COMPILE added to XLA_FLAGS (a flag the user set is kept as set)."""
    flags = env.get("XLA_FLAGS", "")
    extra = [f for f in FAST_COMPILE if f.split("=")[0] not in flags]
    return {**env, "XLA_FLAGS": " ".join([flags, *extra]).strip()} if extra else env


def command(paths: list[str], ignore: list[str], record: Path, ini: Path, sample: int, seed: int,
            extra: list[str] = (), block: int = 0) -> list[str]:
    cmd = [sys.executable, "-m", "pytest", "-p", "jaxframes.pandas.pytest_plugin", "-p", "no:cacheprovider",
           "-c", str(ini), "--rootdir", str(SITE), "-q", "-o", "console_output_style=classic",
           "--jf-record", str(record), "--jf-seed", str(seed)]
    if sample:
        cmd += ["--jf-sample", str(sample)]
    if block:
        cmd += ["--jf-block", str(block)]
    if "-n" not in extra and _has_xdist():
        cmd += ["-n", "0"]
    cmd += [f"--ignore={TESTS / p}" for p in ignore]
    cmd += [str(TESTS / p) for p in paths]
    return cmd + list(extra)


def _has_xdist() -> bool:
    try:
        import xdist  # noqa: F401
    except ImportError:
        return False
    return True


def run_module(name: str, paths: list[str], ignore: list[str], records: Path, sample: int, seed: int,
               timeout: float | None, env_extra: dict | None = None, fast_compile: bool = True,
               block: int = 0) -> dict:
    records.mkdir(parents=True, exist_ok=True)
    record = records / (name.replace("/", "__") + ".jsonl")
    record.unlink(missing_ok=True)
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as f:
        f.write(INI)
        ini = Path(f.name)
    env = {**os.environ, "JAX_PLATFORMS": os.environ.get("JAX_PLATFORMS", "cpu"), **(env_extra or {})}
    env.pop("JAXFRAMES_PANDAS", None)  # fallback mode: the strict rate is computed from the record
    if fast_compile:
        env = fast_compile_env(env)
    start = time.time()
    log = records / (name.replace("/", "__") + ".log")
    with open(log, "w") as out:
        try:
            rc = subprocess.run(command(paths, ignore, record, ini, sample, seed, block=block), stdout=out,
                                stderr=subprocess.STDOUT, env=env, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            rc = "timeout"
    ini.unlink(missing_ok=True)
    return {"module": name, "rc": rc, "seconds": round(time.time() - start, 1)}


def summarize(record: Path) -> dict:
    collected = selected = 0
    rows = []
    if record.exists():
        for line in record.read_text().splitlines():
            row = json.loads(line)
            if "collected" in row:
                collected = max(collected, row["collected"])
            elif "selected" in row:
                selected = max(selected, row["selected"])
            else:
                rows.append(row)
    out = Counter(r["outcome"] or "error" for r in rows)
    usage = Counter(r["usage"] for r in rows)
    reasons: Counter = Counter()
    failures: Counter = Counter()
    for r in rows:
        reasons.update(r.get("reasons", {}))
        if r["outcome"] in ("failed", "error"):
            failures[r.get("error", "")] += 1
    passed = out["passed"] + out["xpassed"]
    skipped = out["skipped"] + out["xfailed"]
    denominator = passed + out["failed"] + out["error"] + skipped
    alone = sum(1 for r in rows if r["usage"] == "jaxframes" and r["outcome"] in ("passed", "xpassed"))
    seconds = sum(r.get("seconds", 0.0) for r in rows)
    cpu = sum(r.get("cpu", 0.0) for r in rows)
    no_calls = sum(1 for r in rows if r["usage"] == "none" and r["outcome"] in ("passed", "xpassed"))
    return {"collected": collected, "selected": selected, "ran": len(rows), "passed": passed,
            "failed": out["failed"], "errors": out["error"], "skipped": skipped, "xfailed": out["xfailed"],
            "jaxframes_alone": alone, "partly": usage["partly"], "pandas_only": usage["pandas"],
            "no_proxied_calls": usage["none"], "passed_no_calls": no_calls,
            "rate": passed / denominator if denominator else 0.0,
            "strict": alone / denominator if denominator else 0.0,
            "reasons": reasons, "failures": failures, "seconds": seconds, "cpu": cpu}


def _rows(record: Path) -> dict[str, dict]:
    out = {}
    if record.exists():
        for line in record.read_text().splitlines():
            row = json.loads(line)
            if "id" in row:
                out[row["id"]] = row
    return out


def _rates(rows: list[dict]) -> tuple[float, float]:
    """(cudf.pandas' rate, strict rate) of some test records."""
    passed = sum(r["outcome"] in ("passed", "xpassed") for r in rows)
    alone = sum(r["outcome"] in ("passed", "xpassed") and r["usage"] == "jaxframes" for r in rows)
    den = sum(r["outcome"] in ("passed", "xpassed", "failed", "error", "skipped", "xfailed", None) for r in rows)
    return (passed / den if den else 0.0), (alone / den if den else 0.0)


def _speed(rows: list[dict], key: str) -> str:
    """Tests per second of some test records by their ``key`` seconds ('-' for old records)."""
    if not rows or any(key not in r for r in rows):
        return "-"
    total = sum(r[key] for r in rows)
    return f"{len(rows) / total:.2f}" if total else "-"


def compare(before: Path, after: Path, names: list[str]) -> str:
    """A before/after table over the tests that both record directories ran (partial runs too):
    the two rates and the tests per second (wall, and by the test process' CPU seconds)."""
    lines = ["| module | tests in both | rate before | rate after | strict before | strict after "
             "| tests/s before | tests/s after | tests/CPU-s before | tests/CPU-s after |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    all_b: list[dict] = []
    all_a: list[dict] = []

    def line(name: str, rb: list[dict], ra: list[dict]) -> str:
        (r0, s0), (r1, s1) = _rates(rb), _rates(ra)
        return (f"| {name} | {len(rb)} | {_pct(r0)} | {_pct(r1)} | {_pct(s0)} | {_pct(s1)} | "
                f"{_speed(rb, 'seconds')} | {_speed(ra, 'seconds')} | {_speed(rb, 'cpu')} | {_speed(ra, 'cpu')} |")

    for name in names:
        file = name.replace("/", "__") + ".jsonl"
        b, a = _rows(before / file), _rows(after / file)
        both = sorted(set(b) & set(a))
        if not both:
            continue
        rb, ra = [b[i] for i in both], [a[i] for i in both]
        all_b += rb
        all_a += ra
        lines.append(line(name, rb, ra))
    lines.append(line("**total**", all_b, all_a))
    return "\n".join(lines) + "\n"


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def write_markdown(results: dict[str, dict], header: str, output: Path) -> str:
    lines = ["# pandas' test suite under JaxFrames accelerator mode", "", header, "",
             "Columns: `collected` by pytest; `ran` = the tests run (all, or the fixed sample); outcomes of "
             "the tests run; `JF alone` = passed with every proxied call on JaxFrames; `partly` / `pandas` = "
             "tests (any outcome) with some / all proxied calls fallen back; `no calls` = tests that made no "
             "proxied call (passed ones are in `passed` but never in `JF alone`); rate = cudf.pandas' "
             "passed/(passed+failed+errors+skipped) (xfailed counted as skipped); strict = JF alone over the "
             "same denominator.", "",
             "| module | collected | ran | passed | failed | errors | skipped | JF alone | partly | pandas | "
             "no calls | rate | strict |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    total = Counter()
    for name, s in results.items():
        lines.append(f"| {name} | {s['collected']} | {s['ran']} | {s['passed']} | {s['failed']} | {s['errors']} | "
                     f"{s['skipped']} | {s['jaxframes_alone']} | {s['partly']} | {s['pandas_only']} | "
                     f"{s['no_proxied_calls']} | {_pct(s['rate'])} | {_pct(s['strict'])} |")
        for key in ("collected", "ran", "passed", "failed", "errors", "skipped", "jaxframes_alone", "partly",
                    "pandas_only", "no_proxied_calls"):
            total[key] += s[key]
    den = total["passed"] + total["failed"] + total["errors"] + total["skipped"]
    lines.append(f"| **total** | {total['collected']} | {total['ran']} | {total['passed']} | {total['failed']} | "
                 f"{total['errors']} | {total['skipped']} | {total['jaxframes_alone']} | {total['partly']} | "
                 f"{total['pandas_only']} | {total['no_proxied_calls']} | "
                 f"{_pct(total['passed'] / den if den else 0)} | {_pct(total['jaxframes_alone'] / den if den else 0)} |")
    reasons: Counter = Counter()
    failures: Counter = Counter()
    for s in results.values():
        reasons.update(s["reasons"])
        failures.update(s["failures"])
    lines += ["", "## Most frequent fallback reasons (calls, over all modules)", ""]
    lines += [f"{i}. {n} x `{r}`" for i, (r, n) in enumerate(reasons.most_common(20), 1)]
    lines += ["", "## Most frequent failure messages (tests)", ""]
    lines += [f"{i}. {n} x `{r}`" for i, (r, n) in enumerate(failures.most_common(20), 1)]
    for name, s in results.items():
        if s["reasons"]:
            lines += ["", f"### {name}: top fallback reasons", ""]
            lines += [f"- {n} x `{r}`" for r, n in s["reasons"].most_common(5)]
    text = "\n".join(lines) + "\n"
    output.write_text(text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jaxframes.pandas.suite", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--selection", nargs="*", default=None,
                        help=f"modules to run (default: all): {', '.join(SELECTION)}, ci-slice")
    parser.add_argument("--sample", type=int, default=0, help="run a fixed random sample of N tests per module")
    parser.add_argument("--block", type=int, default=0,
                        help="run N consecutive tests per module from a seeded random start (estimates a full "
                             "run's throughput: neighbouring tests share compiled programs)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2, help="pytest processes at a time (default 2)")
    parser.add_argument("--timeout", type=float, default=None, help="seconds per module process")
    parser.add_argument("--records", default="build/pandas-suite", help="directory of the per-test records")
    parser.add_argument("--output", default="COMPATIBILITY.md")
    parser.add_argument("--aggregate-only", action="store_true", help="only rebuild the table from the records")
    parser.add_argument("--compare", default=None, metavar="BEFORE",
                        help="print a before/after table: the records in BEFORE against --records, over the tests "
                             "both ran")
    parser.add_argument("--full-compile", action="store_true",
                        help="compile with XLA's default optimization (not FAST_COMPILE)")
    parser.add_argument("--off", action="store_true",
                        help="baseline: the same tests and ini with real pandas (the mode not installed)")
    ns = parser.parse_args(argv)
    table = {**SELECTION, **CI_SLICE}
    names = ns.selection or list(SELECTION)
    unknown = [n for n in names if n not in table]
    if unknown:
        parser.error(f"unknown selection {unknown}; choose from {list(table)}")
    records = Path(ns.records)
    if ns.compare:
        print(compare(Path(ns.compare), records, names))
        return 0
    runs: dict[str, dict] = {}
    if not ns.aggregate_only:
        with ThreadPoolExecutor(max(1, ns.jobs)) as pool:
            env_extra = {"JAXFRAMES_SUITE_OFF": "1"} if ns.off else None
            futures = {n: pool.submit(run_module, n, *table[n], records, ns.sample, ns.seed, ns.timeout, env_extra,
                                       not ns.full_compile, ns.block)
                       for n in names}
            for n, fut in futures.items():
                runs[n] = fut.result()
                print(f"{n}: rc={runs[n]['rc']} in {runs[n]['seconds']} s", flush=True)
    results = {n: summarize(records / (n.replace("/", "__") + ".jsonl")) for n in names}
    cmd = "uv run python -m jaxframes.pandas.suite " + " ".join(argv if argv is not None else sys.argv[1:])
    seconds = ", ".join(f"{n} {r['seconds']} s" for n, r in runs.items())
    header = (f"Made by `{cmd.strip()}` (pandas {pandas.__version__}, JAX_PLATFORMS=cpu"
              + (f"; a fixed random sample of {ns.sample} tests per module, seed {ns.seed}" if ns.sample else "")
              + (f"; {ns.block} consecutive tests per module from a random start, seed {ns.seed}" if ns.block else "")
              + ("; BASELINE: real pandas, accelerator mode not installed" if ns.off else "")
              + ("" if ns.full_compile else f"; XLA_FLAGS += {' '.join(FAST_COMPILE)}")
              + ")." + (f" Wall time per module: {seconds}." if seconds else ""))
    text = write_markdown(results, header, Path(ns.output))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
