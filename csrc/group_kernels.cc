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
