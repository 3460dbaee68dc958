"""Series.str against pandas: every method over nulls, empties, unicode, many distinct values,
empty and filtered Series, both string dtypes ('str' with NaN, 'string' with NA)."""

from __future__ import annotations

import jax
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jaxframes as jf
from frames import make_column
from jaxframes.testing import assert_matches_pandas, assert_one_answer, assert_series_equal

WORDS = ["a-b-c", None, "", "ünï-x", "A1", " x ", "😀z-😀", "Hello World", "123", "  ", "ab12", "ABC"]


def _many(n: int = 1000, distinct: int = 500) -> list:
    rng = np.random.default_rng(1)
    pool = [f"w{i:03d}-{'x' * (i % 7)}Q" if i % 11 else None for i in range(distinct)]
    return [pool[i] for i in rng.integers(0, distinct, n)]


CASES = {
    "mixed": WORDS,
    "no_nulls": [w for w in WORDS if w is not None],
    "all_null": [None, None, None],
    "empty": [],
    "many": _many(),
    "grid_some": make_column("str", 7, "some").tolist(),
}
STRING_DTYPES = ("str", "string")


def _series(case: str, dtype: str) -> pd.Series:
    return pd.Series(CASES[case], dtype=dtype, name="s")


METHODS = {
    "len": lambda s: s.str.len(),
    "lower": lambda s: s.str.lower(),
    "upper": lambda s: s.str.upper(),
    "title": lambda s: s.str.title(),
    "capitalize": lambda s: s.str.capitalize(),
    "swapcase": lambda s: s.str.swapcase(),
    "casefold": lambda s: s.str.casefold(),
    "strip": lambda s: s.str.strip(),
    "strip_chars": lambda s: s.str.strip("a x"),
    "lstrip": lambda s: s.str.lstrip(),
    "rstrip": lambda s: s.str.rstrip("Q"),
    "startswith": lambda s: s.str.startswith("a"),
    "startswith_tuple": lambda s: s.str.startswith(("a", "A")),
    "endswith_na": lambda s: s.str.endswith("c", na=True),
    "contains_literal": lambda s: s.str.contains("-", regex=False),
    "contains_regex": lambda s: s.str.contains(r"^[a-z]\d?", regex=True),
    "contains_nocase": lambda s: s.str.contains("abc", case=False),
    "contains_na": lambda s: s.str.contains("b", na=False),
    "replace_literal": lambda s: s.str.replace("-", "+"),
    "replace_n": lambda s: s.str.replace("-", "", n=1),
    "replace_regex": lambda s: s.str.replace(r"[a-c]+", "Z", regex=True),
    "slice": lambda s: s.str.slice(1, 4),
    "slice_step": lambda s: s.str.slice(None, None, 2),
    "getitem_slice": lambda s: s.str[::-1],
    "getitem_int": lambda s: s.str[0],
    "get": lambda s: s.str.get(-1),
    "zfill": lambda s: s.str.zfill(5),
    "pad": lambda s: s.str.pad(6, side="both", fillchar="*"),
    "pad_left": lambda s: s.str.pad(4),
    "center": lambda s: s.str.center(7, "."),
    "ljust": lambda s: s.str.ljust(5, "_"),
    "rjust": lambda s: s.str.rjust(5),
    "isdigit": lambda s: s.str.isdigit(),
    "isalpha": lambda s: s.str.isalpha(),
    "isalnum": lambda s: s.str.isalnum(),
    "isspace": lambda s: s.str.isspace(),
    "islower": lambda s: s.str.islower(),
    "isupper": lambda s: s.str.isupper(),
    "isnumeric": lambda s: s.str.isnumeric(),
    "isdecimal": lambda s: s.str.isdecimal(),
    "istitle": lambda s: s.str.istitle(),
    "count": lambda s: s.str.count("[a-c]"),
    "find": lambda s: s.str.find("b"),
    "rfind": lambda s: s.str.rfind("-"),
    "match": lambda s: s.str.match("[a-z]"),
    "fullmatch": lambda s: s.str.fullmatch(r"\w+"),
    "removeprefix": lambda s: s.str.removeprefix("a"),
    "repeat": lambda s: s.str.repeat(2),
    "split_expand": lambda s: s.str.split("-", expand=True),
    "rsplit_expand_n": lambda s: s.str.rsplit("-", n=1, expand=True),
    "cat_scalar": lambda s: s.str.cat(sep="|"),
    "cat_scalar_na_rep": lambda s: s.str.cat(sep=",", na_rep="?"),
    "cat_self": lambda s: s.str.cat(s, sep="-"),
    "cat_list_na_rep": lambda s: s.str.cat(["z"] * len(s), sep="", na_rep="N"),
}
# a smaller set for the big cases keeps the run short
CORE = ("len", "lower", "contains_regex", "replace_regex", "slice", "get", "find", "split_expand",
        "isdigit", "pad", "cat_self")


@pytest.mark.parametrize("dtype", STRING_DTYPES)
@pytest.mark.parametrize("method", sorted(METHODS))
@pytest.mark.parametrize("case", ["mixed", "no_nulls", "all_null", "empty"])
def test_methods(method: str, case: str, dtype: str) -> None:
    assert_matches_pandas(METHODS[method], _series(case, dtype))


@pytest.mark.parametrize("dtype", STRING_DTYPES)
@pytest.mark.parametrize("method", CORE)
@pytest.mark.parametrize("case", ["many", "grid_some"])
def test_methods_many_distinct(method: str, case: str, dtype: str) -> None:
    assert_matches_pandas(METHODS[method], _series(case, dtype))


@pytest.mark.parametrize("dtype", STRING_DTYPES)
@pytest.mark.parametrize("method", ["len", "lower", "contains_regex", "get", "split_expand", "find",
                                    "cat_scalar", "startswith"])
def test_methods_on_filtered_series(method: str, dtype: str) -> None:
    s = _series("many", dtype)
    keep = np.arange(len(s)) % 3 == 0   # dead rows keep their strings in the dictionary
    assert_matches_pandas(lambda x: METHODS[method](x[keep]), s)
    only_valid = s.notna().to_numpy()  # no live nulls: 'str' integer results stay int64
    assert_matches_pandas(lambda x: METHODS[method](x[only_valid]), s)


@pytest.mark.parametrize("dtype", STRING_DTYPES)
def test_split_then_get(dtype: str) -> None:
    """pandas returns object dtype for the list element; we return the source string dtype."""
    s = _series("mixed", dtype)
    ours = jf.from_pandas(s)
    for pick in (lambda x: x.str[0], lambda x: x.str.get(1), lambda x: x.str[-1]):
        expected = pick(s.str.split("-")).astype(dtype)
        assert_series_equal(pick(ours.str.split("-")), expected)
    expected = s.str.rsplit("-", n=1).str[0].astype(dtype)
    assert_series_equal(ours.str.rsplit("-", n=1).str[0], expected)
    pd.testing.assert_series_equal(ours.str.split("-").to_pandas(), s.str.split("-"))


def test_split_len_str_dtype() -> None:
    s = _series("mixed", "str")
    assert_series_equal(jf.from_pandas(s).str.split("-").str.len(), s.str.split("-").str.len())
    s = _series("no_nulls", "str")
    assert_series_equal(jf.from_pandas(s).str.split("-").str.len(), s.str.split("-").str.len())


def test_cat_with_jf_series() -> None:
    a = _series("mixed", "str")
    b = a.str.upper().rename("t")
    result = jf.from_pandas(a).str.cat(jf.from_pandas(b), sep="/")
    assert_series_equal(result, a.str.cat(b, sep="/"))


def test_errors_match_pandas() -> None:
    s = _series("mixed", "str")
    assert_matches_pandas(lambda x: x.str.pad(3, side="middle"), s, raises=ValueError)
    assert_matches_pandas(lambda x: x.str.contains("(", regex=True), s, raises=ValueError)  # pyarrow's ArrowInvalid
    for non_string in (pd.Series([1, 2]), pd.Series([1.5]), pd.Series([True])):
        assert_matches_pandas(lambda x: x.str, non_string, raises=AttributeError)
    with pytest.raises(AttributeError, match="Can only use .str accessor with string values"):
        jf.Series([1, 2]).str


def test_keeps_index_and_name() -> None:
    s = pd.Series(["b", None, "a"], index=[10, 20, 30], dtype="str", name="n")
    assert_matches_pandas(lambda x: x.str.upper(), s)
    assert_matches_pandas(lambda x: x.str.len(), s)


def test_under_jit() -> None:
    """Inside jit the dictionary is traced: number/bool results come from a host callback,
    string results and data-dependent dtypes refuse."""
    s = _series("mixed", "str")
    ours = jf.from_pandas(s)
    with pytest.raises(NotImplementedError, match=r"Series\.str\.upper inside jax\.jit"):
        jax.jit(lambda x: x.str.upper())(ours)
    assert_series_equal(jax.jit(lambda x: x.str.contains("a"))(ours), s.str.contains("a"))
    with pytest.raises(NotImplementedError, match="inside jax.jit"):
        jax.jit(lambda x: x.str.len())(ours)
    masked = _series("mixed", "string")
    assert_series_equal(jax.jit(lambda x: x.str.len())(jf.from_pandas(masked)), masked.str.len())


@pytest.mark.parametrize("dtype", STRING_DTYPES)
def test_lazy_filter_and_assign(dtype: str) -> None:
    """A lazy plan's schema takes the result dtype of a per-value method from a sample (its
    zero-row frame), the stage computes the table from the Arrow dictionary: one answer."""
    df = pd.DataFrame({"s": pd.Series(WORDS * 2, dtype=dtype), "k": range(24)})
    assert_one_answer(lambda d: d[~d["s"].str.contains("a.*c")].assign(n=lambda x: x["s"].str.count("-")), df,
                      paths=("eager", "lazy"))


TEXT = st.text(alphabet="abcXYZ é-😀", max_size=6)


@given(values=st.lists(st.none() | TEXT, max_size=25), dtype=st.sampled_from(STRING_DTYPES),
       method=st.sampled_from(["len", "upper", "strip", "contains_regex", "replace_literal", "find",
                               "slice", "get", "isalpha", "split_expand", "count", "pad"]))
def test_property_random_text(values: list, dtype: str, method: str) -> None:
    assert_matches_pandas(METHODS[method], pd.Series(values, dtype=dtype))
