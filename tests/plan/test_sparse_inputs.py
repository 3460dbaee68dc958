"""A selective filter below a lazy group-by or join: the stage compacts its input first
(plan/nodes.compacted_if_sparse); the answers are pandas'."""

import numpy as np
import pandas as pd

import jaxframes as jf
from jaxframes.plan import nodes


def test_a_sparse_input_is_compacted_before_group_by_and_join():
    rng = np.random.default_rng(3)
    n = 70_000  # past nodes._COMPACT_MIN_SLOTS
    pdf = pd.DataFrame({"k": rng.integers(0, 50, n), "v": rng.normal(size=n), "sel": rng.random(n)})
    right = pd.DataFrame({"k": np.arange(50), "w": rng.normal(size=50)})
    frame = jf.from_pandas(pdf)
    sparse = frame[frame["sel"] < 0.05]
    assert nodes.compacted_if_sparse(sparse)._capacity < sparse._capacity
    dense = frame[frame["sel"] < 0.9]
    assert nodes.compacted_if_sparse(dense) is dense

    def query(f, r):
        f = f[f["sel"] < 0.05]
        return f.merge(r, on="k").groupby("k", as_index=False).agg(v=("v", "sum"), w=("w", "max"))

    got = query(frame.lazy(), jf.from_pandas(right).lazy()).collect().to_pandas()
    pd.testing.assert_frame_equal(got, query(pdf, right))
