// Rolling-window reductions over variable windows [start[i], end[i]) of a float64 column, in one
// pass whatever the window size. NaN is a missing value: it never enters a window (pandas'
// rule). The windows come from the Python indexers (fixed, centred, closed=, time-based,
// expanding, per group); both bounds are expected to be non-decreasing, and where they are not
// the running state is rebuilt from scratch for that row, so any bounds give the right answer.
//
// Algorithms (pandas' values are the oracle, matched to about 1e-12 relative):
// - sum, mean: online add/remove with Kahan compensation (separate compensations for adding and
//   removing); a window whose values are all equal gives that value exactly;
// - var: Welford's online mean/M2 with compensated mean updates; 0 for one value or all-equal;
// - skew, kurt: compensated power sums of values shifted by the first window's mean;
// - min, max: a monotonic deque of positions (amortised O(1) per row);
// - quantile/median: an order-statistic multiset: a sorted vector for windows up to
//   kSortedVectorMax values (binary search + memmove: fastest for small windows) and an
//   order-statistic tree above (O(log w) per row, so time per row stays flat as windows grow).
// The pure-JAX twin is jaxframes.kernels.windows.window_reduce_jax, the test reference.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <functional>
#include <limits>
#include <utility>
#include <vector>

#include <ext/pb_ds/assoc_container.hpp>
#include <ext/pb_ds/tree_policy.hpp>

#include "ffi_guard.h"
#include "kernels.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

enum Op : int64_t { kSum = 0, kMean = 1, kVar = 2, kMin = 3, kMax = 4, kQuantile = 5, kSkew = 6, kKurt = 7 };
enum Interp : int64_t { kLinear = 0, kLower = 1, kHigher = 2, kNearest = 3, kMidpoint = 4 };

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int64_t kSortedVectorMax = 2048;

inline bool Monotone(const int64_t* start, const int64_t* end, int64_t i) {
  return i > 0 && start[i] >= start[i - 1] && end[i] >= end[i - 1] && start[i] < end[i - 1];
}

// A compensated (Kahan) accumulator for one running sum.
struct Kahan {
  double sum = 0, comp = 0;
  void Add(double v) {
    const double y = v - comp;
    const double t = sum + y;
    comp = (t - sum) - y;
    sum = t;
  }
};

// Tracks whether the last `nobs` added values were all equal (then sum/mean/var are exact).
struct SameRun {
  int64_t run = 0;
  double prev = kNaN;
  void Add(double v) {
    run = (v == prev) ? run + 1 : 1;
    prev = v;
  }
};

struct SumState {
  int64_t nobs = 0, neg = 0;
  Kahan add, remove;
  SameRun same;
  void Reset() { *this = SumState(); }
  void Add(double v) {
    if (std::isnan(v)) return;
    ++nobs;
    neg += v < 0;
    add.Add(v);
    same.Add(v);
  }
  void Remove(double v) {
    if (std::isnan(v)) return;
    --nobs;
    neg -= v < 0;
    remove.Add(-v);
  }
  double Sum() const {
    if (nobs == 0) return 0.0;
    if (same.run >= nobs) return same.prev * static_cast<double>(nobs);
    return add.sum + remove.sum - (add.comp + remove.comp);
  }
  double Mean() const {
    if (nobs == 0) return kNaN;
    if (same.run >= nobs) return same.prev;
    double m = Sum() / static_cast<double>(nobs);
    if (neg == 0 && m < 0) m = 0;
    if (neg == nobs && m > 0) m = 0;
    return m;
  }
};

struct VarState {
  int64_t nobs = 0;
  double mean = 0, m2 = 0, comp = 0;
  SameRun same;
  void Reset() { *this = VarState(); }
  void Add(double v) {
    if (std::isnan(v)) return;
    same.Add(v);
    ++nobs;
    const double prev_mean = mean - comp;
    const double y = v - comp;
    const double t = y - mean;
    comp = (t + mean) - y;
    mean += t / static_cast<double>(nobs);
    m2 += (v - prev_mean) * (v - mean);
  }
  void Remove(double v) {
    if (std::isnan(v)) return;
    --nobs;
    if (nobs == 0) {
      mean = m2 = comp = 0;
      return;
    }
    const double prev_mean = mean - comp;
    const double y = v - comp;
    const double t = y - mean;
    comp = (t + mean) - y;
    mean -= t / static_cast<double>(nobs);
    m2 -= (v - prev_mean) * (v - mean);
  }
  double Var(int64_t ddof) const {
    if (nobs <= ddof) return kNaN;
    if (nobs == 1 || same.run >= nobs) return 0.0;
    return std::max(0.0, m2 / static_cast<double>(nobs - ddof));
  }
};

// Power sums of (v - shift) for skew and kurt; the shift (the first window's mean) keeps the
// moments from cancelling when the values sit far from zero.
struct MomentState {
  int64_t nobs = 0;
  double shift = 0;
  bool shifted = false;
  Kahan s1, s2, s3, s4;
  SameRun same;
  void Reset() { *this = MomentState(); }
  void SetShift(const double* v, int64_t s, int64_t e) {
    double total = 0;
    int64_t count = 0;
    for (int64_t j = s; j < e; ++j) {
      if (!std::isnan(v[j])) { total += v[j]; ++count; }
    }
    shift = count ? total / static_cast<double>(count) : 0.0;
    shifted = true;
  }
  void Add(double v) {
    if (std::isnan(v)) return;
    ++nobs;
    same.Add(v);
    const double d = v - shift, d2 = d * d;
    s1.Add(d); s2.Add(d2); s3.Add(d2 * d); s4.Add(d2 * d2);
  }
  void Remove(double v) {
    if (std::isnan(v)) return;
    --nobs;
    const double d = v - shift, d2 = d * d;
    s1.Add(-d); s2.Add(-d2); s3.Add(-d2 * d); s4.Add(-d2 * d2);
  }
  double Skew() const {
    if (nobs < 3) return kNaN;
    if (same.run >= nobs) return kNaN;
    const double n = static_cast<double>(nobs);
    const double a = s1.sum / n;
    const double b = s2.sum / n - a * a;
    const double c = s3.sum / n - a * a * a - 3 * a * b;
    if (b <= 1e-14) return kNaN;
    const double r = std::sqrt(b);
    return (std::sqrt(n * (n - 1)) * c) / ((n - 2) * r * r * r);
  }
  double Kurt() const {
    if (nobs < 4) return kNaN;
    if (same.run >= nobs) return kNaN;
    const double n = static_cast<double>(nobs);
    const double a = s1.sum / n;
    double r = a * a;
    const double b = s2.sum / n - r;
    r *= a;
    const double c = s3.sum / n - r - 3 * a * b;
    r *= a;
    const double d = s4.sum / n - r - 6 * b * a * a - 4 * c * a;
    if (b <= 1e-14) return kNaN;
    const double k = (n * n - 1) * d / (b * b) - 3 * ((n - 1) * (n - 1));
    return k / ((n - 2) * (n - 3));
  }
};

template <typename State, typename Result>
void Moving(const double* v, const int64_t* start, const int64_t* end, int64_t n, double* out,
            Result result, bool shift = false) {
  State st;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t s = start[i], e = end[i];
    if (!Monotone(start, end, i)) {
      st.Reset();
      if constexpr (std::is_same_v<State, MomentState>) {
        if (shift) st.SetShift(v, s, e);
      }
      for (int64_t j = s; j < e; ++j) st.Add(v[j]);
    } else {
      for (int64_t j = start[i - 1]; j < s; ++j) st.Remove(v[j]);
      for (int64_t j = end[i - 1]; j < e; ++j) st.Add(v[j]);
    }
    out[i] = result(st);
  }
}

template <bool kIsMax>
void Extreme(const double* v, const int64_t* start, const int64_t* end, int64_t n, double* out) {
  std::deque<int64_t> dq;  // positions of candidate extremes, values monotone from the front
  int64_t pushed = 0;      // every position below this was offered to the deque
  auto better = [](double a, double b) { return kIsMax ? a >= b : a <= b; };
  for (int64_t i = 0; i < n; ++i) {
    const int64_t s = start[i], e = end[i];
    if (!Monotone(start, end, i)) {
      dq.clear();
      pushed = s;
    }
    for (int64_t j = std::max(pushed, s); j < e; ++j) {
      const double x = v[j];
      if (std::isnan(x)) continue;
      while (!dq.empty() && better(x, v[dq.back()])) dq.pop_back();
      dq.push_back(j);
    }
    pushed = std::max(pushed, e);
    while (!dq.empty() && dq.front() < s) dq.pop_front();
    out[i] = dq.empty() ? kNaN : v[dq.front()];
  }
}

// The value at fractional rank `q * (nobs - 1)` with pandas' interpolation rules, from a
// function returning the k-th smallest value.
template <typename Kth>
double Pick(int64_t nobs, double q, int64_t interp, Kth kth) {
  if (nobs == 0) return kNaN;
  if (nobs == 1) return kth(0);
  const double pos = q * static_cast<double>(nobs - 1);
  const int64_t lo = static_cast<int64_t>(std::floor(pos));
  const double frac = pos - static_cast<double>(lo);
  const int64_t hi = std::min(lo + 1, nobs - 1);
  switch (interp) {
    case kLower: return kth(lo);
    case kHigher: return frac == 0 ? kth(lo) : kth(hi);
    case kNearest:
      if (frac == 0.5) return kth((lo % 2 == 0) ? lo : hi);
      return frac < 0.5 ? kth(lo) : kth(hi);
    case kMidpoint: return frac == 0 ? kth(lo) : (kth(lo) + kth(hi)) / 2;
    default: {
      const double a = kth(lo);
      if (frac == 0) return a;
      return a + (kth(hi) - a) * frac;
    }
  }
}

struct SortedVector {
  std::vector<double> v;
  void Clear() { v.clear(); }
  void Add(double x) { v.insert(std::upper_bound(v.begin(), v.end(), x), x); }
  void Remove(double x) { v.erase(std::lower_bound(v.begin(), v.end(), x)); }
  int64_t Size() const { return static_cast<int64_t>(v.size()); }
  double Kth(int64_t k) const { return v[k]; }
};

struct OrderTree {
  using Key = std::pair<double, int64_t>;  // (value, position): equal values stay distinct
  __gnu_pbds::tree<Key, __gnu_pbds::null_type, std::less<Key>, __gnu_pbds::rb_tree_tag,
                   __gnu_pbds::tree_order_statistics_node_update> t;
  void Clear() { t.clear(); }
  void Add(double x, int64_t j) { t.insert({x, j}); }
  void Remove(double x, int64_t j) { t.erase({x, j}); }
  int64_t Size() const { return static_cast<int64_t>(t.size()); }
  double Kth(int64_t k) const { return t.find_by_order(k)->first; }
};

template <typename Set, bool kPositional>
void Quantile(const double* v, const int64_t* start, const int64_t* end, int64_t n, double q, int64_t interp,
              double* out) {
  Set set;
  auto add = [&](int64_t j) {
    if (std::isnan(v[j])) return;
    if constexpr (kPositional) set.Add(v[j], j); else set.Add(v[j]);
  };
  auto remove = [&](int64_t j) {
    if (std::isnan(v[j])) return;
    if constexpr (kPositional) set.Remove(v[j], j); else set.Remove(v[j]);
  };
  for (int64_t i = 0; i < n; ++i) {
    const int64_t s = start[i], e = end[i];
    if (!Monotone(start, end, i)) {
      set.Clear();
      for (int64_t j = s; j < e; ++j) add(j);
    } else {
      for (int64_t j = start[i - 1]; j < s; ++j) remove(j);
      for (int64_t j = end[i - 1]; j < e; ++j) add(j);
    }
    out[i] = Pick(set.Size(), q, interp, [&](int64_t k) { return set.Kth(k); });
  }
}

ffi::Error WindowReduceImpl(ffi::Buffer<ffi::F64> values, ffi::Buffer<ffi::S64> starts,
                            ffi::Buffer<ffi::S64> ends, ffi::ResultBuffer<ffi::F64> result, int64_t op,
                            double q, int64_t interp, int64_t ddof) {
  return jaxframes::Guarded("window_reduce", [&] {
    const int64_t n = static_cast<int64_t>(starts.element_count());
    const int64_t m = static_cast<int64_t>(values.element_count());
    jaxframes::Require(static_cast<int64_t>(ends.element_count()) == n, "start and end differ in length");
    jaxframes::Require(static_cast<int64_t>(result->element_count()) == n, "output length != bounds length");
    jaxframes::Require(op >= kSum && op <= kKurt, "unknown op");
    const double* v = values.typed_data();
    const int64_t* start = starts.typed_data();
    const int64_t* end = ends.typed_data();
    double* out = result->typed_data();
    int64_t widest = 0;
    for (int64_t i = 0; i < n; ++i) {
      jaxframes::Require(start[i] >= 0 && end[i] <= m, "window bounds outside the values");
      widest = std::max(widest, end[i] - start[i]);
    }
    switch (op) {
      case kSum: return Moving<SumState>(v, start, end, n, out, [](const SumState& s) { return s.Sum(); });
      case kMean: return Moving<SumState>(v, start, end, n, out, [](const SumState& s) { return s.Mean(); });
      case kVar:
        return Moving<VarState>(v, start, end, n, out, [ddof](const VarState& s) { return s.Var(ddof); });
      case kMin: return Extreme<false>(v, start, end, n, out);
      case kMax: return Extreme<true>(v, start, end, n, out);
      case kSkew:
        return Moving<MomentState>(v, start, end, n, out, [](const MomentState& s) { return s.Skew(); }, true);
      case kKurt:
        return Moving<MomentState>(v, start, end, n, out, [](const MomentState& s) { return s.Kurt(); }, true);
      default:
        if (widest <= kSortedVectorMax) return Quantile<SortedVector, false>(v, start, end, n, q, interp, out);
        return Quantile<OrderTree, true>(v, start, end, n, q, interp, out);
    }
  });
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfWindowReduce, WindowReduceImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::F64>>()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .Ret<ffi::Buffer<ffi::F64>>()
                                  .Attr<int64_t>("op")
                                  .Attr<double>("q")
                                  .Attr<int64_t>("interp")
                                  .Attr<int64_t>("ddof"));
