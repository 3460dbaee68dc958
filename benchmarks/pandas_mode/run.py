"""Time benchmarks/pandas_mode/h2o_script.py as plain pandas and under accelerator mode.

    uv run python benchmarks/pandas_mode/run.py [--rows 1e6] [--routes auto jaxframes]

Runs, in separate processes: pandas; then per JAXFRAMES_PANDAS_ROUTE value, accelerator mode with
empty caches (cold: JAX's compilation cache and jaxframes.executables', both under
JAXFRAMES_CACHE_DIR) and again with the caches it filled (warm). Reports process wall time (imports
included), the script's own total, and per question; ratios are accelerator / pandas (below 1:
accelerator mode is faster)."""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCRIPT = Path(__file__).with_name("h2o_script.py")


def run(args: list[str], env: dict) -> tuple[float, dict[str, float]]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, check=True).stdout
    wall = time.perf_counter() - start
    times = {m.group(1): float(m.group(2)) for m in re.finditer(r"^(.+?): ([\d.]+) s", out, re.M)}
    return wall, times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="1e6")
    parser.add_argument("--routes", nargs="*", default=["auto", "jaxframes"],
                        help="JAXFRAMES_PANDAS_ROUTE values to time (auto: pandas on a CPU-only JAX)")
    ns = parser.parse_args()
    env = {**os.environ, "JAX_PLATFORMS": os.environ.get("JAX_PLATFORMS", "cpu")}
    env.pop("JAXFRAMES_PANDAS", None)
    results = {"pandas": run([str(SCRIPT), ns.rows], env)}
    for route in ns.routes:
        with tempfile.TemporaryDirectory() as cache:
            acc_env = {**env, "JAXFRAMES_CACHE_DIR": cache, "JAXFRAMES_PANDAS_ROUTE": route}
            for temp in ("cold", "warm"):  # warm: the rerun with the cache the cold run filled
                results[f"route={route}, {temp} cache"] = run(["-m", "jaxframes.pandas", str(SCRIPT), ns.rows],
                                                             acc_env)
    print(f"uptime: {os.getloadavg()}")
    base_wall, base = results["pandas"]
    names = list(base)
    print(f"rows={ns.rows}  (seconds; ratio = accelerated / pandas)")
    print(f"| step | pandas | " + " | ".join(k for k in results if k != "pandas") + " |")
    print("|---|---:|" + "---:|" * (len(results) - 1))
    print(f"| process wall | {base_wall:.2f} | " + " | ".join(
        f"{w:.2f} ({w / base_wall:.2f}x)" for k, (w, _) in results.items() if k != "pandas") + " |")
    for n in names:
        print(f"| {n} | {base[n]:.3f} | " + " | ".join(
            f"{t.get(n, float('nan')):.3f} ({t.get(n, float('nan')) / base[n]:.2f}x)" if base[n] else "-"
            for k, (_, t) in results.items() if k != "pandas") + " |")


if __name__ == "__main__":
    main()
