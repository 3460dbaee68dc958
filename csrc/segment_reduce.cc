// Segmented reductions over unsorted segment ids (dense group-by slots) in one pass.
// XLA's CPU scatter serializes badly when many updates hit few rows (a group-by with few
// groups); a plain loop with per-thread partial results does not. Ids outside
// [0, num_segments) are dropped, as jax.ops.segment_* does. The pure-JAX twin is
// jax.ops.segment_sum/min/max in jaxframes/kernels/segments.py, the test reference.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <thread>
#include <type_traits>
#include <vector>

#include "kernels.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

enum Op : int64_t { kSum = 0, kMin = 1, kMax = 2 };

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
inline T Combine(int64_t op, T a, T b) {
  if (op == kSum) return a + b;
  if (op == kMin) return b < a ? b : a;  // callers replace NaN (a null) by the identity first
  return b > a ? b : a;
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
  const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
  // Partial results per thread only pay when the output is small next to the input.
  const int64_t threads = (n >= (1 << 18) && segments * 8 <= n) ? std::min<int64_t>(hw, 8) : 1;
  if (threads == 1) {
    ReduceRange(op, values, ids, 0, n, segments, out);
    return;
  }
  std::vector<std::vector<T>> partial(threads, std::vector<T>(segments, Identity<T>(op)));
  std::vector<std::thread> pool;
  const int64_t chunk = (n + threads - 1) / threads;
  for (int64_t t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      const int64_t begin = std::min(n, t * chunk), end = std::min(n, begin + chunk);
      ReduceRange(op, values, ids, begin, end, segments, partial[t].data());
    });
  }
  for (auto& th : pool) th.join();
  for (int64_t t = 0; t < threads; ++t) {
    for (int64_t s = 0; s < segments; ++s) out[s] = Combine(op, out[s], partial[t][s]);
  }
}

template <typename T>
ffi::Error Typed(int64_t op, ffi::AnyBuffer values, ffi::Buffer<ffi::S64> ids, ffi::Result<ffi::AnyBuffer> out) {
  const int64_t n = static_cast<int64_t>(values.element_count());
  if (static_cast<int64_t>(ids.element_count()) != n) {
    return ffi::Error::InvalidArgument("segment_reduce: values and ids differ in length");
  }
  Reduce<T>(op, reinterpret_cast<const T*>(values.untyped_data()), ids.typed_data(), n,
            static_cast<int64_t>(out->element_count()), reinterpret_cast<T*>(out->untyped_data()));
  return ffi::Error::Success();
}

ffi::Error SegmentReduceImpl(ffi::AnyBuffer values, ffi::Buffer<ffi::S64> ids,
                             ffi::Result<ffi::AnyBuffer> out, int64_t op) {
  if (op < kSum || op > kMax) return ffi::Error::InvalidArgument("segment_reduce: unknown op");
  if (values.element_type() != out->element_type()) {
    return ffi::Error::InvalidArgument("segment_reduce: output dtype must equal input dtype");
  }
  switch (values.element_type()) {
    case ffi::F64: return Typed<double>(op, values, ids, out);
    case ffi::F32: return Typed<float>(op, values, ids, out);
    case ffi::S64: return Typed<int64_t>(op, values, ids, out);
    case ffi::S32: return Typed<int32_t>(op, values, ids, out);
    default: return ffi::Error::InvalidArgument("segment_reduce: unsupported dtype");
  }
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfSegmentReduce, SegmentReduceImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::AnyBuffer>()
                                  .Attr<int64_t>("op"));
