// Stable LSD radix argsort of normalized unsigned keys: the CPU sort kernel behind sort_values,
// group-by and joins. XLA's CPU sort is a single-threaded comparison sort; this is O(n * passes).
//
// Input: keys of shape (W, n), uint64 or uint32; word 0 is the most significant. The Python side
// (jaxframes/kernels/keys.py) has already turned every sort key into an unsigned integer whose
// order is the wanted order and packed them into as few words as possible.
// Output: int64 row indices (n,), a stable permutation (ties keep their input order).
//
// Method: words from least to most significant; per word one read computes the histograms of all
// 8-bit digits, and digits whose value is the same for every row are skipped (small ranges and
// packed keys with unused high bits sort in fewer passes). Each pass is a per-thread histogram,
// a prefix sum over (bucket, thread), and a stable scatter of (key, row) pairs. Indices are
// carried as uint32 while n fits, and the last pass writes the int64 output directly.
// The pure-JAX twin (lax.sort in jaxframes/kernels/sort.py) is the reference it is tested against.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <numeric>
#include <vector>

#include "ffi_guard.h"
#include "kernels.h"
#include "thread_pool.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

constexpr int kDigitBits = 8;  // measured: 8-bit digits beat 11-bit (fewer cache/TLB misses in the scatter)
constexpr int kRadix = 1 << kDigitBits;
constexpr int64_t kSmallN = 256;             // below: a comparison sort beats building histograms
constexpr int64_t kParallelMinN = 65536;     // below: threads cost more than they save
constexpr int64_t kMinRowsPerThread = 32768;
constexpr int64_t kMaxTasks = 1024;          // a forced num_threads above this is rejected

using jaxframes::ParallelFor;

template <typename K>
constexpr int NumDigits() {
  return (static_cast<int>(sizeof(K)) * 8 + kDigitBits - 1) / kDigitBits;
}

template <typename K>
inline uint32_t Digit(K key, int d) {
  return static_cast<uint32_t>(key >> (d * kDigitBits)) & (kRadix - 1);
}

// Small inputs: a stable comparison sort over all words.
template <typename K>
void SmallArgsort(const K* keys, int64_t words, int64_t n, int64_t* out) {
  std::iota(out, out + n, int64_t{0});
  std::stable_sort(out, out + n, [&](int64_t a, int64_t b) {
    for (int64_t w = 0; w < words; ++w) {
      const K ka = keys[w * n + a], kb = keys[w * n + b];
      if (ka != kb) return ka < kb;
    }
    return false;
  });
}

template <typename K, typename I>
class RadixArgsorter {
 public:
  RadixArgsorter(const K* keys, int64_t words, int64_t n, int threads, int64_t* out)
      : keys_(keys), words_(words), n_(n), threads_(threads), out_(out),
        hist_(static_cast<size_t>(threads) * NumDigits<K>() * kRadix) {}

  void Run() {
    // Identity permutation until the first scatter; after it the rows live in idx_[cur_].
    bool have_perm = false;
    bool wrote_out = false;
    for (int64_t w = words_ - 1; w >= 0; --w) {
      const K* word = keys_ + w * n_;
      const K* src_keys = word;
      if (have_perm) {
        EnsureKeyBuffers();  // no key buffer is live between words
        CountAllDigits(word, kbuf_[0].get());  // gathers word[perm[i]] while counting
        src_keys = kbuf_[0].get();
      } else {
        CountAllDigits(word, nullptr);
      }
      const std::vector<int> active = ActiveDigits();
      for (size_t p = 0; p < active.size(); ++p) {
        const int d = active[p];
        if (p > 0) CountDigit(src_keys, d);
        const bool last_of_word = p + 1 == active.size();
        const bool last_overall = last_of_word && w == 0;
        K* dst_keys = nullptr;
        if (!last_of_word) {  // the next word gathers its own keys: skip writing these
          EnsureKeyBuffers();
          dst_keys = kbuf_[src_keys == kbuf_[0].get() ? 1 : 0].get();
        }
        const I* src_idx = have_perm ? idx_[cur_].get() : nullptr;
        if (last_overall) {
          Scatter(src_keys, src_idx, d, dst_keys, nullptr, out_);
          wrote_out = true;
        } else {
          EnsureIdxBuffers();
          const int dst = have_perm ? 1 - cur_ : 0;
          Scatter(src_keys, src_idx, d, dst_keys, idx_[dst].get(), nullptr);
          cur_ = dst;
          have_perm = true;
        }
        if (dst_keys != nullptr) src_keys = dst_keys;
      }
    }
    if (!wrote_out) {
      const I* perm = have_perm ? idx_[cur_].get() : nullptr;
      ParallelFor(threads_, [&](int64_t t) {
        const int64_t lo = Begin(t), hi = Begin(t + 1);
        for (int64_t i = lo; i < hi; ++i) out_[i] = perm ? static_cast<int64_t>(perm[i]) : i;
      });
    }
  }

 private:
  int64_t Begin(int64_t t) const { return n_ * t / threads_; }
  uint64_t* Hist(int64_t t, int d) { return hist_.data() + (static_cast<size_t>(t) * NumDigits<K>() + d) * kRadix; }

  void EnsureKeyBuffers() {
    if (!kbuf_[0]) {
      kbuf_[0].reset(new K[n_]);
      kbuf_[1].reset(new K[n_]);
    }
  }

  void EnsureIdxBuffers() {
    if (!idx_[0]) {
      idx_[0].reset(new I[n_]);
      idx_[1].reset(new I[n_]);
    }
  }

  // Histograms of every digit, per thread; with `gather`, first gathers word[perm[i]].
  void CountAllDigits(const K* word, K* gather) {
    std::fill(hist_.begin(), hist_.end(), 0);
    const I* perm = gather ? idx_[cur_].get() : nullptr;
    ParallelFor(threads_, [&](int64_t t) {
      uint64_t* h[NumDigits<K>()];
      for (int d = 0; d < NumDigits<K>(); ++d) h[d] = Hist(t, d);
      const int64_t lo = Begin(t), hi = Begin(t + 1);
      for (int64_t i = lo; i < hi; ++i) {
        K key;
        if (gather) {
          key = word[perm[i]];
          gather[i] = key;
        } else {
          key = word[i];
        }
        for (int d = 0; d < NumDigits<K>(); ++d) ++h[d][Digit(key, d)];
      }
    });
  }

  void CountDigit(const K* src, int d) {
    ParallelFor(threads_, [&](int64_t t) {
      uint64_t* h = Hist(t, d);
      std::fill(h, h + kRadix, 0);
      const int64_t lo = Begin(t), hi = Begin(t + 1);
      for (int64_t i = lo; i < hi; ++i) ++h[Digit(src[i], d)];
    });
  }

  // Digits whose value differs between rows; the others leave the order unchanged.
  std::vector<int> ActiveDigits() {
    std::vector<int> active;
    for (int d = 0; d < NumDigits<K>(); ++d) {
      bool constant = false;
      for (int b = 0; b < kRadix; ++b) {
        uint64_t total = 0;
        for (int t = 0; t < threads_; ++t) total += Hist(t, d)[b];
        if (total == static_cast<uint64_t>(n_)) {
          constant = true;
          break;
        }
        if (total != 0) break;
      }
      if (!constant) active.push_back(d);
    }
    return active;
  }

  // Stable scatter by digit d: thread t's rows of bucket b go after all rows of smaller buckets
  // and after bucket b's rows of threads < t. Writes keys to dst_keys (unless null) and row ids
  // to dst_idx, or to the int64 output on the last pass.
  void Scatter(const K* src_keys, const I* src_idx, int d, K* dst_keys, I* dst_idx, int64_t* dst_out) {
    uint64_t running = 0;
    for (int b = 0; b < kRadix; ++b) {
      for (int t = 0; t < threads_; ++t) {
        uint64_t* h = Hist(t, d);
        const uint64_t c = h[b];
        h[b] = running;
        running += c;
      }
    }
    ParallelFor(threads_, [&](int64_t t) {
      uint64_t* offset = Hist(t, d);
      const int64_t lo = Begin(t), hi = Begin(t + 1);
      for (int64_t i = lo; i < hi; ++i) {
        const K key = src_keys[i];
        const uint64_t pos = offset[Digit(key, d)]++;
        const I row = src_idx ? src_idx[i] : static_cast<I>(i);
        if (dst_keys) dst_keys[pos] = key;
        if (dst_out) {
          dst_out[pos] = static_cast<int64_t>(row);
        } else {
          dst_idx[pos] = row;
        }
      }
    });
  }

  const K* keys_;
  int64_t words_, n_;
  int threads_;
  int64_t* out_;
  std::vector<uint64_t> hist_;
  std::unique_ptr<K[]> kbuf_[2];
  std::unique_ptr<I[]> idx_[2];
  int cur_ = 0;
};

// Row chunks (tasks) for the shared pool: a forced count (tests), else one per granted worker
// while each keeps at least kMinRowsPerThread rows.
int PickThreads(int64_t n, int64_t requested) {
  if (requested > 0) return static_cast<int>(std::min<int64_t>(requested, std::max<int64_t>(n, 1)));
  if (n < kParallelMinN) return 1;
  const int64_t budget = jaxframes::ThreadBudget();
  return static_cast<int>(std::max<int64_t>(1, std::min<int64_t>(budget, n / kMinRowsPerThread)));
}

template <typename K>
void RadixArgsort(const K* keys, int64_t words, int64_t n, int64_t num_threads, int64_t* out) {
  if (n == 0) return;
  if (words == 0) {
    std::iota(out, out + n, int64_t{0});
    return;
  }
  if (n < kSmallN && num_threads == 0) {
    SmallArgsort(keys, words, n, out);
    return;
  }
  const int threads = PickThreads(n, num_threads);
  if (n <= static_cast<int64_t>(UINT32_MAX)) {
    RadixArgsorter<K, uint32_t>(keys, words, n, threads, out).Run();
  } else {
    RadixArgsorter<K, uint64_t>(keys, words, n, threads, out).Run();
  }
}

template <ffi::DataType T>
ffi::Error RadixArgsortImpl(ffi::Buffer<T, 2> keys, ffi::ResultBufferR1<ffi::S64> perm,
                            int64_t num_threads) {
  return jaxframes::Guarded("radix_argsort", [&] {
    const auto dims = keys.dimensions();
    const int64_t words = dims[0], n = dims[1];
    jaxframes::Require(perm->dimensions()[0] == n, "output must have one index per row");
    jaxframes::Require(num_threads >= 0, "num_threads < 0");
    jaxframes::Require(num_threads <= kMaxTasks, "num_threads > 1024");
    RadixArgsort(keys.typed_data(), words, n, num_threads, perm->typed_data());
  });
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfRadixArgsortU64, RadixArgsortImpl<ffi::U64>,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::BufferR2<ffi::U64>>()
                                  .Ret<ffi::BufferR1<ffi::S64>>()
                                  .Attr<int64_t>("num_threads"));

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfRadixArgsortU32, RadixArgsortImpl<ffi::U32>,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::BufferR2<ffi::U32>>()
                                  .Ret<ffi::BufferR1<ffi::S64>>()
                                  .Attr<int64_t>("num_threads"));
