// Join probe: for each left key, the [lo, hi) run of equal keys in the sorted right keys.
// When the sorted keys are small integers (join keys are range-compressed, so they usually
// are), a table of run starts answers each query with two loads; otherwise a binary search per
// query (std::equal_range). Large query sets are split over the shared thread pool. XLA's CPU
// searchsorted is a scan of dependent steps per query and several times slower. The pure-JAX
// twin (jnp.searchsorted, side left/right) is jaxframes.kernels.probe.probe_jax.
#include <algorithm>
#include <cstdint>
#include <vector>

#include "ffi_guard.h"
#include "kernels.h"
#include "thread_pool.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

constexpr int64_t kParallelMinN = 1 << 16;  // below: one pass on the calling thread
constexpr int64_t kMaxTasks = 8;

static void Probe(ffi::Buffer<ffi::U64> sorted, ffi::Buffer<ffi::U64> queries,
                  ffi::ResultBuffer<ffi::S64> lo, ffi::ResultBuffer<ffi::S64> hi) {
  const uint64_t* s = sorted.typed_data();
  const int64_t n_sorted = static_cast<int64_t>(sorted.element_count());
  const uint64_t* q = queries.typed_data();
  const int64_t n = static_cast<int64_t>(queries.element_count());
  int64_t* out_lo = lo->typed_data();
  int64_t* out_hi = hi->typed_data();
  jaxframes::Require(lo->element_count() == queries.element_count() &&
                         hi->element_count() == queries.element_count(),
                     "lo and hi must have one entry per query");
  // starts[v] = first position of a key >= v, for v in [0, top + 1]; used when the top key is small.
  const uint64_t top = n_sorted ? s[n_sorted - 1] : 0;
  const bool use_table = n_sorted > 0 && top <= static_cast<uint64_t>(4 * n_sorted + (1 << 16));
  std::vector<int64_t> starts;
  if (use_table) {
    starts.assign(top + 2, n_sorted);
    for (int64_t i = n_sorted - 1; i >= 0; --i) {
      jaxframes::Require(s[i] <= top, "the sorted keys are not in ascending order");  // else out of bounds
      starts[s[i]] = i;
    }
    for (int64_t v = static_cast<int64_t>(top); v >= 0; --v) starts[v] = std::min(starts[v], starts[v + 1]);
  }
  auto work = [&](int64_t begin, int64_t end) {
    if (use_table) {
      for (int64_t i = begin; i < end; ++i) {
        const uint64_t v = q[i];
        if (v > top) {
          out_lo[i] = out_hi[i] = n_sorted;
        } else {
          out_lo[i] = starts[v];
          out_hi[i] = starts[v + 1];
        }
      }
      return;
    }
    for (int64_t i = begin; i < end; ++i) {
      auto range = std::equal_range(s, s + n_sorted, q[i]);
      out_lo[i] = range.first - s;
      out_hi[i] = range.second - s;
    }
  };
  const int64_t tasks = n >= kParallelMinN ? std::min<int64_t>(jaxframes::ThreadBudget(), kMaxTasks) : 1;
  const int64_t chunk = (n + tasks - 1) / tasks;
  jaxframes::ParallelFor(tasks, [&](int64_t t) {
    const int64_t begin = std::min(n, t * chunk);
    work(begin, std::min(n, begin + chunk));
  });
}

static ffi::Error SortedProbeImpl(ffi::Buffer<ffi::U64> sorted, ffi::Buffer<ffi::U64> queries,
                                  ffi::ResultBuffer<ffi::S64> lo, ffi::ResultBuffer<ffi::S64> hi) {
  return jaxframes::Guarded("sorted_probe", [&] { Probe(sorted, queries, lo, hi); });
}

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfSortedProbe, SortedProbeImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::U64>>()
                                  .Arg<ffi::Buffer<ffi::U64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>());
