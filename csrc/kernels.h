// Declarations of the XLA FFI handler symbols, one kernel family per .cc file.
#pragma once
#include "xla/ffi/api/c_api.h"

extern "C" {
XLA_FFI_Error* JfCompactPermutation(XLA_FFI_CallFrame* call_frame);
}
