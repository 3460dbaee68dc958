"""The collectives of a compiled program, read from its HLO text.

``collectives(text)`` lists every all-gather, all-reduce, all-to-all, reduce-scatter and
collective-permute (async ``-start`` forms included) with its result shapes and bytes per device.
Tests compile an operation at two row counts and compare: a collective whose size grows with
the row count is a hidden all-gather (or a full-size all-reduce); the data exchange itself
(all-to-all; concat's collective-permute rounds) grows by design. The scaling benchmark sums the bytes to get traffic per row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import jax
import numpy as np

KINDS = ("all-gather", "all-reduce", "all-to-all", "reduce-scatter", "collective-permute")

_BYTES = {"pred": 1, "s8": 1, "u8": 1, "s16": 2, "u16": 2, "f16": 2, "bf16": 2, "s32": 4, "u32": 4,
          "f32": 4, "s64": 8, "u64": 8, "f64": 8, "c64": 8, "c128": 16}
_SHAPE = re.compile(r"\b(pred|[suf]\d+|bf16|c64|c128)\[([\d,]*)\]")
_COMMENT = re.compile(r"/\*.*?\*/")
_LINE = re.compile(r"=\s*(?P<shape>\([^=]*?\)|\S+)\s+(?P<op>" + "|".join(KINDS) + r")(?:-start)?\(")


@dataclass(frozen=True)
class Collective:
    """One collective instruction: its kind, result shapes ((dtype, dims), ...) and bytes."""

    kind: str
    shapes: tuple[tuple[str, tuple[int, ...]], ...]
    line: str

    @property
    def bytes(self) -> int:
        return sum(_BYTES.get(dt, 8) * int(np.prod(dims, dtype=np.int64)) for dt, dims in self.shapes)

    def __str__(self) -> str:
        shapes = ", ".join(f"{dt}[{','.join(map(str, dims))}]" for dt, dims in self.shapes)
        return f"{self.kind}({shapes}) {self.bytes} B"


def collectives(hlo_text: str) -> list[Collective]:
    """Every collective of an HLO module text (``compiled.as_text()``), in text order."""
    found = []
    for line in hlo_text.splitlines():
        line = _COMMENT.sub("", line)
        match = _LINE.search(line)
        if match is None:
            continue
        shapes = tuple((dt, tuple(int(d) for d in dims.split(",") if d))
                       for dt, dims in _SHAPE.findall(match.group("shape")))
        found.append(Collective(match.group("op"), shapes, line.strip()))
    return found


def compiled_text(fn: Callable[..., Any], *args: Any) -> str:
    """The optimized HLO of ``jax.jit(fn)`` for these arguments."""


    return jax.jit(fn).lower(*args).compile().as_text()


def growing(small: list[Collective], large: list[Collective],
            kinds: tuple[str, ...] = ("all-gather", "all-reduce", "reduce-scatter",
                                      "collective-permute")) -> list[tuple[Collective, int]]:
    """Collectives of ``kinds`` in ``large`` bigger than every collective of the same kind in
    ``small``: they grow with the row count. Returns (collective, largest small size) pairs."""
    out = []
    for coll in large:
        if coll.kind not in kinds:
            continue
        before = max((c.bytes for c in small if c.kind == coll.kind), default=0)
        if coll.bytes > before:
            out.append((coll, before))
    return out


def total_bytes(found: list[Collective], kinds: tuple[str, ...] = KINDS) -> int:
    return sum(c.bytes for c in found if c.kind in kinds)
