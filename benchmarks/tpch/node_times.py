"""Wall and CPU time of every plan node of one lazy TPC-H query (SF 1), steady state: each node's
``evaluate`` is wrapped to block on its result, so the times are per node (fused row-local
stages run inside one compiled call and show as their boundary nodes). CPU time
(``time.process_time``, all threads) moves less than wall time on a loaded host.

    uv run python benchmarks/tpch/node_times.py 18

Zero-row evaluations (the schema passes) appear too, as the short rows."""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import run as R  # noqa: E402
from queries import QUERIES  # noqa: E402

import jaxframes as jf  # noqa: E402
from jaxframes.plan import nodes as N  # noqa: E402
from jaxframes.sync import count_syncs  # noqa: E402

q = int(sys.argv[1])
folder = Path(__file__).parent / "data" / "sf1"
src = R.load_arrow(folder, decimals=q in R.DECIMAL_QUERIES, names=R.QUERY_TABLES.get(q, R.TABLES))
tables = {k: jf.from_arrow(v).lazy() for k, v in src.items()}
log: list = []


def wrap(cls: type) -> None:
    evaluate = cls.evaluate

    def timed(self, *args, **kwargs):
        wall, cpu = time.perf_counter(), time.process_time()
        with count_syncs() as syncs:
            out = evaluate(self, *args, **kwargs)
            R._block(out)
        log.append((type(self).__name__, time.perf_counter() - wall, time.process_time() - cpu, syncs.syncs,
                    str(self.params())[:100]))
        return out
    cls.evaluate = timed


for obj in list(vars(N).values()):
    if isinstance(obj, type) and issubclass(obj, N.Node) and "evaluate" in obj.__dict__:
        wrap(obj)
for _ in range(3):  # the last of three runs (the first compiles)
    log.clear()
    start = time.perf_counter()
    R._block(QUERIES[q](tables))
    total = time.perf_counter() - start
print(f"q{q} lazy: {total * 1e3:.0f} ms wall (last of 3)")
for name, wall, cpu, syncs, params in log:
    print(f"{name:12s} wall {wall * 1e3:7.1f} ms  cpu {cpu * 1e3:7.1f} ms  syncs {syncs}  {params}")
