"""String columns under JAX transforms without retracing.

A string dictionary is PyTree data (dictionary.py), so frames with different strings but the
same schema share one trace, and the rules that need string order (comparisons with literals
and between columns, isin, sort, group-by, where/fillna) run on device inside jit: each is
checked against pandas on several frames through ONE compiled function. Host-only string work
(``.str`` methods) raises NotImplementedError inside jit instead of answering from stale strings.
"""

from __future__ import annotations

import bisect
import operator

import jax
import jax.numpy as jnp
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jaxframes as jf
from jaxframes.dictionary import Dictionary
from jaxframes.kernels import strings as kstrings
from jaxframes.testing import assert_frame_equal, assert_series_equal

# Same schema and row count, different strings (nulls, unicode, prefixes, the empty string,
# strings longer than one 16-byte read); all fall in the same dictionary capacity buckets.
FRAMES = [
    pd.DataFrame({"s": ["b", "a", None, "cc", "a", "é"], "t": ["a", "zz", "b", None, "a", "e"],
                  "v": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]}),
    pd.DataFrame({"s": ["bz", "", "b", "b", None, "zzz"], "t": ["bz", "b", "", "c", "d", "zz"],
                  "v": [6.0, 5.0, 4.0, 3.0, 2.0, 1.0]}),
    pd.DataFrame({"s": ["a-long-shared-prefix-2", "a-long-shared-prefix-1", "q", "a", "q", "😀"],
                  "t": ["a-long-shared-prefix-1", None, "q", "b", "p", "😀"],
                  "v": [0.5, -1.0, 2.0, 3.0, -4.0, 8.0]}),
]
CMP = {"eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le,
       "gt": operator.gt, "ge": operator.ge}


def _counting_jit(fn):
    """``jax.jit(fn)`` plus a list that grows by one per trace."""
    traces = []

    def traced(d):
        traces.append(None)
        return fn(d)
    return jax.jit(traced), traces


def _assert_one_trace_like_pandas(fn):
    """``jax.jit(fn)`` over every frame of FRAMES: pandas' answer each time (a frame, or a dict
    of Series), and one trace in all."""
    f, traces = _counting_jit(fn)
    for pdf in FRAMES:
        ours, expected = f(jf.DataFrame(pdf)), fn(pdf)
        if isinstance(expected, dict):
            for k in expected:
                assert_series_equal(ours[k], expected[k])
        else:
            assert_frame_equal(ours, expected)
    assert len(traces) == 1


def test_three_frames_with_different_strings_trace_once():
    def pipeline(d):
        kept = d[(d["s"] >= "b") | d["s"].isin(["a", "zz"])]
        return kept.sort_values("s")

    _assert_one_trace_like_pandas(pipeline)


@pytest.mark.parametrize("literal", ["b", "", "bz", "é", "a-long-shared-prefix-10"])
def test_literal_comparisons_inside_jit(literal):
    def compare(d):
        out = {k: op(d["s"], literal) for k, op in CMP.items()}
        out["reflected_lt"] = literal < d["s"]
        return out

    _assert_one_trace_like_pandas(compare)


def test_literal_comparisons_by_binary_search(monkeypatch):
    """Large dictionaries look literals up by binary search instead of a full scan."""
    monkeypatch.setattr(kstrings, "_SCAN_LIMIT", 0)
    test_literal_comparisons_inside_jit("a-long-shared-prefix-10")


def test_isin_inside_jit():
    def member(d):
        return {"plain": d["s"].isin(["a", "zzz", "absent", "😀"]), "with_null": d["s"].isin(["b", None])}

    _assert_one_trace_like_pandas(member)


def test_column_vs_column_comparisons_inside_jit():
    """Two columns with different dictionaries: codes are put in one order on device."""
    def compare(d):
        return {k: op(d["s"], d["t"]) for k, op in CMP.items()}

    _assert_one_trace_like_pandas(compare)


@pytest.mark.parametrize("sort", [
    lambda d: d.sort_values(["s", "v"]),
    lambda d: d.sort_values("t", ascending=False, na_position="first"),
])
def test_sort_by_strings_inside_jit(sort):
    _assert_one_trace_like_pandas(sort)


def test_groupby_on_string_keys_inside_jit():
    def agg(d):
        return d.groupby("s").agg({"v": "sum"})

    _assert_one_trace_like_pandas(agg)


def test_strings_made_inside_jit_come_out_as_strings():
    """where/fillna merge dictionaries on device; the result's strings are rebuilt on the host."""
    def build(d):
        return d.assign(w=d["s"].where(d["v"] > 2, d["t"]), f=d["t"].fillna("new"))

    _assert_one_trace_like_pandas(build)


def test_vmap_over_stacked_frames_with_different_strings():
    frames = [jf.DataFrame(p) for p in FRAMES[:2]]
    stacked = jax.tree.map(lambda *x: jnp.stack(x), *frames)
    out = jax.jit(jax.vmap(lambda d: d[(d["s"] < d["t"]) | (d["s"] == "a")]))(stacked)
    for k, pdf in enumerate(FRAMES[:2]):
        one = jax.tree.map(lambda x: x[k], out)
        assert_frame_equal(one, pdf[(pdf["s"] < pdf["t"]) | (pdf["s"] == "a")])


def test_grad_passes_frames_with_string_columns():
    pdf = FRAMES[0]

    def loss(d):
        hit = (d["s"] == "a")._column.data
        return jnp.sum(jnp.where(hit, d["v"]._column.data ** 2, 0.0))

    df = jf.DataFrame(pdf)
    grad = jax.grad(loss, allow_int=True)(df)
    assert jax.tree.structure(grad) == jax.tree.structure(df)
    expected = np.where(pdf["s"] == "a", 2 * pdf["v"], 0.0)
    np.testing.assert_allclose(np.asarray(grad["v"]._column.data), expected)


def test_str_methods_with_number_results_inside_jit():
    """pandas' method runs on the real dictionary in a host callback: no retrace, same values."""
    def methods(d):
        return {"contains": d["s"].str.contains("a"), "startswith": d["s"].str.startswith("b")}

    _assert_one_trace_like_pandas(methods)
    masked = FRAMES[0]["t"].astype("string")
    assert_series_equal(jax.jit(lambda s: s.str.len())(jf.from_pandas(masked)), masked.str.len())


def test_host_string_work_inside_jit_raises():
    df = jf.DataFrame(FRAMES[0])
    with pytest.raises(NotImplementedError, match=r"Series\.str\.upper inside jax\.jit"):
        jax.jit(lambda d: d["s"].str.upper())(df)
    with pytest.raises(NotImplementedError, match="inside jax.jit"):
        jax.jit(lambda d: d["s"]._column.dictionary.values)(df)


def test_eager_operations_keep_to_the_host_dictionary():
    """Eagerly, string rules read the host strings: no device form is built."""
    df = jf.DataFrame(FRAMES[0])
    pdf = FRAMES[0]
    assert_series_equal(df["s"] < "b", pdf["s"] < "b")
    assert_series_equal(df["s"].isin(["a"]), pdf["s"].isin(["a"]))
    assert_frame_equal(df.sort_values("s"), pdf.sort_values("s"))
    assert df["s"]._column.dictionary._device is None


# -- the device form and its kernels --------------------------------------------------------------
TEXT = st.text(alphabet="ab\x00é😀", max_size=20)


def _device(strings, entries=16, nbytes=2048):
    """The device form padded to fixed capacities, so a property test compiles once."""
    dev = Dictionary(pa.array(sorted(set(strings)), pa.large_string())).device()
    offsets = jnp.full(entries + 1, dev.offsets[-1]).at[: dev.offsets.shape[0]].set(dev.offsets)
    data = jnp.zeros(nbytes, jnp.uint8).at[: dev.data.shape[0]].set(dev.data)
    return kstrings.StringsOnDevice(offsets, data, dev.count)


def _queries(strings, size=4, nbytes=512):
    """Query strings as (bytes, starts, lengths), padded to fixed sizes."""
    encoded = [s.encode() for s in strings] + [b""] * (size - len(strings))
    lens = np.asarray([len(e) for e in encoded], np.int32)
    data = np.zeros(nbytes, np.uint8)
    joined = np.frombuffer(b"".join(encoded), np.uint8)
    data[: len(joined)] = joined
    return jnp.asarray(data), jnp.asarray(np.cumsum(lens) - lens), jnp.asarray(lens)


@pytest.mark.parametrize("strings", [[], [""], ["\x00", "", "a" * 40, "a" * 39 + "b"]])
def test_device_form_round_trip(strings):
    dic = Dictionary(pa.array(sorted(set(strings)), pa.large_string()))
    back = Dictionary.from_device(dic.device())
    assert back.values.to_pylist() == sorted(set(strings))
    assert back == dic


@given(entries=st.lists(TEXT, max_size=16), queries=st.lists(TEXT, min_size=1, max_size=4))
def test_lookup_matches_python_order(entries, queries):
    table = sorted(set(entries))
    pos, found = jax.jit(kstrings.count_less)(_device(entries), *_queries(queries))
    n = len(queries)
    assert np.asarray(pos)[:n].tolist() == [bisect.bisect_left(table, q) for q in queries]
    assert np.asarray(found)[:n].tolist() == [q in set(table) for q in queries]


@jax.jit
def _union(da, db):
    ca, cb = kstrings.merged_codes(da, db)
    return (ca, cb, kstrings.merge(da, db, ca, cb)) + kstrings.order_keys(da, db)


@given(a=st.lists(TEXT, max_size=12), b=st.lists(TEXT, max_size=12))
def test_merge_is_the_sorted_union(a, b):
    ca, cb, merged, ka, kb = _union(_device(a), _device(b))
    expected = sorted(set(a) | set(b))
    # order keys (for comparisons) order the union as the dense codes do
    ka, kb = np.asarray(ka)[: len(set(a))], np.asarray(kb)[: len(set(b))]
    for i, s in enumerate(sorted(set(a))):
        for j, t in enumerate(sorted(set(b))):
            assert (ka[i] < kb[j], ka[i] == kb[j]) == (s < t, s == t)
    assert Dictionary.from_device(merged).values.to_pylist() == expected
    assert np.asarray(ca)[: len(set(a))].tolist() == [expected.index(s) for s in sorted(set(a))]
    assert np.asarray(cb)[: len(set(b))].tolist() == [expected.index(s) for s in sorted(set(b))]


def test_merge_on_string_keys_inside_jit():
    """The key dictionaries are unified on device; the coalesced outer key decodes right."""
    left = pd.DataFrame({"k": ["x", "y", "z", "y"], "v": [1.0, 2.0, 3.0, 4.0]})
    right = pd.DataFrame({"k": ["y", "w", "x", "q"], "w": [10.0, 20.0, 30.0, 40.0]})
    out = jax.jit(lambda a, b: jf.merge(a, b, on="k", how="outer", capacity=16))(
        jf.from_pandas(left), jf.from_pandas(right))
    assert_frame_equal(out, pd.merge(left, right, on="k", how="outer"))


def test_lazy_stage_with_string_literal_compiles_once():
    from jaxframes.exec import cache
    cache.clear()  # another test may have compiled this stage already
    before = cache.trace_count()
    for pdf in FRAMES:
        got = jf.from_pandas(pdf).lazy().filter(jf.col("s") >= "b").collect()
        assert_frame_equal(got, pdf[pdf["s"] >= "b"])
    assert cache.trace_count() == before + 1


def test_searchsorted_and_concat_inside_jit():
    s = pd.Series(["a", "b", "b", "d", "e"], dtype="str")
    values = ["b", "c", "a", "z", ""]
    for side in ("left", "right"):
        got = jax.jit(lambda x: x.searchsorted(values, side=side))(jf.from_pandas(s))
        np.testing.assert_array_equal(np.asarray(got), s.searchsorted(values, side=side))
    a, b = FRAMES[0][["s", "v"]], FRAMES[2][["s", "v"]]
    out = jax.jit(lambda x, y: jf.concat([x, y]))(jf.from_pandas(a), jf.from_pandas(b))
    assert_frame_equal(out, pd.concat([a, b]))
