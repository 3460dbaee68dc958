// Declarations of the XLA FFI handler symbols, one kernel family per .cc file.
#pragma once
#include "xla/ffi/api/c_api.h"

extern "C" {
XLA_FFI_Error* JfCompactPermutation(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfRadixArgsortU64(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfRadixArgsortU32(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfSegmentReduce(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfSegmentedScan(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfSortedProbe(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfKeyRange(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfKeyRuns(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfJoinBuildProbe(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfJoinSemi(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfJoinExpand(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfJoinLookup(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfJoinMatchedPairs(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfGroupSortedStats(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfWindowReduce(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfEwm(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfSegmentStats(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfGroupReduce(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfDenseGroupIds(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfGroupPositions(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfTake(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfTakeFill(XLA_FFI_CallFrame* call_frame);
XLA_FFI_Error* JfRunIds(XLA_FFI_CallFrame* call_frame);
}
