"""Data-dependent facts about LIVE rows: one decision point for eager, lazy and user ``jit``.

pandas lets values decide some results: ``int // int`` is float64 when a live divisor is zero,
``int ** int`` raises when a live exponent is negative, ``astype('int64')`` raises on a live NaN.
Every such rule asks ``any_live(...)`` one question: "does any live row satisfy this?". How the
answer is found depends on where the code runs, and is decided here, once:

* eager (concrete arrays): a host sync of ``any(condition & live)``.
* a lazy stage being traced (``speculate``): the stage's *assumption* for this question is
  returned, and the traced answer is recorded. The stage returns the recorded answers beside its
  result; the executor compares them with the assumptions and, on a mismatch, traces again with
  the true answers. The assumptions are part of the stage's cache key, so each outcome compiles
  once, and a rule that raises (negative power) raises at re-trace with pandas' message.
* user ``jax.jit`` (traced, no speculation): the rule's documented static answer ``in_jit``.

Questions are identified by their order of asking within one trace (the trace is deterministic
given its assumptions), plus a rule name that makes mismatches readable.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass, field
from typing import Any, Iterator

import jax
import jax.numpy as jnp

from jaxframes.sync import device_get


def is_traced(*arrays: Any) -> bool:
    """True when any array is a tracer (inside jit/vmap/grad): no host syncs allowed."""
    return any(isinstance(a, jax.core.Tracer) for a in arrays)


@dataclass
class Speculation:
    """The state of one lazy-stage trace: assumptions in, traced answers out."""

    assumptions: tuple[bool, ...] = ()
    asked: list[str] = field(default_factory=list)
    answers: list[Any] = field(default_factory=list)

    def ask(self, rule: str, answer: jax.Array) -> bool:
        position = len(self.asked)
        self.asked.append(rule)
        self.answers.append(answer)
        return self.assumptions[position] if position < len(self.assumptions) else False

    def answer_vector(self) -> jax.Array:
        if not self.answers:
            return jnp.zeros((0,), bool)
        return jnp.stack([jnp.asarray(a, bool) for a in self.answers])


_state = threading.local()


def _current() -> Speculation | None:
    return getattr(_state, "speculation", None)


@contextlib.contextmanager
def speculate(assumptions: tuple[bool, ...] = ()) -> Iterator[Speculation]:
    """Trace under assumptions (see the module docstring); yields the Speculation to read back."""
    previous = _current()
    spec = Speculation(tuple(assumptions))
    _state.speculation = spec
    try:
        yield spec
    finally:
        _state.speculation = previous


def any_live(rule: str, condition: Any, live: Any = None, *, in_jit: bool) -> bool:
    """Whether any live row satisfies ``condition`` (a bool array, or a bool scalar).

    ``live`` is the row mask (None: every row is live). ``in_jit`` is the documented answer used
    inside a user ``jax.jit``, where values cannot be seen.
    """
    condition = jnp.asarray(condition, bool)
    answer = condition if live is None else condition & live
    answer = jnp.any(answer)
    if not is_traced(condition, live):
        return bool(device_get(answer))
    spec = _current()
    if spec is None:
        return in_jit
    return spec.ask(rule, answer)
