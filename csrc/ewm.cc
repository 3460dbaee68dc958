// Exponentially weighted mean and sum of a float64 column in one sequential pass: pandas' own
// recurrence (one running weighted value and the weight of its past), O(n), no temporaries.
// The pure-JAX twin is jaxframes.kernels.windows.ewm_jax (affine scans), the test reference.
//
// Per row i (NaN = missing):
// - the old weight decays by (1 - alpha) ** e_i when the row is an observation or ignore_na is
//   False (e_i is 1, or deltas[i] = (t_i - t_{i-1}) / halflife when times are given);
// - mean (normalize): adjust=True: mean = (old * mean + x) / (old + 1), old += 1; adjust=False:
//   the new value weighs alpha (1 - old when alpha is exactly 0.5, pandas 3's rule for times=),
//   mean = (old * mean + new * x) / (old + new), old = 1; an observation equal to the mean
//   leaves it exactly as is (constant series stay exact);
// - sum (not normalize): sum = decay * sum, then sum += x at an observation;
// - before the first observation the value is NaN; min_periods gates on observations seen.
#include <cmath>
#include <cstdint>
#include <limits>

#include "ffi_guard.h"
#include "kernels.h"
#include "xla/ffi/api/ffi.h"

namespace ffi = xla::ffi;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

ffi::Error EwmImpl(ffi::Buffer<ffi::F64> values, ffi::Buffer<ffi::F64> deltas, ffi::ResultBuffer<ffi::F64> result,
                   double alpha, bool adjust, bool ignore_na, int64_t min_periods, bool normalize,
                   bool one_minus_old) {
  return jaxframes::Guarded("ewm", [&] {
    const int64_t n = static_cast<int64_t>(values.element_count());
    const int64_t nd = static_cast<int64_t>(deltas.element_count());
    jaxframes::Require(nd == 0 || nd == n, "deltas must be empty or as long as the values");
    jaxframes::Require(static_cast<int64_t>(result->element_count()) == n, "output length != values length");
    const double* v = values.typed_data();
    const double* d = deltas.typed_data();
    double* out = result->typed_data();
    const double f = 1.0 - alpha;
    const double new_wt = adjust ? 1.0 : alpha;
    double value = kNaN, old = 1.0;
    int64_t nobs = 0;
    for (int64_t i = 0; i < n; ++i) {
      const double x = v[i];
      const bool obs = !std::isnan(x);
      nobs += obs;
      if (std::isnan(value)) {
        if (obs) value = x;  // the weight of the past stays as it was (1 before any observation)
      } else if (obs || !ignore_na) {
        const double decay = nd ? std::pow(f, d[i]) : f;
        if (normalize) {
          old *= decay;
          if (obs) {
            const double w = one_minus_old ? 1.0 - old : new_wt;
            // value + (x - value) * w / (old + w): the division hangs off the weight chain, not
            // the value chain (pandas' (old * value + w * x) / (old + w), to rounding)
            if (value != x) value += (x - value) * (w / (old + w));
            old = adjust ? old + w : 1.0;
          }
        } else {
          value = decay * value;
          if (obs) value += x;
        }
      }
      out[i] = nobs >= min_periods ? value : kNaN;
    }
  });
}

}  // namespace

XLA_FFI_DEFINE_HANDLER_SYMBOL(JfEwm, EwmImpl,
                              ffi::Ffi::Bind()
                                  .Arg<ffi::Buffer<ffi::F64>>()
                                  .Arg<ffi::Buffer<ffi::F64>>()
                                  .Ret<ffi::Buffer<ffi::F64>>()
                                  .Attr<double>("alpha")
                                  .Attr<bool>("adjust")
                                  .Attr<bool>("ignore_na")
                                  .Attr<int64_t>("min_periods")
                                  .Attr<bool>("normalize")
                                  .Attr<bool>("one_minus_old"));
