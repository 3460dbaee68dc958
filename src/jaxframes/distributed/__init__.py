"""Distributed execution over a row-sharded mesh: explicit ``jax.shard_map`` algorithms whose
collectives are small (samples, counts) or are the data exchange itself (``all_to_all``), instead
of the all-gathers that XLA's partitioner inserts for sorts, gathers and C++ kernels.

- ``hlo``: read a compiled program's collectives (op, shape, bytes) from its HLO text;
- ``exchange``: the padded all-to-all shuffle with a per-destination capacity;
- ``sample_sort``: the distributed stable sort (sort_values on a row-sharded frame).
"""
