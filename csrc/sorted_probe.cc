// Join probe: for each left key, the [lo, hi) run of equal keys in the sorted right keys.
// When the sorted keys are small integers (join keys are range-compressed, so they usually
// are), a table of run starts answers each query with two loads; otherwise a binary search per
// query (std::equal_range). Queries are split over threads for large inputs. XLA's CPU
// searchsorted is a scan of dependent steps per query and several times slower. The pure-JAX
// twin (jnp.searchsorted, side left/right) is jaxframes.kernels.probe.probe_jax.
#include <algorithm>
#include <cstdint>
#include <thread>
#include <vector>

#include "kernels.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

static ffi::Error SortedProbeImpl(ffi::Buffer<ffi::U64> sorted, ffi::Buffer<ffi::U64> queries,
                                  ffi::ResultBuffer<ffi::S64> lo, ffi::ResultBuffer<ffi::S64> hi) {
  const uint64_t* s = sorted.typed_data();
  const int64_t n_sorted = static_cast<int64_t>(sorted.element_count());
  const uint64_t* q = queries.typed_data();
  const int64_t n = static_cast<int64_t>(queries.element_count());
  int64_t* out_lo = lo->typed_data();
  int64_t* out_hi = hi->typed_data();
  // starts[v] = first position of a key >= v, for v in [0, top + 1]; used when the top key is small.
  const uint64_t top = n_sorted ? s[n_sorted - 1] : 0;
  const bool use_table = n_sorted > 0 && top <= static_cast<uint64_t>(4 * n_sorted + (1 << 16));
  std::vector<int64_t> starts;
  if (use_table) {
    starts.assign(top + 2, n_sorted);
    for (int64_t i = n_sorted - 1; i >= 0; --i) starts[s[i]] = i;
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
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  const int64_t threads = n >= (1 << 16) ? std::min<int64_t>(hw, 8) : 1;
  if (threads == 1) {
    work(0, n);
    return ffi::Error::Success();
  }
  std::vector<std::thread> pool;
  const int64_t chunk = (n + threads - 1) / threads;
  for (int64_t t = 0; t < threads; ++t) {
    const int64_t begin = std::min(n, t * chunk), end = std::min(n, begin + chunk);
    pool.emplace_back(work, begin, end);
  }
  for (auto& th : pool) th.join();
  return ffi::Error::Success();
}

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfSortedProbe, SortedProbeImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::U64>>()
                                  .Arg<ffi::Buffer<ffi::U64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>());
