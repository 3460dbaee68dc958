// One thread pool shared by every kernel, sized from the CPUs this process may actually use.
//
// Why: std::thread::hardware_concurrency() counts the machine's CPUs, not the ones a container's
// affinity mask or cgroup CPU quota grants, and a kernel that spawns threads per call both pays
// the spawn cost each time and oversubscribes the CPUs when several XLA CPU devices (one per
// shard) run kernels at once. Here the budget is read once, workers are created once, and each
// call is granted budget / (number of XLA CPU devices) workers, the caller included.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>

namespace jaxframes {

// CPUs in the process's affinity mask (sched_getaffinity of the main thread), at least 1.
int AffinityCpuCount();

// ceil(quota / period) of the tightest cgroup CPU limit on the path named in proc_cgroup_file
// (the format of /proc/self/cgroup), looked up under cgroup_root (normally /sys/fs/cgroup):
// cgroup v2 cpu.max, or v1 cpu.cfs_quota_us / cpu.cfs_period_us, at every level from the
// process's cgroup up to the root. 0 when no limit is set or nothing can be read.
int CgroupCpuLimit(const std::string& cgroup_root, const std::string& proc_cgroup_file);

// The CPUs this process may use: the affinity count capped by the cgroup quota (read once).
int ProcessCpuBudget();

// The number of XLA CPU devices that may run kernels concurrently (set from Python when the
// handlers are registered; 1 until then).
void SetCpuDevices(int devices);
int CpuDevices();

// Workers one kernel call may use: ProcessCpuBudget() / CpuDevices(), at least 1.
int ThreadBudget();

// Runs body(t) once for every t in [0, tasks): on the calling thread and on up to
// ThreadBudget() - 1 pool workers. Returns when all tasks are done; rethrows the first
// exception a task threw. Task indices are logical (a kernel splits its rows into `tasks`
// chunks); more tasks than workers simply queue.
void ParallelFor(int64_t tasks, const std::function<void(int64_t)>& body);

// How many tasks to split n items into: 1 below min_n (threads would cost more than they
// save), else ThreadBudget() capped at max_tasks.
inline int64_t TasksFor(int64_t n, int64_t min_n, int64_t max_tasks) {
  return n >= min_n ? std::min<int64_t>(ThreadBudget(), max_tasks) : 1;
}

// Splits [0, n) into `tasks` contiguous chunks and runs body(t, begin, end) for each chunk t
// over ParallelFor (trailing chunks may be empty).
template <typename Body>
void ParallelChunks(int64_t n, int64_t tasks, Body&& body) {
  const int64_t chunk = (n + tasks - 1) / std::max<int64_t>(tasks, 1);
  ParallelFor(tasks, [&](int64_t t) {
    const int64_t begin = std::min(n, t * chunk);
    body(t, begin, std::min(n, begin + chunk));
  });
}

}  // namespace jaxframes
