"""Distributed execution over a row-sharded mesh: explicit ``jax.shard_map`` algorithms whose
collectives are small (samples, counts) or are the data exchange itself (``all_to_all``), instead
of the all-gathers that XLA's partitioner inserts for sorts, gathers and C++ kernels.

- ``hlo``: read a compiled program's collectives (op, shape, bytes) from its HLO text;
- ``exchange``: the padded all-to-all shuffle with a per-destination capacity;
- ``sample_sort``: the distributed stable sort (sort_values on a row-sharded frame);
- ``partition``: key-range partitioning (rows with equal keys meet on one device);
- ``groupby``: group-by aggregation from local partials (exchanged by key range, or
  all-gathered below DENSE_GROUPS groups per device), rows moved by key range for median,
  nunique and the statistics (quantile, idxmax/idxmin with the index labels, value_counts,
  corr/cov, ...);
  per-row results (transform, cumulative ops) through ``rowwise``;
- ``rowwise``: per-row answers computed where a row's key range meets and sent back to the row
  (drop_duplicates/duplicated/unique, group-by transform, cumulative ops, head/tail/nth, rank);
- ``keyed``: nunique and rank by key range (runs of equal keys meet on one device; ranks come
  back to their rows);
- ``concat``: concat(axis=0) of row-sharded frames, laid out in order by a few collective-permute
  rounds (bytes per device flat in the device count), list columns included;
- ``join``: partitioned merge, or the broadcast of a small side (BROADCAST_BYTES; always for
  ``how='cross'``), index joins (a single-level index as the key), also across processes;
- ``processes``: several processes (gloo) with bounded failure detection, the small host
  all-gathers (``gather_rows``, ``gather_blobs``) that let processes agree on per-device
  metadata, and ``shared_dictionaries``/``unify_strings``: one string dictionary per column on
  every process (the invariant the exchanges rely on; read_parquet builds frames from each
  process's own rows through it).
"""
