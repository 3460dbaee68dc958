"""Distributed algorithms (src/jaxframes/distributed/) on 8 simulated CPU devices.

Run as a script (tests/distributed/test_distributed.py runs it in a subprocess) with
XLA_FLAGS=--xla_force_host_platform_device_count=8 JAX_PLATFORMS=cpu; prints a JSON report
{case: {"status": "passed"|"failed", "detail": str}} as its last line. Importing the module (to
list the case names) touches no device.

Two kinds of case: results compared with pandas (eager and under jit, the result still
row-sharded), and HLO checks: the operation compiled at two row counts, failing on any
all-gather / all-reduce that grows with the rows (distributed/hlo.py).
"""

from __future__ import annotations

import json
import sys
import time
import traceback
from typing import Any, Callable

import numpy as np
import pandas as pd

N_DEVICES = 8
AXIS = "data"
ROWS_SMALL, ROWS_LARGE = 1024, 4096  # the two row counts of the HLO checks


# -- frames ----------------------------------------------------------------------------------------
def frame_sort(n: int = 203, seed: int = 0) -> pd.DataFrame:
    """Ties, NaN, nulls, strings: every sort-key kind; n not a multiple of 8 (padded shards)."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "a": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n).round(1)),
        "b": rng.integers(-3, 3, n),
        "s": pd.Series(rng.choice(["x", "yy", "zzz", None], n), dtype="str"),
        "m": pd.array(np.where(rng.random(n) < 0.3, None, rng.integers(0, 5, n)), dtype="Int64"),
        "t": pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 50, n), unit="h"),
        "u": rng.permutation(n),
    })


def frame_keep(n: int = 203) -> pd.DataFrame:
    """frame_sort with a 'keep' column: the dropped rows hold the smallest keys, so a sort that
    let a dead row through would put it first."""
    pdf = frame_sort(n)
    keep = np.random.default_rng(5).random(n) < 0.6
    pdf.loc[~keep, "a"] = -1e9
    pdf.loc[~keep, "b"] = -100
    return pdf.assign(keep=keep)


# -- helpers -----------------------------------------------------------------------------------------
def _sharding() -> Any:
    import jax

    import jaxframes as jf
    return jf.row_sharded(jax.make_mesh((N_DEVICES,), (AXIS,)))


def _ours(pdf: pd.DataFrame) -> Any:
    import jaxframes as jf
    return jf.DataFrame(pdf, sharding=_sharding())


def _check(result: Any, expected: Any) -> None:
    from jaxframes.testing import assert_same_result
    from sharded_worker import _check_row_sharded
    assert_same_result(result, expected)
    _check_row_sharded(result, _sharding().named)


def _compare(op: Callable[[Any], Any], pdf: pd.DataFrame, pandas_op: Callable[[Any], Any] | None = None,
             jit: bool = True, prepare: Callable[[Any], Any] = lambda d: d) -> str:
    import jax
    expected = (pandas_op or op)(prepare(pdf))
    ours = _ours(pdf)
    _check(op(prepare(ours)), expected)
    if jit:
        _check(jax.jit(lambda d: op(prepare(d)))(ours), expected)
    return "eager" + ("+jit" if jit else "") + " match pandas, row-sharded"


def _stable(by: Any, **kw: Any) -> Callable[[Any], Any]:
    return lambda d: d.sort_values(by, kind="stable", **kw)


def _live_per_shard(frame: Any) -> list[int]:
    mask = np.asarray(frame._live())
    return [int(m.sum()) for m in mask.reshape(N_DEVICES, -1)]


def _collectives(op: Callable[[Any], Any], rows: int) -> list:
    from jaxframes.distributed.hlo import collectives, compiled_text
    pdf = pd.DataFrame({"a": np.random.default_rng(0).normal(size=rows), "b": np.arange(rows)})
    return collectives(compiled_text(op, _ours(pdf)))


def _describe(found: list) -> str:
    return "; ".join(str(c) for c in found) or "none"


def hlo_check(op: Callable[[Any], Any], need_all_to_all: bool = True, exchange: str = "all-to-all") -> str:
    """Fail on a collective (other than the ``exchange`` kind) that grows with the rows."""
    from jaxframes.distributed.hlo import growing
    small, large = _collectives(op, ROWS_SMALL), _collectives(op, ROWS_LARGE)
    kinds = tuple(k for k in ("all-gather", "all-reduce", "reduce-scatter", "collective-permute") if k != exchange)
    grown = growing(small, large, kinds)
    assert not grown, (f"collectives grow with the rows ({ROWS_SMALL} -> {ROWS_LARGE}): "
                       + "; ".join(f"{c} (was {b} B)" for c, b in grown))
    if need_all_to_all:
        assert any(c.kind == exchange for c in large), f"no {exchange} exchange: {_describe(large)}"
    return f"{ROWS_LARGE} rows: {_describe(large)}"


# -- cases ---------------------------------------------------------------------------------------------
def case_hlo_catches_gspmd_sort() -> str:
    """The 'before': today's GSPMD sort path (one argsort + gathers) all-gathers whole columns;
    the helper must catch it."""
    from jaxframes.distributed.hlo import growing
    from jaxframes.ops.sorting import reorder, row_permutation

    def gspmd_sort(d: Any) -> Any:
        return reorder(d, row_permutation([d._columns["a"]], [True], "last", d._live()))

    small, large = _collectives(gspmd_sort, ROWS_SMALL), _collectives(gspmd_sort, ROWS_LARGE)
    grown = growing(small, large)
    gathers = [c for c in large if c.kind == "all-gather"]
    assert grown and gathers, f"expected growing all-gathers, got {_describe(large)}"
    return f"caught {len(grown)} growing collectives at {ROWS_LARGE} rows: {_describe(large)}"


def case_hlo_sort_values() -> str:
    return hlo_check(lambda d: d.sort_values("a"))


def case_hlo_sort_values_two_keys() -> str:
    return hlo_check(lambda d: d.sort_values(["b", "a"], ascending=[False, True]))


def case_sort_one_key() -> str:
    return _compare(lambda d: d.sort_values("a"), frame_sort(), _stable("a"))


def case_sort_keys_mixed() -> str:
    return _compare(lambda d: d.sort_values(["b", "s", "a"], ascending=[False, True, True], na_position="first"),
                    frame_sort(), _stable(["b", "s", "a"], ascending=[False, True, True], na_position="first"), jit=False)


def case_sort_nullable_datetime() -> str:
    return _compare(lambda d: d.sort_values(["m", "t"]), frame_sort(), _stable(["m", "t"]), jit=False)


def case_sort_ignore_index() -> str:
    return _compare(lambda d: d.sort_values("b", ignore_index=True), frame_sort(),
                    _stable("b", ignore_index=True), jit=False)


def case_sort_series() -> str:
    return _compare(lambda d: d["s"].sort_values(ascending=False), frame_sort(),
                    lambda d: d["s"].sort_values(ascending=False, kind="stable"), jit=False)


def case_sort_string_index() -> str:
    pdf = frame_sort().set_axis(pd.Index([f"r{i:03d}" for i in range(203)], name="key"), axis=0)
    return _compare(lambda d: d.sort_values("b"), pdf, _stable("b"), jit=False)


def case_sort_dead_rows() -> str:
    """Dead rows (filtered out, holding the smallest keys) never appear and never shift a splitter."""
    return _compare(lambda d: d.sort_values(["b", "a"]), frame_keep(), _stable(["b", "a"]),
                    prepare=lambda d: d[d["keep"]])


def case_sort_empty_and_one_row() -> str:
    pdf = frame_sort()
    _compare(lambda d: d.sort_values("a"), pdf.iloc[:0], _stable("a"), jit=False)
    return _compare(lambda d: d.sort_values("a"), pdf.iloc[:1], _stable("a"), jit=False)


def case_sort_hot_key_balances() -> str:
    """One key value on every row: the (key, row id) splitters still split it evenly, and equal
    keys keep their order (stable)."""
    n = 4000
    pdf = pd.DataFrame({"k": np.zeros(n, np.int64), "r": np.arange(n)})
    result = _ours(pdf).sort_values("k")
    _check(result, _stable("k")(pdf))
    per = _live_per_shard(result)
    assert max(per) <= 1.25 * n / N_DEVICES, f"unbalanced: {per}"
    return f"live rows per device {per}"


def case_sort_presorted_retries() -> str:
    """Sorted input sends every row of a device to one destination: the first-try pair capacity
    overflows, the host retries with the exact one, and the answer is right."""
    from jaxframes.distributed import exchange as ex
    n = 2000
    pdf = pd.DataFrame({"k": np.arange(n) // 3, "r": np.arange(n)})
    before = len(ex.RETRIES)
    _check(_ours(pdf).sort_values("k"), _stable("k")(pdf))
    assert len(ex.RETRIES) == before + 1, f"expected one retry, got {ex.RETRIES[before:]}"
    return f"retry (pair, out) {ex.RETRIES[-1][:2]} -> {ex.RETRIES[-1][2:]}"


def case_sort_forced_overflow() -> str:
    """A forced tiny capacity (pair 1, output 1) overflows both limits; the retry fixes both."""
    from jaxframes.distributed import exchange as ex
    from jaxframes.distributed.sample_sort import sort_table
    from jaxframes.ops.sorting import column_key, dead_last
    pdf = frame_sort()
    ours = _ours(pdf)
    before = len(ex.RETRIES)
    keys = [dead_last(ours._live()), column_key(ours._columns["u"])]
    table = sort_table(ours._table, keys, capacities=(1, 1))
    assert len(ex.RETRIES) == before + 1, ex.RETRIES[before:]
    _check(ours._wrap(table), _stable("u")(pdf))
    return f"retry {ex.RETRIES[-1]}"


# -- group-by ------------------------------------------------------------------------------------
def frame_groups(n: int = 203) -> pd.DataFrame:
    rng = np.random.default_rng(2)
    return pd.DataFrame({
        "k": rng.integers(0, 25, n),
        "g": pd.Series(rng.choice(["p", "q", "r", None], n), dtype="str"),
        "a": np.where(rng.random(n) < 0.1, np.nan, rng.normal(size=n)),
        "b": rng.integers(-5, 6, n),
        "m": pd.array(np.where(rng.random(n) < 0.3, None, rng.integers(0, 9, n)), dtype="Int64"),
        "keep": rng.random(n) < 0.7,
    })


def case_groupby_reductions() -> str:
    """sum/mean/std/min/max/count/median/nunique/first/last per key, eager and under jit; the
    statistics that move rows by key range (describe: count, mean, std, quantiles), eager."""
    out = _compare(lambda d: d.groupby("k")[["a", "b", "m"]].agg(["sum", "mean", "std", "min", "max", "count",
                                                                   "median", "nunique", "first", "last"]),
                   frame_groups())
    _check(_ours(frame_groups()).groupby("g", sort=False)["a"].describe(),
           frame_groups().groupby("g", sort=False)["a"].describe())
    return out + "; describe by key range"


def case_groupby_two_keys_dropna_false_size() -> str:
    pdf = frame_groups()
    _compare(lambda d: d.groupby(["g", "b"], dropna=False).size(), pdf, jit=False)
    return _compare(lambda d: d.groupby("g", as_index=False).agg(tot=("a", "sum"), n=("m", "count")), pdf,
                    jit=False)


def case_groupby_dead_rows() -> str:
    return _compare(lambda d: d.groupby("k")["a"].var(), frame_groups(), prepare=lambda d: d[d["keep"]],
                    jit=False)


def case_hlo_groupby() -> str:
    """mean (partials), and the statistics that move rows by key range: idxmax (with the index
    labels), value_counts (pairs counted per key range), corr (a (group, column) result)."""
    keyed = lambda d: d.assign(k=d["b"] % 7).groupby("k")  # noqa: E731
    return " | ".join(f"{name}: {hlo_check(op)}" for name, op in (
        ("mean", lambda d: keyed(d)["a"].mean()), ("idxmax", lambda d: keyed(d)["a"].idxmax()),
        ("value_counts", lambda d: keyed(d)["b"].value_counts(normalize=True)),
        ("corr", lambda d: keyed(d)[["a", "b"]].corr())))


def case_groupby_partial_modes() -> str:
    """Few groups: partials all-gathered (dense); many groups: partials exchanged (shuffle); as
    many groups as rows: rows exchanged (fewer bytes than the wider partial rows); median: rows
    exchanged. Every mode matches pandas (Chan's merge for var/std)."""
    from jaxframes.distributed import groupby as dg
    pdf = frame_groups()
    pdf = pdf.assign(many=np.arange(203) // 6, unique=np.arange(203))
    modes = []
    aggs = ["mean", "std", "max", "count", "last"]
    dense = dg.DENSE_GROUPS
    try:  # k: <= 24 groups per device; many: ~5 per device (> 2), 34 in all; unique: 26 per device
        for limit, op in ((24, lambda d: d.groupby("k")[["a", "b", "m"]].agg(aggs)),
                          (2, lambda d: d.groupby("many")[["a", "m"]].agg(aggs)),
                          (24, lambda d: d.groupby("unique")[["a", "m"]].agg(aggs)),
                          (24, lambda d: d.groupby("k")["a"].median())):
            dg.DENSE_GROUPS = limit
            _check(op(_ours(pdf)), op(pdf))
            modes.append(dg.MODES[-1])
    finally:
        dg.DENSE_GROUPS = dense
    assert modes == ["dense", "shuffle", "rows", "rows"], modes
    return f"modes {modes} match pandas"


def case_groupby_sort_false() -> str:
    """sort=False: groups in first-appearance order (re-sorted by their first row id)."""
    pdf = frame_groups()
    _compare(lambda d: d.groupby("k", sort=False)[["a", "m"]].agg(["mean", "var", "first"]), pdf, jit=False)
    _compare(lambda d: d.groupby("g", sort=False, as_index=False, dropna=False)["a"].sum(), pdf, jit=False)
    # idxmax's ValueError from the per-group flags; SeriesGroupBy.corr with another Series
    try:
        _ours(pdf).groupby("k")["a"].idxmax(skipna=False)
    except ValueError as err:
        assert "idxmax with skipna=False encountered an NA value" in str(err), err
    else:
        raise AssertionError("idxmax(skipna=False) over a NaN did not raise")
    _compare(lambda d: d.groupby("k")["a"].corr(d["b"]), pdf, jit=False)
    # value_counts and cov by key range, re-sorted by their group's (or pair's) first row
    _compare_one_device(lambda d: d.groupby("k", dropna=False)["g"].value_counts(sort=False, normalize=True,
                                                                                dropna=False), pdf)
    _compare(lambda d: d.groupby("g", sort=False)[["a", "b"]].cov(), pdf, jit=False, prepare=lambda d: d[d["keep"]])
    return _compare(lambda d: d.groupby("k", sort=False)["a"].median(), pdf, jit=False,
                    prepare=lambda d: d[d["keep"]])


def _groupby_hlo(rows: int, mode: str, dense: int) -> list:
    from jaxframes.distributed import groupby as dg
    from jaxframes.distributed.hlo import collectives, compiled_text
    pdf = pd.DataFrame({"k": np.arange(rows) % 7, "a": np.random.default_rng(0).normal(size=rows)})
    gb = _ours(pdf).groupby("k")
    call = lambda g: type(g).agg.__wrapped__(g, ["sum", "mean", "std", "first"])  # noqa: E731
    live, arrays, gid, program = dg.program_inputs(gb._frame._table, gb, call, ("hlo", mode))
    pair = rows // N_DEVICES // N_DEVICES * 2
    return collectives(compiled_text(
        lambda *a: dg.run(*a, program=program, pair_capacity=pair, mode=mode, dense=dense), live, tuple(arrays), gid))


def case_hlo_groupby_dense_and_shuffle() -> str:
    """The dense mode all-gathers S x DENSE partial rows (bounded, not row-sized); the shuffle
    mode exchanges partials through all_to_all; neither grows any other collective."""
    from jaxframes.distributed.hlo import growing
    out = []
    for mode, dense in (("shuffle", 32), ("shuffle", 0)):
        small, large = _groupby_hlo(ROWS_SMALL, mode, dense), _groupby_hlo(ROWS_LARGE, mode, dense)
        grown = growing(small, large)
        assert not grown, f"dense={dense}: " + "; ".join(f"{c} (was {b} B)" for c, b in grown)
        if not dense:
            assert any(c.kind == "all-to-all" for c in large), _describe(large)
        else:
            assert not any(c.kind == "all-to-all" for c in large), _describe(large)
        out.append(f"{'dense' if dense else 'shuffle'}: {_describe(large)}")
    return " | ".join(out)


# -- per-row answers by key range (distributed/rowwise.py) and value_counts ------------------------
def case_drop_duplicates_value_counts() -> str:
    """drop_duplicates / duplicated: rows meet by key range, flags come back to their rows
    (dead rows never count); value_counts: distributed group-by size + stable sort."""
    pdf = frame_groups()
    _compare(lambda d: d.drop_duplicates(["k", "g"], keep="last"), pdf, jit=False)
    _compare(lambda d: d.duplicated(["g", "m"], keep=False), pdf, jit=False, prepare=lambda d: d[d["keep"]])
    _compare(lambda d: d["k"].value_counts(), pdf, jit=False)
    # a masked column with dropna=False: NA counted after every value of its count
    _compare(lambda d: d["m"].value_counts(dropna=False), pdf, jit=False, prepare=lambda d: d[d["keep"]])
    _compare(lambda d: d["m"].value_counts(dropna=False, sort=False, normalize=True), pdf, jit=False)
    return _compare(lambda d: d[["k", "b"]].value_counts(normalize=True, sort=False), pdf, jit=False)


def case_groupby_transform_cumulative() -> str:
    """transform / cumsum / cumcount: the one-device method on each key range's rows (global row
    order within a group), the values back on the frame's rows."""
    pdf = frame_groups()
    _compare(lambda d: d.groupby("k")[["a", "m"]].transform("mean"), pdf, jit=False)
    _compare(lambda d: d.groupby("g").cumcount(), pdf, jit=False)
    return _compare(lambda d: d.groupby("g")[["a", "b"]].cumsum(), pdf, prepare=lambda d: d[d["keep"]])


def case_hlo_rows_by_key() -> str:
    """drop_duplicates and a group-by cumsum under jit: rows move by all_to_all (there and
    back); nothing row-sized is all-gathered."""
    dups = hlo_check(lambda d: d.drop_duplicates(["b"]))
    scan = hlo_check(lambda d: d.assign(k=d["b"] % 7).groupby("k")["a"].cumsum())
    return f"drop_duplicates: {dups} | cumsum: {scan}"


# -- merge ---------------------------------------------------------------------------------------
def frames_join() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(3)
    left = pd.DataFrame({"k": rng.integers(0, 40, 203), "a": rng.normal(size=203),
                         "s": pd.Series(rng.choice(["x", "y", None], 203), dtype="str")})
    right = pd.DataFrame({"k": rng.integers(20, 60, 77), "b": rng.integers(0, 9, 77),
                          "s": pd.Series(rng.choice(["x", "z"], 77), dtype="str")})
    return left, right


def case_merge_every_how() -> str:
    """inner/left/right/outer: duplicates on both sides, pandas' row order, dtypes widened where
    some device has unmatched rows (b: int64 -> float64)."""
    left, right = frames_join()
    ours_l, ours_r = _ours(left), _ours(right)
    for how in ("inner", "left", "right", "outer"):
        _check(ours_l.merge(ours_r, on="k", how=how), left.merge(right, on="k", how=how))
    # cross: the smaller side broadcast (its all-gather: hlo_merge_broadcast's program); left
    # small: a stable sort by the left row id restores pandas' left-major order
    from jaxframes.distributed import join as dj
    small = right.iloc[:9]
    _check(_ours(small).merge(ours_l, how="cross"), small.merge(left, how="cross"))
    assert dj.STRATEGIES[-1] == "broadcast-left", dj.STRATEGIES[-1]
    # index joins: the index is the key on its side (its labels travel with the rows; the same
    # exchange program as hlo_merge_exchange's)
    by_k = right.drop_duplicates("k").set_index("k")
    _check(ours_l.join(_ours(by_k[["b"]]), on="k", how="left"), left.join(by_k[["b"]], on="k", how="left"))
    # validate=: each device checks its key range (both sides partitioned); pandas' MergeError
    from pandas.errors import MergeError
    unique_r = right.drop_duplicates("k")
    _check(ours_l.merge(_ours(unique_r), on="k", how="left", validate="m:1"),
           left.merge(unique_r, on="k", how="left", validate="m:1"))
    for kind in ("1:1", "1:m", "m:1"):
        try:
            ours_l.merge(ours_r, on="k", validate=kind)
        except MergeError as err:
            try:
                left.merge(right, on="k", validate=kind)
            except MergeError as expected:
                # (pandas 3.1 goes on to list the duplicates; the one-device path does not either)
                assert str(err) == str(expected).split("\n")[0].rstrip("."), (str(err), str(expected))
        else:
            raise AssertionError(f"validate={kind!r} did not raise")
    return "inner/left/right/outer and validate= match pandas, row-sharded"


def case_merge_string_keys_sort_indicator() -> str:
    left, right = frames_join()
    ours_l, ours_r = _ours(left), _ours(right)
    by_k = right.drop_duplicates("k").set_index("k")  # an outer index join (the index as the key)
    _check(_ours(by_k).merge(ours_l, left_index=True, right_on="k", how="outer"),
           by_k.merge(left, left_index=True, right_on="k", how="outer"))
    _check(ours_l.merge(ours_r, on=["k", "s"], how="left"), left.merge(right, on=["k", "s"], how="left"))
    _check(ours_l.merge(ours_r, on="k", sort=True, indicator=True),
           left.merge(right, on="k", sort=True, indicator=True))
    return "string keys (two dictionaries), sort=True, indicator match pandas"


def case_hlo_merge_exchange() -> str:
    """The join's exchange program: only samples and counts are all-gathered."""
    import jax.numpy as jnp

    from jaxframes.distributed.hlo import collectives, compiled_text, growing
    from jaxframes.distributed.join import exchange_program
    sharding = _sharding()

    def found(rows: int) -> list:
        words = (sharding.place(jnp.arange(rows, dtype=jnp.uint64)),)
        live = sharding.place(jnp.ones(rows, bool))
        payload = (sharding.place(jnp.arange(rows, dtype=jnp.float64)),)
        pair = rows // N_DEVICES // N_DEVICES * 2
        return collectives(compiled_text(lambda *a: exchange_program(*a, sharding=sharding, pair_capacity=pair),
                                         words, live, payload, words, live, payload))
    small, large = found(ROWS_SMALL), found(ROWS_LARGE)
    grown = growing(small, large)
    assert not grown, "; ".join(f"{c} (was {b} B)" for c, b in grown)
    return f"{ROWS_LARGE} rows: {_describe(large)}"


def case_merge_broadcast() -> str:
    """A small side is all-gathered (no exchange of the large side): inner/left with a small
    right, inner/right with a small left; pandas' row order, row-sharded."""
    from jaxframes.distributed import join as dj
    left, right = frames_join()
    small_r, small_l = right.iloc[:8], left.iloc[:8]  # 8 rows: at most 1/8 of the other side
    ours_l, ours_r, ours_sr, ours_sl = _ours(left), _ours(right), _ours(small_r), _ours(small_l)
    seen = []
    # left join, small right: the large side's order is pandas' order already
    _check(ours_l.merge(ours_sr, on="k", how="left"), left.merge(small_r, on="k", how="left"))
    seen.append(dj.STRATEGIES[-1])
    # inner join, small left: pandas' order (left rows) restored by the row-id sort
    _check(ours_sl.merge(ours_r, on="k", how="inner"), small_l.merge(right, on="k", how="inner"))
    seen.append(dj.STRATEGIES[-1])
    assert seen == ["broadcast-right", "broadcast-left"], seen
    # outer needs every device's matches of the small side: partitioned
    assert dj.broadcast_side(ours_l._table, ours_sr._table, "outer", False) is None
    assert dj.broadcast_side(ours_l._table, ours_sr._table, "right", False) is None
    return f"strategies {seen}"


def case_hlo_merge_broadcast() -> str:
    """The broadcast's one collective is the all-gather of the small side: its size is the
    small side's (under BROADCAST_BYTES), the same whatever the large side's row count."""
    import jax.numpy as jnp

    from jaxframes.distributed.hlo import collectives, compiled_text
    from jaxframes.distributed.join import BROADCAST_BYTES, broadcast_program
    sharding = _sharding()
    small = (sharding.place(jnp.arange(64, dtype=jnp.int64)), sharding.place(jnp.ones(64, bool)))
    found = collectives(compiled_text(lambda *a: broadcast_program(a, sharding=sharding), *small))
    gathered = sum(c.bytes for c in found if c.kind == "all-gather")
    assert {c.kind for c in found} == {"all-gather"} and gathered == 64 * 9, _describe(found)
    assert gathered <= BROADCAST_BYTES
    return f"small side 64 rows: {_describe(found)}"


def case_list_columns_sharded() -> str:
    """A list column rides row-local ops and concat on a row-sharded frame (its [start, length]
    pairs are sharded with the rows, its child replicated); the exchanges of sort/join/group-by
    refuse it."""
    pdf = pd.DataFrame({"l": [[i, i + 1] if i % 3 else ([] if i % 2 else None) for i in range(24)],
                        "k": np.arange(24)[::-1]})
    from jaxframes.testing import assert_same_result
    ours = _ours(pdf)
    kept = ours[ours["k"] % 2 == 0]
    assert_same_result(kept, pdf[pdf["k"] % 2 == 0])  # (_check would ask every leaf, the child too, to be rows)
    assert kept._columns["l"].data.sharding.is_equivalent_to(kept._columns["k"].data.sharding, 1)
    try:
        ours.sort_values("k")
    except NotImplementedError as err:
        assert "list column in a row-sharded sort" in str(err), err
    else:
        raise AssertionError("a row-sharded sort of a frame with a list column did not refuse")
    # concat: the [start, length] pairs move with the rows, the stacked child stays replicated
    import jaxframes as jf
    other = pd.DataFrame({"l": [[i] * (i % 3) for i in range(10)], "k": np.arange(10)})
    result = jf.concat([kept, _ours(other), ours["l"].to_frame()])
    assert_same_result(result, pd.concat([pdf[pdf["k"] % 2 == 0], other, pdf[["l"]]]))
    assert result._columns["l"].data.sharding.is_equivalent_to(result._columns["k"].data.sharding, 2)
    # l absent from an input: NaN there, as pandas; beside a live None (one missing marker) it raises
    keys = pd.DataFrame({"k": np.arange(3)})
    assert_same_result(jf.concat([kept, _ours(keys)]), pd.concat([pdf[pdf["k"] % 2 == 0], keys]))
    try:
        jf.concat([ours, _ours(keys)])
    except NotImplementedError as err:
        assert "absent from some inputs" in str(err), err
    else:
        raise AssertionError("concat of a list column with None beside an input without it did not refuse")
    return "filter and concat match pandas; sort refuses naming the list column"


# -- unique / nunique / rank by key range (distributed/keyed.py), concat (distributed/concat.py) ------
def case_unique_nunique_rank() -> str:
    """Series.unique / nunique (dropna both ways) / DataFrame.nunique and rank (average; dense,
    descending, pct) on filtered frames: the one-device (pandas) answers,
    row-sharded."""
    from jaxframes.testing import assert_same_result
    pdf = frame_groups()
    ours = _ours(pdf)
    live, kept = ours[ours["keep"]], pdf[pdf["keep"]]
    for name in ("a", "g"):
        pd.testing.assert_series_equal(pd.Series(live[name].unique()), pd.Series(kept[name].unique()))
        for dropna in (True, False):
            assert_same_result(live[name].nunique(dropna=dropna), kept[name].nunique(dropna=dropna))
    assert_same_result(live[["a", "g"]].nunique(), kept[["a", "g"]].nunique())
    _check(live["a"].rank(), kept["a"].rank())
    _check(live["b"].rank(method="dense", ascending=False, pct=True),
           kept["b"].rank(method="dense", ascending=False, pct=True))
    return "eager matches pandas, row-sharded (jit: rank_every_method, hlo_keyed_and_concat)"


def case_rank_every_method() -> str:
    """rank: every method, na_option top/bottom with pct, DataFrame.rank, 'first' under jit;
    unique/nunique of the other dtypes (int, nullable int); group-by nth and tail."""
    from jaxframes.testing import assert_same_result
    pdf = frame_groups()
    ours = _ours(pdf)
    live, kept = ours[ours["keep"]], pdf[pdf["keep"]]
    for name in ("k", "m"):
        pd.testing.assert_series_equal(pd.Series(live[name].unique()), pd.Series(kept[name].unique()))
        assert_same_result(live[name].nunique(dropna=False), kept[name].nunique(dropna=False))
    for method in ("average", "min", "max", "first", "dense"):
        _check(live["a"].rank(method=method), kept["a"].rank(method=method))
    _check(live["a"].rank(na_option="top", pct=True), kept["a"].rank(na_option="top", pct=True))
    _check(live[["g", "m"]].rank(method="min", na_option="bottom"),
           kept[["g", "m"]].rank(method="min", na_option="bottom"))
    # group-by nth / tail (the fast case covers head and rank)
    _compare(lambda d: d.groupby("g")[["a", "b"]].nth([0, -1]), pdf, jit=False)
    _compare(lambda d: d.groupby("k")["a"].tail(1), pdf, jit=False)
    return _compare(lambda d: d["k"].rank(method="first"), pdf)


def _compare_one_device(op: Callable[[Any], Any], pdf: pd.DataFrame,
                        prepare: Callable[[Any], Any] = lambda d: d) -> None:
    """The row-sharded answer is the one-device answer (where that differs from pandas, e.g.
    value_counts' tie order, which pandas takes from an unstable sort), and row-sharded."""
    import jaxframes as jf
    _check(op(prepare(_ours(pdf))), op(prepare(jf.DataFrame(pdf))).to_pandas())


def case_groupby_head_nth_rank() -> str:
    """groupby head / rank (nth, tail: rank_every_method): the rows of a key range meet, the
    one-device method runs there (global row order within a group), the flags or ranks come
    back to the rows. idxmax/idxmin (index labels travel with the rows; pandas' ValueError),
    value_counts (of an Int64 column: Int64 counts and level), corr/cov by key range (sort=False:
    first-appearance order)."""
    pdf = frame_groups()
    _compare(lambda d: d.groupby("k").head(2), pdf, jit=False, prepare=lambda d: d[d["keep"]])
    labelled = pdf.set_axis(pd.Index([f"r{i:03d}" for i in range(len(pdf))], name="row"), axis=0)
    _compare(lambda d: d.groupby("g", sort=False)[["a", "b"]].idxmin(), labelled, jit=False,
             prepare=lambda d: d[d["keep"]])
    _compare_one_device(lambda d: d.groupby(["g", "k"], sort=False)["m"].value_counts(), pdf,
                        prepare=lambda d: d[d["keep"]])
    return _compare(lambda d: d.groupby("g")["a"].rank(method="min"), pdf, jit=False,
                    prepare=lambda d: d[d["keep"]])


def case_concat_rows() -> str:
    """concat(axis=0) of row-sharded frames with dead rows, different columns (outer: int ->
    float64 with NaN, string dictionaries unified), ignore_index both ways, Series, under jit;
    the result is ordered and holds per device the inputs' live rows cut to their largest shard."""
    import jax

    import jaxframes as jf
    a, b = frame_groups(), frame_sort(n=77).rename(columns={"b": "k"})
    ours_a, ours_b = _ours(a), _ours(b)
    fa, fb = ours_a[ours_a["keep"]].drop(columns="keep"), ours_b[ours_b["k"] > 0]
    pa, pb = a[a["keep"]].drop(columns="keep"), b[b["k"] > 0]
    result = jf.concat([fa, fb, fa])
    _check(result, pd.concat([pa, pb, pa]))
    per = _live_per_shard(result)
    # each input cut to its live rows (the most on one device, bucketed) before it moves
    from jaxframes.sharding import bucket_capacity
    kept = [bucket_capacity(max(_live_per_shard(f))) for f in (fa, fb, fa)]
    assert result._capacity == N_DEVICES * sum(kept), (result._capacity, kept)
    _check(jf.concat([fa[["k", "g"]], fb[["k", "s"]]], ignore_index=True, join="inner"),
           pd.concat([pa[["k", "g"]], pb[["k", "s"]]], ignore_index=True, join="inner"))
    _check(jf.concat([fb["s"], fa["g"]]), pd.concat([pb["s"], pa["g"]]))
    jitted = jax_jit_concat(ours_a[["k", "a"]], ours_b[["k", "a"]])
    _check(jitted, pd.concat([a[["k", "a"]], b[["k", "a"]]]))
    # the all_to_all tail (pieces past the round limit; at 8 devices only when forced): same rows
    from jaxframes.distributed.concat import concat_program
    parts = tuple((f._columns["k"].data, f._columns["a"].data) for f in (ours_a, ours_b))
    lives = tuple(f._live() for f in (ours_a, ours_b))
    kept = tuple(l.shape[0] // N_DEVICES for l in lives)
    arrays, mask, _ = concat_program(parts, lives, sharding=_sharding(), kept=kept, limit=1)
    np.testing.assert_array_equal(np.asarray(mask), np.asarray(jitted._live()))
    for name, got in zip(("k", "a"), arrays):
        np.testing.assert_array_equal(np.asarray(got)[np.asarray(mask)], jitted[name].to_numpy())
    return f"eager + jit match pandas, row-sharded, rounds = tail; live rows per device {per}"


def jax_jit_concat(x: Any, y: Any) -> Any:
    import jax

    import jaxframes as jf
    return jax.jit(lambda p, q: jf.concat([p, q]))(x, y)


def case_hlo_keyed_and_concat() -> str:
    """nunique, rank and concat under jit: rows move by all_to_all only; nothing row-sized is
    all-gathered (unique shares drop_duplicates' program: hlo_rows_by_key)."""
    import jaxframes as jf
    out = [f"nunique: {hlo_check(lambda d: d['a'].nunique())}",
           f"rank: {hlo_check(lambda d: d['a'].rank(method='dense', pct=True))}",
           f"concat: {hlo_check(lambda d: jf.concat([d, d[d['b'] % 3 == 0]]), exchange='collective-permute')}"]
    return " | ".join(out)


def case_ragged_all_to_all_unsupported() -> str:
    """concat moves rows by collective-permute rounds because XLA:CPU lacks ragged_all_to_all
    (one collective, the natural fit): fails when a JAX update brings it, so that it is revisited."""
    import jax
    import jax.numpy as jnp
    from jax.sharding import PartitionSpec as P
    mesh = jax.make_mesh((N_DEVICES,), (AXIS,))
    sizes = jnp.ones(N_DEVICES, jnp.int32)
    offsets = jnp.arange(N_DEVICES, dtype=jnp.int32)

    def body(x):
        me = jax.lax.axis_index(AXIS).astype(jnp.int32)
        return jax.lax.ragged_all_to_all(x, jnp.zeros_like(x), offsets, sizes, jnp.full(N_DEVICES, me), sizes,
                                         axis_name=AXIS)

    x = jax.device_put(jnp.arange(N_DEVICES * N_DEVICES, dtype=jnp.float32), jax.NamedSharding(mesh, P(AXIS)))
    try:
        jax.jit(jax.shard_map(body, mesh=mesh, in_specs=P(AXIS), out_specs=P(AXIS)))(x).block_until_ready()
    except Exception as err:  # noqa: BLE001 - the runtime's UNIMPLEMENTED error
        assert "ragged-all-to-all" in str(err) and "not supported" in str(err), err
        return f"still unsupported on XLA:CPU (jax {jax.__version__})"
    raise AssertionError("XLA:CPU runs ragged_all_to_all now: consider it for distributed/concat.py")


CASES: dict[str, Callable[[], str]] = {
    name[len("case_"):]: fn for name, fn in sorted(globals().items()) if name.startswith("case_")
}
CASE_NAMES = list(CASES)
# Covered in spirit by a faster case; run with -m slow (each compiles several more programs).
# Moved to slow to keep the fast halves' wall time flat while unique/nunique/rank/concat cases
# were added: the retry (sort_forced_overflow covers it), Series and ignore_index sorts, the
# dead-row group-by (dead rows: sort_dead_rows and the filtered cases) and the broadcast merge
# (hlo_merge_broadcast and the 2-process merge_broadcast query cover it).
SLOW_CASES = ["sort_one_key",  # covered by sort_dead_rows (the float key with NaN, eager + jit)
              "sort_presorted_retries", "sort_series", "sort_ignore_index", "groupby_dead_rows", "merge_broadcast",
              "rank_every_method", "groupby_sort_false", "sort_keys_mixed", "sort_nullable_datetime", "sort_string_index", "sort_empty_and_one_row",
              "merge_string_keys_sort_indicator", "groupby_two_keys_dropna_false_size", "hlo_sort_values_two_keys"]


def main() -> None:
    import jax
    assert len(jax.devices()) == N_DEVICES, f"expected {N_DEVICES} devices, got {jax.devices()}"
    only = sys.argv[1:]
    report: dict[str, dict[str, str]] = {}
    for name, fn in CASES.items():
        if only and name not in only:
            continue
        start = time.perf_counter()
        try:
            report[name] = {"status": "passed", "detail": f"{fn()} ({time.perf_counter() - start:.1f} s)"}
        except Exception as err:  # noqa: BLE001 - every failure goes into the report
            report[name] = {"status": "failed",
                            "detail": f"{type(err).__name__}: {err}\n{traceback.format_exc(limit=-4)}"}
    sys.stdout.write("\n" + json.dumps(report) + "\n")


if __name__ == "__main__":
    main()
