// Group statistics in one kernel call: count, mean, sum of squared deviations (two-pass, as the
// pure-JAX twin: the mean first, then the deviations from it) and one quantile per group.
//
// jaxframes_group_sorted_stats(values f64[n], ids s64[n], present bool[n]; attrs q f64, want_q s64)
//   -> count s64[S], mean f64[S], m2 f64[S], quantile f64[S]
//   Rows whose id is outside [0, S) or that are not present are skipped (callers mark nulls,
//   NaN and dead rows absent). Empty groups: count 0, mean 0, m2 0, quantile NaN.
//   The quantile is pandas' linear interpolation at position q * (count - 1); q == 0.5 is the
//   mean of the two middle values, as pandas' median. With want_q, the present values are
//   scattered once into group-contiguous runs (a counting sort by group, stable) and each
//   group's order statistics come from std::nth_element over its run, groups spread over the
//   shared thread pool: one segmented selection, not one pass per group.
// Ids need not be sorted (dense group-by slots). Count and sums use per-task partials over row
// chunks. The pure-JAX twin is jaxframes/kernels/group_stats.py (group_stats_jax).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "ffi_guard.h"
#include "kernels.h"
#include "thread_pool.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

constexpr int64_t kParallelMinN = 1 << 17;
constexpr int64_t kMaxTasks = 8;

double Quantile(double* run, int64_t c, double q) {
  if (c == 0) return std::numeric_limits<double>::quiet_NaN();
  const double pos = q * static_cast<double>(c - 1);
  int64_t lo = static_cast<int64_t>(std::floor(pos));
  lo = std::min(std::max<int64_t>(lo, 0), c - 1);
  const int64_t hi = std::min(lo + 1, c - 1);
  std::nth_element(run, run + lo, run + c);
  const double a = run[lo];
  if (hi == lo) return a;
  const double b = *std::min_element(run + lo + 1, run + c);  // the next order statistic
  if (q == 0.5) return (c % 2) ? a : (a + b) / 2;
  const double frac = pos - static_cast<double>(lo);
  return a + (b - a) * frac;
}

void Stats(ffi::Buffer<ffi::F64> values_in, ffi::Buffer<ffi::S64> ids_in, ffi::Buffer<ffi::PRED> present_in,
           ffi::ResultBuffer<ffi::S64> count_out, ffi::ResultBuffer<ffi::F64> mean_out,
           ffi::ResultBuffer<ffi::F64> m2_out, ffi::ResultBuffer<ffi::F64> quant_out, double q, int64_t want_q) {
  const int64_t n = static_cast<int64_t>(values_in.element_count());
  const int64_t S = static_cast<int64_t>(count_out->element_count());
  jaxframes::Require(ids_in.element_count() == values_in.element_count() &&
                         present_in.element_count() == values_in.element_count(),
                     "values, ids and present differ in length");
  jaxframes::Require(mean_out->element_count() == count_out->element_count() &&
                         m2_out->element_count() == count_out->element_count() &&
                         quant_out->element_count() == count_out->element_count(),
                     "outputs differ in length");
  jaxframes::Require(q >= 0.0 && q <= 1.0, "q must be in [0, 1]");
  const double* x = values_in.typed_data();
  const int64_t* ids = ids_in.typed_data();
  const bool* present = present_in.typed_data();
  int64_t* count = count_out->typed_data();
  double* mean = mean_out->typed_data();
  double* m2 = m2_out->typed_data();
  double* quant = quant_out->typed_data();
  auto in_group = [&](int64_t i) {
    return present[i] && static_cast<uint64_t>(ids[i]) < static_cast<uint64_t>(S);
  };

  const int64_t tasks = S * 8 <= n ? jaxframes::TasksFor(n, kParallelMinN, kMaxTasks) : 1;
  std::vector<int64_t> part_count(tasks * S, 0);
  std::vector<double> part_sum(tasks * S, 0.0);
  jaxframes::ParallelChunks(n, tasks, [&](int64_t t, int64_t begin, int64_t end) {
    int64_t* c = &part_count[t * S];
    double* s = &part_sum[t * S];
    for (int64_t i = begin; i < end; ++i) {
      if (in_group(i)) {
        ++c[ids[i]];
        s[ids[i]] += x[i];
      }
    }
  });
  for (int64_t g = 0; g < S; ++g) {
    int64_t c = 0;
    double s = 0.0;
    for (int64_t t = 0; t < tasks; ++t) {
      c += part_count[t * S + g];
      s += part_sum[t * S + g];
    }
    count[g] = c;
    mean[g] = s / static_cast<double>(std::max<int64_t>(c, 1));
  }
  jaxframes::ParallelChunks(n, tasks, [&](int64_t t, int64_t begin, int64_t end) {
    double* s = &part_sum[t * S];
    std::fill(s, s + S, 0.0);
    for (int64_t i = begin; i < end; ++i) {
      if (in_group(i)) {
        const double d = x[i] - mean[ids[i]];
        s[ids[i]] += d * d;
      }
    }
  });
  for (int64_t g = 0; g < S; ++g) {
    double s = 0.0;
    for (int64_t t = 0; t < tasks; ++t) s += part_sum[t * S + g];
    m2[g] = s;
  }
  if (!want_q) {
    std::fill(quant, quant + S, std::numeric_limits<double>::quiet_NaN());
    return;
  }
  // Counting sort by group: each group's present values in one contiguous run.
  std::vector<int64_t> start(S + 1, 0);
  for (int64_t g = 0; g < S; ++g) start[g + 1] = start[g] + count[g];
  std::vector<double> runs(start[S]);
  {
    std::vector<int64_t> fill(start.begin(), start.end() - 1);
    for (int64_t i = 0; i < n; ++i) {
      if (in_group(i)) runs[fill[ids[i]]++] = x[i];
    }
  }
  const int64_t group_tasks = jaxframes::TasksFor(start[S], kParallelMinN, kMaxTasks);
  jaxframes::ParallelChunks(S, group_tasks, [&](int64_t, int64_t begin, int64_t end) {
    for (int64_t g = begin; g < end; ++g) quant[g] = Quantile(runs.data() + start[g], count[g], q);
  });
}

ffi::Error StatsImpl(ffi::Buffer<ffi::F64> values, ffi::Buffer<ffi::S64> ids, ffi::Buffer<ffi::PRED> present,
                     ffi::ResultBuffer<ffi::S64> count, ffi::ResultBuffer<ffi::F64> mean,
                     ffi::ResultBuffer<ffi::F64> m2, ffi::ResultBuffer<ffi::F64> quant, double q, int64_t want_q) {
  return jaxframes::Guarded("group_sorted_stats",
                            [&] { Stats(values, ids, present, count, mean, m2, quant, q, want_q); });
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfGroupSortedStats, StatsImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::F64>>()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Ret<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::F64>>()
                                  .Ret<ffi::Buffer<ffi::F64>>()
                                  .Ret<ffi::Buffer<ffi::F64>>()
                                  .Attr<double>("q")
                                  .Attr<int64_t>("want_q"));

// ---------------------------------------------------------------------------------------------
// Several columns reduced per group in ONE pass over the rows (a group-by's sum/mean/min/max of
// many value columns reads the group ids once, not once per column, and no filled copy of a
// column or int64 copy of its null mask is ever written).
//
// jaxframes_group_reduce(ids s64[n] or s32[n] (a dense grouping's int32 ids, read as they are), live bool[n], then per column: values[n] (f64, f32, s64,
//   s32 or bool) and, where spec says so, present bool[n]; attr spec s64[3 * k]: per column
//   op (0 sum, 1 min, 2 max), nan_null (a NaN is not present), has_mask)
//   -> per column: acc[S] (f64, f32, s64 or s32: the accumulator dtype the caller asks for;
//      values are cast to it first), count s64[S] (rows that took part)
// Rows that are not live, whose id is outside [0, S), that are not present or (nan_null) NaN
// are skipped. Results follow the pure-JAX twin (group_reduce_jax in kernels/group_stats.py:
// the fill-with-identity + jax.ops.segment_* of the per-column path) and segment_reduce.cc:
// integer sums wrap, float min/max propagate NaN and order -0.0 below +0.0, empty groups hold
// the identity (0, +inf / int max, -inf / int min). Float sums add in row order per task.
namespace {

constexpr int64_t kBlock = 2048;  // rows per block: the ids of a block stay in L1 across columns

template <typename T>
T ReduceIdentity(int64_t op) {
  if (op == 0) return T(0);
  if constexpr (std::is_floating_point_v<T>) {
    return op == 1 ? std::numeric_limits<T>::infinity() : -std::numeric_limits<T>::infinity();
  } else {
    return op == 1 ? std::numeric_limits<T>::max() : std::numeric_limits<T>::lowest();
  }
}

template <typename T>
inline T MinOf(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a)) return a;
    if (std::isnan(b)) return b;
    if (a == b) return std::signbit(b) ? b : a;
  }
  return b < a ? b : a;
}

template <typename T>
inline T MaxOf(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a)) return a;
    if (std::isnan(b)) return b;
    if (a == b) return std::signbit(b) ? a : b;
  }
  return b > a ? b : a;
}

template <typename T>
inline T AddOf(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
  } else {
    return a + b;
  }
}

struct ColumnSpec {
  int64_t op = 0;
  bool nan_null = false;
  const void* values = nullptr;
  ffi::DataType in = ffi::F64;
  const bool* present = nullptr;  // nullptr: every row present
  ffi::DataType acc = ffi::F64;
  void* acc_out = nullptr;
  int64_t* count_out = nullptr;
};

template <typename In, typename Acc, int64_t Op, typename Id>
void BlockReduce(const ColumnSpec& c, const Id* ids, const bool* live, int64_t begin, int64_t end,
                 int64_t S, Acc* acc, int64_t* count) {
  const In* x = static_cast<const In*>(c.values);
  for (int64_t i = begin; i < end; ++i) {
    const int64_t id = static_cast<int64_t>(ids[i]);
    if (!live[i] || static_cast<uint64_t>(id) >= static_cast<uint64_t>(S)) continue;
    if (c.present != nullptr && !c.present[i]) continue;
    if constexpr (std::is_floating_point_v<In>) {
      if (c.nan_null && std::isnan(x[i])) continue;
    }
    const Acc v = static_cast<Acc>(x[i]);
    if constexpr (Op == 0) acc[id] = AddOf(acc[id], v);
    else if constexpr (Op == 1) acc[id] = MinOf(acc[id], v);
    else acc[id] = MaxOf(acc[id], v);
    ++count[id];
  }
}

template <typename In, typename Acc, typename Id>
void BlockReduceOp(const ColumnSpec& c, const Id* ids, const bool* live, int64_t begin, int64_t end,
                   int64_t S, void* acc, int64_t* count) {
  Acc* a = static_cast<Acc*>(acc);
  if (c.op == 0) BlockReduce<In, Acc, 0, Id>(c, ids, live, begin, end, S, a, count);
  else if (c.op == 1) BlockReduce<In, Acc, 1, Id>(c, ids, live, begin, end, S, a, count);
  else BlockReduce<In, Acc, 2, Id>(c, ids, live, begin, end, S, a, count);
}

template <typename Acc, typename Id>
void BlockReduceIn(const ColumnSpec& c, const Id* ids, const bool* live, int64_t begin, int64_t end,
                   int64_t S, void* acc, int64_t* count) {
  switch (c.in) {
    case ffi::F64: return BlockReduceOp<double, Acc, Id>(c, ids, live, begin, end, S, acc, count);
    case ffi::F32: return BlockReduceOp<float, Acc, Id>(c, ids, live, begin, end, S, acc, count);
    case ffi::S64: return BlockReduceOp<int64_t, Acc, Id>(c, ids, live, begin, end, S, acc, count);
    case ffi::S32: return BlockReduceOp<int32_t, Acc, Id>(c, ids, live, begin, end, S, acc, count);
    case ffi::PRED: return BlockReduceOp<bool, Acc, Id>(c, ids, live, begin, end, S, acc, count);
    default: jaxframes::Require(false, "values must be float64, float32, int64, int32 or bool");
  }
}

// One block of rows [begin, end) of one column, dispatched on its (values, accumulator) dtypes.
template <typename Id>
void BlockReduceAny(const ColumnSpec& c, const Id* ids, const bool* live, int64_t begin, int64_t end,
                    int64_t S, void* acc, int64_t* count) {
  switch (c.acc) {
    case ffi::F64: return BlockReduceIn<double, Id>(c, ids, live, begin, end, S, acc, count);
    case ffi::F32: return BlockReduceIn<float, Id>(c, ids, live, begin, end, S, acc, count);
    case ffi::S64: return BlockReduceIn<int64_t, Id>(c, ids, live, begin, end, S, acc, count);
    case ffi::S32: return BlockReduceIn<int32_t, Id>(c, ids, live, begin, end, S, acc, count);
    default: jaxframes::Require(false, "accumulators must be float64, float32, int64 or int32");
  }
}

bool SupportedTypes(ffi::DataType in, ffi::DataType acc) {
  const bool in_ok = in == ffi::F64 || in == ffi::F32 || in == ffi::S64 || in == ffi::S32 || in == ffi::PRED;
  const bool acc_ok = acc == ffi::F64 || acc == ffi::F32 || acc == ffi::S64 || acc == ffi::S32;
  return in_ok && acc_ok;
}

size_t AccBytes(ffi::DataType acc) { return (acc == ffi::F64 || acc == ffi::S64) ? 8 : 4; }

template <typename Fn>
void WithAcc(ffi::DataType acc, Fn&& fn) {
  switch (acc) {
    case ffi::F64: return fn(double{});
    case ffi::F32: return fn(float{});
    case ffi::S64: return fn(int64_t{});
    default: return fn(int32_t{});
  }
}

// Fills S accumulators at `acc` with the op's identity.
void FillIdentity(ffi::DataType acc, int64_t op, void* out, int64_t S) {
  WithAcc(acc, [&](auto tag) {
    using T = decltype(tag);
    T* p = static_cast<T*>(out);
    std::fill(p, p + S, ReduceIdentity<T>(op));
  });
}

// out[s] = combine(out[s], part[s]) for the partial of one task.
void Merge(ffi::DataType acc, int64_t op, void* out, const void* part, int64_t S) {
  WithAcc(acc, [&](auto tag) {
    using T = decltype(tag);
    T* o = static_cast<T*>(out);
    const T* p = static_cast<const T*>(part);
    for (int64_t s = 0; s < S; ++s) {
      o[s] = op == 0 ? AddOf(o[s], p[s]) : op == 1 ? MinOf(o[s], p[s]) : MaxOf(o[s], p[s]);
    }
  });
}

ffi::Error GroupReduceImpl(ffi::AnyBuffer ids_in, ffi::Buffer<ffi::PRED> live_in, ffi::RemainingArgs args,
                           ffi::RemainingRets rets, ffi::Span<const int64_t> spec) {
  return jaxframes::Guarded("group_reduce", [&] {
    const int64_t n = static_cast<int64_t>(ids_in.element_count());
    jaxframes::Require(live_in.element_count() == ids_in.element_count(), "ids and live differ in length");
    jaxframes::Require(spec.size() % 3 == 0, "spec holds (op, nan_null, has_mask) per column");
    const int64_t k = static_cast<int64_t>(spec.size() / 3);
    jaxframes::Require(static_cast<int64_t>(rets.size()) == 2 * k, "two results per column (acc, count)");
    std::vector<ColumnSpec> cols(k);
    size_t arg = 0;
    int64_t S = -1;
    for (int64_t c = 0; c < k; ++c) {
      ColumnSpec& col = cols[c];
      col.op = spec[3 * c];
      col.nan_null = spec[3 * c + 1] != 0;
      jaxframes::Require(col.op >= 0 && col.op <= 2, "unknown op (0 sum, 1 min, 2 max)");
      auto values = args.get<ffi::AnyBuffer>(arg++);
      jaxframes::Require(values.has_value(), "missing values argument");
      jaxframes::Require(static_cast<int64_t>(values->element_count()) == n, "a column differs in length from ids");
      col.values = values->untyped_data();
      col.in = values->element_type();
      if (spec[3 * c + 2]) {
        auto present = args.get<ffi::Buffer<ffi::PRED>>(arg++);
        jaxframes::Require(present.has_value(), "missing present argument");
        jaxframes::Require(static_cast<int64_t>(present->element_count()) == n, "a mask differs in length from ids");
        col.present = present->typed_data();
      }
      auto acc = rets.get<ffi::AnyBuffer>(2 * c);
      auto count = rets.get<ffi::Buffer<ffi::S64>>(2 * c + 1);
      jaxframes::Require(acc.has_value() && count.has_value(), "missing result buffers");
      col.acc = (*acc)->element_type();
      col.acc_out = (*acc)->untyped_data();
      col.count_out = (*count)->typed_data();
      const int64_t s = static_cast<int64_t>((*acc)->element_count());
      jaxframes::Require(static_cast<int64_t>((*count)->element_count()) == s, "acc and count differ in length");
      jaxframes::Require(S < 0 || S == s, "every column has the same number of groups");
      S = s;
      jaxframes::Require(SupportedTypes(col.in, col.acc),
                         "values: float64, float32, int64, int32 or bool; accumulators: float64, float32, int64 or int32");
    }
    jaxframes::Require(arg == args.size(), "more arguments than the spec names");
    if (k == 0) return;
    const ffi::DataType id_type = ids_in.element_type();
    jaxframes::Require(id_type == ffi::S64 || id_type == ffi::S32, "ids must be int64 or int32");
    const void* ids = ids_in.untyped_data();
    const bool* live = live_in.typed_data();
    const int64_t tasks = (S * 8 <= n) ? jaxframes::TasksFor(n, kParallelMinN, kMaxTasks) : 1;
    // Per task and column: accumulators (task 0 writes the outputs directly) and counts.
    std::vector<std::vector<unsigned char>> part_acc((tasks - 1) * k);
    std::vector<std::vector<int64_t>> part_count((tasks - 1) * k);
    for (int64_t c = 0; c < k; ++c) {
      FillIdentity(cols[c].acc, cols[c].op, cols[c].acc_out, S);
      std::fill(cols[c].count_out, cols[c].count_out + S, 0);
      for (int64_t t = 1; t < tasks; ++t) {
        auto& a = part_acc[(t - 1) * k + c];
        a.resize(AccBytes(cols[c].acc) * S);
        FillIdentity(cols[c].acc, cols[c].op, a.data(), S);
        part_count[(t - 1) * k + c].assign(S, 0);
      }
    }
    jaxframes::ParallelChunks(n, tasks, [&](int64_t t, int64_t begin, int64_t end) {
      for (int64_t b = begin; b < end; b += kBlock) {
        const int64_t e = std::min(end, b + kBlock);
        for (int64_t c = 0; c < k; ++c) {
          const ColumnSpec& col = cols[c];
          void* acc = t == 0 ? col.acc_out : static_cast<void*>(part_acc[(t - 1) * k + c].data());
          int64_t* count = t == 0 ? col.count_out : part_count[(t - 1) * k + c].data();
          if (id_type == ffi::S32) BlockReduceAny(col, static_cast<const int32_t*>(ids), live, b, e, S, acc, count);
          else BlockReduceAny(col, static_cast<const int64_t*>(ids), live, b, e, S, acc, count);
        }
      }
    });
    for (int64_t t = 1; t < tasks; ++t) {
      for (int64_t c = 0; c < k; ++c) {
        Merge(cols[c].acc, cols[c].op, cols[c].acc_out, part_acc[(t - 1) * k + c].data(), S);
        const int64_t* p = part_count[(t - 1) * k + c].data();
        for (int64_t s = 0; s < S; ++s) cols[c].count_out[s] += p[s];
      }
    }
  });
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfGroupReduce, GroupReduceImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .RemainingArgs()
                                  .RemainingRets()
                                  .Attr<ffi::Span<const int64_t>>("spec"));
