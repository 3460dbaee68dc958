"""The JAX programs one accelerator-mode run of h2o_script.py lowers, grouped by jaxframes function.

    uv run python benchmarks/pandas_mode/programs.py [--rows 1e6]

Runs the script in this process under ``jaxframes.pandas.install()`` with ``jax_log_compiles``
on, and attributes every lowered program (one per distinct function, shapes, dtypes and static
arguments; JAX redoes this tracing and lowering in every process, the persistent cache only
saves the XLA compile) to the innermost jaxframes frame on the stack. Prints the count per
(program, jaxframes call site), most first, and the seconds spent in the script."""

from __future__ import annotations

import argparse
import collections
import logging
import re
import runpy
import sys
import time
import traceback
from pathlib import Path

import jax

SCRIPT = Path(__file__).with_name("h2o_script.py")


class _Programs(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.sites: collections.Counter = collections.Counter()

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith("Compiling "):
            return
        name = re.match(r"Compiling (\S+)", message).group(1)
        site = "?"
        for frame in reversed(traceback.extract_stack()):
            if ("/jaxframes/" in frame.filename and "/jaxframes/pandas/" not in frame.filename
                    and not frame.filename.endswith("/jaxframes/executables.py")):
                site = f"{frame.filename.split('/jaxframes/', 1)[1]}:{frame.lineno} {frame.name}"
                break
        self.sites[(name, site)] += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", default="1e6")
    ns = parser.parse_args()
    jax.config.update("jax_log_compiles", True)
    handler = _Programs()
    for name in ("jax._src.interpreters.pxla", "jax._src.dispatch"):
        log = logging.getLogger(name)
        log.addHandler(handler)
        log.setLevel(logging.DEBUG)
        log.propagate = False
    from jaxframes.pandas import install
    install()
    sys.argv = [str(SCRIPT), ns.rows]
    start = time.perf_counter()
    runpy.run_path(str(SCRIPT), run_name="__main__")
    print(f"script: {time.perf_counter() - start:.2f} s")
    print(f"programs lowered: {sum(handler.sites.values())}")
    for (name, site), count in handler.sites.most_common():
        print(f"{count:4d}  {name:28s} {site}")


if __name__ == "__main__":
    main()
