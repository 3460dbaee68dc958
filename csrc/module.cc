// The nanobind module: hands each FFI handler to Python as a capsule for
// jax.ffi.register_ffi_target. Kernels themselves live one family per file.
#include <nanobind/nanobind.h>

#include "kernels.h"

namespace nb = nanobind;

template <typename Fn>
static nb::capsule Encapsulate(Fn* fn) {
  return nb::capsule(reinterpret_cast<void*>(fn));
}

NB_MODULE(_native, m) {
  m.doc() = "jaxframes C++ XLA FFI kernels (CPU)";
  m.def("registrations", []() {
    nb::dict d;
    d["jaxframes_compact_permutation"] = Encapsulate(JfCompactPermutation);
    d["jaxframes_radix_argsort_u64"] = Encapsulate(JfRadixArgsortU64);
    d["jaxframes_radix_argsort_u32"] = Encapsulate(JfRadixArgsortU32);
    d["jaxframes_segment_reduce"] = Encapsulate(JfSegmentReduce);
    d["jaxframes_sorted_probe"] = Encapsulate(JfSortedProbe);
    d["jaxframes_key_range"] = Encapsulate(JfKeyRange);
    return d;
  });
}
