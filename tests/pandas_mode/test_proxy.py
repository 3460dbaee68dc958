"""Accelerator mode (jaxframes.pandas): the proxy module, dispatch, fallback accounting, strict
and verify modes, mutation through the proxy, and a script run by ``python -m jaxframes.pandas``."""

from __future__ import annotations

import io

import importlib
import logging
import os
import subprocess
import sys
import textwrap
import types

import numpy as np
import pandas as real_pd
import pytest
from pandas.errors import Pandas4Warning

import jaxframes as jf
import jaxframes.pandas as jp
from jaxframes.pandas import profile
from jaxframes.pandas.module import ModuleProxy


@pytest.fixture
def pd(monkeypatch):
    """The proxy pandas module, as user code sees it; real pandas is back afterwards. Calls go to
    JaxFrames (no routing to pandas on this CPU-only JAX: see test_routing_on_cpu)."""
    monkeypatch.setenv("JAXFRAMES_PANDAS_ROUTE", "jaxframes")
    jp.install(compilation_cache=False)
    jp.reset()
    try:
        yield importlib.import_module("pandas")
    finally:
        jp.uninstall()
        jp.reset()
    assert sys.modules["pandas"] is real_pd


def _frame(pd):
    return pd.DataFrame({"k": [1, 2, 1, 3], "v": [1.0, 2.0, 3.0, 4.0], "s": ["a", "b", "a", "c"]})


def test_user_code_gets_proxies_and_pandas_keeps_real_classes(pd):
    assert jp.installed() and pd is not real_pd
    df = _frame(pd)
    assert type(df) is pd.DataFrame and type(df) is not real_pd.DataFrame
    # isinstance holds for proxies and for real pandas objects
    assert isinstance(df, pd.DataFrame) and isinstance(real_pd.DataFrame({"a": [1]}), pd.DataFrame)
    assert isinstance(df["v"], pd.Series) and not isinstance(df["v"], pd.DataFrame)
    assert pd.Index is real_pd.Index  # JaxFrames has no Index type: pandas' own
    # pandas' internals look the same names up and get the real classes
    internal = sys.modules["pandas.core.frame"]._jfp_real
    assert internal.DataFrame is real_pd.DataFrame
    assert sys.modules["pandas"]._jfp_real is real_pd
    # a pandas function called by user code takes proxies and gives proxies
    out = pd.api.types.is_list_like(df)
    assert out is True
    pd.testing.assert_frame_equal(df, real_pd.DataFrame({"k": [1, 2, 1, 3], "v": [1.0, 2.0, 3.0, 4.0],
                                                          "s": ["a", "b", "a", "c"]}))


def test_calls_run_on_jaxframes_and_match_pandas(pd):
    df = _frame(pd)
    got = df.groupby("k").agg({"v": "sum"})
    assert isinstance(got, pd.DataFrame) and isinstance(got._fs_fast, jf.DataFrame)
    expected = real_pd.DataFrame({"k": [1, 2, 1, 3], "v": [1.0, 2.0, 3.0, 4.0]}).groupby("k").agg({"v": "sum"})
    real_pd.testing.assert_frame_equal(got._slow(), expected)
    merged = pd.merge(df, df, on="k")
    assert merged.shape == (6, 5)
    assert df["v"].sum() == 10.0 and isinstance(df["v"].sum(), np.floating)
    stats = profile.STATS
    assert stats["DataFrameGroupBy.agg"].fast_calls == 1 and stats["pandas.merge"].fast_calls == 1
    assert stats["DataFrame.groupby"].slow_calls == 0


def test_fallback_is_recorded_with_its_reason_and_logged(pd, caplog):
    df = pd.DataFrame({"a": [1, "x", None]})  # an object column JaxFrames cannot hold
    with caplog.at_level(logging.DEBUG, logger="jaxframes.pandas"):
        out = df.isna()
    assert isinstance(out, pd.DataFrame) and out["a"].tolist() == [False, False, True]
    s = profile.STATS["DataFrame.isna"]
    assert s.fast_calls == 0 and s.slow_calls == 1
    (reason,) = s.reasons
    assert reason.startswith("NotImplementedError") or reason.startswith("TypeError")
    assert "mixed" in reason
    assert any("fallback to pandas: DataFrame.isna" in r.getMessage() for r in caplog.records)
    text = jp.report()
    assert "DataFrame.isna" in text and "Fallback reasons" in text and reason in text


def test_a_method_jaxframes_refuses_falls_back_naming_it(pd):
    df = pd.DataFrame({"v": [1.0, 2.0]}, index=real_pd.date_range("2024-01-01", periods=2).as_unit("ns")._with_freq(None))
    out = df.to_period("2D")  # frequency multiples are refused by JaxFrames: pandas runs it
    assert isinstance(out.index, real_pd.PeriodIndex) and out.index.freqstr == "2D"
    (reason,) = profile.STATS["DataFrame.to_period"].reasons
    assert reason.startswith("NotImplementedError") and "to_period of period[2D] is not supported" in reason


def test_strict_mode_raises_instead_of_falling_back(pd, monkeypatch):
    df = pd.DataFrame({"a": [1, "x", None]})
    monkeypatch.setenv("JAXFRAMES_PANDAS", "strict")
    with pytest.raises(jp.FallbackError, match=r"DataFrame\.isna would fall back to pandas .*mixed.*strict"):
        df.isna()
    assert _frame(pd)["v"].sum() == 10.0  # what JaxFrames runs still runs


def test_verify_mode_raises_on_a_differing_answer(pd, monkeypatch):
    monkeypatch.setenv("JAXFRAMES_PANDAS", "verify")
    df = _frame(pd)
    assert df["v"].max() == 4.0  # same answer: fine
    monkeypatch.setattr(jf.Series, "max", lambda self, *a, **k: 5.0)
    with pytest.raises(jp.VerifyError, match=r"Series\.max differs between JaxFrames and pandas"):
        df["v"].max()


def test_unknown_mode_is_refused(monkeypatch):
    monkeypatch.setenv("JAXFRAMES_PANDAS", "fast")
    with pytest.raises(ValueError, match="JAXFRAMES_PANDAS='fast': expected one of fallback, strict, verify"):
        profile.mode()


def test_mutation_rebinds_the_proxy(pd):
    df = _frame(pd)
    df["w"] = df["v"] * 2  # on JaxFrames: the proxy now holds the new frame
    assert isinstance(df._fs_fast, jf.DataFrame) and df._fs_slow is None
    assert df["w"].tolist() == [2.0, 4.0, 6.0, 8.0]
    df.loc[0, "v"] = 100.0  # on JaxFrames: rebound to the new frame .loc.set builds
    assert isinstance(df._fs_fast, jf.DataFrame) and df._fs_slow is None
    df["x"] = 0
    del df["x"]  # on pandas: the stale JaxFrames side is dropped
    assert df._fs_fast is None and df["v"].tolist() == [100.0, 2.0, 3.0, 4.0]
    with pytest.warns(Pandas4Warning, match="inplace keyword in DataFrame.sort_values is deprecated") as seen:
        df.sort_values("v", inplace=True)  # inplace on JaxFrames: rebinds, returns None (pandas' warning kept)
    assert seen[0].filename == __file__  # attributed to the user's line, as pandas does
    assert df["v"].tolist() == [2.0, 3.0, 4.0, 100.0] and df.index.tolist() == [1, 2, 3, 0]
    df.columns = ["K", "V", "S", "W"]
    assert list(df.columns) == ["K", "V", "S", "W"] and df["V"].sum() == 109.0
    df.index.name = "row"  # an Index handed out is pandas' own, so renaming it sticks
    assert df.reset_index().columns[0] == "row"
    s = df["V"]
    s += 1
    assert s.tolist() == [3.0, 4.0, 5.0, 101.0] and df["V"].tolist() == [2.0, 3.0, 4.0, 100.0]


def test_item_assignment_runs_on_jaxframes(pd, monkeypatch):
    """.loc/.iloc/.at/.iat and s[key] assignments rebind the proxy to the new object JaxFrames
    builds (strict mode: no fallback), with pandas' values and dtype changes."""
    monkeypatch.setenv("JAXFRAMES_PANDAS", "strict")
    df = _frame(pd)
    df.loc[df["k"] == 1, "v"] = 0.0
    df.iloc[3, 0] = 7
    df.at[1, "s"] = "q"
    s = df["k"]
    s[2] = None  # int64 -> float64, as in pandas
    assert df["v"].tolist() == [0.0, 2.0, 0.0, 4.0] and df["k"].tolist() == [1, 2, 1, 7]
    assert df["s"].tolist() == ["a", "q", "a", "c"] and str(s.dtype) == "float64" and np.isnan(s.tolist()[2])
    monkeypatch.setenv("JAXFRAMES_PANDAS", "fallback")  # an error is pandas' own, after a fallback
    with pytest.raises(TypeError, match="Invalid value '1.5' for dtype 'int64'"):
        df.iloc[0, 0] = 1.5


def test_protocols_numpy_pickle_and_callbacks(pd):
    import pickle

    df = _frame(pd)
    assert len(df) == 4 and list(df) == ["k", "v", "s"] and "v" in df
    assert np.asarray(df["v"]).tolist() == [1.0, 2.0, 3.0, 4.0]
    assert isinstance(np.sqrt(df["v"]), pd.Series)
    back = pickle.loads(pickle.dumps(df))
    assert isinstance(back, pd.DataFrame) and back.equals(df)
    seen = []
    out = df.assign(z=lambda d: seen.append(type(d)) or d["v"] + 1)
    assert seen and seen[0] is pd.DataFrame and out["z"].tolist() == [2.0, 3.0, 4.0, 5.0]
    assert "k" in repr(df) and isinstance(df._repr_html_(), str)


def test_script_runs_unchanged_with_a_report(tmp_path):
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent("""
        import sys
        import pandas as pd
        df = pd.DataFrame({"k": [1, 2, 1], "v": [1.0, 2.0, 3.0]})
        out = df.groupby("k").v.sum()
        df.loc[0, "v"] = 10.0
        df.loc[3, "v"] = 1.0
        print(type(df).__name__, out.tolist(), df["v"].tolist(), sys.argv[1:])
    """))
    cache = tmp_path / "cache"  # never the user's ~/.cache
    env = {**os.environ, "JAX_PLATFORMS": "cpu", "JAXFRAMES_PANDAS_ROUTE": "jaxframes", "JAXFRAMES_CACHE_DIR": str(cache)}
    env.pop("JAXFRAMES_PANDAS", None)
    run = subprocess.run([sys.executable, "-m", "jaxframes.pandas", "--report", str(script), "x", "--y"],
                         capture_output=True, text=True, env=env, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "DataFrame [4.0, 2.0] [10.0, 2.0, 3.0, 1.0] ['x', '--y']" in run.stdout
    assert list((cache / "executables").glob("*.bin")) and list((cache / "jax").iterdir())
    assert "DataFrame.groupby" in run.stderr and "DataFrame.loc.__setitem__" in run.stderr
    assert "through .loc (enlargement)" in run.stderr


def test_routing_on_cpu(pd, monkeypatch):
    """JAXFRAMES_PANDAS_ROUTE: JaxFrames by default; auto (opt-in) sends calls to pandas on a
    CPU-only JAX, with the reason in the report; strict and verify modes still run JaxFrames; a
    bad value fails."""
    import jax

    assert jax.default_backend() == "cpu"
    monkeypatch.delenv("JAXFRAMES_PANDAS_ROUTE", raising=False)
    assert profile.route() == "jaxframes"
    monkeypatch.setenv("JAXFRAMES_PANDAS_ROUTE", "auto")
    df = _frame(pd)
    assert df["v"].sum() == 10.0 and df._fs_fast is None  # nothing converted
    assert profile.TOTALS == {"fast": 0, "slow": 2}
    assert "Routed: the JAX backend is cpu" in jp.report()
    monkeypatch.setenv("JAXFRAMES_PANDAS", "strict")
    assert df["v"].sum() == 10.0 and profile.TOTALS["fast"] == 2
    monkeypatch.setenv("JAXFRAMES_PANDAS", "fallback")
    monkeypatch.setenv("JAXFRAMES_PANDAS_ROUTE", "gpu")
    with pytest.raises(ValueError, match="JAXFRAMES_PANDAS_ROUTE='gpu': expected one of auto, jaxframes, pandas"):
        df["v"].sum()


def test_monkeypatching_a_pandas_module_through_the_proxy_is_undone(pd, monkeypatch):
    rl = importlib.import_module("pandas.core.reshape.reshape")
    original = rl._jfp_real._Unstacker
    with monkeypatch.context() as m:
        m.setattr(rl, "_Unstacker", object)
        assert rl._jfp_real._Unstacker is object
    assert rl._jfp_real._Unstacker is original


def test_private_pandas_methods_take_proxies(pd):
    df = pd.DataFrame({"a": [1]})
    out = df._append_internal(pd.Series([7], index=["a"], name=2))
    assert isinstance(out, pd.DataFrame) and out["a"].tolist() == [1, 7]


def test_a_pandas_module_imported_later_is_proxied_and_restored(pd):
    name = "pandas.io.formats.xml"  # not imported by `import pandas`
    importlib.import_module(name)
    assert isinstance(sys.modules[name], ModuleProxy)
    jp.uninstall()
    assert type(sys.modules[name]) is types.ModuleType
    assert type(sys.modules["pandas.io.formats"].xml) is types.ModuleType


def test_label_assignment_rebinds_to_jaxframes_and_ufuncs_are_operators(pd):
    df = _frame(pd)
    df.columns = ["K", "V", "S"]  # rebinds to a new JaxFrames frame, no fallback
    df.index = [10, 20, 30, 40]
    assert isinstance(df._fs_fast, jf.DataFrame) and df._fs_slow is None
    s = df["V"]
    s.name = "w"
    s.index = list("abcd")
    real = real_pd.Series([1.0, 2.0, 3.0, 4.0], index=list("abcd"), name="w")
    real_pd.testing.assert_series_equal(s._slow(), real)
    real_pd.testing.assert_series_equal(np.subtract(10, s)._slow(), 10 - real)
    real_pd.testing.assert_series_equal(np.less(2.0, s)._slow(), np.less(2.0, real))
    real_pd.testing.assert_series_equal(np.negative(s)._slow(), -real)
    assert profile.TOTALS["slow"] == 0
    with pytest.raises(ValueError, match="Length mismatch: Expected axis has 3 elements"):
        df.columns = ["a"]  # pandas' error, from the pandas side
    assert list(df.columns) == ["K", "V", "S"]


def test_astype_object_runs_on_pandas_with_its_reason(pd):
    s = pd.Series([1.0, 2.0])
    for dtype in (object, "object", "O", np.dtype(object), {None: object}):
        out = s.astype(dtype) if not isinstance(dtype, dict) else pd.DataFrame({"a": [1]}).astype({"a": object})
        assert all(d == np.dtype(object) for d in np.atleast_1d(out.dtypes))
    assert "astype(object)" in jp.report()


def test_setting_a_column_with_a_non_string_label_runs_on_jaxframes(pd):
    df = pd.DataFrame({0: [1, 2], 1: [3.0, 4.0]})
    real = real_pd.DataFrame({0: [1, 2], 1: [3.0, 4.0]})
    for key, value in ((0, [5, 6]), (2, 7.5), (1.5, [True, False])):
        df[key] = value
        real[key] = value
    assert isinstance(df._fs_fast, jf.DataFrame) and df._fs_slow is None
    real_pd.testing.assert_frame_equal(df._slow(), real)
    assert profile.TOTALS["slow"] == 0


def test_concat_of_one_shot_iterables(pd):
    from collections import deque

    a, b = pd.DataFrame([1, 2]), pd.DataFrame([3])
    for objs in ((d for d in (a, b)), deque((a, b)), iter([a, b])):
        assert pd.concat(objs, ignore_index=True)[0].tolist() == [1, 2, 3]


def test_read_parquet_runs_on_jaxframes_only_for_what_it_reads_as_pandas(pd, tmp_path):
    plain, odd = tmp_path / "plain.parquet", tmp_path / "odd.parquet"
    real_pd.DataFrame({"a": ["x", "y"], "b": [1, 2]}).to_parquet(plain)
    real_pd.DataFrame({"d": real_pd.Categorical(["u", "v"])}).to_parquet(odd)
    real_pd.testing.assert_frame_equal(pd.read_parquet(plain, engine="pyarrow")._slow(), real_pd.read_parquet(plain))
    assert profile.TOTALS == {"fast": 1, "slow": 0}
    real_pd.testing.assert_frame_equal(pd.read_parquet(odd)._slow(), real_pd.read_parquet(odd))
    assert "categorical/int8 column in Parquet is read by pandas" in jp.report()


def test_a_new_column_of_none_is_pandas_object_column(pd):
    df = _frame(pd)
    df["n"] = None  # pandas: object dtype, which JaxFrames does not hold: done on pandas
    assert str(df["n"].dtype) == "object" and df["n"].tolist() == [None] * 4
