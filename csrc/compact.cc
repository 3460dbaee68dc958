// Row-mask compaction: the stable partition that turns a selection vector (row mask) into a
// gather permutation with the live rows first, in their original order, then the dead rows.
// One pass, O(n); the pure-JAX twin in jaxframes/kernels/compact.py is the reference.
#include <cstdint>

#include "ffi_guard.h"
#include "kernels.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

static ffi::Error CompactPermutationImpl(ffi::Buffer<ffi::PRED> mask,
                                         ffi::ResultBuffer<ffi::S64> permutation,
                                         ffi::ResultBuffer<ffi::S64> live_count) {
  return jaxframes::Guarded("compact", [&] {
    const int64_t n = static_cast<int64_t>(mask.element_count());
    jaxframes::Require(permutation->element_count() == mask.element_count(),
                       "permutation must have the mask's length");
    jaxframes::Require(live_count->element_count() == 1, "live_count must have one element");
    const bool* m = mask.typed_data();
    int64_t* out = permutation->typed_data();
    int64_t live = 0;
    for (int64_t i = 0; i < n; ++i) live += m[i] ? 1 : 0;
    int64_t front = 0, back = live;
    for (int64_t i = 0; i < n; ++i) {
      if (m[i]) {
        out[front++] = i;
      } else {
        out[back++] = i;
      }
    }
    live_count->typed_data()[0] = live;
  });
}

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfCompactPermutation, CompactPermutationImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Ret<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::S64>>());
