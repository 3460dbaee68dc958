// Dense group ids of a group-by over small key domains, in one kernel call: each live row's
// output position (int32), the first row of each output group and the group count.
//
// jaxframes_dense_group_ids(live bool[n], lows s64[k], sizes s64[k], steps s64[k], then per key
//   data[n] (s64, s32 or bool) and, where nullable says so, present bool[n];
//   attrs nullable s64[k], sort s64)
//   -> ids s32[n], group_rows s64[S], count s64[]
// A row's slot is the mixed radix over the keys (the first key most significant) of its codes:
// code = (data - low) / step clipped to [0, size - 1], or size for a null key of a nullable key
// (that key then counts size + 1 values). Occupied slots become output positions: in slot order
// (sort, which is key order) or in order of first appearance (not sort); ids holds the position
// of each live row's group and S for rows that are not live. group_rows[p] is the first row of
// the group at position p (n - 1 past the groups: a valid row, never read as a group). The
// product of the keys' value counts must be at most S < 2**31. (data - low) wraps like int64
// arithmetic and is divided exactly: every live, present value is low + a multiple of step
// (callers learn low, size and step from the live rows), so dead rows only need a valid slot.
//
// One pass over the rows in blocks (per key a column-wise update of the block's slots, then each
// row's position among its task's slots in order of first appearance), per task over row
// chunks; the tasks' slots merge in task order, so the first appearance is the global one. A
// second pass maps the tasks' positions to output positions. One task (a slot domain larger
// than an eighth of the rows, or few rows) keeps its slot -> position table between calls and
// skips the pass over the slot domain when the slots first appear in increasing order. The pure-JAX twin is jaxframes/kernels/dense_ids.py (dense_group_ids_jax).
#include <algorithm>
#include <cstdint>
#include <vector>

#include "ffi_guard.h"
#include "kernels.h"
#include "thread_pool.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

constexpr int64_t kParallelMinN = 1 << 17;
constexpr int64_t kMaxTasks = 8;
constexpr int64_t kBlock = 2048;

struct Key {
  const void* data = nullptr;
  ffi::DataType type = ffi::S64;
  const bool* present = nullptr;  // nullptr: not nullable
  int64_t low = 0, size = 1, step = 1;
};

template <typename T>
void KeyCodes(const Key& key, int64_t begin, int64_t end, int64_t* slot) {
  const T* d = static_cast<const T*>(key.data);
  const int64_t radix = key.size + (key.present != nullptr ? 1 : 0);
  const uint64_t low = static_cast<uint64_t>(key.low);
  const int64_t top = key.size - 1;
  for (int64_t i = begin; i < end; ++i) {
    int64_t offset = static_cast<int64_t>(static_cast<uint64_t>(static_cast<int64_t>(d[i])) - low);
    if (key.step != 1) offset /= key.step;
    int64_t code = offset < 0 ? 0 : (offset > top ? top : offset);
    if (key.present != nullptr && !key.present[i]) code = key.size;
    slot[i - begin] = slot[i - begin] * radix + code;
  }
}

void BlockCodes(const Key& key, int64_t begin, int64_t end, int64_t* slot) {
  switch (key.type) {
    case ffi::S64: return KeyCodes<int64_t>(key, begin, end, slot);
    case ffi::S32: return KeyCodes<int32_t>(key, begin, end, slot);
    case ffi::PRED: return KeyCodes<bool>(key, begin, end, slot);
    default: jaxframes::Require(false, "key data must be int64, int32 or bool");
  }
}

// Slot -> local position of the single-task path, kept between calls on this thread (at most
// kScratchMax slots): every entry is -1 between calls (a call resets the entries it set), so a
// large, sparse slot domain costs neither fresh pages nor a pass over all slots.
constexpr int64_t kScratchMax = int64_t{1} << 24;

struct ScratchReset {  // puts back -1 where a call wrote, also when the call throws
  int32_t* local;
  const std::vector<int32_t>& appear;
  ~ScratchReset() {
    for (int32_t s : appear) local[s] = -1;
  }
};

// One task: positions in first-appearance order while scanning; with sort, the slots' order
// (when the slots first appeared in increasing order, as for a key column sorted by the key,
// that already is it: no pass over the slot domain).
void SingleTask(const std::vector<Key>& keys, const bool* live, int64_t n, int64_t S, bool sort, int32_t* ids,
                int64_t* group_rows, int64_t* count_out) {
  static thread_local std::vector<int32_t> scratch;
  std::vector<int32_t> fresh;
  int32_t* local;
  if (S <= kScratchMax) {
    if (static_cast<int64_t>(scratch.size()) < S) scratch.resize(S, -1);
    local = scratch.data();
  } else {
    fresh.assign(S, -1);
    local = fresh.data();
  }
  const int32_t none = static_cast<int32_t>(S);
  std::vector<int32_t> appear;  // local position -> slot
  std::vector<int64_t> first;   // local position -> first row
  ScratchReset reset{local, appear};
  bool increasing = true;
  int64_t last = -1;
  int64_t slot[kBlock];
  for (int64_t b = 0; b < n; b += kBlock) {
    const int64_t e = std::min(n, b + kBlock);
    std::fill(slot, slot + (e - b), 0);
    for (const Key& key : keys) BlockCodes(key, b, e, slot);
    for (int64_t i = b; i < e; ++i) {
      if (!live[i]) {
        ids[i] = none;
        continue;
      }
      const int64_t s = slot[i - b];
      int32_t p = local[s];
      if (p < 0) {
        p = local[s] = static_cast<int32_t>(appear.size());
        appear.push_back(static_cast<int32_t>(s));
        first.push_back(i);
        increasing = increasing && s > last;
        last = s;
      }
      ids[i] = p;
    }
  }
  const int64_t count = static_cast<int64_t>(appear.size());
  *count_out = count;
  if (!sort || increasing) {  // first-appearance order is the output order
    std::copy(first.begin(), first.end(), group_rows);
  } else {  // slot order: local positions -> output positions, then the rows' ids
    std::vector<int32_t> remap(count + 1);
    int64_t at = 0;
    for (int64_t s = 0; s < S; ++s) {
      const int32_t p = local[s];
      if (p >= 0) {
        remap[p] = static_cast<int32_t>(at);
        group_rows[at++] = first[p];
      }
    }
    remap[count] = none;
    for (int64_t i = 0; i < n; ++i) {
      const int32_t id = ids[i];
      ids[i] = remap[id == none ? count : id];
    }
  }
  std::fill(group_rows + count, group_rows + S, std::max<int64_t>(n - 1, 0));
}

ffi::Error DenseIdsImpl(ffi::Buffer<ffi::PRED> live_in, ffi::Buffer<ffi::S64> lows, ffi::Buffer<ffi::S64> sizes,
                        ffi::Buffer<ffi::S64> steps, ffi::RemainingArgs args, ffi::ResultBuffer<ffi::S32> ids_out,
                        ffi::ResultBuffer<ffi::S64> rows_out, ffi::ResultBuffer<ffi::S64> count_out,
                        ffi::Span<const int64_t> nullable, int64_t sort) {
  return jaxframes::Guarded("dense_group_ids", [&] {
    const int64_t n = static_cast<int64_t>(live_in.element_count());
    const int64_t k = static_cast<int64_t>(nullable.size());
    const int64_t S = static_cast<int64_t>(rows_out->element_count());
    jaxframes::Require(static_cast<int64_t>(ids_out->element_count()) == n, "ids and live differ in length");
    jaxframes::Require(count_out->element_count() == 1, "count is one value");
    jaxframes::Require(static_cast<int64_t>(lows.element_count()) == k &&
                           static_cast<int64_t>(sizes.element_count()) == k &&
                           static_cast<int64_t>(steps.element_count()) == k,
                       "lows, sizes and steps hold one value per key");
    jaxframes::Require(S < (int64_t{1} << 31), "at most 2**31 - 1 slots");
    std::vector<Key> keys(k);
    size_t arg = 0;
    int64_t domain = 1;
    for (int64_t j = 0; j < k; ++j) {
      Key& key = keys[j];
      auto data = args.get<ffi::AnyBuffer>(arg++);
      jaxframes::Require(data.has_value(), "missing key data");
      jaxframes::Require(static_cast<int64_t>(data->element_count()) == n, "a key differs in length from live");
      key.data = data->untyped_data();
      key.type = data->element_type();
      jaxframes::Require(key.type == ffi::S64 || key.type == ffi::S32 || key.type == ffi::PRED,
                         "key data must be int64, int32 or bool");
      if (nullable[j]) {
        auto present = args.get<ffi::Buffer<ffi::PRED>>(arg++);
        jaxframes::Require(present.has_value(), "missing present argument");
        jaxframes::Require(static_cast<int64_t>(present->element_count()) == n, "a mask differs in length from live");
        key.present = present->typed_data();
      }
      key.low = lows.typed_data()[j];
      key.size = sizes.typed_data()[j];
      key.step = steps.typed_data()[j];
      jaxframes::Require(key.size >= 1 && key.step >= 1, "sizes and steps must be positive");
      const int64_t radix = key.size + (nullable[j] ? 1 : 0);
      jaxframes::Require(radix <= S && domain <= S / radix, "the keys' value counts exceed the slots");
      domain *= radix;
    }
    jaxframes::Require(arg == args.size(), "more arguments than the keys name");
    const bool* live = live_in.typed_data();
    int32_t* ids = ids_out->typed_data();
    int64_t* group_rows = rows_out->typed_data();
    const int32_t none = static_cast<int32_t>(S);

    const int64_t tasks = (S * 8 <= n) ? jaxframes::TasksFor(n, kParallelMinN, kMaxTasks) : 1;
    if (tasks == 1) {
      SingleTask(keys, live, n, S, sort != 0, ids, group_rows, count_out->typed_data());
      return;
    }
    // Pass 1, per task over a chunk of rows: each row's slot, then the slot's position among
    // the task's slots in order of first appearance (its local position, the row's provisional
    // id), and the first row of each local position.
    std::vector<std::vector<int32_t>> seen(tasks);     // local position -> slot
    std::vector<std::vector<int64_t>> firsts(tasks);   // local position -> first row
    jaxframes::ParallelChunks(n, tasks, [&](int64_t t, int64_t begin, int64_t end) {
      int64_t slot[kBlock];
      std::vector<int32_t> local(S, -1);
      std::vector<int32_t>& appear = seen[t];
      std::vector<int64_t>& first = firsts[t];
      for (int64_t b = begin; b < end; b += kBlock) {
        const int64_t e = std::min(end, b + kBlock);
        std::fill(slot, slot + (e - b), 0);
        for (const Key& key : keys) BlockCodes(key, b, e, slot);
        for (int64_t i = b; i < e; ++i) {
          if (!live[i]) {
            ids[i] = none;
            continue;
          }
          const int64_t s = slot[i - b];
          int32_t p = local[s];
          if (p < 0) {
            p = local[s] = static_cast<int32_t>(appear.size());
            appear.push_back(static_cast<int32_t>(s));
            first.push_back(i);
          }
          ids[i] = p;
        }
      }
    });
    // Each slot's first row: the first task that saw it holds it (chunks are in row order).
    std::vector<int64_t> first_row(S, n);
    std::vector<int32_t> position(S, none);
    int64_t count = 0;
    for (int64_t t = 0; t < tasks; ++t) {
      for (size_t p = 0; p < seen[t].size(); ++p) {
        const int32_t s = seen[t][p];
        if (first_row[s] == n) {
          first_row[s] = firsts[t][p];
          if (!sort) {  // first appearance: the order in which the tasks, in row order, first see slots
            position[s] = static_cast<int32_t>(count);
            group_rows[count++] = first_row[s];
          }
        }
      }
    }
    if (sort) {
      for (int64_t s = 0; s < S; ++s) {
        if (first_row[s] < n) {
          position[s] = static_cast<int32_t>(count);
          group_rows[count++] = first_row[s];
        }
      }
    }
    std::fill(group_rows + count, group_rows + S, std::max<int64_t>(n - 1, 0));
    *count_out->typed_data() = count;
    // Pass 2: local positions -> output positions (rows in no group keep S), unless every task's
    // local positions already are the output positions (one task, first-appearance order).
    std::vector<std::vector<int32_t>> remap(tasks);
    bool identity = true;
    for (int64_t t = 0; t < tasks; ++t) {
      remap[t].resize(seen[t].size() + 1);
      for (size_t p = 0; p < seen[t].size(); ++p) {
        remap[t][p] = position[seen[t][p]];
        identity = identity && remap[t][p] == static_cast<int32_t>(p);
      }
      remap[t].back() = none;
    }
    if (identity) return;
    jaxframes::ParallelChunks(n, tasks, [&](int64_t t, int64_t begin, int64_t end) {
      const int32_t* to = remap[t].data();
      const int32_t last = static_cast<int32_t>(seen[t].size());
      for (int64_t i = begin; i < end; ++i) {
        const int32_t id = ids[i];
        ids[i] = to[id == none ? last : id];
      }
    });
  });
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfDenseGroupIds, DenseIdsImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .RemainingArgs()
                                  .Ret<ffi::Buffer<ffi::S32>>()
                                  .Ret<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>()
                                  .Attr<ffi::Span<const int64_t>>("nullable")
                                  .Attr<int64_t>("sort"));

// ---------------------------------------------------------------------------------------------
// Each row's position within its group, in row order, and the group sizes: what head/tail/nth
// and cumcount need of a dense grouping (unsorted ids), without sorting the rows by group.
//
// jaxframes_group_positions(ids s32[n] or s64[n], live bool[n]) -> pos s64[n], size s64[S]
// Rows that are not live or whose id is outside [0, S) get position -1 and count nowhere.
// One pass with one task; with several, a count pass per chunk, then each chunk starts from
// the counts of the chunks before it. The pure-JAX twin is group_positions_jax
// (jaxframes/kernels/dense_ids.py: a stable sort by id).
namespace {

template <typename Id>
void Positions(const Id* ids, const bool* live, int64_t n, int64_t S, int64_t* pos, int64_t* size) {
  const int64_t tasks = (S * 8 <= n) ? jaxframes::TasksFor(n, kParallelMinN, kMaxTasks) : 1;
  auto in_group = [&](int64_t i) { return live[i] && static_cast<uint64_t>(ids[i]) < static_cast<uint64_t>(S); };
  std::fill(size, size + S, 0);
  if (tasks == 1) {
    for (int64_t i = 0; i < n; ++i) pos[i] = in_group(i) ? size[ids[i]]++ : -1;
    return;
  }
  std::vector<std::vector<int64_t>> counts(tasks, std::vector<int64_t>(S, 0));
  jaxframes::ParallelChunks(n, tasks, [&](int64_t t, int64_t begin, int64_t end) {
    int64_t* c = counts[t].data();
    for (int64_t i = begin; i < end; ++i) {
      if (in_group(i)) ++c[ids[i]];
    }
  });
  for (int64_t s = 0; s < S; ++s) {  // counts[t] becomes the count of the chunks before t
    int64_t before = 0;
    for (int64_t t = 0; t < tasks; ++t) {
      const int64_t c = counts[t][s];
      counts[t][s] = before;
      before += c;
    }
    size[s] = before;
  }
  jaxframes::ParallelChunks(n, tasks, [&](int64_t t, int64_t begin, int64_t end) {
    int64_t* c = counts[t].data();
    for (int64_t i = begin; i < end; ++i) pos[i] = in_group(i) ? c[ids[i]]++ : -1;
  });
}

ffi::Error PositionsImpl(ffi::AnyBuffer ids, ffi::Buffer<ffi::PRED> live, ffi::ResultBuffer<ffi::S64> pos,
                         ffi::ResultBuffer<ffi::S64> size) {
  return jaxframes::Guarded("group_positions", [&] {
    const int64_t n = static_cast<int64_t>(live.element_count());
    const int64_t S = static_cast<int64_t>(size->element_count());
    jaxframes::Require(static_cast<int64_t>(ids.element_count()) == n && static_cast<int64_t>(pos->element_count()) == n,
                       "ids, live and positions differ in length");
    if (ids.element_type() == ffi::S32) {
      Positions(static_cast<const int32_t*>(ids.untyped_data()), live.typed_data(), n, S, pos->typed_data(),
                size->typed_data());
    } else {
      jaxframes::Require(ids.element_type() == ffi::S64, "ids must be int32 or int64");
      Positions(static_cast<const int64_t*>(ids.untyped_data()), live.typed_data(), n, S, pos->typed_data(),
                size->typed_data());
    }
  });
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfGroupPositions, PositionsImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Ret<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>());

// ---------------------------------------------------------------------------------------------
// Group ids of a key sorted by the key (non-decreasing over the usable rows, which the caller
// learned with jaxframes_key_runs): each run of equal usable values is a group, numbered in row
// order, which is key order and first-appearance order at once. No slot table at all.
//
// jaxframes_run_ids(data s64[n], usable bool[n]) -> ids s32[n], group_rows s64[S], count s64[]
// Same outputs as jaxframes_dense_group_ids: the run number of each usable row (S for the
// others), the first row of each run (n - 1 past the runs), the run count (at most S).
// The pure-JAX twin is jaxframes/kernels/dense_ids.py (run_ids_jax).
namespace {

ffi::Error RunIdsImpl(ffi::Buffer<ffi::S64> data, ffi::Buffer<ffi::PRED> usable, ffi::ResultBuffer<ffi::S32> ids_out,
                      ffi::ResultBuffer<ffi::S64> rows_out, ffi::ResultBuffer<ffi::S64> count_out) {
  return jaxframes::Guarded("run_ids", [&] {
    const int64_t n = static_cast<int64_t>(data.element_count());
    const int64_t S = static_cast<int64_t>(rows_out->element_count());
    jaxframes::Require(static_cast<int64_t>(usable.element_count()) == n &&
                           static_cast<int64_t>(ids_out->element_count()) == n,
                       "data, usable and ids differ in length");
    jaxframes::Require(count_out->element_count() == 1, "count is one value");
    jaxframes::Require(S < (int64_t{1} << 31), "at most 2**31 - 1 slots");
    const int64_t* d = data.typed_data();
    const bool* u = usable.typed_data();
    int32_t* ids = ids_out->typed_data();
    int64_t* group_rows = rows_out->typed_data();
    const int32_t none = static_cast<int32_t>(S);
    int64_t count = 0, prev = 0;
    for (int64_t i = 0; i < n; ++i) {
      if (!u[i]) {
        ids[i] = none;
        continue;
      }
      const int64_t v = d[i];
      if (count == 0 || v != prev) {
        jaxframes::Require(count < S, "more runs than slots");
        group_rows[count++] = i;
        prev = v;
      }
      ids[i] = static_cast<int32_t>(count - 1);
    }
    std::fill(group_rows + count, group_rows + S, std::max<int64_t>(n - 1, 0));
    *count_out->typed_data() = count;
  });
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfRunIds, RunIdsImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Ret<ffi::Buffer<ffi::S32>>()
                                  .Ret<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>());
