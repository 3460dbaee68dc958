"""How much of pandas' public API JaxFrames has: ``python -m jaxframes.coverage``.

For DataFrame, Series, DataFrameGroupBy, SeriesGroupBy and the top level, pandas' public names
(``dir()`` without a leading underscore) are split into the names we have, the names refused on
purpose (``jaxframes.refusals``, each with its reason) and the names we lack (a method marked
``refusals.not_built``, which only raises NotImplementedError, counts as lacking).
``--markdown`` prints the summary as a Markdown table (the README's); ``--missing`` and
``--refused`` list the names.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from pandas.core.groupby import DataFrameGroupBy as PandasFrameGroupBy
from pandas.core.groupby import SeriesGroupBy as PandasSeriesGroupBy

import jaxframes as jf
from jaxframes.groupby.api import DataFrameGroupBy, SeriesGroupBy
from jaxframes.refusals import NOT_COUNTED, REFUSED, is_not_built, is_refused

GROUPS: list[tuple[str, Any, Any]] = [
    ("DataFrame", pd.DataFrame, jf.DataFrame),
    ("Series", pd.Series, jf.Series),
    ("DataFrameGroupBy", PandasFrameGroupBy, DataFrameGroupBy),
    ("SeriesGroupBy", PandasSeriesGroupBy, SeriesGroupBy),
    ("top level", pd, jf),
]


@dataclass
class Coverage:
    group: str
    have: list[str] = field(default_factory=list)
    refused: dict[str, str] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.have) + len(self.refused) + len(self.missing)

    def percent(self, count: int) -> float:
        return 100.0 * count / self.total if self.total else 100.0


def public_names(obj: Any) -> list[str]:
    return sorted(n for n in dir(obj) if not n.startswith("_"))


def _resolve(ours: Any, name: str) -> Any:
    """The attribute as the class (or module) holds it, without running properties."""
    if isinstance(ours, type):
        for klass in ours.__mro__:
            if name in vars(klass):
                return vars(klass)[name]
        return None
    return getattr(ours, name, None)


def coverage(group: str, theirs: Any, ours: Any) -> Coverage:
    result = Coverage(group)
    refusals = REFUSED[group]
    for name in public_names(theirs):
        if group == "top level" and name in NOT_COUNTED:
            continue
        found = _resolve(ours, name)
        if found is not None and not is_refused(found) and not is_not_built(found):
            result.have.append(name)
        elif name in refusals:
            result.refused[name] = refusals[name]
        else:
            result.missing.append(name)
    return result


def report() -> list[Coverage]:
    return [coverage(*g) for g in GROUPS]


def table(results: list[Coverage], markdown: bool = False) -> str:
    header = ["group", "pandas names", "have", "refused", "missing", "have %", "have+refused %"]
    rows = [[c.group, str(c.total), str(len(c.have)), str(len(c.refused)), str(len(c.missing)),
             f"{c.percent(len(c.have)):.1f}", f"{c.percent(len(c.have) + len(c.refused)):.1f}"] for c in results]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [header] + rows) for i in range(len(header))]
    fmt = lambda r: "  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(zip(r, widths)))
    return "\n".join([fmt(header), fmt(["-" * w for w in widths])] + [fmt(r) for r in rows])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jaxframes.coverage", description=__doc__.splitlines()[0])
    parser.add_argument("--markdown", action="store_true", help="print the summary as a Markdown table")
    parser.add_argument("--missing", action="store_true", help="list only the lacking names")
    parser.add_argument("--refused", action="store_true", help="list only the refused names with reasons")
    args = parser.parse_args(argv)
    results = report()
    print(f"pandas {pd.__version__} public names covered by jaxframes {jf.__version__}\n")
    print(table(results, markdown=args.markdown))
    show_all = not (args.missing or args.refused)
    for c in results:
        if (show_all or args.missing) and c.missing:
            print(f"\n{c.group}: missing ({len(c.missing)}): {', '.join(c.missing)}")
        if show_all and c.have:
            print(f"\n{c.group}: have ({len(c.have)}): {', '.join(c.have)}")
        if (show_all or args.refused) and c.refused:
            print(f"\n{c.group}: refused ({len(c.refused)}):")
            for name, reason in c.refused.items():
                print(f"  {name}: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
