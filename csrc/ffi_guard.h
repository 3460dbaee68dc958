// Every FFI handler body runs inside Guarded(): no C++ exception may unwind into XLA (that
// would abort the whole Python process). A thrown exception becomes an ffi::Error whose message
// names the kernel; JAX raises it in Python as a runtime error carrying that message.
#pragma once

#include <exception>
#include <new>
#include <stdexcept>
#include <string>

#include "xla/ffi/api/ffi.h"

namespace jaxframes {

// Argument checks throw std::invalid_argument; Guarded turns it into an InvalidArgument error.
inline void Require(bool ok, const char* message) {
  if (!ok) throw std::invalid_argument(message);
}

template <typename Body>
xla::ffi::Error Guarded(const char* kernel, Body&& body) noexcept {
  namespace ffi = xla::ffi;
  try {
    try {
      body();
      return ffi::Error::Success();
    } catch (const std::invalid_argument& e) {
      return ffi::Error::InvalidArgument(std::string(kernel) + ": " + e.what());
    } catch (const std::bad_alloc&) {
      return ffi::Error(ffi::ErrorCode::kResourceExhausted, std::string(kernel) + ": out of memory");
    } catch (const std::exception& e) {
      return ffi::Error::Internal(std::string(kernel) + ": " + e.what());
    } catch (...) {
      return ffi::Error::Internal(std::string(kernel) + ": unknown C++ exception");
    }
  } catch (...) {  // building the message itself failed; this short string needs no allocation
    return ffi::Error(ffi::ErrorCode::kResourceExhausted, "out of memory");
  }
}

}  // namespace jaxframes
