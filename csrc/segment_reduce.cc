// Segmented reductions over unsorted segment ids (dense group-by slots) in one pass.
// XLA's CPU scatter serializes badly when many updates hit few rows (a group-by with few
// groups); a plain loop with per-task partial results does not. Ids outside
// [0, num_segments) are dropped, as jax.ops.segment_* does. The pure-JAX twin is
// jax.ops.segment_sum/min/max in jaxframes/kernels/segments.py, the test reference, and the
// results follow it exactly:
// - integer sums wrap around in two's complement (int64 max + 1 == int64 min, like numpy and
//   XLA); they are added as unsigned integers, so no signed overflow (undefined behaviour);
// - float min/max propagate NaN (a segment holding a NaN reduces to NaN) and order -0.0
//   below +0.0 (min of {0.0, -0.0} is -0.0, max is +0.0), whatever the row order;
// - an empty segment holds the identity: 0, +inf / int max (min), -inf / int min (max).
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

enum Op : int64_t { kSum = 0, kMin = 1, kMax = 2 };

constexpr int64_t kParallelMinN = 1 << 18;  // below: one pass on the calling thread
constexpr int64_t kMaxTasks = 8;            // more partial outputs cost more to merge than they save

template <typename T>
T Identity(int64_t op) {
  if (op == kSum) return T(0);
  if constexpr (std::is_floating_point_v<T>) {
    return op == kMin ? std::numeric_limits<T>::infinity() : -std::numeric_limits<T>::infinity();
  } else {
    return op == kMin ? std::numeric_limits<T>::max() : std::numeric_limits<T>::lowest();
  }
}

template <typename T>
inline T Add(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));  // wraps; defined behaviour
  } else {
    return a + b;
  }
}

template <typename T>
inline T Min(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a)) return a;
    if (std::isnan(b)) return b;
    if (a == b) return std::signbit(b) ? b : a;  // -0.0 < +0.0
  }
  return b < a ? b : a;
}

template <typename T>
inline T Max(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if (std::isnan(a)) return a;
    if (std::isnan(b)) return b;
    if (a == b) return std::signbit(b) ? a : b;  // +0.0 > -0.0
  }
  return b > a ? b : a;
}

template <typename T>
inline T Combine(int64_t op, T a, T b) {
  if (op == kSum) return Add(a, b);
  return op == kMin ? Min(a, b) : Max(a, b);
}

template <typename T>
void ReduceRange(int64_t op, const T* values, const int64_t* ids, int64_t begin, int64_t end,
                 int64_t segments, T* out) {
  for (int64_t i = begin; i < end; ++i) {
    const int64_t id = ids[i];
    if (static_cast<uint64_t>(id) < static_cast<uint64_t>(segments)) {
      out[id] = Combine(op, out[id], values[i]);
    }
  }
}

template <typename T>
void Reduce(int64_t op, const T* values, const int64_t* ids, int64_t n, int64_t segments, T* out) {
  std::fill(out, out + segments, Identity<T>(op));
  // Partial results per task only pay when the output is small next to the input.
  const int64_t tasks = (n >= kParallelMinN && segments * 8 <= n)
                            ? std::min<int64_t>(jaxframes::ThreadBudget(), kMaxTasks) : 1;
  if (tasks == 1) {
    ReduceRange(op, values, ids, 0, n, segments, out);
    return;
  }
  std::vector<std::vector<T>> partial(tasks, std::vector<T>(segments, Identity<T>(op)));
  const int64_t chunk = (n + tasks - 1) / tasks;
  jaxframes::ParallelFor(tasks, [&](int64_t t) {
    const int64_t begin = std::min(n, t * chunk), end = std::min(n, begin + chunk);
    ReduceRange(op, values, ids, begin, end, segments, partial[t].data());
  });
  for (int64_t t = 0; t < tasks; ++t) {
    for (int64_t s = 0; s < segments; ++s) out[s] = Combine(op, out[s], partial[t][s]);
  }
}

template <typename T>
void Typed(int64_t op, ffi::AnyBuffer values, ffi::Buffer<ffi::S64> ids, ffi::Result<ffi::AnyBuffer> out) {
  Reduce<T>(op, reinterpret_cast<const T*>(values.untyped_data()), ids.typed_data(),
            static_cast<int64_t>(values.element_count()), static_cast<int64_t>(out->element_count()),
            reinterpret_cast<T*>(out->untyped_data()));
}

ffi::Error SegmentReduceImpl(ffi::AnyBuffer values, ffi::Buffer<ffi::S64> ids,
                             ffi::Result<ffi::AnyBuffer> out, int64_t op) {
  return jaxframes::Guarded("segment_reduce", [&] {
    jaxframes::Require(op >= kSum && op <= kMax, "unknown op (0 sum, 1 min, 2 max)");
    jaxframes::Require(values.element_type() == out->element_type(),
                       "output dtype must equal input dtype");
    jaxframes::Require(ids.element_count() == values.element_count(), "values and ids differ in length");
    switch (values.element_type()) {
      case ffi::F64: return Typed<double>(op, values, ids, out);
      case ffi::F32: return Typed<float>(op, values, ids, out);
      case ffi::S64: return Typed<int64_t>(op, values, ids, out);
      case ffi::S32: return Typed<int32_t>(op, values, ids, out);
      default: jaxframes::Require(false, "unsupported dtype (float64, float32, int64, int32)");
    }
  });
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfSegmentReduce, SegmentReduceImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::AnyBuffer>()
                                  .Attr<int64_t>("op"));
