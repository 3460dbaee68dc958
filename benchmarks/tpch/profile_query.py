"""One TPC-H query, steady state: best of 3 runs in one process, with the host syncs counted
(jaxframes.sync.count_syncs); optionally a cProfile sorted by a column.

    uv run python benchmarks/tpch/profile_query.py 18 lazy [cumulative|tottime [rows]]

Reads the SF 1 tables from benchmarks/tpch/data/sf1 (made by run.py) the way run.py loads them."""

import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import run as R  # noqa: E402
from queries import QUERIES  # noqa: E402

import jaxframes as jf  # noqa: E402
from jaxframes.sync import count_syncs  # noqa: E402

q = int(sys.argv[1]); mode = sys.argv[2] if len(sys.argv) > 2 else "lazy"
folder = Path(__file__).parent / "data" / "sf1"
names = R.QUERY_TABLES.get(q, R.TABLES)
src = R.load_arrow(folder, decimals=q in R.DECIMAL_QUERIES, names=names)
frames = {k: jf.from_arrow(v) for k, v in src.items()}
tables = {k: v.lazy() for k, v in frames.items()} if mode == "lazy" else frames
R._block(QUERIES[q](tables))
ts = []
for _ in range(3):
    t = time.perf_counter()
    with count_syncs() as c:
        R._block(QUERIES[q](tables))
    ts.append(time.perf_counter() - t)
print(f"q{q} {mode}: best {min(ts):.3f} s, runs {[round(x,3) for x in ts]}, {c}")
if len(sys.argv) > 3:
    pr = cProfile.Profile(); pr.enable(); R._block(QUERIES[q](tables)); pr.disable()
    pstats.Stats(pr).sort_stats(sys.argv[3]).print_stats(int(sys.argv[4]) if len(sys.argv) > 4 else 40)
