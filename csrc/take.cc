// Row gathers with clamped indices: what a join's result columns are made of (every output
// column is its source column taken at the join's left or right row indices, -1 where the row
// has no partner; the caller masks those).
//
// jaxframes_take(indices s64[m], then k value columns v_j[n_j] (any dtype of 1, 2, 4 or 8 bytes);
//   attr wrap s64) -> k outputs out_j[m] (v_j's dtype)
//   out_j[i] = v_j[clamp(indices[i], 0, n_j - 1)] (jnp.take(v_j, indices, mode="clip")); with
//   wrap, a negative index counts from the end first (indices[i] + n_j, then clamped: what
//   ``v_j[indices]`` does in JAX). Every n_j >= 1. The rows are split into chunks over the shared thread pool; in each chunk every
//   column is gathered block by block, so the indices are read from cache once per block, not
//   once per column from memory.
//
// jaxframes_take_fill(indices s64[m], then k value columns; attr modes s64[k]) -> k outputs:
//   the same clamped gather, then per column where indices[i] < 0 (a join's row without a
//   partner): mode 0 as taken; 1 NaN (a float column of 4 or 8 bytes); 2 / 3 a signed / unsigned
//   int column converted to float64, NaN there (output f64: pandas' take with a NaN fill);
//   4 zero bits (a validity mask: null there). The fill is written with the gather, so the
//   output is written once (XLA's where after a gather writes a second fresh array).
//
// XLA's CPU gather (jnp.take) is 2-4x slower than this on 1e7 rows: it is not specialised to
// one dimension. The pure-JAX twin (jnp.take with mode="clip") is the GPU/TPU path and the
// reference: jaxframes/kernels/take.py.
#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdint>
#include <cstring>
#include <vector>

#include "ffi_guard.h"
#include "kernels.h"
#include "pages.h"
#include "thread_pool.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

constexpr int64_t kParallelMinN = 1 << 16;
constexpr int64_t kMaxTasks = 16;
constexpr int64_t kBlock = 4096;

struct Source {
  const void* values = nullptr;
  int64_t n = 0;
  size_t width = 0;
  void* out = nullptr;
};

template <typename T, bool Wrap>
void TakeBlock(const T* v, int64_t n, const int64_t* idx, int64_t begin, int64_t end, T* out) {
  const int64_t top = n - 1;
  for (int64_t i = begin; i < end; ++i) {
    int64_t j = idx[i];
    if constexpr (Wrap) j += j < 0 ? n : 0;
    out[i] = v[j < 0 ? 0 : (j > top ? top : j)];
  }
}

template <typename T>
void TakeTyped(const Source& s, const int64_t* idx, int64_t begin, int64_t end, bool wrap) {
  const T* v = static_cast<const T*>(s.values);
  T* out = static_cast<T*>(s.out);
  if (wrap) TakeBlock<T, true>(v, s.n, idx, begin, end, out);
  else TakeBlock<T, false>(v, s.n, idx, begin, end, out);
}

void TakeAny(const Source& s, const int64_t* idx, int64_t begin, int64_t end, bool wrap) {
  switch (s.width) {
    case 1: return TakeTyped<uint8_t>(s, idx, begin, end, wrap);
    case 2: return TakeTyped<uint16_t>(s, idx, begin, end, wrap);
    case 4: return TakeTyped<uint32_t>(s, idx, begin, end, wrap);
    default: return TakeTyped<uint64_t>(s, idx, begin, end, wrap);
  }
}

// body(b, e) over [0, m) in blocks of kBlock rows (every column's rows of a block are gathered
// while its indices stay in cache), the blocks split across tasks.
template <typename Body>
void ForEachBlock(int64_t m, Body body) {
  const int64_t tasks = jaxframes::TasksFor(m, kParallelMinN, kMaxTasks);
  jaxframes::ParallelChunks(m, tasks, [&](int64_t, int64_t begin, int64_t end) {
    for (int64_t b = begin; b < end; b += kBlock) body(b, std::min(end, b + kBlock));
  });
}

// One column of a take: its checks (output length, value width, a source to read) and its
// output marked for huge pages.
Source SourceOf(ffi::AnyBuffer values, ffi::AnyBuffer out, int64_t m) {
  jaxframes::Require(static_cast<int64_t>(out.element_count()) == m, "an output differs in length from indices");
  const size_t width = ffi::ByteWidth(values.element_type());
  jaxframes::Require(width == 1 || width == 2 || width == 4 || width == 8, "values must be 1, 2, 4 or 8 bytes wide");
  jaxframes::Require(values.element_count() >= 1 || m == 0, "a column to take from is empty");
  jaxframes::AdviseHugePages(out.untyped_data(), out.size_bytes());
  return Source{values.untyped_data(), static_cast<int64_t>(values.element_count()), width, out.untyped_data()};
}

ffi::Error TakeImpl(ffi::Buffer<ffi::S64> indices, ffi::RemainingArgs args, ffi::RemainingRets rets, int64_t wrap) {
  return jaxframes::Guarded("take", [&] {
    const int64_t m = static_cast<int64_t>(indices.element_count());
    jaxframes::Require(args.size() == rets.size(), "one output per value column");
    std::vector<Source> sources(args.size());
    for (size_t c = 0; c < args.size(); ++c) {
      auto values = args.get<ffi::AnyBuffer>(c);
      auto out = rets.get<ffi::AnyBuffer>(c);
      jaxframes::Require(values.has_value() && out.has_value(), "missing value or output buffer");
      jaxframes::Require(values->element_type() == (*out)->element_type(), "an output differs in dtype from its column");
      sources[c] = SourceOf(*values, **out, m);
    }
    if (m == 0 || sources.empty()) return;
    const int64_t* idx = indices.typed_data();
    ForEachBlock(m, [&](int64_t b, int64_t e) {
      for (const Source& s : sources) TakeAny(s, idx, b, e, wrap != 0);
    });
  });
}

enum FillMode : int64_t { kAsTaken = 0, kNan = 1, kSignedToF64 = 2, kUnsignedToF64 = 3, kZero = 4 };

template <typename T, typename O, typename Convert>
void FillBlock(const T* v, int64_t n, const int64_t* idx, int64_t begin, int64_t end, O* out, O fill,
               Convert convert) {
  const int64_t top = n - 1;
  for (int64_t i = begin; i < end; ++i) {
    const int64_t j = idx[i];
    out[i] = j < 0 ? fill : convert(v[j > top ? top : j]);
  }
}

template <typename T>
void FillSame(const Source& s, const int64_t* idx, int64_t begin, int64_t end, T fill) {
  FillBlock<T, T>(static_cast<const T*>(s.values), s.n, idx, begin, end, static_cast<T*>(s.out), fill,
                  [](T x) { return x; });
}

template <typename T>
void FillToF64(const Source& s, const int64_t* idx, int64_t begin, int64_t end) {
  FillBlock<T, double>(static_cast<const T*>(s.values), s.n, idx, begin, end, static_cast<double*>(s.out),
                       std::numeric_limits<double>::quiet_NaN(), [](T x) { return static_cast<double>(x); });
}

void FillAny(const Source& s, int64_t mode, const int64_t* idx, int64_t begin, int64_t end) {
  switch (mode) {
    case kNan:
      if (s.width == 4) return FillSame<float>(s, idx, begin, end, std::numeric_limits<float>::quiet_NaN());
      return FillSame<double>(s, idx, begin, end, std::numeric_limits<double>::quiet_NaN());
    case kSignedToF64:
      switch (s.width) {
        case 1: return FillToF64<int8_t>(s, idx, begin, end);
        case 2: return FillToF64<int16_t>(s, idx, begin, end);
        case 4: return FillToF64<int32_t>(s, idx, begin, end);
        default: return FillToF64<int64_t>(s, idx, begin, end);
      }
    case kUnsignedToF64:
      switch (s.width) {
        case 1: return FillToF64<uint8_t>(s, idx, begin, end);
        case 2: return FillToF64<uint16_t>(s, idx, begin, end);
        case 4: return FillToF64<uint32_t>(s, idx, begin, end);
        default: return FillToF64<uint64_t>(s, idx, begin, end);
      }
    default:  // kZero
      switch (s.width) {
        case 1: return FillSame<uint8_t>(s, idx, begin, end, 0);
        case 2: return FillSame<uint16_t>(s, idx, begin, end, 0);
        case 4: return FillSame<uint32_t>(s, idx, begin, end, 0);
        default: return FillSame<uint64_t>(s, idx, begin, end, 0);
      }
  }
}

bool IsFloat(ffi::DataType t) { return t == ffi::F32 || t == ffi::F64; }
bool IsSigned(ffi::DataType t) { return t == ffi::S8 || t == ffi::S16 || t == ffi::S32 || t == ffi::S64; }
bool IsUnsigned(ffi::DataType t) { return t == ffi::U8 || t == ffi::U16 || t == ffi::U32 || t == ffi::U64; }

ffi::Error TakeFillImpl(ffi::Buffer<ffi::S64> indices, ffi::RemainingArgs args, ffi::RemainingRets rets,
                        ffi::Span<const int64_t> modes) {
  return jaxframes::Guarded("take_fill", [&] {
    const int64_t m = static_cast<int64_t>(indices.element_count());
    jaxframes::Require(args.size() == rets.size() && modes.size() == args.size(), "one output and one mode per column");
    std::vector<Source> sources(args.size());
    for (size_t c = 0; c < args.size(); ++c) {
      auto values = args.get<ffi::AnyBuffer>(c);
      auto out = rets.get<ffi::AnyBuffer>(c);
      jaxframes::Require(values.has_value() && out.has_value(), "missing value or output buffer");
      const ffi::DataType in = values->element_type(), got = (*out)->element_type();
      const int64_t mode = modes[c];
      const bool ok = (mode == kAsTaken && in == got) || (mode == kNan && in == got && IsFloat(in)) ||
                      (mode == kSignedToF64 && IsSigned(in) && got == ffi::F64) ||
                      (mode == kUnsignedToF64 && IsUnsigned(in) && got == ffi::F64) || (mode == kZero && in == got);
      jaxframes::Require(ok, "a column's mode does not fit its dtype or its output's");
      sources[c] = SourceOf(*values, **out, m);
    }
    if (m == 0 || sources.empty()) return;
    const int64_t* idx = indices.typed_data();
    ForEachBlock(m, [&](int64_t b, int64_t e) {
      for (size_t c = 0; c < sources.size(); ++c) {
        if (modes[c] == kAsTaken) TakeAny(sources[c], idx, b, e, false);
        else FillAny(sources[c], modes[c], idx, b, e);
      }
    });
  });
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfTake, TakeImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .RemainingArgs()
                                  .RemainingRets()
                                  .Attr<int64_t>("wrap"));

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfTakeFill, TakeFillImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::S64>>()
                                  .RemainingArgs()
                                  .RemainingRets()
                                  .Attr<ffi::Span<const int64_t>>("modes"));
