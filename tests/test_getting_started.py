"""The Getting Started example of DESIGN.md runs as written on a row-sharded frame over 8
simulated CPU devices, and its result equals pandas' on the same data."""

import os
import subprocess
import sys
import textwrap

EXAMPLE = '''
import jax
import jaxframes as jf

key = jax.random.key(0)
mesh = jax.make_mesh((len(jax.devices()),), ('data',))
df = jf.DataFrame({
    'a': jax.random.normal(key, (1_000_000,)),
    'b': jax.random.normal(jax.random.key(1), (1_000_000,)),
}, sharding=jf.row_sharded(mesh))
df = df.assign(b_bucket=(df['b'] * 4).astype('int32'))

result = (df
    .filter(df['a'] > 0)          # a boolean mask: row filter (pandas' filter(items=/like=/regex=) also works)
    .groupby('b_bucket')
    .agg({'a': 'sum', 'b': 'mean'})
    .collect())                   # on an eager frame: returns it; on a LazyFrame: optimizes and runs
'''

CHECK = '''
import pandas as pd
assert len(jax.devices()) == 8
assert df.sharding is not None and df._columns['a'].data.sharding.spec == jax.sharding.PartitionSpec('data')
pdf = pd.DataFrame({'a': jax.device_get(df['a'].to_jax()), 'b': jax.device_get(df['b'].to_jax())})
pdf = pdf.assign(b_bucket=(pdf['b'] * 4).astype('int32'))
expected = pdf[pdf['a'] > 0].groupby('b_bucket').agg({'a': 'sum', 'b': 'mean'})
pd.testing.assert_frame_equal(result.to_pandas(), expected)
print("GETTING-STARTED-OK", len(expected))
'''


def test_getting_started_on_eight_devices():
    env = dict(os.environ, XLA_FLAGS="--xla_force_host_platform_device_count=8", JAX_PLATFORMS="cpu")
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(EXAMPLE) + CHECK], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "GETTING-STARTED-OK" in proc.stdout
