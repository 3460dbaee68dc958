"""Comparison helpers: pandas is the oracle. Every conformance test goes through
``assert_matches_pandas``, which runs one call on a pandas object and on its JaxFrames twin
and compares values, dtypes, index and names, or (``raises=``) the exception type the test
expects. ``assert_one_answer`` runs one operation eagerly, lazily and under ``jax.jit``, on
inputs that may hold dead rows, and requires pandas' answer on every path."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

import jax
import numpy as np
import pandas as pd

from jaxframes.frame import DataFrame, from_pandas
from jaxframes.series import Series


def to_pandas_object(obj: Any) -> Any:
    """Our frames/Series as pandas; numpy/JAX scalars as numpy scalars; everything else as is."""
    if isinstance(obj, (DataFrame, Series)):
        return obj.to_pandas()
    if hasattr(obj, "shape") and getattr(obj, "shape", None) == () and hasattr(obj, "dtype"):
        return np.asarray(obj)[()]
    return obj


def assert_frame_equal(result: Any, expected: pd.DataFrame, **kwargs: Any) -> None:
    if not isinstance(result, DataFrame):
        raise AssertionError(f"expected a jaxframes DataFrame, got {type(result).__name__}")
    pd.testing.assert_frame_equal(result.to_pandas(), expected, **kwargs)


def assert_series_equal(result: Any, expected: pd.Series, **kwargs: Any) -> None:
    if not isinstance(result, Series):
        raise AssertionError(f"expected a jaxframes Series, got {type(result).__name__}")
    pd.testing.assert_series_equal(result.to_pandas(), expected, **kwargs)


def assert_same_result(result: Any, expected: Any, **kwargs: Any) -> None:
    """Compare one result with pandas' result of the same call."""
    if isinstance(expected, pd.DataFrame):
        assert_frame_equal(result, expected, **kwargs)
    elif isinstance(expected, pd.Series):
        assert_series_equal(result, expected, **kwargs)
    elif isinstance(expected, pd.Index):
        pd.testing.assert_index_equal(result, expected, **kwargs)
    elif isinstance(expected, np.ndarray):
        np.testing.assert_array_equal(np.asarray(result), expected)
    else:
        got = to_pandas_object(result)
        if expected is pd.NA or expected is pd.NaT:
            assert got is expected, f"{got!r} != {expected!r}"
            return
        if isinstance(expected, (float, np.floating)) and np.isnan(expected):
            assert isinstance(got, (float, np.floating)) and np.isnan(got), f"{got!r} is not NaN"
            return
        pd._testing.assert_almost_equal(got, expected, **kwargs)
        if isinstance(expected, (np.generic, bool, int, float)):
            assert np.asarray(got).dtype.kind == np.asarray(expected).dtype.kind, (
                f"scalar kind differs: {got!r} ({type(got).__name__}) vs {expected!r} ({type(expected).__name__})")


def _check_message(lib: str, err: BaseException, match: str | None) -> None:
    if match is not None and not re.search(match, str(err)):
        raise AssertionError(f"{lib} raised {type(err).__name__}({err}), whose message does not match {match!r}")


def assert_matches_pandas(op: Callable[[Any], Any], data: pd.DataFrame | pd.Series, *,
                          raises: type[BaseException] | None = None, match: str | None = None,
                          **kwargs: Any) -> None:
    """Run ``op`` on pandas ``data`` and on ``jf.from_pandas(data)`` and compare the answers.

    The test states what it expects: values (the default), or ``raises=ExceptionType``, in
    which case pandas must raise it and jaxframes must raise pandas' exception type (``match``:
    a regex both messages must contain). Two libraries raising the same error is never a pass
    when values were expected: the shared error could hide that the case never ran.
    ``kwargs`` go to pandas' frame/series comparison."""
    ours = from_pandas(data)
    try:
        expected = op(data)
    except Exception as err:
        if raises is None:
            raise AssertionError(f"pandas raised {type(err).__name__}({err}) but the test expected values; "
                                 f"pass raises={type(err).__name__} if this error is the expected answer") from err
        if not isinstance(err, raises):
            raise AssertionError(f"pandas raised {type(err).__name__}({err}), not the expected "
                                 f"{raises.__name__}") from err
        _check_message("pandas", err, match)
        try:
            op(ours)
        except type(err) as ours_err:
            _check_message("jaxframes", ours_err, match)
            return
        except Exception as ours_err:
            raise AssertionError(f"pandas raised {type(err).__name__}({err}); "
                                 f"jaxframes raised {type(ours_err).__name__}({ours_err})") from ours_err
        raise AssertionError(f"pandas raised {type(err).__name__}({err}); jaxframes returned a result")
    if raises is not None:
        raise AssertionError(f"the test expected {raises.__name__}, but pandas returned a result")
    assert_same_result(op(ours), expected, **kwargs)


# -- one answer on every path: eager, lazy().collect(), jax.jit ------------------------------------
PATHS = ("eager", "lazy", "jit")


@dataclass(frozen=True)
class Twin:
    """One input as pandas sees it and as JaxFrames holds it."""

    theirs: Any
    ours: Any


def frame_with_dead_rows(data: pd.DataFrame, live: Any) -> Twin:
    """``data`` holds every row, ``live`` marks the live ones: pandas sees only those, our frame
    keeps the others as DEAD rows in its storage (a row mask), where a rule that looks at all
    rows instead of the live ones gives a different answer."""
    live = np.asarray(live, bool)
    return Twin(data[live], from_pandas(data)._filter_rows(live))


def _run_path(path: str, op: Callable[..., Any], frames: tuple) -> Any:
    if path == "eager":
        return op(*frames)
    if path == "lazy":
        out = op(*(f.lazy() for f in frames))
        if not hasattr(out, "collect") or isinstance(out, (DataFrame, Series)):
            raise AssertionError(f"the operation does not build a LazyFrame on the lazy path (got "
                                 f"{type(out).__name__}); leave 'lazy' out of paths for it")
        return out.collect()
    if path == "jit":
        return jax.jit(op)(*frames)
    raise ValueError(f"unknown path {path!r}; paths are {PATHS}")


def _as_jit_dtypes(expected: Any, jit_dtypes: Any) -> Any:
    """pandas' answer in the documented static dtypes used under jit (README: static dtypes)."""
    if jit_dtypes is None:
        return expected
    return expected.astype(jit_dtypes)


def assert_one_answer(op: Callable[..., Any], data: Any, *, paths: tuple[str, ...] = PATHS,
                      raises: type[BaseException] | None = None, match: str | None = None,
                      jit_dtypes: Any = None, **kwargs: Any) -> None:
    """Run ``op`` on pandas and on JaxFrames along every path in ``paths`` and require ONE
    answer: pandas' values and dtypes, or (``raises=``) pandas' exception type on every path.

    ``data`` is a pandas object, a ``Twin`` (``frame_with_dead_rows``), or a tuple of those for
    operations of several frames (``op(*frames)``). Paths: ``eager`` calls ``op``
    on our frames; ``lazy`` calls it on ``frame.lazy()`` and collects (only for operations that
    exist on LazyFrame); ``jit`` calls ``jax.jit(op)``. Under jit a data-dependent dtype follows
    the documented static rule; a test states it with ``jit_dtypes`` (anything ``astype``
    takes), so a difference from pandas is never silent. Every failing path is reported."""
    twins = tuple(t if isinstance(t, Twin) else Twin(t, from_pandas(t))
                  for t in (data if isinstance(data, (tuple, list)) else (data,)))
    theirs, ours = tuple(t.theirs for t in twins), tuple(t.ours for t in twins)
    try:
        expected, expected_err = op(*theirs), None
    except Exception as err:
        expected, expected_err = None, err
    if expected_err is not None and raises is None:
        raise AssertionError(f"pandas raised {type(expected_err).__name__}({expected_err}) but the test expected "
                             f"values") from expected_err
    if expected_err is None and raises is not None:
        raise AssertionError(f"the test expected {raises.__name__}, but pandas returned a result")
    if expected_err is not None:
        if not isinstance(expected_err, raises):
            raise AssertionError(f"pandas raised {type(expected_err).__name__}({expected_err}), "
                                 f"not {raises.__name__}") from expected_err
        _check_message("pandas", expected_err, match)
    failures = []
    for path in paths:
        try:
            got = _run_path(path, op, ours)
        except Exception as err:
            if expected_err is not None and isinstance(err, type(expected_err)):
                try:
                    _check_message(f"jaxframes ({path})", err, match)
                except AssertionError as bad:
                    failures.append(f"[{path}] {bad}")
                continue
            want = f"{type(expected_err).__name__}({expected_err})" if expected_err is not None else "values"
            failures.append(f"[{path}] raised {type(err).__name__}({err}); pandas: {want}")
            continue
        if expected_err is not None:
            failures.append(f"[{path}] returned a result; pandas raised {type(expected_err).__name__}"
                            f"({expected_err})")
            continue
        want = _as_jit_dtypes(expected, jit_dtypes) if path == "jit" else expected
        try:
            assert_same_result(got, want, **kwargs)
        except AssertionError as bad:
            failures.append(f"[{path}] {bad}")
    if failures:
        raise AssertionError("not one answer:\n" + "\n".join(failures))
