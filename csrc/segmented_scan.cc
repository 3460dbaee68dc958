// Segmented inclusive scans (group-by cumsum, cumprod, cummax, cummin, positions): one
// sequential pass that restarts at every row flagged in `starts`. The pure-JAX twin is
// segmented_scan_jax in jaxframes/kernels/segments.py (an associative scan), whose compile
// time grows with the row count (5 s at 70K rows); this loop compiles to one custom call.
// Results follow the twin: integer sums and products wrap in two's complement (added and
// multiplied as unsigned, no undefined behaviour); float min/max propagate NaN. Sums run in
// row order, as pandas' do, so float results may differ from the twin's tree order in the
// last bits.
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "ffi_guard.h"
#include "kernels.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

enum Op : int64_t { kSum = 0, kProd = 1, kMin = 2, kMax = 3 };

template <typename T>
inline T Apply(int64_t op, T acc, T x) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    if (op == kSum) return static_cast<T>(static_cast<U>(acc) + static_cast<U>(x));
    if (op == kProd) return static_cast<T>(static_cast<U>(acc) * static_cast<U>(x));
    return op == kMin ? (x < acc ? x : acc) : (x > acc ? x : acc);
  } else {
    if (op == kSum) return acc + x;
    if (op == kProd) return acc * x;
    if (std::isnan(acc) || std::isnan(x)) return std::isnan(acc) ? acc : x;
    return op == kMin ? (x < acc ? x : acc) : (x > acc ? x : acc);
  }
}

template <typename T>
void Scan(int64_t op, const T* values, const bool* starts, int64_t n, T* out) {
  T acc{};
  for (int64_t i = 0; i < n; ++i) {
    acc = (i == 0 || starts[i]) ? values[i] : Apply(op, acc, values[i]);
    out[i] = acc;
  }
}

template <typename T>
void Typed(int64_t op, ffi::AnyBuffer values, ffi::Buffer<ffi::PRED> starts, ffi::Result<ffi::AnyBuffer> out) {
  Scan<T>(op, reinterpret_cast<const T*>(values.untyped_data()), starts.typed_data(),
          static_cast<int64_t>(values.element_count()), reinterpret_cast<T*>(out->untyped_data()));
}

ffi::Error SegmentedScanImpl(ffi::AnyBuffer values, ffi::Buffer<ffi::PRED> starts,
                             ffi::Result<ffi::AnyBuffer> out, int64_t op) {
  return jaxframes::Guarded("segmented_scan", [&] {
    jaxframes::Require(op >= kSum && op <= kMax, "unknown op (0 sum, 1 prod, 2 min, 3 max)");
    jaxframes::Require(values.element_type() == out->element_type(), "output dtype must equal input dtype");
    jaxframes::Require(starts.element_count() == values.element_count(), "values and starts differ in length");
    switch (values.element_type()) {
      case ffi::F64: return Typed<double>(op, values, starts, out);
      case ffi::F32: return Typed<float>(op, values, starts, out);
      case ffi::S64: return Typed<int64_t>(op, values, starts, out);
      case ffi::S32: return Typed<int32_t>(op, values, starts, out);
      default: jaxframes::Require(false, "unsupported dtype (float64, float32, int64, int32)");
    }
  });
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfSegmentedScan, SegmentedScanImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Ret<ffi::AnyBuffer>()
                                  .Attr<int64_t>("op"));
