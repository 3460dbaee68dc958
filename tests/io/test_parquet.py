"""read_parquet / to_parquet against pandas: files written by pandas read by us (compared with
pd.read_parquet), files written by us read by pandas, projection, filters (row groups skipped),
directories, sharded reads, atomic writes, bad input."""

import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import jaxframes as jf
from frames import NULLS, SIZES, make_frame
from jaxframes.io.parquet import scan_plan
from jaxframes.testing import assert_frame_equal


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("nulls", NULLS)
def test_pandas_written_read_by_us(tmp_path, n, nulls):
    path = tmp_path / "f.parquet"
    make_frame(n=n, nulls=nulls).to_parquet(path)
    assert_frame_equal(jf.read_parquet(path), pd.read_parquet(path))


@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("nulls", NULLS)
def test_written_by_us_read_by_pandas(tmp_path, n, nulls):
    pdf = make_frame(n=n, nulls=nulls)
    path = tmp_path / "f.parquet"
    assert jf.DataFrame(pdf).to_parquet(path) is None
    pd.testing.assert_frame_equal(pd.read_parquet(path), pdf)
    pdf.to_parquet(tmp_path / "p.parquet")
    assert pq.read_schema(path).equals(pq.read_schema(tmp_path / "p.parquet"), check_metadata=True)


@pytest.mark.parametrize("index", [
    pd.Index(["r", "s", "t", "u"], name="key"),
    pd.Index([10, 30, 20, 0]),
    pd.RangeIndex(5, 13, 2, name="r"),
])
@pytest.mark.parametrize("write_index", [None, True, False])
def test_index_round_trip(tmp_path, index, write_index):
    pdf = pd.DataFrame({"a": [1.5, None, 2.0, 3.0], "s": ["x", None, "y", "x"]}, index=index)
    ours, theirs = tmp_path / "ours.parquet", tmp_path / "theirs.parquet"
    jf.DataFrame(pdf).to_parquet(ours, index=write_index)
    pdf.to_parquet(theirs, index=write_index)
    pd.testing.assert_frame_equal(pd.read_parquet(ours), pd.read_parquet(theirs))
    assert_frame_equal(jf.read_parquet(theirs), pd.read_parquet(theirs))


def test_filtered_frame_writes_live_rows_only(tmp_path):
    pdf = make_frame(["int64", "str", "Float64"], n=7, nulls="some")
    df = jf.DataFrame(pdf)
    kept = df[df["c0"] > 0]
    kept.to_parquet(tmp_path / "k.parquet")
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "k.parquet"), pdf[pdf["c0"] > 0])


def test_arrow_types_pandas_converts_differently(tmp_path):
    """Types our model holds differently from pandas (dictionaries become 'str'); timestamp and
    duration units are kept as pandas keeps them."""
    table = pa.table({
        "us": pa.array([1_000, None, 3_000], pa.timestamp("us")),
        "ms": pa.array([1, 2, 3], pa.timestamp("ms")),
        "i16": pa.array([1, None, 3], pa.int16()),
        "dict": pa.array(["y", "x", None]).dictionary_encode(),
        "dur": pa.array([5, None, 7], pa.duration("s")),
    })
    path = tmp_path / "t.parquet"
    pq.write_table(table, path)
    expected = pd.read_parquet(path)
    assert str(expected["us"].dtype) == "datetime64[us]" and str(expected["dict"].dtype) == "category"
    assert str(expected["ms"].dtype) == "datetime64[ms]" and str(expected["dur"].dtype) == "timedelta64[s]"
    expected = expected.astype({"dict": "str"})
    assert_frame_equal(jf.read_parquet(path), expected)


@pytest.mark.parametrize("rows", [0, 5])
def test_dates_read_as_datetimes_with_pandas_option(tmp_path, rows):
    """Arrow dates: pandas gives an object column of datetime.date (refused, the same TypeError
    at every length, lazily too); ``to_pandas_kwargs={'date_as_object': False}`` gives
    datetime64[ms] on every read path (eager, filtered, limited, lazy, streamed)."""
    days = pa.array([0, None, 19000, 365, -30][:rows], pa.date32())
    table = pa.table({"d": days, "d64": days.cast(pa.date64()), "v": pa.array(range(rows), pa.int64())})
    path = tmp_path / "dates.parquet"
    pq.write_table(table, path, row_group_size=2)
    option = {"date_as_object": False}
    expected = pd.read_parquet(path, to_pandas_kwargs=option)
    assert str(expected["d"].dtype) == "datetime64[ms]"
    assert_frame_equal(jf.read_parquet(path, to_pandas_kwargs=option), expected)
    assert_frame_equal(jf.read_parquet(path, columns=["v", "d"], filters=[("v", ">=", 2)], to_pandas_kwargs=option),
                       pd.read_parquet(path, columns=["v", "d"], filters=[("v", ">=", 2)], to_pandas_kwargs=option))
    lazy = jf.scan_parquet(path, to_pandas_kwargs=option)
    assert_frame_equal(lazy.collect(), expected)
    assert_frame_equal(lazy.head(3).collect(), expected.head(3))
    assert_frame_equal(lazy.collect(streaming=True), expected)
    later = lazy.filter(jf.col("d") > pd.Timestamp("1971-01-01"))
    assert_frame_equal(later.collect().reset_index(drop=True),
                       expected[expected["d"] > pd.Timestamp("1971-01-01")].reset_index(drop=True))
    with pytest.raises(TypeError, match="date_as_object"):
        jf.read_parquet(path)
    with pytest.raises(TypeError, match="date_as_object"):
        jf.scan_parquet(path).collect()
    with pytest.raises(TypeError, match="date_as_object"):
        jf.scan_parquet(path).schema
    with pytest.raises(NotImplementedError, match="types_mapper"):
        jf.read_parquet(path, to_pandas_kwargs={"types_mapper": None})


def test_columns_projection(tmp_path):
    pdf = make_frame(n=7, nulls="some").set_index("c5")
    path = tmp_path / "f.parquet"
    pdf.to_parquet(path)
    for columns in (["c0"], ["c4", "c1"]):
        assert_frame_equal(jf.read_parquet(path, columns=columns), pd.read_parquet(path, columns=columns))


def _sorted_file(path, n=1000, group=100):
    pdf = pd.DataFrame({"a": np.arange(n), "b": np.arange(n) * 0.5,
                        "s": pd.Series(np.array(["p", "q", "r"])[np.arange(n) % 3], dtype="str")})
    pdf.to_parquet(path, row_group_size=group)
    return pdf


@pytest.mark.parametrize("filters", [
    [("a", ">", 850)],
    [("a", "<", 150), ("s", "==", "q")],
    [[("a", "<", 120)], [("a", ">=", 970)]],
    [("s", "in", ["p", "r"]), ("a", "<", 300)],
])
def test_filters_match_pandas_and_skip_row_groups(tmp_path, filters):
    path = tmp_path / "f.parquet"
    _sorted_file(path)
    assert pq.ParquetFile(path).metadata.num_row_groups == 10
    assert_frame_equal(jf.read_parquet(path, filters=filters), pd.read_parquet(path, filters=filters))
    plan = scan_plan(path, filters)
    # Row groups are 100 consecutive values of 'a': only those overlapping the ranges are read.
    assert 0 < len(plan) <= 3
    assert sum(g.num_rows for g in plan) < 1000


def test_filter_expression(tmp_path):
    path = tmp_path / "f.parquet"
    _sorted_file(path)
    expr = (pc.field("a") > 900) | (pc.field("b") < 10)
    assert_frame_equal(jf.read_parquet(path, filters=expr), pd.read_parquet(path, filters=expr))
    assert len(scan_plan(path, expr)) == 2


def test_filter_matching_nothing(tmp_path):
    path = tmp_path / "f.parquet"
    _sorted_file(path)
    filters = [("a", ">", 5000)]
    assert scan_plan(path, filters) == []
    assert_frame_equal(jf.read_parquet(path, filters=filters), pd.read_parquet(path, filters=filters))


def test_directory_of_files_and_hive_partitions(tmp_path):
    folder = tmp_path / "d"
    folder.mkdir()
    for i in range(3):
        make_frame(["int64", "str", "Float64"], n=7, nulls="some", seed=i).to_parquet(
            folder / f"part-{i}.parquet", index=False)
    assert_frame_equal(jf.read_parquet(folder), pd.read_parquet(folder))
    assert_frame_equal(jf.read_parquet(folder, columns=["c1"], filters=[("c0", ">", 0)]),
                       pd.read_parquet(folder, columns=["c1"], filters=[("c0", ">", 0)]))
    hive = tmp_path / "h"
    for key in ("x", "y"):
        (hive / f"k={key}").mkdir(parents=True)
        pd.DataFrame({"v": [1, 2] if key == "x" else [3]}).to_parquet(hive / f"k={key}" / "0.parquet", index=False)
    expected = pd.read_parquet(hive)
    assert str(expected["k"].dtype) == "category"  # ours: a 'str' column (no categorical dtype)
    assert_frame_equal(jf.read_parquet(hive), expected.astype({"k": "str"}))


def test_progress_bar_forced(tmp_path, capsys):
    path = tmp_path / "f.parquet"
    pdf = _sorted_file(path)
    assert_frame_equal(jf.read_parquet(path, progress=True), pdf)
    jf.DataFrame(pdf).to_parquet(tmp_path / "o.parquet", progress=True, row_group_size=100)
    assert pq.ParquetFile(tmp_path / "o.parquet").metadata.num_row_groups == 10
    assert "row group" in capsys.readouterr().err
    jf.read_parquet(path, progress=False)
    assert capsys.readouterr().err == ""
    with pytest.raises(TypeError):
        jf.read_parquet(path, progress="yes")


def test_to_parquet_without_path_returns_bytes():
    pdf = make_frame(["int64", "str"], n=7, nulls="some")
    data = jf.DataFrame(pdf).to_parquet(None)
    pd.testing.assert_frame_equal(pd.read_parquet(pa.BufferReader(data)), pdf)


def test_atomic_write_keeps_old_file_on_failure(tmp_path, monkeypatch):
    path = tmp_path / "f.parquet"
    old = make_frame(["int64"], n=7)
    old.to_parquet(path)
    before = path.read_bytes()
    calls = []

    def failing_write(self, table, row_group_size=None):
        calls.append(table.num_rows)
        if len(calls) == 2:  # the first row group is already in the temporary file
            raise OSError("disk full")
        return original(self, table, row_group_size=row_group_size)

    original = pq.ParquetWriter.write_table
    monkeypatch.setattr(pq.ParquetWriter, "write_table", failing_write)
    with pytest.raises(OSError, match="disk full"):
        jf.DataFrame(make_frame(["int64", "str"], n=1000)).to_parquet(path, row_group_size=100)
    assert len(calls) == 2
    assert path.read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["f.parquet"]
    monkeypatch.undo()
    new = make_frame(["int64", "str"], n=7, seed=3)
    jf.DataFrame(new).to_parquet(path)
    pd.testing.assert_frame_equal(pd.read_parquet(path), new)
    assert sorted(os.listdir(tmp_path)) == ["f.parquet"]


def test_bad_input(tmp_path):
    with pytest.raises(FileNotFoundError):
        jf.read_parquet(tmp_path / "missing.parquet")
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"this is not parquet at all")
    with pytest.raises(ValueError, match="bad.parquet"):
        jf.read_parquet(bad)
    good = tmp_path / "good.parquet"
    make_frame(["int64"], n=7).to_parquet(good)
    with pytest.raises(KeyError, match="nope"):
        jf.read_parquet(good, columns=["c0", "nope"])
    with pytest.raises(TypeError):
        jf.read_parquet(good, filters="c0 > 1")
    truncated = tmp_path / "trunc.parquet"
    truncated.write_bytes(good.read_bytes()[:-20])
    with pytest.raises(ValueError, match="trunc.parquet"):
        jf.read_parquet(truncated)


SHARDED_SCRIPT = textwrap.dedent("""
    import sys
    import jax, numpy as np, pandas as pd
    import jaxframes as jf
    from jaxframes.testing import assert_frame_equal
    path = sys.argv[1]
    mesh = jax.make_mesh((8,), ("data",))
    sharding = jf.row_sharded(mesh)
    for filters in (None, [("a", ">", 130)], [("a", "<", 40)]):
        df = jf.read_parquet(path, filters=filters, sharding=sharding)
        assert df.sharding is sharding
        data = df._columns["a"].data
        assert data.sharding.is_equivalent_to(sharding.named, 1), data.sharding
        # each device holds only its own run of row groups (then padding)
        shard_rows = [np.asarray(s.data) for s in sorted(data.addressable_shards, key=lambda s: s.index[0].start or 0)]
        assert len(shard_rows) == 8
        expected = pd.read_parquet(path, filters=filters)
        assert_frame_equal(df, expected, check_index_type=False)
        live = np.asarray(df._live()).reshape(8, -1).sum(axis=1)
        assert live.max() - live.min() <= 1, f"unbalanced shards {live}"
    # one row group: the rows are still dealt out evenly (not all on one device)
    one = path + ".one.parquet"
    pd.DataFrame({"a": np.arange(203)}).to_parquet(one, row_group_size=1000)
    df = jf.read_parquet(one, sharding=sharding)
    live = np.asarray(df._live()).reshape(8, -1).sum(axis=1)
    assert live.max() - live.min() <= 1, f"unbalanced shards {live}"
    assert_frame_equal(df, pd.read_parquet(one), check_index_type=False)
    print("OK")
""")


def test_sharded_read_balances_rows_per_device(tmp_path):
    path = tmp_path / "f.parquet"
    pdf = pd.DataFrame({"a": np.arange(200), "s": pd.Series(np.array(["u", "v", None])[np.arange(200) % 3],
                                                           dtype="str"),
                        "m": pd.array(np.where(np.arange(200) % 4 == 0, None, np.arange(200)), dtype="Int64")})
    pdf.to_parquet(path, row_group_size=20)
    env = dict(os.environ, JAX_PLATFORMS="cpu", XLA_FLAGS="--xla_force_host_platform_device_count=8")
    proc = subprocess.run([sys.executable, "-c", SHARDED_SCRIPT, str(path)], env=env, capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode == 0 and "OK" in proc.stdout, proc.stderr[-3000:]


def test_engine_argument_as_pandas(tmp_path):
    path = tmp_path / "e.parquet"
    frame = jf.DataFrame({"a": [1, 2, 3]})
    for kwargs in ({}, {"engine": "pyarrow"}):
        frame.to_parquet(path, **kwargs)
        assert_frame_equal(jf.read_parquet(path, **kwargs), pd.read_parquet(path, **kwargs))
    with pytest.warns(pd.errors.Pandas4Warning, match="engine='auto' is deprecated") as seen:
        assert_frame_equal(jf.read_parquet(path, engine="auto"), pd.read_parquet(path))
    assert seen[0].filename == __file__
    with pytest.raises(NotImplementedError, match="engine='fastparquet'"):
        jf.read_parquet(path, engine="fastparquet")
    with pytest.raises(ValueError, match="engine must be one of 'pyarrow', 'fastparquet'"):
        frame.to_parquet(path, engine="bogus")
