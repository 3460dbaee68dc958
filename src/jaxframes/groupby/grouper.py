"""Grouping: the group ids that every aggregation of a group-by shares.

Two ways to find groups, chosen per call:

- dense (eager, small key domains): bool keys, dictionary-coded strings, ints and decimals
  whose range is small, and datetimes/timedeltas whose range is small in steps of a day, hour,
  minute or second (floored timestamps) get direct slots (mixed radix over the keys, an extra
  slot per key for nulls), so scatter-based aggregations need no sort at all. One kernel
  (kernels/dense_ids.py) turns the occupied slots into output positions (key order, or first
  appearance) and gives each row its group's position as an int32 id: per-slot outputs are
  already in output order (the count stays on the device: no sync beyond the key ranges).
- sorted (everything else, and inside jit): rows are sorted by (dead-last, keys...) with the
  stable radix argsort; runs of equal packed keys are the groups.

Order-dependent operations (median, nunique, ranks, scans) ask for ``as_sorted()``. Per-slot
outputs are turned into per-group outputs by ``finish`` (drop empty slots, then the
``sort=False`` first-appearance order). Outputs have a bucketed capacity (``num_slots``): the
groups first, then padding slots hidden by ``result_mask()``, so that similar group counts reuse
compiled kernels. Inside jit the sorted grouping keeps ``num_slots`` at the frame's capacity.
Host syncs, eagerly: one per group-by (dense: the integer key ranges; sorted: the group count).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field

import jax
import jax.numpy as jnp
import numpy as np

from jaxframes.column import Column, gather
from jaxframes.dtypes import PER_SECOND
from jaxframes.table import is_traced
from jaxframes.kernels.dense_ids import dense_group_ids, run_ids
from jaxframes.kernels.keys import SortKey, key_range, key_runs, pack_keys
from jaxframes.kernels.segments import seg_first_position
from jaxframes.kernels.sort import argsort_words, sort_words, sorted_segments
from jaxframes.sharding import bucket_capacity, live_prefix
from jaxframes.sync import device_get
from jaxframes.executables import jit

# A dense grouping allocates one slot per possible key combination: bound that.
_DENSE_MAX_SLOTS = 1 << 24


@dataclass(frozen=True, eq=False)
class Grouping:
    perm: jax.Array | None   # gather order of the rows (None: original order)
    ids: jax.Array           # slot id per gathered row; rows outside every group get num_slots
    sorted_ids: bool         # ids are non-decreasing (segment ops may assume it)
    live_sorted: jax.Array   # row is in a group, per gathered row
    num_slots: int           # static length of per-slot outputs
    order: jax.Array | None  # output position -> slot (None: slot order)
    num_groups: int | jax.Array
    group_rows: jax.Array    # original row of each output group's first row
    keys: tuple = field(default=())
    live: jax.Array | None = None
    sort: bool = True
    _sorted: list = field(default_factory=list)
    frame_live: jax.Array | None = None  # the frame's live rows, rows with a dropped null key included
    # per-slot (reduction, count) of value columns reduced together in one pass
    # (aggregations.prefetch), keyed by (id of the data, id of the validity, op, accumulator)
    _reduced: dict = field(default_factory=dict)

    def gather(self, values: jax.Array) -> jax.Array:
        return values if self.perm is None else gather(values, self.perm)

    def finish(self, per_slot: jax.Array) -> jax.Array:
        """Per-slot values as per-group values, in output order (one compiled gather: eager
        indexing compiles half a dozen programs per shape)."""
        return per_slot if self.order is None else gather(per_slot, self.order)

    def result_mask(self) -> jax.Array | None:
        """The output rows that hold a group: always a prefix (groups first, then padding)."""
        if isinstance(self.num_groups, int) and self.num_groups == self.num_slots:
            return None
        if isinstance(self.num_groups, int) and not is_traced(self.ids):
            return live_prefix(self.num_groups, self.num_slots)
        return _prefix_mask(self.num_groups, self.num_slots)

    def exact_group_rows(self) -> jax.Array:
        """``group_rows`` without the padding slots (a host sync when the count is on device)."""
        count = self.num_groups if isinstance(self.num_groups, int) else int(device_get(self.num_groups))
        return self.group_rows[:count]

    def row_groups(self) -> jax.Array:
        """Per original row: the output position of its group (garbage for rows in no group)."""
        slot = self.ids if self.perm is None else jnp.zeros_like(self.ids).at[self.perm].set(
            self.ids, unique_indices=True)
        if self.order is not None:
            inverse = jnp.zeros_like(self.order).at[self.order].set(jnp.arange(self.order.shape[0]))
            slot = inverse[jnp.clip(slot, 0, max(self.order.shape[0] - 1, 0))]
        return slot

    def broadcast(self, per_group: jax.Array) -> jax.Array:
        """Per-group values (output order) onto the original rows (for transform)."""
        if per_group.shape[0] == 0:
            return jnp.zeros(self.ids.shape, per_group.dtype)
        return per_group[jnp.clip(self.row_groups(), 0, per_group.shape[0] - 1)]

    def as_sorted(self) -> "Grouping":
        """The same groups, in the same output order, found by sorting (for order-dependent ops)."""
        if self.sorted_ids:
            return self
        if not self._sorted:
            self._sorted.append(_build_sorted(list(self.keys), self.live, self.sort, self.num_slots))
        return self._sorted[0]


@functools.partial(jit, static_argnums=1)
def _prefix_mask(count: jax.Array, capacity: int) -> jax.Array:
    return jnp.arange(capacity) < count


def sort_key_for(col: Column, ascending: bool = True, na_position: str = "last") -> SortKey:
    """The kernel-level sort key of a column (strings sort by their sorted-dictionary codes,
    categoricals by their codes, which are in pandas' category order)."""
    kind = col.dtype.kind
    if kind == "C":
        cats = getattr(col.dtype, "categories", None)
        return SortKey(col.data, kind="U", ascending=ascending, na_position=na_position,
                       validity=col.validity, domain=None if cats is None else len(cats))
    validity = col.validity if col.dtype.has_validity else None
    domain = col.dictionary.code_bound if kind == "U" and col.dictionary is not None else None
    if kind in "dP":  # decimals (int64 counts of one scale), periods (ordinals): order like their values
        kind = "i"
    return SortKey(col.data, kind=kind, ascending=ascending, na_position=na_position,
                   validity=validity, domain=domain)


def build(keys: list[Column], live: jax.Array, sort: bool = True, dropna: bool = True) -> Grouping:
    """Group the live rows by the key columns (nulls form a group when dropna=False)."""
    grouping = _build(keys, live, sort, dropna)
    return dataclasses.replace(grouping, frame_live=live)


def _build(keys: list[Column], live: jax.Array, sort: bool, dropna: bool) -> Grouping:
    if dropna and keys:
        live = _and_all(live, *(col.not_null() for col in keys))
    if live.shape[0] and not is_traced(live, *[c.data for c in keys]):
        # one integer key whose every live row is usable (no null group): its range comes with
        # whether it is sorted and its run count, in the same sync
        runs_asked = len(keys) == 1 and keys[0].dtype.kind in "idP" and (dropna or not keys[0].dtype.has_validity)
        layouts, runs = _dense_layouts(keys, live, runs_asked)
        if runs is not None and _runs_pay(keys[0], live, layouts):
            return _build_runs(keys[0], live, sort, runs)
        if layouts is not None:
            dense = _build_dense(keys, live, sort, layouts)
            if dense is not None:
                return dense
            # the key product is too large for slots, but every key's range is known: sort the
            # keys as offsets into their ranges (six small keys fit one radix word, not four)
            return _build_sorted(keys, live, sort, layouts=layouts)
    return _build_sorted(keys, live, sort)


@jit
def _and_all(first: jax.Array, *more: jax.Array) -> jax.Array:
    """The rows where every mask holds: one program."""
    for mask in more:
        first = first & mask
    return first


def _time_steps(unit: str) -> tuple[int, ...]:
    """The candidate steps of a datetime/timedelta key in its unit, coarsest first: a day, an
    hour, a minute, a second (those that are whole counts of the unit), then one count."""
    per_second = PER_SECOND[unit]
    return tuple(s * per_second for s in (86_400, 3_600, 60, 1)) + ((1,) if per_second > 1 else ())


@functools.partial(jit, static_argnames=("steps",))
def _temporal_range(data: jax.Array, usable: jax.Array, steps: tuple[int, ...]) -> jax.Array:
    """[any usable row, min, max, then per candidate step: every usable value - min is a multiple
    of it] of a datetime/timedelta key (floored keys, dt.floor('D'), step by days). The range is
    the C++ key-range pass; the steps divide each other (day, hour, minute, second), so each
    finer step is tested only when the coarser one failed (``lax.cond``: floored-by-day keys cost
    one test)."""
    found_low_high = key_range(data, usable)
    offset = data - found_low_high[1]

    def whole_from(i: int) -> jax.Array:
        if i == len(steps):
            return jnp.zeros(0, bool)
        ok = _all_multiples(offset, steps[i], usable)
        finer = len(steps) - i - 1
        rest = jax.lax.cond(ok, lambda: jnp.ones(finer, bool), lambda: whole_from(i + 1))
        return jnp.concatenate([ok[None], rest])
    return jnp.concatenate([found_low_high, whole_from(0).astype(jnp.int64)])


def _all_multiples(offset: jax.Array, step: int, usable: jax.Array) -> jax.Array:
    """Every usable ``offset`` is a multiple of ``step``, without an int64 division per row:
    q = round(offset / step) in float64, then the exact int64 test offset == q * step. A multiple
    (quotient below 2**51, which every dense key range is) gets its exact q; a non-multiple
    equals no q * step, so a rounding error can only answer False, never a wrong True."""
    if step == 1:
        return jnp.ones((), bool)
    q = jnp.round(offset.astype(jnp.float64) * (1.0 / step)).astype(jnp.int64)
    return jnp.all((offset == q * step) | ~usable)


def _dense_layouts(keys: list[Column], live: jax.Array, runs_asked: bool = False
                   ) -> tuple[list[tuple[int, int, int]] | None, int | None]:
    """(lowest key, number of key values, step) per key when every key has a small domain, else
    None; and, when ``runs_asked`` (one integer key), the number of runs of equal live values
    when the live values are non-decreasing in row order, else None. Datetime/timedelta keys
    count in steps of the coarsest of a day, an hour, a minute, a second that divides every
    live value's distance from the lowest (floored timestamps take one slot per day or hour).
    The ranges of all integer and temporal keys come to the host together: one sync."""
    if any(col.dtype.kind not in "UbiCMmdP" or (col.dtype.kind == "C" and getattr(col.dtype, "categories", None) is None)
           for col in keys):
        return None, None
    ranged = [col for col in keys if col.dtype.kind in "iMmdP"]
    questions = []
    for col in ranged:
        usable = _and_all(live, col.not_null())
        if col.dtype.kind in "Mm":
            questions.append(_temporal_range(col.data, usable, _time_steps(col.dtype.unit)))
        elif runs_asked:
            questions.append(key_runs(col.data, usable))
        else:
            questions.append(key_range(col.data, usable))
    answers = device_get(questions) if questions else []
    runs = None
    if runs_asked and len(answers) == 1 and int(answers[0][0]) and int(answers[0][3]):
        runs = int(answers[0][4])
    return _layouts_from(keys, iter(answers)), runs


def _layouts_from(keys: list[Column], ranges) -> list[tuple[int, int, int]] | None:
    layouts = []
    for col in keys:
        kind = col.dtype.kind
        if kind == "U":
            layouts.append((0, col.dictionary.code_bound, 1))
        elif kind == "C":  # codes index the categories (pandas' order)
            layouts.append((0, max(len(col.dtype.categories), 1), 1))
        elif kind == "b":
            layouts.append((0, 2, 1))
        else:
            answer = [int(x) for x in next(ranges)]
            found, low, high = answer[:3]
            step = 1
            if kind in "Mm":
                step = next((s for s, whole in zip(_time_steps(col.dtype.unit), answer[3:]) if whole), 1)
            if not found:
                layouts.append((0, 1, 1))
            elif high - low >= 2 ** 63 or (high - low) // step >= _DENSE_MAX_SLOTS:  # (offsets wrap int64)
                return None
            else:
                layouts.append((low, (high - low) // step + 1, step))
    return layouts


@functools.partial(jit, static_argnames=("num_out",))
def _narrowed(ids: jax.Array, group_rows: jax.Array, *, num_out: int):
    """Dense ids over ``num_out`` output slots instead of the whole key domain (groups keep
    their positions; rows in no group get ``num_out``)."""
    return jnp.minimum(ids, num_out), group_rows[:num_out]


#: A dense grouping whose slot domain is at least this large and mostly empty learns its group
#: count (one more host sync) and renumbers its slots to the groups' bucket, so that every
#: per-group output (sums, keys, masks) is the size of the groups, not of the key domain.
_RENUMBER_MIN_SLOTS = 1 << 16


def _build_dense(keys: list[Column], live: jax.Array, sort: bool,
                 layouts: list[tuple[int, int, int]]) -> Grouping | None:
    """Slots straight from the key values (``layouts``: ``_dense_layouts``'s): the output has the
    slot count's bucket as capacity, the groups first and a row mask over the rest; the group
    count stays on the device (a large, sparse key domain: one more sync, and the output has the
    group count's bucket). None when the keys' slot product is too large."""
    capacity = live.shape[0]
    slots = 1
    for col, (_, size, _) in zip(keys, layouts):
        slots *= size + (1 if col.dtype.has_validity else 0)
        if slots > max(1024, 2 * capacity) or slots > _DENSE_MAX_SLOTS:
            return None
    num_slots = bucket_capacity(slots)
    ids, group_rows, num_groups = dense_group_ids(
        tuple(c.data for c in keys), tuple(c.not_null() for c in keys),
        np.array([low for low, _, _ in layouts], np.int64), np.array([size for _, size, _ in layouts], np.int64),
        live, steps=tuple(int(step) for _, _, step in layouts), num_slots=num_slots,
        nullable=tuple(c.dtype.has_validity for c in keys), sort=sort)
    if num_slots >= _RENUMBER_MIN_SLOTS:
        count = int(device_get(num_groups))
        num_out = bucket_capacity(count)
        if 2 * num_out <= num_slots:
            ids, group_rows = _narrowed(ids, group_rows, num_out=num_out)
            return Grouping(None, ids, False, live, num_out, None, count, group_rows, tuple(keys), live, sort)
    return Grouping(None, ids, False, live, num_slots, None, num_groups, group_rows, tuple(keys), live, sort)


def _runs_pay(key: Column, live: jax.Array, layouts: list[tuple[int, int, int]] | None) -> bool:
    """Whether a sorted key takes its runs as groups: where dense slots would be refused (the
    sort path) or span a large, mostly empty domain (slot tables, then a renumbering sync)."""
    if layouts is None:
        return True
    slots = layouts[0][1] + (1 if key.dtype.has_validity else 0)
    return slots > max(1024, 2 * live.shape[0]) or bucket_capacity(slots) >= _RENUMBER_MIN_SLOTS


def _build_runs(key: Column, live: jax.Array, sort: bool, count: int) -> Grouping:
    """Groups of a key whose live values are non-decreasing in row order: each run of equal
    values is a group, in row order (key order and first appearance at once). The run count
    came with the key's range, so the output has its bucket as capacity: no slot table, no
    sort, no further sync."""
    num_slots = bucket_capacity(count)
    ids, group_rows, _ = run_ids(key.data, live, num_slots=num_slots)
    return Grouping(None, ids, False, live, num_slots, None, count, group_rows, (key,), live, sort)


def _ranged_sort_key(col: Column, layout: tuple[int, int, int], live: jax.Array) -> SortKey:
    """The sort key of an integer-like key column whose live range is known (``layout``: lowest
    value, number of values, step): its offset from the lowest value, in a domain of that many
    values (a 1..100 int64 key packs into 7 bits instead of 64). Rows outside the range's rows
    (dead, or null: ordered by the validity) get offset 0, so they never spill into other keys'
    bits. Keys with a step (floored datetimes) keep their plain sort key."""
    low, size, step = layout
    if col.dtype.kind not in "idP" or step != 1:
        return sort_key_for(col)
    usable = live & col.not_null()
    offset = jnp.where(usable, col.data - np.array(low, col.data.dtype), np.array(0, col.data.dtype))
    validity = col.validity if col.dtype.has_validity else None
    return SortKey(offset, kind="i", validity=validity, domain=size)


def _build_sorted(keys: list[Column], live: jax.Array, sort: bool, num_slots: int | None = None,
                  layouts: list[tuple[int, int, int]] | None = None) -> Grouping:
    """Groups as runs of equal sorted keys. Eagerly one host sync learns the group count and the
    output takes its bucket as capacity (groups first, a row mask over the rest); inside jit the
    output keeps the frame's capacity. ``num_slots`` given (the layout of a dense twin): no sync.
    ``layouts`` given (every key's range, from ``_dense_layouts``): integer keys are packed as
    offsets into their ranges."""
    capacity = live.shape[0]
    if capacity == 0:
        empty = jnp.zeros(0, jnp.int64)
        return Grouping(empty, empty, True, jnp.zeros(0, bool), 0, None, 0, empty, tuple(keys), live, sort)
    if layouts is None:
        sort_keys = [SortKey(~live, kind="b")] + [sort_key_for(c) for c in keys]
    else:
        sort_keys = [SortKey(~live, kind="b")] + [_ranged_sort_key(c, lay, live) for c, lay in zip(keys, layouts)]
    perm, sorted_words = sort_words(pack_keys(sort_keys).words)
    starts, ids = sorted_segments(sorted_words)
    live_sorted = live[perm]
    num_groups = jnp.sum(starts & live_sorted, dtype=jnp.int64)
    if num_slots is None:
        if is_traced(num_groups):
            num_slots = capacity
        else:
            num_groups = int(device_get(num_groups))
            num_slots = bucket_capacity(num_groups)
    ids = jnp.where(live_sorted, ids, num_slots)
    first = seg_first_position(live_sorted, ids, num_slots)
    group_rows = perm[jnp.clip(first, 0)]
    order = None
    if not sort and num_slots:
        appearance = jnp.where(first >= 0, group_rows, jnp.iinfo(jnp.int64).max)
        order = argsort_words([appearance.astype(jnp.uint64)])  # radix: XLA's CPU sort is slow
        group_rows = group_rows[order]
    return Grouping(perm, ids, True, live_sorted, num_slots, order, num_groups, group_rows,
                    tuple(keys), live, sort)
