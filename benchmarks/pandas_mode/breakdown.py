"""Where one accelerator-mode run of h2o_script.py spends its time, per question.

    uv run python benchmarks/pandas_mode/breakdown.py [--rows 1e6] [--cache DIR]

Runs the script in this process under ``jaxframes.pandas.install()`` (with the persistent
compilation cache in DIR, default ``$JAXFRAMES_CACHE_DIR``) and splits each question's seconds
into: conversion (pandas -> JaxFrames and back, ``proxy.to_fast`` / ``_slow``), JAX tracing,
lowering to MLIR, compiling or loading from the persistent cache (JAX's own monitoring events),
jaxframes.executables' loads and first compiles (which contain their own lower/compile time,
counted in those columns, or in the rest when loaded), pandas fallbacks (the report's pandas seconds), and the rest (running, dispatch, host syncs).
Also counts the programs lowered and the host syncs (``sync.count_syncs``) per question. Run it
twice with the same DIR for the warm-process numbers."""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import os
import re
import runpy
import sys
import time
from pathlib import Path

SCRIPT = Path(__file__).with_name("h2o_script.py")
EVENTS = {"/jax/core/compile/jaxpr_trace_duration": "trace",
          "/jax/core/compile/jaxpr_to_mlir_module_duration": "lower",
          "/jax/core/compile/backend_compile_duration": "compile"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="1e6")
    parser.add_argument("--cache", default=None, help="persistent compilation cache dir")
    ns = parser.parse_args()
    if ns.cache:
        os.environ["JAXFRAMES_CACHE_DIR"] = ns.cache
    os.environ.setdefault("JAX_PLATFORMS", "cpu")
    start_import = time.perf_counter()
    import jax
    from jax import monitoring

    import jaxframes.pandas as jp
    from jaxframes import sync
    from jaxframes.pandas import profile, proxy
    imported = time.perf_counter() - start_import

    acc: collections.Counter = collections.Counter()

    def listener(event: str, duration: float, **_: object) -> None:
        name = EVENTS.get(event)
        if name is not None:
            acc[name] += duration
            if name == "lower":
                acc["programs"] += 1

    monitoring.register_event_duration_secs_listener(listener)

    def timed(fn, key):  # noqa: ANN001, ANN202
        def call(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                acc[key] += time.perf_counter() - t
        return call

    proxy.to_fast = timed(proxy.to_fast, "convert")
    from jaxframes import executables
    executables._CachedJit._load_or_compile = timed(executables._CachedJit._load_or_compile, "executables")
    for cls in (proxy.DataFrame, proxy.Series):
        original = cls._slow

        def slow(self, _original=original):  # noqa: ANN001, ANN202
            if self._fs_slow is not None:
                return self._fs_slow
            return timed(_original, "convert")(self)
        cls._slow = slow

    jp.install()
    rows: list[tuple[str, dict]] = []
    last: dict = {}
    counter = sync.count_syncs()
    syncs = counter.__enter__()

    def snapshot() -> dict:
        out = dict(acc)
        out["pandas"] = sum(s.slow_seconds for s in profile.STATS.values())
        out["syncs"] = syncs.syncs
        return out

    class Lines(io.TextIOBase):
        def write(self, text: str) -> int:
            nonlocal last
            for line in text.splitlines():
                m = re.match(r"^(.+?): ([\d.]+) s", line)
                if m:
                    now = snapshot()
                    rows.append((m.group(1), {"seconds": float(m.group(2)),
                                              **{k: now.get(k, 0) - last.get(k, 0) for k in now}}))
                    last = now
            return len(text)

    sys.argv = [str(SCRIPT), ns.rows]
    start = time.perf_counter()
    with contextlib.redirect_stdout(Lines()):
        runpy.run_path(str(SCRIPT), run_name="__main__")
    script = time.perf_counter() - start
    counter.__exit__(None, None, None)
    keys = ["convert", "trace", "lower", "compile", "executables", "pandas"]
    print(f"backend {jax.default_backend()}, load {os.getloadavg()[0]:.1f}, import+install {imported:.2f} s, "
          f"script {script:.2f} s")
    print("| question | s | conversion | trace | lower | compile/load | executables (inside the others) | pandas fallback | rest "
          "| programs lowered | syncs |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in rows:
        if name == "total":
            continue
        rest = r["seconds"] - sum(r.get(k, 0) for k in keys if k != "executables")
        print(f"| {name} | {r['seconds']:.3f} | " + " | ".join(f"{r.get(k, 0):.3f}" for k in keys)
              + f" | {rest:.3f} | {r.get('programs', 0)} | {r.get('syncs', 0)} |")
    now = snapshot()
    total = sum(r["seconds"] for n, r in rows if n != "total")
    print(f"| all | {total:.3f} | " + " | ".join(f"{now.get(k, 0):.3f}" for k in keys)
          + f" | {total - sum(now.get(k, 0) for k in keys if k != 'executables'):.3f} | {now.get('programs', 0)} | {now.get('syncs', 0)} |")


if __name__ == "__main__":
    main()
