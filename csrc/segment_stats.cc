// count, sum, min and max per dense segment in one pass over the rows (resample's bins and
// other group-bys over unsorted dense slots): rows not present, or with an id outside
// [0, num_segments), are skipped; with nan_null a NaN value is not present. Per-task partial
// results are merged at the end (the output is small next to the input). Float sums are
// Kahan-compensated (pandas' group sums are); integer sums wrap like numpy's. Empty segments
// hold count 0, sum 0, min +inf / int max, max -inf / int min: the identities the pure-JAX twin
// (jax.ops.segment_* after jnp.where, jaxframes.kernels.segments.segment_stats_jax) gives, and
// min/max follow its rules (-0.0 below +0.0).
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

constexpr int64_t kParallelMinN = 1 << 18;
constexpr int64_t kMaxTasks = 8;

template <typename T>
struct Partial {
  std::vector<int64_t> count;
  std::vector<T> sum, comp, lo, hi;
  explicit Partial(int64_t s)
      : count(s, 0), sum(s, T(0)), comp(s, T(0)), lo(s, High()), hi(s, Low()) {}
  static T High() {
    if constexpr (std::is_floating_point_v<T>) return std::numeric_limits<T>::infinity(); else return std::numeric_limits<T>::max();
  }
  static T Low() {
    if constexpr (std::is_floating_point_v<T>) return -std::numeric_limits<T>::infinity(); else return std::numeric_limits<T>::lowest();
  }
  void AddSum(int64_t id, T v) {
    if constexpr (std::is_floating_point_v<T>) {
      const T y = v - comp[id];
      const T t = sum[id] + y;
      comp[id] = std::isfinite(t) ? (t - sum[id]) - y : T(0);  // an infinite sum carries no compensation
      sum[id] = t;
    } else {
      using U = std::make_unsigned_t<T>;
      sum[id] = static_cast<T>(static_cast<U>(sum[id]) + static_cast<U>(v));
    }
  }
  void Min(int64_t id, T v) {
    T& a = lo[id];
    if constexpr (std::is_floating_point_v<T>) {
      if (v == a) { if (std::signbit(v)) a = v; return; }
    }
    if (v < a) a = v;
  }
  void Max(int64_t id, T v) {
    T& a = hi[id];
    if constexpr (std::is_floating_point_v<T>) {
      if (v == a) { if (!std::signbit(v)) a = v; return; }
    }
    if (v > a) a = v;
  }
  void Rows(const T* values, const int64_t* ids, const bool* present, int64_t begin, int64_t end, bool nan_null) {
    const uint64_t s = static_cast<uint64_t>(count.size());
    for (int64_t i = begin; i < end; ++i) {
      const int64_t id = ids[i];
      const T v = values[i];
      bool ok = present[i] && static_cast<uint64_t>(id) < s;
      if constexpr (std::is_floating_point_v<T>) ok = ok && !(nan_null && std::isnan(v));
      if (!ok) continue;
      ++count[id];
      AddSum(id, v);
      Min(id, v);
      Max(id, v);
    }
  }
  void Merge(const Partial& o) {
    for (size_t id = 0; id < count.size(); ++id) {
      count[id] += o.count[id];
      if constexpr (std::is_floating_point_v<T>) {
        AddSum(static_cast<int64_t>(id), o.sum[id]);
        AddSum(static_cast<int64_t>(id), -o.comp[id]);
      } else {
        AddSum(static_cast<int64_t>(id), o.sum[id]);
      }
      if (o.count[id]) {
        Min(static_cast<int64_t>(id), o.lo[id]);
        Max(static_cast<int64_t>(id), o.hi[id]);
      }
    }
  }
};

template <typename T>
void Run(ffi::AnyBuffer values, ffi::Buffer<ffi::S64> ids, ffi::Buffer<ffi::PRED> present, bool nan_null,
         ffi::ResultBuffer<ffi::S64> count, ffi::Result<ffi::AnyBuffer> sum, ffi::Result<ffi::AnyBuffer> lo,
         ffi::Result<ffi::AnyBuffer> hi) {
  const int64_t n = static_cast<int64_t>(values.element_count());
  const int64_t s = static_cast<int64_t>(count->element_count());
  const T* v = reinterpret_cast<const T*>(values.untyped_data());
  const int64_t* id = ids.typed_data();
  const bool* p = present.typed_data();
  const int64_t tasks = (n >= kParallelMinN && s * 8 <= n) ? std::min<int64_t>(jaxframes::ThreadBudget(), kMaxTasks) : 1;
  std::vector<Partial<T>> parts(static_cast<size_t>(tasks), Partial<T>(s));
  const int64_t chunk = (n + tasks - 1) / tasks;
  if (tasks == 1) {
    parts[0].Rows(v, id, p, 0, n, nan_null);
  } else {
    jaxframes::ParallelFor(tasks, [&](int64_t t) {
      const int64_t begin = std::min(n, t * chunk), end = std::min(n, begin + chunk);
      parts[static_cast<size_t>(t)].Rows(v, id, p, begin, end, nan_null);
    });
  }
  for (int64_t t = 1; t < tasks; ++t) parts[0].Merge(parts[static_cast<size_t>(t)]);
  const Partial<T>& r = parts[0];
  T* out_sum = reinterpret_cast<T*>(sum->untyped_data());
  T* out_lo = reinterpret_cast<T*>(lo->untyped_data());
  T* out_hi = reinterpret_cast<T*>(hi->untyped_data());
  for (int64_t k = 0; k < s; ++k) {
    count->typed_data()[k] = r.count[k];
    if constexpr (std::is_floating_point_v<T>) out_sum[k] = r.sum[k] - r.comp[k]; else out_sum[k] = r.sum[k];
    out_lo[k] = r.lo[k];
    out_hi[k] = r.hi[k];
  }
}

ffi::Error SegmentStatsImpl(ffi::AnyBuffer values, ffi::Buffer<ffi::S64> ids, ffi::Buffer<ffi::PRED> present,
                            ffi::ResultBuffer<ffi::S64> count, ffi::Result<ffi::AnyBuffer> sum,
                            ffi::Result<ffi::AnyBuffer> lo, ffi::Result<ffi::AnyBuffer> hi, bool nan_null) {
  return jaxframes::Guarded("segment_stats", [&] {
    const auto n = values.element_count();
    jaxframes::Require(ids.element_count() == n && present.element_count() == n, "values, ids and present differ in length");
    const auto s = count->element_count();
    jaxframes::Require(sum->element_count() == s && lo->element_count() == s && hi->element_count() == s,
                       "outputs differ in length");
    jaxframes::Require(sum->element_type() == values.element_type() && lo->element_type() == values.element_type()
                       && hi->element_type() == values.element_type(), "output dtypes must equal the input dtype");
    switch (values.element_type()) {
      case ffi::F64: return Run<double>(values, ids, present, nan_null, count, sum, lo, hi);
      case ffi::S64: return Run<int64_t>(values, ids, present, nan_null, count, sum, lo, hi);
      default: jaxframes::Require(false, "unsupported dtype (float64, int64)");
    }
  });
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfSegmentStats, SegmentStatsImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::AnyBuffer>()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Arg<ffi::Buffer<ffi::PRED>>()
                                  .Ret<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::AnyBuffer>()
                                  .Ret<ffi::AnyBuffer>()
                                  .Ret<ffi::AnyBuffer>()
                                  .Attr<bool>("nan_null"));
