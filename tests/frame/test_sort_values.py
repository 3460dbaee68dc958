"""DataFrame.sort_values / sort_index / nlargest / nsmallest against pandas: every key dtype,
null keys and positions, ties (our sort is always stable, so single-key cases compare with
pandas' kind='stable'), empty frames, filtered frames, several keys with mixed ascending,
jax.jit, and row sharding."""

import json
import os
import subprocess
import sys
import textwrap

import jax
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import jaxframes as jf
from frames import BOUNDARY_DTYPES, DTYPES, SIZES, make_frame, spread
from jaxframes.testing import assert_frame_equal, assert_matches_pandas
from strategies import frames


@pytest.mark.parametrize(("dtype", "n"), spread(DTYPES + BOUNDARY_DTYPES, SIZES, stride=2))
def test_single_key_every_dtype(dtype, n):
    pdf = make_frame([dtype, "int64"], n=n, nulls="some")
    for ascending in (True, False):
        for na_position in ("last", "first"):
            assert_matches_pandas(lambda d: d.sort_values("c0", ascending=ascending, na_position=na_position,
                                                          kind="stable"), pdf)


@pytest.mark.parametrize("dtype", ["float64", "str", "datetime64[ns]", "Int64", "boolean"])
def test_all_null_keys(dtype):
    pdf = make_frame([dtype, "int32"], n=7, nulls="all")
    assert_matches_pandas(lambda d: d.sort_values("c0", na_position="first", kind="stable"), pdf)
    assert_matches_pandas(lambda d: d.sort_values(["c0", "c1"], ascending=[False, True]), pdf)


@pytest.mark.parametrize("n", [7, 1000])
@pytest.mark.parametrize("ascending", [[True, False, True], [False, True, False], True, False])
def test_several_keys_mixed_ascending(n, ascending):
    # ties on the first keys everywhere; pandas' multi-key sort is stable (lexsort)
    pdf = make_frame(["bool", "str", "Float64", "datetime64[ns]"], n=n, nulls="some")
    for na_position in ("last", "first"):
        assert_matches_pandas(lambda d: d.sort_values(["c0", "c1", "c2"], ascending=ascending,
                                                      na_position=na_position), pdf)


def test_default_quicksort_equals_stable_order():
    pdf = pd.DataFrame({"k": [2, 1, 2, 1, 2, 1, 0] * 3, "v": np.arange(21)})
    expected = pdf.sort_values("k", kind="stable")
    assert_frame_equal(jf.from_pandas(pdf).sort_values("k"), expected)
    assert_frame_equal(jf.from_pandas(pdf).sort_values("k", kind="quicksort"), expected)


def test_ignore_index_and_non_default_index():
    pdf = make_frame(["int64", "str"], n=7, nulls="some").set_index(pd.Index(list("gfedcba"), name="r"))
    assert_matches_pandas(lambda d: d.sort_values("c1", kind="stable"), pdf)
    assert_matches_pandas(lambda d: d.sort_values(["c1", "c0"], ignore_index=True), pdf)


@pytest.mark.parametrize("n", [7, 1000])
def test_filtered_frames(n):
    pdf = make_frame(["int64", "str", "float64"], n=n, nulls="some")
    assert_matches_pandas(lambda d: d[d["c0"] > 0].sort_values(["c1", "c2"], ascending=[False, True]), pdf)
    assert_matches_pandas(lambda d: d[d["c0"] > 0].sort_values("c2", ignore_index=True, kind="stable"), pdf)
    assert_matches_pandas(lambda d: d[d["c0"] > 0].sort_index(ascending=False), pdf)
    assert_matches_pandas(lambda d: d[d["c0"] > 0].nlargest(3, "c2"), pdf)


def test_dead_rows_stay_dead_and_go_last():
    df = jf.DataFrame({"a": [5, 1, 4, 2, 3]})
    out = df[df["a"] != 4].sort_values("a")
    live = np.asarray(out._row_mask)
    assert live.tolist() == [True, True, True, True, False]
    assert np.asarray(out._columns["a"].data)[:4].tolist() == [1, 2, 3, 5]


def test_empty_by_and_no_rows():
    pdf = make_frame(["int64", "str"], n=0)
    assert_matches_pandas(lambda d: d.sort_values(["c0", "c1"]), pdf)
    assert_matches_pandas(lambda d: d.sort_values([]), make_frame(["int64"], n=7))


@pytest.mark.parametrize("call,exc", [
    (lambda d: d.sort_values("nope"), KeyError),
    (lambda d: d.sort_values(["c0", "nope"]), KeyError),
    (lambda d: d.sort_values("c0", na_position="middle"), ValueError),
    (lambda d: d.sort_values(["c0", "c1"], ascending=[True]), ValueError),
    (lambda d: d.sort_values("c0", ascending=None), ValueError),
    (lambda d: d.nlargest(2, "c1"), TypeError),
    (lambda d: d.nlargest(2, "c0", keep="middle"), ValueError),
    (lambda d: d.nsmallest(2, "nope"), KeyError),
])
def test_bad_arguments_raise_like_pandas(call, exc):
    pdf = make_frame(["int64", "str"], n=7)
    assert_matches_pandas(call, pdf, raises=exc)


def test_unsupported_and_immutable():
    df = jf.from_pandas(make_frame(["int64"], n=3))
    with pytest.raises(jf.ImmutableFrameError):
        df.sort_values("c0", inplace=True)
    with pytest.raises(NotImplementedError, match="key="):
        df.sort_values("c0", key=lambda s: s)
    with pytest.raises(NotImplementedError, match="axis=1"):
        df.sort_values(0, axis=1)


@pytest.mark.parametrize("dtype", ["int64", "str", "float64", "datetime64[ns]", "Int64"])
def test_sort_index_column_backed(dtype):
    pdf = make_frame(["int32"], n=7)
    pdf.index = pd.Index(make_frame([dtype], n=7, nulls="some", seed=3)["c0"], name="key")
    for ascending in (True, False):
        for na_position in ("first", "last"):
            assert_matches_pandas(lambda d: d.sort_index(ascending=ascending, na_position=na_position,
                                                         kind="stable"), pdf)


def test_sort_index_range_index():
    pdf = make_frame(["int64", "str"], n=7, nulls="some")
    assert_matches_pandas(lambda d: d.sort_index(), pdf)
    assert_matches_pandas(lambda d: d.sort_index(ascending=False, ignore_index=True), pdf)
    assert_matches_pandas(lambda d: d.sort_values("c0", kind="stable").sort_index(), pdf)


@pytest.mark.parametrize("keep", ["first", "last", "all"])
@pytest.mark.parametrize("n", [0, 1, 3, 10])
def test_nlargest_nsmallest(keep, n):
    pdf = pd.DataFrame({"a": [3, 1, 3, 2, 2, 1, 3, 0], "b": [1.5, np.nan, 0.5, 2.0, 2.0, 1.0, 1.5, -1.0],
                        "c": list("abcdefgh")})
    for columns in ("a", "b", ["a", "b"], ["b", "a"]):
        if keep == "last" and isinstance(columns, list):
            with pytest.raises(NotImplementedError, match="keep='last'"):
                jf.from_pandas(pdf).nlargest(n, columns, keep=keep)
            continue
        assert_matches_pandas(lambda d: d.nlargest(n, columns, keep=keep), pdf)
        assert_matches_pandas(lambda d: d.nsmallest(n, columns, keep=keep), pdf)


def test_sort_values_under_jit():
    pdf = make_frame(["int64", "str", "float64", "Int64"], n=50, nulls="some")
    df = jf.from_pandas(pdf)

    @jax.jit
    def run(frame):
        filtered = frame[frame["c0"] > -3]
        return filtered.sort_values(["c1", "c2"], ascending=[False, True], na_position="first")

    expected = pdf[pdf["c0"] > -3].sort_values(["c1", "c2"], ascending=[False, True], na_position="first")
    assert_frame_equal(run(df), expected)
    nl = jax.jit(lambda f: f.nlargest(4, "c2", keep="all"))(df)
    assert_frame_equal(nl, pdf.nlargest(4, "c2", keep="all"))
    si = jax.jit(lambda f: f.sort_values("c3", kind="stable").sort_index())(df)
    assert_frame_equal(si, pdf)


def test_one_device_mesh_keeps_sharding():
    mesh = jax.make_mesh((1,), ("data",))
    pdf = make_frame(["int64", "str"], n=7, nulls="some")
    df = jf.from_pandas(pdf, sharding=jf.row_sharded(mesh))
    out = df.sort_values(["c1", "c0"])
    assert out.sharding == df.sharding
    assert_frame_equal(out, pdf.sort_values(["c1", "c0"]))


_SHARDED = textwrap.dedent("""
    import json, jax, numpy as np, pandas as pd
    import jaxframes as jf
    from jax.sharding import NamedSharding
    mesh = jax.make_mesh((4,), ("data",))
    pdf = pd.DataFrame({"k": np.arange(30) % 7, "s": pd.Series(list("abcde") * 6, dtype="str"),
                        "v": np.linspace(0, 1, 30)})
    df = jf.from_pandas(pdf, sharding=jf.row_sharded(mesh))
    results = {}
    for name, op in {"sort": lambda d: d.sort_values(["s", "k"], ascending=[False, True]),
                     "filtered": lambda d: d[d["v"] > 0.3].sort_values("k", kind="stable"),
                     "nlargest": lambda d: d.nlargest(5, "k"),
                     "dedup": lambda d: d.drop_duplicates(["k"], keep="last"),
                     "rank": lambda d: d.rank()}.items():
        out = op(df)
        same = out.to_pandas().equals(op(pdf))
        sharded = all(isinstance(c.data.sharding, NamedSharding) and len(c.data.sharding.device_set) == 4
                      for c in out._columns.values())
        results[name] = [bool(same), bool(sharded), out.sharding is not None]
    print(json.dumps(results))
""")


def test_sharded_sort_keeps_row_sharding():
    env = dict(os.environ, JAX_PLATFORMS="cpu", XLA_FLAGS="--xla_force_host_platform_device_count=4")
    proc = subprocess.run([sys.executable, "-c", _SHARDED], env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-4000:]
    results = json.loads(proc.stdout.strip().splitlines()[-1])
    for name, (same, sharded, kept) in results.items():
        assert same, f"{name}: differs from pandas"
        assert sharded and kept, f"{name}: lost its row sharding"


@given(pdf=frames(["int64", "str", "float64", "boolean"], max_size=25),
       keys=st.permutations(["c0", "c1", "c2", "c3"]).map(lambda p: p[:3]),
       ascending=st.lists(st.booleans(), min_size=3, max_size=3),
       na_position=st.sampled_from(["first", "last"]))
def test_property_sort_values_several_keys(pdf, keys, ascending, na_position):
    assert_matches_pandas(lambda d: d.sort_values(keys, ascending=ascending, na_position=na_position,
                                                  kind="stable"), pdf)
