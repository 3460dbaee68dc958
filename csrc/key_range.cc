// [any usable row, min, max] of an int64 key over the usable rows, in one pass. Group-by and
// join use it to shrink integer keys to their real range (dense slots, fewer packed bits).
// XLA's CPU reductions of a masked int64 array run several times slower than this loop.
// The pure-JAX twin is jaxframes.kernels.keys.key_range_jax.
//
// jaxframes_key_runs: the same and [whether the usable values are non-decreasing in row order,
// the number of runs of equal usable values] (the group count of a key sorted by the key, so a
// group-by learns it with the range, in the same sync). Twin: key_runs_jax.
#include <cstdint>
#include <limits>

#include "ffi_guard.h"
#include "kernels.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

static ffi::Error KeyRangeImpl(ffi::Buffer<ffi::S64> data, ffi::Buffer<ffi::PRED> usable,
                               ffi::ResultBuffer<ffi::S64> out) {
  return jaxframes::Guarded("key_range", [&] {
    const int64_t n = static_cast<int64_t>(data.element_count());
    jaxframes::Require(usable.element_count() == data.element_count(),
                       "data and usable differ in length");
    jaxframes::Require(out->element_count() == 3, "the output holds [any, min, max]");
    const int64_t* d = data.typed_data();
    const bool* u = usable.typed_data();
    // With no usable row: [0, int64 max, int64 min], the identities the JAX twin reduces from.
    int64_t low = std::numeric_limits<int64_t>::max(), high = std::numeric_limits<int64_t>::min();
    int64_t any = 0;
    for (int64_t i = 0; i < n; ++i) {
      if (u[i]) {
        const int64_t v = d[i];
        low = v < low ? v : low;
        high = v > high ? v : high;
        any = 1;
      }
    }
    int64_t* o = out->typed_data();
    o[0] = any;
    o[1] = low;
    o[2] = high;
  });
}

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfKeyRange, KeyRangeImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Ret<ffi::Buffer<ffi::S64>>());

static ffi::Error KeyRunsImpl(ffi::Buffer<ffi::S64> data, ffi::Buffer<ffi::PRED> usable,
                              ffi::ResultBuffer<ffi::S64> out) {
  return jaxframes::Guarded("key_runs", [&] {
    const int64_t n = static_cast<int64_t>(data.element_count());
    jaxframes::Require(usable.element_count() == data.element_count(), "data and usable differ in length");
    jaxframes::Require(out->element_count() == 5, "the output holds [any, min, max, sorted, runs]");
    const int64_t* d = data.typed_data();
    const bool* u = usable.typed_data();
    int64_t low = std::numeric_limits<int64_t>::max(), high = std::numeric_limits<int64_t>::min();
    int64_t any = 0, runs = 0, sorted = 1, prev = 0;
    for (int64_t i = 0; i < n; ++i) {
      if (!u[i]) continue;
      const int64_t v = d[i];
      low = v < low ? v : low;
      high = v > high ? v : high;
      if (!any || v != prev) ++runs;
      if (any && v < prev) sorted = 0;
      prev = v;
      any = 1;
    }
    int64_t* o = out->typed_data();
    o[0] = any;
    o[1] = low;
    o[2] = high;
    o[3] = sorted;
    o[4] = runs;
  });
}

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfKeyRuns, KeyRunsImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Ret<ffi::Buffer<ffi::S64>>());
