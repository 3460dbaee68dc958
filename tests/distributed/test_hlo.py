"""The HLO collective reader (distributed/hlo.py) on HLO text as XLA prints it."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from jaxframes.distributed.hlo import Collective, collectives, compiled_text, growing, total_bytes

TEXT = """
  %all-gather.1 = f64[1024]{0} all-gather(%param), channel_id=5, replica_groups=[1,8]<=[8], dimensions={0}
  %copy.1 = u64[2,1024]{1,0} copy(%all-gather), metadata={op_name="jit(f)/all-gather"}
  %all-to-all.2 = (u64[128]{0}, u64[128]{0}, /*index=2*/u64[128]{0}) all-to-all(%a, %b, %c), channel_id=7
  %all-reduce-start = s64[8,8]{1,0} all-reduce-start(%x), channel_id=9, to_apply=%add
  %ar = pred[] all-reduce(%y), to_apply=%or
"""


def test_collectives_reads_kind_shapes_and_bytes():
    found = collectives(TEXT)
    assert [c.kind for c in found] == ["all-gather", "all-to-all", "all-reduce", "all-reduce"]
    assert found[0].shapes == (("f64", (1024,)),) and found[0].bytes == 8192
    assert found[1].bytes == 3 * 128 * 8  # a tuple all-to-all; the /*index*/ comment is skipped
    assert found[2].shapes == (("s64", (8, 8)),) and found[3].bytes == 1
    assert total_bytes(found, ("all-reduce",)) == 513
    assert str(found[0]) == "all-gather(f64[1024]) 8192 B"


def test_growing_flags_only_collectives_bigger_than_before():
    small = [Collective("all-gather", (("f64", (128,)),), ""), Collective("all-to-all", (("u64", (8,)),), "")]
    large = [Collective("all-gather", (("f64", (1024,)),), ""), Collective("all-to-all", (("u64", (64,)),), ""),
             Collective("all-reduce", (("s64", (8,)),), "")]
    grown = growing(small, large)
    # the all-to-all exchange may grow; a new all-reduce counts as grown (nothing to compare with)
    assert [(c.kind, before) for c, before in grown] == [("all-gather", 1024), ("all-reduce", 0)]


def test_compiled_text_of_a_one_device_program_has_no_collective():
    assert collectives(compiled_text(lambda x: jnp.sort(x) * 2, jnp.arange(8.0))) == []
    assert jax.devices()  # the reader needs no mesh
