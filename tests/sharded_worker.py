"""Row-sharded frames on 8 simulated CPU devices: a table of operations, each run on a pandas
frame and on its row-sharded JaxFrames twin (eagerly and, where marked, under jax.jit), compared
with the shared testing helpers; results must still be row-sharded (NamedSharding over 'data').

Run as a script (tests/test_sharding.py does it in a subprocess) with
XLA_FLAGS=--xla_force_host_platform_device_count=8 JAX_PLATFORMS=cpu; prints a JSON report
{case: {"status": "passed"|"failed"|"unavailable", "detail": str}} as its last line.
Importing the module (to list the case names) touches no device.
"""

from __future__ import annotations

import json
import sys
import traceback
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

N_DEVICES = 8
AXIS = "data"


@dataclass(frozen=True)
class Case:
    name: str
    op: Callable[[Any], Any]
    frame: str = "mixed"
    jit: bool = False              # also run under jax.jit (result converted outside)
    needs: tuple[str, ...] = ()    # "Series.__gt__", "DataFrame.sum", ...: gate on what exists
    sharded_result: bool = True    # a frame/Series result must stay row-sharded


# -- the frames ---------------------------------------------------------------------------------
def frame_mixed() -> pd.DataFrame:
    """13 rows: not a multiple of 8, so the sharded capacity is padded and masked."""
    rng = np.random.default_rng(0)
    n = 13
    return pd.DataFrame({
        "a": rng.normal(size=n).round(3),
        "b": rng.integers(-5, 6, n),
        "f": np.where(rng.random(n) < 0.3, np.nan, rng.normal(size=n)),
        "m": pd.array(np.where(rng.random(n) < 0.3, None, rng.integers(0, 9, n)), dtype="Int64"),
        "s": pd.Series(rng.choice(["x", "yy", "zzz", None], n), dtype="str"),
        "t": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 100, n), unit="h")).astype(
            "datetime64[ns]"),
        "flag": rng.random(n) < 0.5,
        "cat": pd.Categorical(rng.choice(["lo", "mid", "hi", None], n), categories=["lo", "mid", "hi"]),
    })


def frame_indexed() -> pd.DataFrame:
    pdf = frame_mixed()[["a", "b", "m", "s"]]
    return pdf.set_axis(pd.Index([f"r{i:02d}" for i in range(len(pdf))], name="key"), axis=0)


def frame_floats() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    return pd.DataFrame({"a": rng.normal(size=21), "b": rng.normal(size=21)})


FRAMES = {"mixed": frame_mixed, "indexed": frame_indexed, "floats": frame_floats,
          "empty": lambda: frame_mixed().iloc[:0], "one": lambda: frame_mixed().iloc[:1]}


# -- helpers usable on pandas and on JaxFrames objects --------------------------------------------
def _has(qualname: str) -> bool:
    import jaxframes as jf
    cls_name, attr = qualname.split(".")
    found = getattr(getattr(jf, cls_name), attr, None)
    return found is not None and found is not getattr(object, attr, None)


def mask(d: Any, name: str, fn: Callable[[Any], Any]) -> Any:
    """A boolean row key ``fn(d[name])`` for a numeric, null-free column. Uses the comparison
    operators where they exist; before that, builds the jaxframes Series key by hand."""
    s = d[name]
    if isinstance(s, pd.Series) or _has("Series.__gt__"):
        return fn(s)
    from jaxframes.column import Column
    return s._with_column(Column(fn(s._column.data)))


def _cases() -> list[Case]:
    gt0 = lambda d: mask(d, "a", lambda x: x > 0)  # noqa: E731
    c = [
        Case("construct_padded", lambda d: d, jit=True),
        Case("construct_indexed", lambda d: d, frame="indexed", jit=True),
        Case("construct_empty", lambda d: d, frame="empty"),
        Case("construct_one_row", lambda d: d, frame="one", jit=True),
        Case("filter_mask", lambda d: d[gt0(d)], jit=True),
        # DataFrame.filter(mask) is the Getting Started spelling; pandas' equivalent is d[mask].
        Case("filter_method", lambda d: d[gt0(d)] if isinstance(d, pd.DataFrame) else d.filter(gt0(d)),
             jit=True),
        Case("filter_indexed", lambda d: d[gt0(d)], frame="indexed", jit=True),
        Case("filter_twice", lambda d: d[gt0(d)][mask(d[gt0(d)], "b", lambda x: x < 3)]),
        Case("filter_then_compact_via_to_pandas", lambda d: d[gt0(d)].head(100)),
        Case("head", lambda d: d.head(3), jit=True),
        Case("head_negative", lambda d: d.head(-4)),
        Case("tail", lambda d: d.tail(4), jit=True),
        Case("head_after_filter", lambda d: d[gt0(d)].head(2), jit=True),
        Case("tail_after_filter_indexed", lambda d: d[gt0(d)].tail(2), frame="indexed", jit=True),
        Case("assign_scalar", lambda d: d.assign(z=1.5), jit=True),
        Case("assign_series", lambda d: d.assign(z=d["b"]), jit=True),
        Case("assign_list", lambda d: d.assign(z=list(range(13)))),
        Case("assign_after_filter", lambda d: d[gt0(d)].assign(z=d[gt0(d)]["a"])),
        Case("astype_float32", lambda d: d.astype({"a": "float32", "b": "float64"}), jit=True),
        Case("astype_masked", lambda d: d.astype({"b": "Int64", "flag": "boolean"}), jit=True),
        Case("astype_str", lambda d: d.astype({"b": "str"})),
        Case("drop_columns", lambda d: d.drop(columns=["s", "t"]), jit=True),
        Case("drop_rows_by_label", lambda d: d.drop(index=[0, 5, 12])),
        Case("drop_rows_indexed", lambda d: d.drop(index=["r01", "r07"]), frame="indexed"),
        Case("rename", lambda d: d.rename(columns={"a": "A"}), jit=True),
        Case("select_columns", lambda d: d[["s", "a"]], jit=True),
        Case("series_getitem", lambda d: d["m"], jit=True),
        Case("series_filter", lambda d: d["a"][gt0(d)]),
        Case("series_head", lambda d: d["s"].head(5)),
        Case("filter_items_axis0", lambda d: d.filter(items=["r02", "r09"], axis=0), frame="indexed"),
        Case("iloc_slice", lambda d: d.iloc[2:11]),
        Case("iloc_list", lambda d: d.iloc[[5, 0, 12, 3]]),
        Case("iloc_after_filter", lambda d: d[gt0(d)].iloc[1:3]),
        Case("loc_labels", lambda d: d.loc[["r03", "r00"]], frame="indexed"),
        Case("loc_bool", lambda d: d.loc[gt0(d)]),
        Case("to_jax_is_live_rows", lambda d: d["a"].to_numpy() if isinstance(d, pd.DataFrame)
             else np.asarray(d["a"].to_jax()), sharded_result=False),
        # -- operators (once they exist) ----------------------------------------------------------
        Case("op_gt_filter", lambda d: d[d["a"] > 0], jit=True, needs=("Series.__gt__",)),
        Case("op_compare_masked", lambda d: d["m"] >= 4, jit=True, needs=("Series.__ge__",)),
        Case("op_eq_string", lambda d: d[d["s"] == "yy"], needs=("Series.__eq__",)),
        Case("op_arith", lambda d: d.assign(z=d["a"] * 4 + d["b"] - d["f"] / 2), jit=True,
             needs=("Series.__mul__", "Series.__add__", "Series.__sub__", "Series.__truediv__")),
        Case("op_masked_arith", lambda d: d["m"] * 2 + d["b"], jit=True,
             needs=("Series.__mul__", "Series.__add__")),
        Case("op_and_or", lambda d: d[(d["a"] > 0) & ~d["flag"] | (d["b"] == 2)], jit=True,
             needs=("Series.__gt__", "Series.__and__", "Series.__or__", "Series.__invert__")),
        Case("frame_arith", lambda d: d[["a", "b"]] * 2, jit=True, needs=("DataFrame.__mul__",)),
        Case("where", lambda d: d["a"].where(d["a"] > 0, -1.0), jit=True,
             needs=("Series.where", "Series.__gt__")),
        Case("fillna", lambda d: d["f"].fillna(0.0), jit=True, needs=("Series.fillna",)),
        Case("frame_fillna", lambda d: d[["f", "m"]].fillna(0), needs=("DataFrame.fillna",)),
        Case("isna", lambda d: d["m"].isna(), jit=True, needs=("Series.isna",)),
        Case("abs", lambda d: d["a"].abs(), jit=True, needs=("Series.abs",)),
        Case("clip", lambda d: d["a"].clip(-0.5, 0.5), jit=True, needs=("Series.clip",)),
        Case("round", lambda d: d["a"].round(1), jit=True, needs=("Series.round",)),
        # -- reductions / cumulative ----------------------------------------------------------------
        Case("sum", lambda d: d["a"].sum(), sharded_result=False, needs=("Series.sum",)),
        Case("sum_after_filter", lambda d: d[gt0(d)]["b"].sum(), sharded_result=False, needs=("Series.sum",)),
        Case("mean_nan", lambda d: d["f"].mean(), sharded_result=False, needs=("Series.mean",)),
        Case("min_max_masked", lambda d: (d["m"].min(), d["m"].max()), sharded_result=False,
             needs=("Series.min", "Series.max")),
        Case("std_var", lambda d: (d["a"].std(), d["a"].var()), sharded_result=False,
             needs=("Series.std", "Series.var")),
        Case("count", lambda d: d["f"].count(), sharded_result=False, needs=("Series.count",)),
        Case("frame_sum", lambda d: d[["a", "b", "f"]].sum(), sharded_result=False, needs=("DataFrame.sum",)),
        Case("frame_mean", lambda d: d[["a", "b", "f"]].mean(), sharded_result=False, needs=("DataFrame.mean",)),
        Case("cumsum", lambda d: d["b"].cumsum(), needs=("Series.cumsum",)),
        Case("cumsum_after_filter", lambda d: d[gt0(d)]["a"].cumsum(), needs=("Series.cumsum",)),
        Case("cumsum_nan", lambda d: d["f"].cumsum(), needs=("Series.cumsum",)),
        Case("cummax", lambda d: d["a"].cummax(), needs=("Series.cummax",)),
        Case("frame_cumsum", lambda d: d[["a", "b"]].cumsum(), needs=("DataFrame.cumsum",)),
        Case("shift", lambda d: d["a"].shift(2), needs=("Series.shift",)),
        Case("shift_after_filter", lambda d: d[gt0(d)]["b"].shift(-1), needs=("Series.shift",)),
        Case("frame_shift", lambda d: d[["a", "m"]].shift(1), needs=("DataFrame.shift",)),
        Case("diff", lambda d: d["a"].diff(), needs=("Series.diff",)),
        Case("flex_add", lambda d: d["f"].add(d["a"]).rsub(1.0), jit=True, needs=("Series.add",)),
        Case("pow_floordiv_mod", lambda d: d.assign(p=d["b"] ** 2, q=d["b"] // 3, r=d["b"] % 4), jit=True,
             needs=("Series.__pow__", "Series.__floordiv__", "Series.__mod__")),
        Case("frame_where", lambda d: d[["a", "f"]].where(d[["a", "f"]] > 0), jit=True,
             needs=("DataFrame.where", "DataFrame.__gt__")),
        Case("series_mask", lambda d: d["m"].mask(d["b"] > 0), jit=True, needs=("Series.mask",)),
        Case("notna", lambda d: d[["f", "m", "s", "t"]].notna(), jit=True, needs=("DataFrame.notna",)),
        Case("dropna", lambda d: d.dropna(), needs=("DataFrame.dropna",)),
        Case("dropna_subset", lambda d: d.dropna(subset=["f"]), needs=("DataFrame.dropna",)),
        Case("series_dropna", lambda d: d["m"].dropna(), needs=("Series.dropna",)),
        Case("ffill_bfill", lambda d: (d["f"].ffill(), d["m"].bfill()), needs=("Series.ffill", "Series.bfill")),
        Case("ffill_after_filter", lambda d: d[gt0(d)][["f", "m"]].ffill(), needs=("DataFrame.ffill",)),
        Case("string_compare", lambda d: d["s"] < "yy", jit=True, needs=("Series.__lt__",)),
        # -- reductions / cumulative ----------------------------------------------------------------
        Case("any_all", lambda d: (d["flag"].any(), d["flag"].all()), sharded_result=False,
             needs=("Series.any", "Series.all")),
        Case("median_quantile", lambda d: (d["a"].median(), d["f"].quantile(0.25)), sharded_result=False,
             needs=("Series.median", "Series.quantile")),
        Case("idxmax_idxmin", lambda d: (d["a"].idxmax(), d["b"].idxmin()), frame="indexed",
             sharded_result=False, needs=("Series.idxmax", "Series.idxmin")),
        Case("nunique", lambda d: (d["b"].nunique(), d["s"].nunique()), sharded_result=False,
             needs=("Series.nunique",)),
        Case("prod_masked", lambda d: d[gt0(d)]["m"].prod(), sharded_result=False, needs=("Series.prod",)),
        Case("describe", lambda d: d[["a", "b", "f"]].describe(), sharded_result=False,
             needs=("DataFrame.describe",)),
        Case("cumprod_cummin", lambda d: (d["b"].cumprod(), d["m"].cummin()),
             needs=("Series.cumprod", "Series.cummin")),
        Case("frame_diff_after_filter", lambda d: d[gt0(d)][["a", "b"]].diff(), needs=("DataFrame.diff",)),
        # -- the Getting Started example (DESIGN.md) up to the filter ---------------------------------
        Case("getting_started", getting_started, frame="getting_started",
             needs=("Series.__mul__", "Series.__gt__")),
        Case("getting_started_groupby", getting_started_groupby, frame="getting_started", sharded_result=False,
             needs=("Series.__mul__", "Series.__gt__", "DataFrame.groupby")),
    ]
    return c


def getting_started(d: Any) -> Any:
    d = d.assign(b_bucket=(d["b"] * 4).astype("int32"))
    return d.filter(d["a"] > 0) if not isinstance(d, pd.DataFrame) else d[d["a"] > 0]


def getting_started_groupby(d: Any) -> Any:
    grouped = getting_started(d).groupby("b_bucket").agg({"a": "sum", "b": "mean"})
    return grouped if isinstance(d, pd.DataFrame) else grouped.collect()


CASES = _cases()


# -- running ------------------------------------------------------------------------------------------
def _check_row_sharded(obj: Any, named: Any) -> None:
    import jax

    from jaxframes import DataFrame, Series
    if isinstance(obj, tuple):
        for item in obj:
            _check_row_sharded(item, named)
        return
    if not isinstance(obj, (DataFrame, Series)):
        return
    assert obj._sharding is not None, "result lost its RowSharding"
    assert obj._capacity % N_DEVICES == 0, f"capacity {obj._capacity} not a multiple of {N_DEVICES}"
    dictionaries = _string_dictionary_leaves(obj)
    for leaf in jax.tree.leaves(obj):
        if id(leaf) in dictionaries:
            continue
        assert leaf.shape[0] == obj._capacity, f"leaf of shape {leaf.shape} vs capacity {obj._capacity}"
        assert leaf.sharding.is_equivalent_to(named, 1), f"leaf sharded as {leaf.sharding}, expected {named}"


def _string_dictionary_leaves(obj: Any) -> set:
    """Ids of the device arrays of string dictionaries: PyTree data, but not rows, so not
    row-sharded (dictionary.py)."""
    cols = list(getattr(obj, "_columns", {}).values())
    if hasattr(obj, "_column"):
        cols.append(obj._column)
    index = obj._index
    cols += list(getattr(index, "columns", ())) + ([index.column] if hasattr(index, "column") else [])
    return {id(x) for c in cols if c.dictionary is not None for x in c.dictionary.device()}


def _compare(result: Any, expected: Any) -> None:
    from jaxframes.testing import assert_same_result
    if isinstance(expected, tuple):
        assert isinstance(result, tuple) and len(result) == len(expected)
        for r, e in zip(result, expected):
            _compare(r, e)
        return
    assert_same_result(result, expected)


def _getting_started_frames(sharding: Any) -> tuple[pd.DataFrame, Any]:
    import jax

    import jaxframes as jf
    n = 100_000
    a = jax.random.normal(jax.random.key(0), (n,))
    b = jax.random.normal(jax.random.key(1), (n,))
    pdf = pd.DataFrame({"a": np.asarray(a), "b": np.asarray(b)})
    return pdf, jf.DataFrame({"a": a, "b": b}, sharding=sharding)


def run_case(case: Case, sharding: Any) -> str:
    """Run one case; returns a detail string, raises on a mismatch."""
    import jax

    import jaxframes as jf
    if case.frame == "getting_started":
        pdf, ours = _getting_started_frames(sharding)
    else:
        pdf = FRAMES[case.frame]()
        ours = jf.DataFrame(pdf, sharding=sharding)
    _check_row_sharded(ours, sharding.named)
    try:
        expected = case.op(pdf)
    except Exception as err:
        try:
            case.op(ours)
        except type(err):
            return f"both raised {type(err).__name__}"
        raise AssertionError(f"pandas raised {type(err).__name__}({err}); jaxframes did not raise it")
    results = {"eager": case.op(ours)}
    if case.jit:
        results["jit"] = jax.jit(case.op)(ours)
    for mode, result in results.items():
        try:
            _compare(result, expected)
            if case.sharded_result:
                _check_row_sharded(result, sharding.named)
        except AssertionError as err:
            raise AssertionError(f"[{mode}] {err}") from err
    return "compared " + "+".join(results)


def check_mesh_decision(mesh: Any, sharding: Any) -> str:
    """make_mesh gives Explicit axes by default; row_sharded rebuilds the mesh with Auto axes."""
    from jax.sharding import AxisType
    assert mesh.axis_types == (AxisType.Explicit,), f"make_mesh default changed: {mesh.axis_types}"
    assert sharding.mesh.axis_types == (AxisType.Auto,), sharding.mesh.axis_types
    assert sharding.mesh.axis_names == mesh.axis_names and sharding.axis == AXIS
    assert list(sharding.mesh.devices.flat) == list(mesh.devices.flat)
    assert sharding.num_shards == N_DEVICES
    return "Explicit mesh -> Auto RowSharding"


def main() -> None:
    import jax

    import jaxframes as jf
    assert len(jax.devices()) == N_DEVICES, f"expected {N_DEVICES} devices, got {jax.devices()}"
    mesh = jax.make_mesh((N_DEVICES,), (AXIS,))
    sharding = jf.row_sharded(mesh)
    report: dict[str, dict[str, str]] = {}

    def record(name: str, fn: Callable[[], str]) -> None:
        try:
            report[name] = {"status": "passed", "detail": fn()}
        except Exception as err:  # noqa: BLE001 - every failure goes into the report
            report[name] = {"status": "failed",
                            "detail": f"{type(err).__name__}: {err}\n{traceback.format_exc(limit=-4)}"}

    record("mesh_decision", lambda: check_mesh_decision(mesh, sharding))
    for case in CASES:
        missing = [q for q in case.needs if not _has(q)]
        if missing:
            report[case.name] = {"status": "unavailable", "detail": f"not implemented yet: {missing}"}
            continue
        record(case.name, lambda case=case: run_case(case, sharding))
    sys.stdout.write("\n" + json.dumps(report) + "\n")


CASE_NAMES = ["mesh_decision"] + [case.name for case in CASES]

if __name__ == "__main__":
    main()
