"""``python -m jaxframes.pandas [--report] script.py [args]`` or ``... -m module [args]``:
run a pandas script unchanged in accelerator mode."""

from __future__ import annotations

import argparse
import runpy
import sys

from jaxframes.pandas import install, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m jaxframes.pandas",
        description="Run a pandas script on JaxFrames, falling back to pandas where JaxFrames cannot "
                    "(JAXFRAMES_PANDAS=strict raises instead; =verify compares both sides).")
    parser.add_argument("--report", action="store_true",
                        help="print, at exit, calls on JaxFrames and on pandas per API with fallback reasons")
    parser.add_argument("-m", dest="module", help="run a library module as a script")
    parser.add_argument("args", nargs=argparse.REMAINDER, help="script.py and its arguments")
    ns = parser.parse_args(argv)
    if ns.module is None and not ns.args:
        parser.error("give a script (or -m module)")
    install()
    try:
        if ns.module is not None:
            sys.argv = [ns.module, *ns.args]
            runpy.run_module(ns.module, run_name="__main__", alter_sys=True)
        else:
            sys.argv = list(ns.args)
            runpy.run_path(ns.args[0], run_name="__main__")
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if ns.report:
            sys.stderr.write(report())
        return code
    if ns.report:
        sys.stderr.write(report())
    return 0


if __name__ == "__main__":
    sys.exit(main())
