"""Accounting for accelerator mode: which API ran where, how long, and why it fell back.

Every proxied call lands here once: ``record_fast`` (it ran on JaxFrames) or ``record_slow`` (it
ran on pandas, with the reason). The report, the per-test counters of the pytest plugin and the
debug log all read this one record, so the three cannot disagree.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter
from dataclasses import dataclass, field

import jax

log = logging.getLogger("jaxframes.pandas")

MODES = ("fallback", "strict", "verify")


class FallbackError(NotImplementedError):
    """JAXFRAMES_PANDAS=strict: a call would have fallen back to pandas."""


class VerifyError(AssertionError):
    """JAXFRAMES_PANDAS=verify: JaxFrames and pandas gave different answers."""


def mode() -> str:
    """The mode from JAXFRAMES_PANDAS (read on every call, so a test or a script may change it):
    ``fallback`` (the default; also '' and '1'), ``strict`` or ``verify``."""
    value = os.environ.get("JAXFRAMES_PANDAS", "").strip().lower()
    if value in ("", "1", "on", "true", "fallback"):
        return "fallback"
    if value not in MODES:
        raise ValueError(f"JAXFRAMES_PANDAS={value!r}: expected one of {', '.join(MODES)}")
    return value


ROUTES = ("auto", "jaxframes", "pandas")
ROUTED = ("Routed: the JAX backend is cpu, where JaxFrames' per-process tracing and compiling costs more than "
          "pandas (JAXFRAMES_PANDAS_ROUTE=jaxframes runs JaxFrames anyway)")
_BACKEND: list[str] = []


def route() -> str:
    """Where a call that JaxFrames could run goes, from JAXFRAMES_PANDAS_ROUTE (read on every
    call): ``jaxframes`` (the default); ``pandas``; or ``auto``: JaxFrames when JAX has an
    accelerator (GPU/TPU), pandas on a CPU-only JAX, where a one-shot pandas script loses to
    pandas by JaxFrames' tracing and compiling of each new program (benchmarks/pandas_mode).
    ``auto`` is opt-in: by default accelerator mode runs JaxFrames on every backend, so that
    what it reports is JaxFrames' behaviour, not pandas'.
    Strict and verify modes always run JaxFrames: they are about JaxFrames' answers."""
    if mode() != "fallback":
        return "jaxframes"
    value = os.environ.get("JAXFRAMES_PANDAS_ROUTE", "jaxframes").strip().lower() or "jaxframes"
    if value not in ROUTES:
        raise ValueError(f"JAXFRAMES_PANDAS_ROUTE={value!r}: expected one of {', '.join(ROUTES)}")
    if value != "auto":
        return value
    if not _BACKEND:
        _BACKEND.append(jax.default_backend())
    return "pandas" if _BACKEND[0] == "cpu" else "jaxframes"


@dataclass
class ApiStats:
    fast_calls: int = 0
    slow_calls: int = 0
    fast_seconds: float = 0.0
    slow_seconds: float = 0.0
    reasons: Counter = field(default_factory=Counter)


STATS: dict[str, ApiStats] = {}
# Monotonic totals: the pytest plugin takes differences around each test.
TOTALS = {"fast": 0, "slow": 0}
# Reasons seen since the last reset_window(), for the plugin's per-test attribution.
WINDOW: Counter = Counter()


def _stats(api: str) -> ApiStats:
    found = STATS.get(api)
    if found is None:
        found = STATS[api] = ApiStats()
    return found


_ADDRESS = re.compile(r" at 0x[0-9a-f]+")


def reason_of(error: BaseException) -> str:
    """The grouping key of a fallback: exception type and its first message line, shortened."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else ""
    text = _ADDRESS.sub("", text)
    if len(text) > 160:
        text = text[:157] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def record_fast(api: str, seconds: float) -> None:
    s = _stats(api)
    s.fast_calls += 1
    s.fast_seconds += seconds
    TOTALS["fast"] += 1


def record_slow(api: str, seconds: float, reason: str) -> None:
    s = _stats(api)
    s.slow_calls += 1
    s.slow_seconds += seconds
    s.reasons[reason] += 1
    TOTALS["slow"] += 1
    WINDOW[f"{api}: {reason}"] += 1


def reset() -> None:
    STATS.clear()
    TOTALS.update(fast=0, slow=0)
    WINDOW.clear()


def report(top_reasons: int = 5) -> str:
    """The table printed by ``python -m jaxframes.pandas --report``: one row per API, then the
    grouped fallback reasons of each API that fell back."""
    if not STATS:
        return "jaxframes.pandas: no proxied pandas calls were made.\n"
    rows = sorted(STATS.items(), key=lambda kv: -(kv[1].fast_calls + kv[1].slow_calls))
    width = max(len("API"), *(len(k) for k in STATS))
    head = f"{'API':<{width}}  {'JaxFrames':>9}  {'pandas':>6}  {'JaxFrames s':>11}  {'pandas s':>8}"
    lines = ["jaxframes.pandas report: calls on JaxFrames vs fallen back to pandas", head, "-" * len(head)]
    for api, s in rows:
        lines.append(f"{api:<{width}}  {s.fast_calls:>9}  {s.slow_calls:>6}  {s.fast_seconds:>11.3f}  {s.slow_seconds:>8.3f}")
    fast = sum(s.fast_calls for s in STATS.values())
    slow = sum(s.slow_calls for s in STATS.values())
    lines.append("-" * len(head))
    lines.append(f"{'total':<{width}}  {fast:>9}  {slow:>6}  {sum(s.fast_seconds for s in STATS.values()):>11.3f}"
                 f"  {sum(s.slow_seconds for s in STATS.values()):>8.3f}")
    fell = [(api, s) for api, s in rows if s.reasons]
    if fell:
        lines += ["", "Fallback reasons (count, exception: message):"]
        for api, s in fell:
            lines.append(f"  {api}:")
            for reason, n in s.reasons.most_common(top_reasons):
                lines.append(f"    {n:>5}x {reason}")
            rest = len(s.reasons) - top_reasons
            if rest > 0:
                lines.append(f"    ... and {rest} more distinct reasons")
    return "\n".join(lines) + "\n"
