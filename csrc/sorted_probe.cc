// Join probe: for each left key, the [lo, hi) run of equal keys in the sorted right keys.
// A binary search per query (std::equal_range), split over threads for large inputs. XLA's
// CPU searchsorted is a scan of dependent steps per query and several times slower. The
// pure-JAX twin (jnp.searchsorted, side left/right) is in jaxframes/joins/indexers.py.
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
  auto work = [&](int64_t begin, int64_t end) {
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
