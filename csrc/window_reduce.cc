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
// - min, max: a monotonic deque of positions in a ring buffer (amortised O(1) per row);
// - every result is NaN where the window holds fewer than min_periods non-NaN values (the
//   count comes from the same add/remove pass: no separate prefix-count pass);
// - quantile/median: an order-statistic multiset: a sorted vector for windows up to
//   kSortedVectorMax values (binary search + memmove: fastest for small windows) and a list of
//   sorted blocks above (a memmove inside one block of <= 512 values, a walk over w / 256
//   block sizes: time per row stays flat as windows grow to 100,000).
// The pure-JAX twin is jaxframes.kernels.windows.window_reduce_jax, the test reference.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <utility>
#include <vector>


#include "ffi_guard.h"
#include "kernels.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

enum Op : int64_t { kSum = 0, kMean = 1, kVar = 2, kMin = 3, kMax = 4, kQuantile = 5, kSkew = 6, kKurt = 7 };
enum Interp : int64_t { kLinear = 0, kLower = 1, kHigher = 2, kNearest = 3, kMidpoint = 4 };

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int64_t kSortedVectorMax = 256;

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
void Moving(const double* v, const int64_t* start, const int64_t* end, int64_t n, double* out, int64_t minp,
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
    out[i] = st.nobs >= minp ? result(st) : kNaN;
  }
}

template <bool kIsMax>
void Extreme(const double* v, const int64_t* start, const int64_t* end, int64_t n, double* out, int64_t minp,
             int64_t widest) {
  // A monotonic deque of positions (values monotone from the front) in a ring buffer: stale
  // positions leave the front before new ones are offered, so it never holds more than the
  // widest window.
  int64_t cap = 1;
  while (cap < widest + 1) cap <<= 1;
  std::vector<int64_t> ring(static_cast<size_t>(cap));
  const int64_t mask = cap - 1;
  int64_t head = 0, tail = 0;  // live entries are ring[head & mask .. tail & mask)
  int64_t pushed = 0;          // every position below this was offered to the deque
  int64_t nobs = 0;            // non-NaN values in the current window
  auto better = [](double a, double b) { return kIsMax ? a >= b : a <= b; };
  for (int64_t i = 0; i < n; ++i) {
    const int64_t s = start[i], e = end[i];
    if (!Monotone(start, end, i)) {
      head = tail = 0;
      pushed = s;
      nobs = 0;
    } else {
      for (int64_t j = start[i - 1]; j < s; ++j) nobs -= !std::isnan(v[j]);
    }
    while (head != tail && ring[head & mask] < s) ++head;
    for (int64_t j = std::max(pushed, s); j < e; ++j) {
      const double x = v[j];
      if (std::isnan(x)) continue;
      ++nobs;
      while (head != tail && better(x, v[ring[(tail - 1) & mask]])) --tail;
      ring[tail & mask] = j;
      ++tail;
    }
    pushed = std::max(pushed, e);
    out[i] = (head == tail || nobs < minp) ? kNaN : v[ring[head & mask]];
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

// A sorted multiset as a list of sorted blocks of at most 2 * kBlock values (split when they
// outgrow it, merged into a neighbour when they shrink below kBlock / 4): an insert or erase is
// a search over the block ends plus a memmove inside one block, and the k-th value a walk over
// the block sizes, so a row costs O(w / kBlock + kBlock) with cache-friendly constants: flat
// in practice from windows of 10 to 100,000 (a balanced tree's O(log w) pays a cache miss per
// level and an allocation per value).
struct BlockedList {
  static constexpr size_t kBlock = 256;
  std::vector<std::vector<double>> blocks;
  int64_t size = 0;
  void Clear() {
    blocks.clear();
    size = 0;
  }
  // The first block whose last value is >= x (or the last block).
  size_t Find(double x) const {
    size_t lo = 0, hi = blocks.size() - 1;
    while (lo < hi) {
      const size_t mid = (lo + hi) / 2;
      if (blocks[mid].back() < x) lo = mid + 1; else hi = mid;
    }
    return lo;
  }
  void Add(double x) {
    ++size;
    if (blocks.empty()) {
      blocks.emplace_back();
      blocks.back().reserve(2 * kBlock + 1);
      blocks.back().push_back(x);
      return;
    }
    const size_t b = Find(x);
    std::vector<double>& blk = blocks[b];
    blk.insert(std::upper_bound(blk.begin(), blk.end(), x), x);
    if (blk.size() > 2 * kBlock) {
      std::vector<double> upper;
      upper.reserve(2 * kBlock + 1);
      upper.assign(blk.begin() + static_cast<std::ptrdiff_t>(kBlock), blk.end());
      blk.resize(kBlock);
      blocks.insert(blocks.begin() + static_cast<std::ptrdiff_t>(b) + 1, std::move(upper));
    }
  }
  void Remove(double x) {
    --size;
    const size_t b = Find(x);
    std::vector<double>& blk = blocks[b];
    blk.erase(std::lower_bound(blk.begin(), blk.end(), x));
    if (blk.size() >= kBlock / 4 || blocks.size() == 1) {
      if (blk.empty()) blocks.erase(blocks.begin() + static_cast<std::ptrdiff_t>(b));
      return;
    }
    // merge the small block into a neighbour (its values sit between the neighbours' values)
    const size_t into = b > 0 ? b - 1 : b + 1;
    std::vector<double>& other = blocks[into];
    if (into < b) other.insert(other.end(), blk.begin(), blk.end());
    else other.insert(other.begin(), blk.begin(), blk.end());
    blocks.erase(blocks.begin() + static_cast<std::ptrdiff_t>(b));
    std::vector<double>& merged = blocks[into < b ? into : b];
    if (merged.size() > 2 * kBlock) {
      const size_t at = into < b ? into : b;
      std::vector<double> upper(merged.begin() + static_cast<std::ptrdiff_t>(merged.size() / 2), merged.end());
      merged.resize(merged.size() / 2);
      blocks.insert(blocks.begin() + static_cast<std::ptrdiff_t>(at) + 1, std::move(upper));
    }
  }
  int64_t Size() const { return size; }
  double Kth(int64_t k) const {
    for (const auto& blk : blocks) {
      const int64_t s = static_cast<int64_t>(blk.size());
      if (k < s) return blk[static_cast<size_t>(k)];
      k -= s;
    }
    return kNaN;
  }
};

template <typename Set>
void Quantile(const double* v, const int64_t* start, const int64_t* end, int64_t n, double q, int64_t interp,
              int64_t minp, double* out) {
  Set set;
  auto add = [&](int64_t j) {
    if (std::isnan(v[j])) return;
    set.Add(v[j]);
  };
  auto remove = [&](int64_t j) {
    if (std::isnan(v[j])) return;
    set.Remove(v[j]);
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
    out[i] = set.Size() >= minp ? Pick(set.Size(), q, interp, [&](int64_t k) { return set.Kth(k); }) : kNaN;
  }
}

ffi::Error WindowReduceImpl(ffi::Buffer<ffi::F64> values, ffi::Buffer<ffi::S64> starts,
                            ffi::Buffer<ffi::S64> ends, ffi::ResultBuffer<ffi::F64> result, int64_t op,
                            double q, int64_t interp, int64_t ddof, int64_t minp) {
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
      case kSum: return Moving<SumState>(v, start, end, n, out, minp, [](const SumState& s) { return s.Sum(); });
      case kMean: return Moving<SumState>(v, start, end, n, out, minp, [](const SumState& s) { return s.Mean(); });
      case kVar:
        return Moving<VarState>(v, start, end, n, out, minp, [ddof](const VarState& s) { return s.Var(ddof); });
      case kMin: return Extreme<false>(v, start, end, n, out, minp, widest);
      case kMax: return Extreme<true>(v, start, end, n, out, minp, widest);
      case kSkew:
        return Moving<MomentState>(v, start, end, n, out, minp, [](const MomentState& s) { return s.Skew(); }, true);
      case kKurt:
        return Moving<MomentState>(v, start, end, n, out, minp, [](const MomentState& s) { return s.Kurt(); }, true);
      default:
        if (widest <= kSortedVectorMax) return Quantile<SortedVector>(v, start, end, n, q, interp, minp, out);
        return Quantile<BlockedList>(v, start, end, n, q, interp, minp, out);
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
                                  .Attr<int64_t>("ddof")
                                  .Attr<int64_t>("min_periods"));
