"""The compile cache of fused stages, keyed by (plan shape, input schema, capacity bucket,
assumptions about the data).

The input frame's PyTree structure carries the schema (names, dtypes, dictionaries, index
metadata); its leaves' shapes carry the capacity bucket. A Python side effect in the traced
function counts traces, so tests can check that new data of a similar size does not recompile.

Data-dependent pandas rules (facts.any_live) cannot see values while a stage is traced. The
stage is traced under ASSUMPTIONS about their answers (first: all False), and the compiled
function returns the true answers on the live rows beside its result. One host sync reads them
back; if they differ from the assumptions, the stage is traced again under the true answers
(a rule that raises, such as a negative integer power, raises then with pandas' message) and
run again. The assumptions are part of the cache key, so each outcome compiles once, and the
cache remembers the last outcome of a stage, so data like the last run's costs no re-trace.
"""

from __future__ import annotations

import time
from typing import Any, Callable

import jax
import numpy as np

from jaxframes import facts, sync

_CACHE: dict[Any, Any] = {}
_LAST_ASSUMPTIONS: dict[Any, tuple[bool, ...]] = {}  # stage key -> the outcome it last ran under
EAGER = object()  # marks a stage that cannot be traced (host-only operation): run it eagerly
STATS = {"traces": 0, "compiles": 0, "hits": 0, "eager_fallbacks": 0, "compile_seconds": 0.0,
         "retraces": 0}
_NOT_TRACEABLE = (jax.errors.ConcretizationTypeError, jax.errors.TracerArrayConversionError,
                  jax.errors.TracerBoolConversionError, jax.errors.TracerIntegerConversionError,
                  NotImplementedError, TypeError)
#: A trace under the true answers may ask new questions (another code path); a few rounds
#: settle every real rule, more means the questions never stabilise.
_MAX_ROUNDS = 4


class _Stage:
    """One compiled outcome: the executable, the questions its trace asked, and how to rebuild
    its result: the output tree and, per output leaf, the input leaf it forwards (or -1)."""

    __slots__ = ("compiled", "rules", "assumptions", "treedef", "forward")

    def __init__(self, compiled: Any, rules: tuple[str, ...], assumptions: tuple[bool, ...],
                 treedef: Any, forward: tuple[int, ...]):
        self.compiled, self.rules, self.assumptions = compiled, rules, assumptions
        self.treedef, self.forward = treedef, forward

    def __call__(self, frame: Any) -> tuple[Any, Any]:
        """(the stage's result, the true answers of its questions)."""
        computed, answers = self.compiled(frame)
        inputs, computed = jax.tree_util.tree_leaves(frame), iter(computed)
        leaves = [inputs[i] if i >= 0 else next(computed) for i in self.forward]
        return jax.tree_util.tree_unflatten(self.treedef, leaves), answers


def trace_count() -> int:
    """How many times a fused stage has been traced (each trace precedes a compilation)."""
    return STATS["traces"]


def clear() -> None:
    _CACHE.clear()
    _LAST_ASSUMPTIONS.clear()


def cache_key(stage_key: Any, frame: Any) -> tuple:
    leaves, treedef = jax.tree_util.tree_flatten(frame)
    return stage_key, treedef, tuple((leaf.shape, str(leaf.dtype)) for leaf in leaves)


def _compile(body: Callable[[Any], Any], frame: Any, assumptions: tuple[bool, ...]) -> _Stage:
    """Trace ``body`` under ``assumptions``; the executable returns (the result's computed
    leaves, true answers). Leaves the stage passes through unchanged (the columns a filter or
    a with_columns keeps) are not outputs of the executable, which would copy each of them
    (measured: ~130 ms per 6e6-row int64 column, more than the filter itself); ``_Stage``
    takes them from the input instead."""
    asked: list[str] = []
    shape: list[Any] = []  # [output treedef, forwarded input leaf per output leaf]

    def traced(f: Any) -> Any:
        STATS["traces"] += 1  # a Python side effect: runs only while tracing
        position = {id(leaf): i for i, leaf in enumerate(jax.tree_util.tree_leaves(f))}
        with facts.speculate(assumptions) as spec:
            out = body(f)
            asked[:] = spec.asked
            leaves, treedef = jax.tree_util.tree_flatten(out)
            forward = tuple(position.get(id(leaf), -1) for leaf in leaves)
            shape[:] = [treedef, forward]
            return [leaf for leaf, i in zip(leaves, forward) if i < 0], spec.answer_vector()

    start = time.perf_counter()
    compiled = jax.jit(traced).lower(frame).compile()
    STATS["compile_seconds"] += time.perf_counter() - start
    STATS["compiles"] += 1
    used = tuple(assumptions[i] if i < len(assumptions) else False for i in range(len(asked)))
    return _Stage(compiled, tuple(asked), used, *shape)


def _stage(base: Any, body: Callable[[Any], Any], frame: Any, assumptions: tuple[bool, ...]) -> Any:
    """The cached outcome for ``assumptions`` (compiled on first use); EAGER if untraceable."""
    key = (base, assumptions)
    stage = _CACHE.get(key)
    if stage is None:
        try:
            stage = _compile(body, frame, assumptions)
        except _NOT_TRACEABLE:
            stage = EAGER
            STATS["eager_fallbacks"] += 1
        _CACHE[key] = stage
        if stage is not EAGER:  # () and (False, ...) name the same outcome
            _CACHE.setdefault((base, stage.assumptions), stage)
    else:
        STATS["hits"] += 1
    return stage


def run_cached(stage_key: Any, body: Callable[[Any], Any], frame: Any, eager: Callable[[], Any]) -> Any:
    """``body(frame)`` through a cached compiled function; ``eager()`` when it cannot trace.

    The result is the one computed under the true answers of every data-dependent rule on the
    live rows; costs one host sync when the stage asks any question, none otherwise."""
    base = cache_key(stage_key, frame)
    assumptions = _LAST_ASSUMPTIONS.get(base, ())
    for _ in range(_MAX_ROUNDS):
        stage = _stage(base, body, frame, assumptions)
        if stage is EAGER:
            return eager()
        result, answers = stage(frame)
        if not stage.rules:
            return result
        truth = tuple(bool(a) for a in np.asarray(sync.device_get(answers)))
        if truth == stage.assumptions:
            _LAST_ASSUMPTIONS[base] = assumptions
            return result
        STATS["retraces"] += 1
        assumptions = truth
    raise RuntimeError(f"a lazy stage's data-dependent rules did not settle after {_MAX_ROUNDS} traces "
                       f"(questions: {list(stage.rules)}); this is a bug in one of those rules")
