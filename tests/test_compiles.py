"""No wasted compilations: frames built from data, merge and group-by outputs take capacity buckets,
so a workload repeated on new data of a similar size compiles nothing new after a warm-up."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

import jaxframes as jf
from jaxframes.compiles import count_compiles
from jaxframes.sharding import bucket_capacity, data_capacity
from jaxframes.testing import assert_frame_equal

# Left sizes all fall in the 1280 bucket, right sizes in the 1024 bucket, and every left key
# matches exactly one right key: the inner merge's output length is the left length (1280 bucket).
LEFT_SIZES = [1030 + 27 * i for i in range(10)]
RIGHT_SIZES = [900 + 13 * i for i in range(10)]


def _merge_inputs(i: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(i)
    n, m = LEFT_SIZES[i], RIGHT_SIZES[i]
    left = pd.DataFrame({"k": rng.integers(0, 900, n), "a": rng.normal(size=n)})
    right = pd.DataFrame({"k": rng.permutation(m), "b": rng.normal(size=m)})
    return left, right


def test_sizes_share_buckets():
    assert {data_capacity(n) for n in LEFT_SIZES} == {1280}
    assert {data_capacity(m) for m in RIGHT_SIZES} == {1024}
    assert bucket_capacity(1030) == 1280 and bucket_capacity(1281) == 1536 and bucket_capacity(8) == 8


def test_ten_merges_in_one_bucket_compile_once():
    left, right = _merge_inputs(0)
    with count_compiles() as warm_up:
        out = jf.from_pandas(left).merge(jf.from_pandas(right), on="k")
    assert warm_up.compiles > 0  # the counter sees compilations at all
    assert out._capacity == 1280 and out._row_mask is not None
    for i in range(1, 10):
        left, right = _merge_inputs(i)
        with count_compiles() as count:
            out = jf.from_pandas(left).merge(jf.from_pandas(right), on="k")
        assert count.compiles == 0, (i, count)
        assert_frame_equal(out, left.merge(right, on="k"))


def _groupby_input(i: int) -> pd.DataFrame:
    rng = np.random.default_rng(100 + i)
    n = LEFT_SIZES[i]
    return pd.DataFrame({"k": rng.integers(0, 40, n),               # dense path (small int range)
                         "h": rng.integers(0, 40, n) / 2,           # sorted path (float key)
                         "a": rng.normal(size=n), "b": rng.integers(0, 9, n)})


def test_ten_groupby_aggs_in_one_bucket_compile_once():
    def run(frame):
        return (frame.groupby("k").agg({"a": "sum", "b": "max"}),
                frame.groupby("h").agg({"a": "mean", "b": "sum"}))

    with count_compiles() as warm_up:
        run(jf.from_pandas(_groupby_input(0)))
    assert warm_up.compiles > 0
    for i in range(1, 10):
        pdf = _groupby_input(i)
        with count_compiles() as count:
            dense, by_sort = run(jf.from_pandas(pdf))
        assert count.compiles == 0, (i, count)
        expected_dense, expected_sorted = run(pdf)
        assert_frame_equal(dense, expected_dense)
        assert_frame_equal(by_sort, expected_sorted)


def test_frames_from_data_are_bucketed_and_masked():
    pdf = pd.DataFrame({"a": np.arange(1000.0), "s": ["x", None] * 500},
                       index=pd.Index(np.arange(1000) * 2, name="i"))
    for frame in (jf.from_pandas(pdf), jf.DataFrame(pdf), jf.from_arrow(pa.Table.from_pandas(pdf))):
        assert frame._capacity == 1024 and frame._row_mask is not None
        assert len(frame) == 1000
        assert_frame_equal(frame, pdf)
        assert_frame_equal(frame.sort_values("a", ascending=False), pdf.sort_values("a", ascending=False))
    small = jf.from_pandas(pdf.head(10))  # below BUCKET_FROM_ROWS: exact, no mask
    assert small._capacity == 10 and small._row_mask is None


def test_counter_counts_a_new_shape():
    import jax
    import jax.numpy as jnp

    @jax.jit
    def double(x):
        return x * 2

    three, five = jnp.asarray(np.ones(3)), jnp.asarray(np.ones(5))  # host transfers: no compile
    with count_compiles() as first:
        double(three)
    with count_compiles() as again:
        double(three)
    with count_compiles() as other:
        double(five)
    assert (first.compiles, again.compiles, other.compiles) == (1, 0, 1)
    assert "double" in next(iter(first.by_function))


def test_concat_and_value_counts_outputs_are_bucketed():
    rng = np.random.default_rng(5)
    a = pd.DataFrame({"k": rng.integers(0, 70, 700), "x": rng.normal(size=700)})
    b = pd.DataFrame({"k": rng.integers(0, 70, 330), "x": rng.normal(size=330)})
    stacked = jf.concat([jf.from_pandas(a), jf.from_pandas(b)])
    assert stacked._capacity == bucket_capacity(stacked._capacity)
    assert_frame_equal(stacked, pd.concat([a, b]))
    counts = jf.from_pandas(a)["k"].value_counts()
    expected = a["k"].value_counts()
    assert counts._capacity == bucket_capacity(len(expected))
    pd.testing.assert_series_equal(counts.to_pandas(), expected)


def test_eager_conversion_and_reductions_compile_few_programs():
    """Converting a frame compiles nothing (host arrays go to the device with device_put), and an
    eager reduction over several numeric columns is one program, not one per primitive and
    column: JAX traces and lowers every program again in each process (accelerator mode)."""
    n = 777  # a length no other test uses: nothing is compiled yet for its bucket
    pdf = pd.DataFrame({"i": np.arange(n), "f": np.linspace(0, 1, n), "s": ["a", "b", "c"] * 259,
                        "m": pd.array([1, None, 3] * 259, dtype="Int64")})
    with count_compiles() as convert:
        df = jf.from_pandas(pdf)
    assert convert.compiles == 0, convert
    with count_compiles() as reduce:
        out = df.sum(numeric_only=True)
    assert reduce.compiles == 1, reduce
    pd.testing.assert_series_equal(out.to_pandas(), pdf.sum(numeric_only=True))


def test_a_nullable_column_is_taken_in_one_program():
    """A column's data and validity are gathered by one program, not one each (sizes no other
    test uses, so nothing is compiled already)."""
    theirs = pd.DataFrame({"a": pd.array([None if i % 5 == 0 else i for i in range(53)], dtype="Int64")})
    positions = list(range(52, 0, -2))[:29]
    ours = jf.from_pandas(theirs)
    with count_compiles() as compiles:
        out = ours.take(positions)
    gathers = {name: n for name, n in compiles.by_function.items() if "gather" in name}
    assert sum(gathers.values()) == 1, compiles
    assert_frame_equal(out, theirs.take(positions))
