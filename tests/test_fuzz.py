"""Differential fuzzer: random frames, random chains of one to four operations, pandas as oracle.

Hypothesis draws a frame (tests/strategies.py: every dtype, NaN, +-inf, -0.0, NA, NaT,
categoricals, duplicate keys, empty frames) and a chain of steps, each drawn from the pandas
result of the previous one: filters, arithmetic, group-by aggregations and per-row group ops,
merges of every kind, sorts, shifts, casts, accessors, missing-value ops, reshapes and
reductions. The chain runs on pandas, on an eager JaxFrames frame and, when every step has a
lazy spelling, through ``lazy() ... collect()``; each run is compared with pandas' result.

Outcomes: ``pass`` (same result), ``agreed error`` (pandas and we raise the same type),
``unsupported`` (we raise NotImplementedError; or TypeError where pandas' result holds object
dtype, which we cannot hold), ``mismatch`` (anything else: the test fails). Unsupported is never
counted as a pass; the shares are printed at the end of the run.

CI runs the ``ci`` profile (few derandomized examples, well under a minute). A long run:

    HYPOTHESIS_PROFILE=fuzz uv run pytest tests/test_fuzz.py -p no:xdist -o addopts="" -q

collects every mismatch instead of stopping at the first one and prints them grouped by the step
that diverged (``JAXFRAMES_FUZZ_EXAMPLES`` sets the number of chains, default 2000;
``JAXFRAMES_FUZZ_LOG=path`` writes every mismatch to a file). The step
families are configurable: ``JAXFRAMES_FUZZ_OPS=filter,groupby,merge`` (names in FAMILIES).
"""

from __future__ import annotations

import collections
import contextlib
import os
import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import jaxframes as jf
from jaxframes.testing import assert_same_result
from strategies import fuzz_frames

LONG_RUN = settings().max_examples > 100
Convert = Callable[[pd.DataFrame], Any]


@dataclass(frozen=True)
class Step:
    """One operation: ``run(frame, convert)`` on a pandas or eager frame (``convert`` turns a
    pandas frame, e.g. a merge's right side, into the same kind); ``lazy`` likewise on a
    LazyFrame, or None when the step has no lazy spelling."""

    family: str
    text: str
    run: Callable[[Any, Convert], Any]
    lazy: Callable[[Any, Convert], Any] | None = None


def _same(fn: Callable[[Any], Any]) -> Callable[[Any, Convert], Any]:
    return lambda d, convert: fn(d)


def _kinds(pdf: pd.DataFrame) -> dict[str, list[str]]:
    """Column names by what an operation can do with them."""
    out: dict[str, list[str]] = collections.defaultdict(list)
    for name, dtype in pdf.dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype):
            out["category"].append(name)
        elif isinstance(dtype, pd.StringDtype):
            out["str"].append(name)
        elif dtype.kind == "M":
            out["datetime"].append(name)
        elif dtype.kind == "m":
            out["timedelta"].append(name)
        elif dtype.kind == "b":
            out["bool"].append(name)
            out["numeric"].append(name)
        elif dtype.kind in "iuf":
            out["numeric"].append(name)
        out["any"].append(name)
    return out


def _scalar_from(draw, s: pd.Series) -> Any:
    values = s.dropna()
    if len(values) and draw(st.booleans()):
        return values.iloc[draw(st.integers(0, len(values) - 1))]
    dtype = s.dtype
    if isinstance(dtype, pd.StringDtype):
        return draw(st.sampled_from(["a", "B", ""]))
    if isinstance(dtype, pd.CategoricalDtype):
        return draw(st.sampled_from(list(dtype.categories)))
    if dtype.kind == "M":
        return pd.Timestamp("2024-01-01")
    if dtype.kind == "m":
        return pd.Timedelta(minutes=1)
    if dtype.kind == "b":
        return draw(st.booleans())
    return draw(st.sampled_from([0, 1, -1, 0.5, -0.0]))


_COMPARE = {"==": lambda a, b: a == b, "!=": lambda a, b: a != b, "<": lambda a, b: a < b,
            ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b}


# -- step families: each draws one step from the current pandas frame (None: nothing fits) -------
@st.composite
def filter_step(draw, pdf: pd.DataFrame) -> Step:
    kinds = _kinds(pdf)
    c = draw(st.sampled_from(kinds["any"]))
    if draw(st.integers(0, 3)) == 0:
        if draw(st.booleans()):
            return Step("filter", f"d[d[{c!r}].isna()]", _same(lambda d: d[d[c].isna()]),
                        _same(lambda d: d[d[c].is_null()]))
        return Step("filter", f"d[d[{c!r}].notna()]", _same(lambda d: d[d[c].notna()]),
                    _same(lambda d: d[d[c].is_not_null()]))
    dtype = pdf[c].dtype
    ops = ["==", "!="] if isinstance(dtype, pd.CategoricalDtype) and not dtype.ordered else list(_COMPARE)
    op = draw(st.sampled_from(ops))
    value = _scalar_from(draw, pdf[c])
    fn = _COMPARE[op]
    return Step("filter", f"d[d[{c!r}] {op} {value!r}]", _same(lambda d: d[fn(d[c], value)]),
                _same(lambda d: d[fn(d[c], value)]))


_ARITH = {"+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
          "//": lambda a, b: a // b, "%": lambda a, b: a % b, "**": lambda a, b: a ** b}


@st.composite
def arithmetic_step(draw, pdf: pd.DataFrame) -> Step | None:
    kinds = _kinds(pdf)
    out = draw(st.sampled_from(["x", "y", "a"]))
    if kinds["datetime"] and draw(st.integers(0, 3)) == 0:
        a, b = draw(st.sampled_from(kinds["datetime"])), draw(st.sampled_from(kinds["datetime"] + kinds["timedelta"]))
        op = draw(st.sampled_from(["-", "+"] if b in kinds["timedelta"] else ["-"]))
        fn = _ARITH[op]
        return Step("arithmetic", f"d.assign({out}=d[{a!r}] {op} d[{b!r}])",
                    _same(lambda d: d.assign(**{out: fn(d[a], d[b])})), _same(lambda d: d.assign(**{out: fn(d[a], d[b])})))
    if not kinds["numeric"]:
        return None
    a = draw(st.sampled_from(kinds["numeric"]))
    op = draw(st.sampled_from(list(_ARITH)))
    fn = _ARITH[op]
    if draw(st.booleans()):
        b = draw(st.sampled_from(kinds["numeric"]))
        text, run = f"d[{a!r}] {op} d[{b!r}]", lambda d: fn(d[a], d[b])
    else:
        v = draw(st.sampled_from([0, 1, -1, 2, 0.5, -0.0, np.nan, np.inf, True]))
        if draw(st.booleans()):
            text, run = f"d[{a!r}] {op} {v!r}", lambda d: fn(d[a], v)
        else:
            text, run = f"{v!r} {op} d[{a!r}]", lambda d: fn(v, d[a])
    return Step("arithmetic", f"d.assign({out}={text})", _same(lambda d: d.assign(**{out: run(d)})),
                _same(lambda d: d.assign(**{out: run(d)})))


AGGS = ["sum", "mean", "min", "max", "count", "std", "var", "median", "first", "last", "nunique", "prod",
        "any", "all"]


@st.composite
def groupby_step(draw, pdf: pd.DataFrame) -> Step:
    names = list(pdf.columns)
    keys = draw(st.lists(st.sampled_from(names), min_size=1, max_size=min(2, len(names)), unique=True))
    by = keys[0] if len(keys) == 1 and draw(st.booleans()) else keys
    opts = {"as_index": draw(st.booleans()), "sort": draw(st.booleans()), "dropna": draw(st.booleans())}
    values = [n for n in names if n not in keys]
    gb_text = f"d.groupby({by!r}, **{opts!r})"
    form = draw(st.sampled_from(["method", "list", "dict", "named", "size"] if values else ["size"]))
    lazy = None
    if form == "method":
        how = draw(st.sampled_from(AGGS))
        text, fn = f"{gb_text}.{how}()", lambda g: getattr(g, how)()
    elif form == "size":
        text, fn = f"{gb_text}.size()", lambda g: g.size()
    elif form == "list":
        hows = draw(st.lists(st.sampled_from(AGGS), min_size=1, max_size=3, unique=True))
        text, fn = f"{gb_text}.agg({hows!r})", lambda g: g.agg(hows)
    elif form == "dict":
        cols = draw(st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True))
        spec = {c: draw(st.one_of(st.sampled_from(AGGS),
                                  st.lists(st.sampled_from(AGGS), min_size=1, max_size=2, unique=True)))
                for c in cols}
        text, fn = f"{gb_text}.agg({spec!r})", lambda g: g.agg(spec)
        if all(isinstance(v, str) for v in spec.values()):
            lazy = _same(lambda d: d.groupby(by, **opts).agg(spec))
    else:
        named = {f"o{i}": (draw(st.sampled_from(values)), draw(st.sampled_from(AGGS))) for i in range(2)}
        text, fn = f"{gb_text}.agg(**{named!r})", lambda g: g.agg(**named)
    return Step("groupby", text, _same(lambda d: fn(d.groupby(by, **opts))), lazy)


@st.composite
def group_rows_step(draw, pdf: pd.DataFrame) -> Step | None:
    """Per-row group operations: scans, shift/diff, rank, transform, cumcount."""
    names = list(pdf.columns)
    if len(names) < 2:
        return None
    key = draw(st.sampled_from(names))
    opts = {"sort": draw(st.booleans()), "dropna": draw(st.booleans())}
    how = draw(st.sampled_from(["cumsum", "cumprod", "cummax", "cummin", "shift", "diff", "rank", "transform",
                                "cumcount"]))
    if how in ("shift", "diff"):
        p = draw(st.integers(-2, 2))
        call, fn = f"{how}({p})", lambda g: getattr(g, how)(p)
    elif how == "rank":
        method = draw(st.sampled_from(["average", "min", "max", "first", "dense"]))
        call, fn = f"rank(method={method!r})", lambda g: g.rank(method=method)
    elif how == "transform":
        agg = draw(st.sampled_from(["sum", "mean", "min", "max", "count", "first"]))
        call, fn = f"transform({agg!r})", lambda g: g.transform(agg)
    else:
        call, fn = f"{how}()", lambda g: getattr(g, how)()
    return Step("group_rows", f"d.groupby({key!r}, **{opts!r}).{call}",
                _same(lambda d: fn(d.groupby(key, **opts))))


@st.composite
def merge_step(draw, pdf: pd.DataFrame) -> Step:
    """Merge with a right side built from the frame's own rows (so keys match, with duplicates)."""
    names = list(pdf.columns)
    how = draw(st.sampled_from(["inner", "left", "right", "outer", "cross"]))
    on = draw(st.sampled_from(names))
    other = draw(st.sampled_from(names))
    rows = draw(st.lists(st.integers(0, max(len(pdf) - 1, 0)), max_size=6)) if len(pdf) else []
    right = pdf.iloc[rows][[on] + ([other] if other != on else [])].reset_index(drop=True)
    right = right.assign(r=np.arange(len(right), dtype=np.int64))
    sort = draw(st.booleans())
    if how == "cross":
        text = f"d.merge(R, how='cross', sort={sort})  # R = d.iloc[{rows}][{list(right.columns[:-1])}] + r"
        return Step("merge", text, lambda d, convert: d.merge(convert(right), how="cross", sort=sort))
    text = f"d.merge(R, how={how!r}, on={on!r}, sort={sort})  # R = d.iloc[{rows}][{list(right.columns[:-1])}] + r"
    lazy = None if sort else (lambda d, convert: d.merge(convert(right), how=how, on=on))
    return Step("merge", text, lambda d, convert: d.merge(convert(right), how=how, on=on, sort=sort), lazy)


@st.composite
def sort_step(draw, pdf: pd.DataFrame) -> Step:
    by = draw(st.lists(st.sampled_from(list(pdf.columns)), min_size=1, max_size=2, unique=True))
    asc = draw(st.one_of(st.booleans(), st.lists(st.booleans(), min_size=len(by), max_size=len(by))))
    na = draw(st.sampled_from(["last", "first"]))
    return Step("sort", f"d.sort_values({by!r}, ascending={asc!r}, na_position={na!r}, kind='stable')",
                _same(lambda d: d.sort_values(by, ascending=asc, na_position=na, kind="stable")),
                _same(lambda d: d.sort_values(by, ascending=asc, na_position=na)))


@st.composite
def shift_step(draw, pdf: pd.DataFrame) -> Step:
    p = draw(st.integers(-2, 2))
    return Step("shift", f"d.shift({p})", _same(lambda d: d.shift(p)))


CAST_TARGETS = ["int64", "int32", "float64", "float32", "str", "Int64", "boolean", "Float64", "bool", "category"]


@st.composite
def cast_step(draw, pdf: pd.DataFrame) -> Step:
    c = draw(st.sampled_from(list(pdf.columns)))
    target = draw(st.sampled_from(CAST_TARGETS))
    return Step("cast", f"d.astype({{{c!r}: {target!r}}})", _same(lambda d: d.astype({c: target})))


_ACCESSORS = {
    "str": ["str.len()", "str.upper()", "str.lower()", "str.strip()", "str.contains('a')", "str.startswith('a')"],
    "datetime": ["dt.year", "dt.month", "dt.day", "dt.hour", "dt.dayofweek", "dt.date"],
    "timedelta": ["dt.days", "dt.seconds", "dt.total_seconds()"],
    "category": ["cat.codes"],
}


def _accessor_call(s: Any, path: str) -> Any:
    head, _, call = path.partition(".")
    obj = getattr(s, head)
    if call.endswith("('a')"):
        return getattr(obj, call[:-5])("a")
    if call.endswith("()"):
        return getattr(obj, call[:-2])()
    return getattr(obj, call)


@st.composite
def accessor_step(draw, pdf: pd.DataFrame) -> Step | None:
    kinds = _kinds(pdf)
    options = [(c, path) for kind, paths in _ACCESSORS.items() for c in kinds[kind] for path in paths]
    if not options:
        return None
    c, path = draw(st.sampled_from(options))
    fn = _same(lambda d: d.assign(x=_accessor_call(d[c], path)))
    return Step("accessor", f"d.assign(x=d[{c!r}].{path})", fn, fn)


@st.composite
def missing_step(draw, pdf: pd.DataFrame) -> Step:
    c = draw(st.sampled_from(list(pdf.columns)))
    which = draw(st.sampled_from(["dropna", "fillna", "drop_duplicates", "head"]))
    if which == "dropna":
        return Step("missing", f"d.dropna(subset=[{c!r}])", _same(lambda d: d.dropna(subset=[c])))
    if which == "fillna":
        v = _scalar_from(draw, pdf[c])
        return Step("missing", f"d.fillna({{{c!r}: {v!r}}})", _same(lambda d: d.fillna({c: v})))
    if which == "drop_duplicates":
        keep = draw(st.sampled_from(["first", "last", False]))
        fn = _same(lambda d: d.drop_duplicates(subset=[c], keep=keep))
        return Step("missing", f"d.drop_duplicates(subset=[{c!r}], keep={keep!r})", fn, fn)
    n = draw(st.integers(0, 4))
    return Step("missing", f"d.head({n})", _same(lambda d: d.head(n)), _same(lambda d: d.head(n)))


@st.composite
def reshape_step(draw, pdf: pd.DataFrame) -> Step | None:
    names = list(pdf.columns)
    if len(names) < 2:
        return None
    if draw(st.booleans()):
        ids = draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names) - 1, unique=True))
        return Step("reshape", f"d.melt(id_vars={ids!r})", _same(lambda d: d.melt(id_vars=ids)))
    index, columns = draw(st.lists(st.sampled_from(names), min_size=2, max_size=2, unique=True))
    rest = [n for n in names if n not in (index, columns)]
    values = draw(st.sampled_from(rest)) if rest and draw(st.booleans()) else None
    aggfunc = draw(st.sampled_from(["sum", "mean", "count", "max", "min", "size"]))
    cols = columns if draw(st.booleans()) else None
    kw = {"index": index, "columns": cols, "values": values, "aggfunc": aggfunc}
    return Step("reshape", f"d.pivot_table(**{kw!r})", _same(lambda d: d.pivot_table(**kw)))


@st.composite
def reduce_step(draw, pdf: pd.DataFrame) -> Step:
    """Frame reductions and summaries (end the chain: Series results)."""
    how = draw(st.sampled_from(["sum", "mean", "min", "max", "median", "std", "count", "nunique", "any",
                                "quantile", "describe"]))
    if how == "quantile":
        q = draw(st.sampled_from([0.5, [0.0, 0.25, 1.0]]))
        text, fn = f"d.quantile({q!r}, numeric_only=True)", lambda d: d.quantile(q, numeric_only=True)
    elif how == "describe":
        text, fn = "d.describe()", lambda d: d.describe()
    elif how in ("count", "nunique"):
        text, fn = f"d.{how}()", lambda d: getattr(d, how)()
    else:
        text, fn = f"d.{how}(numeric_only=True)", lambda d: getattr(d, how)(numeric_only=True)
    return Step("reduce", text, _same(fn))


FAMILIES: dict[str, Callable[[pd.DataFrame], st.SearchStrategy]] = {
    "filter": filter_step, "arithmetic": arithmetic_step, "groupby": groupby_step, "group_rows": group_rows_step,
    "merge": merge_step, "sort": sort_step, "shift": shift_step, "cast": cast_step, "accessor": accessor_step,
    "missing": missing_step, "reshape": reshape_step, "reduce": reduce_step,
}


def enabled_families() -> list[str]:
    chosen = os.environ.get("JAXFRAMES_FUZZ_OPS")
    names = list(FAMILIES) if not chosen else [n.strip() for n in chosen.split(",") if n.strip()]
    unknown = set(names) - set(FAMILIES)
    if unknown:
        raise ValueError(f"JAXFRAMES_FUZZ_OPS: unknown families {sorted(unknown)}; known: {sorted(FAMILIES)}")
    return names


# -- running and comparing a chain ------------------------------------------------------------------
@dataclass
class Drawn:
    frame: pd.DataFrame
    steps: list[Step]
    expected: Any = None
    error: BaseException | None = None

    def text(self) -> str:
        """The chain as Python that rebuilds it (paste into a regression test)."""
        return "\n".join(["from pandas import Timestamp, Timedelta; nan, inf = float('nan'), float('inf')",
                          f"d = pd.DataFrame({{{', '.join(_column_source(n, s) for n, s in self.frame.items())}}})"]
                         + [f"d = {s.text}" for s in self.steps])


def _column_source(name: str, s: pd.Series) -> str:
    values = s.astype(object).where(s.notna(), None).tolist()
    if isinstance(s.dtype, pd.CategoricalDtype):
        return (f"{name!r}: pd.Categorical({values!r}, categories={list(s.dtype.categories)!r}, "
                f"ordered={s.dtype.ordered})")
    return f"{name!r}: pd.Series({values!r}, dtype={str(s.dtype)!r})"


def _quiet(fn: Callable[[], Any]) -> Any:
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        return fn()


@st.composite
def chains(draw, families: list[str], max_steps: int = 4) -> Drawn:
    """A frame and a chain of steps, each drawn from pandas' result so far. A chain ends early
    when pandas raises or the result is no longer a plain frame."""
    pdf = draw(fuzz_frames())
    drawn = Drawn(pdf, [])
    current: Any = pdf
    for _ in range(draw(st.integers(1, max_steps))):
        if not isinstance(current, pd.DataFrame) or isinstance(current.columns, pd.MultiIndex) \
                or not len(current.columns) or not all(isinstance(c, str) for c in current.columns):
            break
        step = draw(st.sampled_from(families).flatmap(lambda name: FAMILIES[name](current)))
        if step is None:
            continue
        drawn.steps.append(step)
        try:
            current = _quiet(lambda: step.run(current, lambda p: p))
        except Exception as err:  # pandas refused: the chain ends with this step
            drawn.error, current = err, None
            break
    drawn.expected = current
    return drawn


def _holds_object(expected: Any) -> bool:
    if isinstance(expected, pd.DataFrame):
        return any(dt == object for dt in expected.dtypes)
    return isinstance(expected, (pd.Series, pd.Index)) and expected.dtype == object


def outcome(drawn: Drawn, run: Callable[[], Any]) -> tuple[str, str]:
    """('pass' | 'agreed error' | 'unsupported' | 'mismatch', detail)."""
    try:
        got = _quiet(run)
    except NotImplementedError as err:
        return "unsupported", f"NotImplementedError: {err}"
    except Exception as err:
        if drawn.error is not None and isinstance(err, type(drawn.error)):
            return "agreed error", type(err).__name__
        if isinstance(err, TypeError) and drawn.error is None and _holds_object(drawn.expected):
            return "unsupported", f"object dtype refused: {err}"
        expected = "a result" if drawn.error is None else f"{type(drawn.error).__name__}({drawn.error})"
        return "mismatch", f"pandas gave {expected}; jaxframes raised {type(err).__name__}({err})"
    if drawn.error is not None:
        return "mismatch", f"pandas raised {type(drawn.error).__name__}({drawn.error}); jaxframes returned a result"
    try:
        assert_same_result(got, drawn.expected)
    except AssertionError as err:
        return "mismatch", f"different result: {str(err).strip()[:600]}"
    return "pass", ""


def _run_eager(drawn: Drawn) -> Any:
    current = jf.from_pandas(drawn.frame)
    for step in drawn.steps:
        current = step.run(current, jf.from_pandas)
    return current


def _run_lazy(drawn: Drawn) -> Any:
    current = jf.from_pandas(drawn.frame).lazy()
    for step in drawn.steps:
        current = step.lazy(current, lambda p: jf.from_pandas(p).lazy())
    return current.collect() if isinstance(current, jf.LazyFrame) else current


STATS: collections.Counter = collections.Counter()
MISMATCHES: dict[str, list[str]] = collections.defaultdict(list)
UNSUPPORTED: collections.Counter = collections.Counter()  # why we refused, for the long-run report


@pytest.fixture(scope="module", autouse=True)
def report(request):
    """Print the outcome shares (and, in a long run, the mismatches grouped by step family)."""
    yield
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    with capture.global_and_fixture_disabled() if capture else contextlib.nullcontext():
        _report()


def _report() -> None:
    """The outcome shares; in a long run also why we refused and every mismatch (JAXFRAMES_FUZZ_LOG)."""
    total = sum(STATS.values())
    if not total:
        return
    shares = ", ".join(f"{k} {v} ({100 * v / total:.1f}%)" for k, v in sorted(STATS.items()))
    print(f"\nfuzz: {total} runs: {shares}")
    if LONG_RUN:
        for reason, count in UNSUPPORTED.most_common(15):
            print(f"fuzz unsupported x{count}: {reason}")
    for family, cases in sorted(MISMATCHES.items()):
        print(f"fuzz mismatches in {family}: {len(cases)}")
        for case in cases[:5]:
            print(case)
    log = os.environ.get("JAXFRAMES_FUZZ_LOG")
    if log:
        with open(log, "w") as f:
            f.print(f"{shares}\n\n" + "\n".join(c for cases in MISMATCHES.values() for c in cases))
    if LONG_RUN and MISMATCHES:
        pytest.fail(f"fuzz found {sum(map(len, MISMATCHES.values()))} mismatches (printed above)")


def check(drawn: Drawn) -> None:
    runs = [("eager", lambda: _run_eager(drawn))]
    if all(s.lazy is not None for s in drawn.steps):
        runs.append(("lazy", lambda: _run_lazy(drawn)))
    for mode, run in runs:
        kind, detail = outcome(drawn, run)
        STATS[f"{mode} {kind}"] += 1
        if kind == "unsupported":
            UNSUPPORTED[f"[{mode}] {detail[:120]}"] += 1
        if kind != "mismatch":
            continue
        message = f"[{mode}] {detail}\n{drawn.text()}"
        if not LONG_RUN:
            raise AssertionError(message)
        family = drawn.steps[-1].family if drawn.steps else "frame"
        MISMATCHES[family].append(message + "\n")


CI_EXAMPLES = 20  # about 15 s of CPU: the CI budget
FUZZ_SETTINGS = settings(max_examples=int(os.environ.get("JAXFRAMES_FUZZ_EXAMPLES",
                                                         settings().max_examples if LONG_RUN else CI_EXAMPLES)),
                         suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                HealthCheck.filter_too_much])


@FUZZ_SETTINGS
@given(chains(enabled_families()))
def test_chains_match_pandas(drawn: Drawn):
    check(drawn)
