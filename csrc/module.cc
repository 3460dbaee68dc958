// The nanobind module: hands each FFI handler to Python as a capsule for
// jax.ffi.register_ffi_target, and exposes the thread budget the kernels run with.
// Kernels themselves live one family per file.
#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>

#include <string>

#include "kernels.h"
#include "thread_pool.h"

namespace nb = nanobind;

template <typename Fn>
static nb::capsule Encapsulate(Fn* fn) {
  return nb::capsule(reinterpret_cast<void*>(fn));
}

NB_MODULE(_native, m) {
  m.doc() = "jaxframes C++ XLA FFI kernels (CPU)";
  m.def("registrations", []() {
    nb::dict d;
    d["jaxframes_compact_permutation"] = Encapsulate(JfCompactPermutation);
    d["jaxframes_radix_argsort_u64"] = Encapsulate(JfRadixArgsortU64);
    d["jaxframes_radix_argsort_u32"] = Encapsulate(JfRadixArgsortU32);
    d["jaxframes_segment_reduce"] = Encapsulate(JfSegmentReduce);
    d["jaxframes_segmented_scan"] = Encapsulate(JfSegmentedScan);
    d["jaxframes_sorted_probe"] = Encapsulate(JfSortedProbe);
    d["jaxframes_key_range"] = Encapsulate(JfKeyRange);
    d["jaxframes_key_runs"] = Encapsulate(JfKeyRuns);
    d["jaxframes_join_build_probe"] = Encapsulate(JfJoinBuildProbe);
    d["jaxframes_join_semi"] = Encapsulate(JfJoinSemi);
    d["jaxframes_join_lookup"] = Encapsulate(JfJoinLookup);
    d["jaxframes_join_matched_pairs"] = Encapsulate(JfJoinMatchedPairs);
    d["jaxframes_join_expand"] = Encapsulate(JfJoinExpand);
    d["jaxframes_group_sorted_stats"] = Encapsulate(JfGroupSortedStats);
    d["jaxframes_window_reduce"] = Encapsulate(JfWindowReduce);
    d["jaxframes_ewm"] = Encapsulate(JfEwm);
    d["jaxframes_segment_stats"] = Encapsulate(JfSegmentStats);
    d["jaxframes_group_reduce"] = Encapsulate(JfGroupReduce);
    d["jaxframes_dense_group_ids"] = Encapsulate(JfDenseGroupIds);
    d["jaxframes_group_positions"] = Encapsulate(JfGroupPositions);
    d["jaxframes_take"] = Encapsulate(JfTake);
    d["jaxframes_take_fill"] = Encapsulate(JfTakeFill);
    d["jaxframes_run_ids"] = Encapsulate(JfRunIds);
    return d;
  });
  m.def("set_cpu_devices", &jaxframes::SetCpuDevices, nb::arg("devices"),
        "How many XLA CPU devices share the kernel threads (each call gets budget / devices).");
  m.def("cpu_devices", &jaxframes::CpuDevices);
  m.def("process_cpu_budget", &jaxframes::ProcessCpuBudget,
        "CPUs this process may use: the affinity mask capped by the cgroup CPU quota.");
  m.def("thread_budget", &jaxframes::ThreadBudget,
        "Threads one kernel call may use: process_cpu_budget() // cpu_devices(), at least 1.");
  m.def("affinity_cpu_count", &jaxframes::AffinityCpuCount);
  m.def("cgroup_cpu_limit", &jaxframes::CgroupCpuLimit, nb::arg("cgroup_root"), nb::arg("proc_cgroup_file"),
        "ceil(quota / period) of the tightest cgroup CPU limit (0: none); arguments for tests.");
}
