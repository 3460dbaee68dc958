// Huge pages for large fresh outputs. XLA's CPU runtime gets each large output buffer from
// malloc, which glibc serves with a fresh mmap above its threshold (~32 MiB at most): every
// first write to a 4 KiB page of it then faults, and at 1e7 rows those faults, not the
// arithmetic, are most of a kernel's time (a 72 MB output: ~18k faults). With the kernel's
// transparent huge pages in "madvise" mode (the common default), a region marked
// MADV_HUGEPAGE faults 2 MiB at a time. numpy marks every array of 4 MiB or more the same
// way; this does it for the outputs our kernels write. It is a hint: it changes no data, only
// how the output's own pages (the page-aligned part inside the buffer) are backed, and errors
// are ignored.
#pragma once

#include <cstddef>
#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace jaxframes {

constexpr size_t kHugePageMinBytes = size_t{4} << 20;  // as numpy: smaller buffers stay as they are

inline void AdviseHugePages(void* data, size_t bytes) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (data == nullptr || bytes < kHugePageMinBytes) return;
  static const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE) > 0 ? sysconf(_SC_PAGESIZE) : 4096);
  const uintptr_t start = reinterpret_cast<uintptr_t>(data);
  const uintptr_t begin = (start + page - 1) & ~(page - 1);
  const uintptr_t end = (start + bytes) & ~(page - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
#else
  (void)data;
  (void)bytes;
#endif
}

}  // namespace jaxframes
