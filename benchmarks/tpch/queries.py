"""TPC-H queries 1, 3, 5, 6, 9, 10, 13 and 18, written once with the pandas API.

Each function takes the tables (a dict of frames) and returns a frame; the same code runs on
pandas DataFrames, JaxFrames DataFrames and JaxFrames LazyFrames where their API allows. The SQL
text of each query (the TPC-H specification's, with its validation parameters) is in sql/;
DuckDB runs it as the outside reference.
"""

from __future__ import annotations

from typing import Any, Callable

import pandas as pd

Tables = dict[str, Any]


def q1(t: Tables) -> Any:
    li = t["lineitem"]
    li = li[li["l_shipdate"] <= pd.Timestamp("1998-09-02")]
    li = li.assign(disc_price=li["l_extendedprice"] * (1 - li["l_discount"]))
    li = li.assign(charge=li["disc_price"] * (1 + li["l_tax"]))
    out = li.groupby(["l_returnflag", "l_linestatus"], as_index=False).agg(
        sum_qty=("l_quantity", "sum"), sum_base_price=("l_extendedprice", "sum"),
        sum_disc_price=("disc_price", "sum"), sum_charge=("charge", "sum"),
        avg_qty=("l_quantity", "mean"), avg_price=("l_extendedprice", "mean"),
        avg_disc=("l_discount", "mean"), count_order=("l_orderkey", "count"))
    return out.sort_values(["l_returnflag", "l_linestatus"])


def q3(t: Tables) -> Any:
    c, o, li = t["customer"], t["orders"], t["lineitem"]
    c = c[c["c_mktsegment"] == "BUILDING"][["c_custkey"]]
    o = o[o["o_orderdate"] < pd.Timestamp("1995-03-15")][["o_orderkey", "o_custkey", "o_orderdate", "o_shippriority"]]
    li = li[li["l_shipdate"] > pd.Timestamp("1995-03-15")]
    li = li.assign(revenue=li["l_extendedprice"] * (1 - li["l_discount"]))[["l_orderkey", "revenue"]]
    j = c.merge(o, left_on="c_custkey", right_on="o_custkey").merge(li, left_on="o_orderkey", right_on="l_orderkey")
    out = j.groupby(["l_orderkey", "o_orderdate", "o_shippriority"], as_index=False).agg(revenue=("revenue", "sum"))
    out = out.sort_values(["revenue", "o_orderdate"], ascending=[False, True]).head(10)
    return out[["l_orderkey", "revenue", "o_orderdate", "o_shippriority"]]


def q5(t: Tables) -> Any:
    r, n, c, o, li, s = (t[k] for k in ("region", "nation", "customer", "orders", "lineitem", "supplier"))
    r = r[r["r_name"] == "ASIA"]
    o = o[(o["o_orderdate"] >= pd.Timestamp("1994-01-01")) & (o["o_orderdate"] < pd.Timestamp("1995-01-01"))]
    j = (r.merge(n, left_on="r_regionkey", right_on="n_regionkey")
         .merge(c, left_on="n_nationkey", right_on="c_nationkey")
         .merge(o, left_on="c_custkey", right_on="o_custkey")
         .merge(li, left_on="o_orderkey", right_on="l_orderkey")
         .merge(s, left_on=["l_suppkey", "n_nationkey"], right_on=["s_suppkey", "s_nationkey"]))
    j = j.assign(revenue=j["l_extendedprice"] * (1 - j["l_discount"]))
    out = j.groupby("n_name", as_index=False).agg(revenue=("revenue", "sum"))
    return out.sort_values("revenue", ascending=False)


def q6(t: Tables) -> Any:
    li = t["lineitem"]
    li = li[(li["l_shipdate"] >= pd.Timestamp("1994-01-01")) & (li["l_shipdate"] < pd.Timestamp("1995-01-01"))
            & (li["l_discount"] >= 0.05) & (li["l_discount"] <= 0.07) & (li["l_quantity"] < 24)]
    li = li.assign(revenue=li["l_extendedprice"] * li["l_discount"], one=1)
    return li.groupby("one", as_index=False).agg(revenue=("revenue", "sum"))[["revenue"]]


def q9(t: Tables) -> Any:
    p, s, li, ps, o, n = (t[k] for k in ("part", "supplier", "lineitem", "partsupp", "orders", "nation"))
    p = p[p["p_name"].str.contains("green")][["p_partkey"]]
    j = (p.merge(li, left_on="p_partkey", right_on="l_partkey")
         .merge(s, left_on="l_suppkey", right_on="s_suppkey")
         .merge(ps, left_on=["l_suppkey", "l_partkey"], right_on=["ps_suppkey", "ps_partkey"])
         .merge(o, left_on="l_orderkey", right_on="o_orderkey")
         .merge(n, left_on="s_nationkey", right_on="n_nationkey"))
    j = j.assign(nation=j["n_name"], o_year=j["o_orderdate"].dt.year,
                 amount=j["l_extendedprice"] * (1 - j["l_discount"]) - j["ps_supplycost"] * j["l_quantity"])
    out = j.groupby(["nation", "o_year"], as_index=False).agg(sum_profit=("amount", "sum"))
    return out.sort_values(["nation", "o_year"], ascending=[True, False])


def q10(t: Tables) -> Any:
    c, o, li, n = t["customer"], t["orders"], t["lineitem"], t["nation"]
    o = o[(o["o_orderdate"] >= pd.Timestamp("1993-10-01")) & (o["o_orderdate"] < pd.Timestamp("1994-01-01"))]
    li = li[li["l_returnflag"] == "R"]
    j = (c.merge(o, left_on="c_custkey", right_on="o_custkey")
         .merge(li, left_on="o_orderkey", right_on="l_orderkey")
         .merge(n, left_on="c_nationkey", right_on="n_nationkey"))
    j = j.assign(revenue=j["l_extendedprice"] * (1 - j["l_discount"]))
    keys = ["c_custkey", "c_name", "c_acctbal", "c_phone", "n_name", "c_address", "c_comment"]
    out = j.groupby(keys, as_index=False).agg(revenue=("revenue", "sum"))
    out = out.sort_values("revenue", ascending=False).head(20)
    return out[["c_custkey", "c_name", "revenue", "c_acctbal", "n_name", "c_address", "c_phone", "c_comment"]]


def q13(t: Tables) -> Any:
    c, o = t["customer"], t["orders"]
    o = o[~o["o_comment"].str.contains("special.*requests")]
    j = c.merge(o, left_on="c_custkey", right_on="o_custkey", how="left")
    counts = j.groupby("c_custkey", as_index=False).agg(c_count=("o_orderkey", "count"))
    out = counts.groupby("c_count", as_index=False).agg(custdist=("c_custkey", "count"))
    return out.sort_values(["custdist", "c_count"], ascending=[False, False])


def q18(t: Tables) -> Any:
    c, o, li = t["customer"], t["orders"], t["lineitem"]
    big = li.groupby("l_orderkey", as_index=False).agg(total=("l_quantity", "sum"))
    big = big[big["total"] > 300][["l_orderkey"]].rename(columns={"l_orderkey": "big_orderkey"})
    j = (o.merge(big, left_on="o_orderkey", right_on="big_orderkey")
         .merge(c, left_on="o_custkey", right_on="c_custkey")
         .merge(li, left_on="o_orderkey", right_on="l_orderkey"))
    keys = ["c_name", "c_custkey", "o_orderkey", "o_orderdate", "o_totalprice"]
    out = j.groupby(keys, as_index=False).agg(sum_qty=("l_quantity", "sum"))
    return out.sort_values(["o_totalprice", "o_orderdate"], ascending=[False, True]).head(100)


QUERIES: dict[int, Callable[[Tables], Any]] = {1: q1, 3: q3, 5: q5, 6: q6, 9: q9, 10: q10, 13: q13, 18: q18}
