"""Progress bars for long reads and writes (tqdm), shown only where someone can see them.

``progress=None`` (the default) shows a bar when stderr is a terminal and there are enough
units of work (row groups, files) to be worth it; ``True`` forces it; ``False`` hides it.
"""

from __future__ import annotations

import sys
from typing import Any

MIN_UNITS = 8


class _NoBar:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def should_show(progress: bool | None, units: int) -> bool:
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(f"progress must be True, False or None, got {progress!r}")
    if progress is not None:
        return progress
    return units >= MIN_UNITS and sys.stderr is not None and sys.stderr.isatty()


def bar(progress: bool | None, total: int, desc: str, unit: str) -> Any:
    """A tqdm bar over ``total`` units, or a no-op with the same update/close methods."""
    if not should_show(progress, total):
        return _NoBar()
    from tqdm import tqdm
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, leave=False)
