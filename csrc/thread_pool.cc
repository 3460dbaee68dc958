// The shared kernel thread pool and the CPU budget it is sized from (see thread_pool.h).
#include "thread_pool.h"

#include <sched.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <exception>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <system_error>
#include <thread>
#include <vector>

namespace jaxframes {

int AffinityCpuCount() {
  for (int cpus = 1024; cpus <= (1 << 20); cpus *= 4) {
    cpu_set_t* set = CPU_ALLOC(cpus);
    if (set == nullptr) return 1;
    const size_t size = CPU_ALLOC_SIZE(cpus);
    CPU_ZERO_S(size, set);
    const int rc = sched_getaffinity(getpid(), size, set);  // the main thread's mask
    const int count = rc == 0 ? CPU_COUNT_S(size, set) : 0;
    CPU_FREE(set);
    if (rc == 0) return std::max(count, 1);
    if (errno != EINVAL) break;  // EINVAL: the kernel's mask is wider than ours; retry larger
  }
  const long online = sysconf(_SC_NPROCESSORS_ONLN);
  return online > 0 ? static_cast<int>(online) : 1;
}

namespace {

bool ReadText(const std::string& path, std::string* out) {
  std::ifstream file(path);
  if (!file) return false;
  std::stringstream buffer;
  buffer << file.rdbuf();
  *out = buffer.str();
  return true;
}

// ceil(quota / period), or 0 for no limit.
int64_t LimitFromQuota(int64_t quota, int64_t period) {
  if (quota <= 0 || period <= 0) return 0;
  return std::max<int64_t>(1, (quota + period - 1) / period);
}

// cgroup v2: "max 100000" (no limit) or "200000 100000".
int64_t ReadCpuMax(const std::string& dir) {
  std::string text;
  if (!ReadText(dir + "/cpu.max", &text)) return 0;
  std::istringstream in(text);
  std::string quota;
  int64_t period = 0;
  if (!(in >> quota >> period) || quota == "max") return 0;
  try {
    return LimitFromQuota(std::stoll(quota), period);
  } catch (const std::exception&) {
    return 0;
  }
}

// cgroup v1: cpu.cfs_quota_us is -1 when there is no limit.
int64_t ReadCfsQuota(const std::string& dir) {
  std::string quota, period;
  if (!ReadText(dir + "/cpu.cfs_quota_us", &quota) || !ReadText(dir + "/cpu.cfs_period_us", &period)) {
    return 0;
  }
  try {
    return LimitFromQuota(std::stoll(quota), std::stoll(period));
  } catch (const std::exception&) {
    return 0;
  }
}

// The tightest limit on the way from mount + path up to mount. Levels that do not exist are
// skipped: inside a container the listed path is often the host's, and the mount is already
// the container's own cgroup.
template <typename Reader>
int64_t TightestOnPath(const std::string& mount, std::string path, Reader read) {
  int64_t best = 0;
  for (;;) {
    while (!path.empty() && path.back() == '/') path.pop_back();
    const int64_t limit = read(mount + path);
    if (limit > 0 && (best == 0 || limit < best)) best = limit;
    if (path.empty()) return best;
    path.erase(path.rfind('/') == std::string::npos ? 0 : path.rfind('/'));
  }
}

bool ListsCpuController(const std::string& controllers) {
  std::istringstream in(controllers);
  std::string name;
  while (std::getline(in, name, ',')) {
    if (name == "cpu") return true;
  }
  return false;
}

}  // namespace

int CgroupCpuLimit(const std::string& cgroup_root, const std::string& proc_cgroup_file) {
  std::string listing;
  if (!ReadText(proc_cgroup_file, &listing)) listing = "0::/\n";
  int64_t best = 0;
  auto keep = [&](int64_t limit) {
    if (limit > 0 && (best == 0 || limit < best)) best = limit;
  };
  std::istringstream lines(listing);
  std::string line;
  while (std::getline(lines, line)) {
    const size_t first = line.find(':');
    const size_t second = first == std::string::npos ? first : line.find(':', first + 1);
    if (second == std::string::npos) continue;
    const std::string id = line.substr(0, first);
    const std::string controllers = line.substr(first + 1, second - first - 1);
    const std::string path = line.substr(second + 1);
    if (id == "0" && controllers.empty()) {  // the unified (v2) hierarchy
      keep(TightestOnPath(cgroup_root, path, ReadCpuMax));
    } else if (ListsCpuController(controllers)) {  // v1: cpu is mounted alone or with cpuacct
      for (const char* mount : {"/cpu", "/cpu,cpuacct", "/cpuacct,cpu"}) {
        keep(TightestOnPath(cgroup_root + mount, path, ReadCfsQuota));
      }
    }
  }
  return static_cast<int>(std::min<int64_t>(best, 1 << 20));
}

int ProcessCpuBudget() {
  static const int budget = [] {
    const int affinity = AffinityCpuCount();
    const int quota = CgroupCpuLimit("/sys/fs/cgroup", "/proc/self/cgroup");
    return quota > 0 ? std::max(1, std::min(affinity, quota)) : affinity;
  }();
  return budget;
}

namespace {

std::atomic<int> g_cpu_devices{1};

// Worker threads waiting on a queue of jobs. Created once per process (and again in a forked
// child, which inherits the queue but not the threads); never destroyed, so no worker is joined
// while the interpreter shuts down.
class Pool {
 public:
  explicit Pool(int workers) {
    for (int i = 0; i < workers; ++i) {
      try {
        threads_.emplace_back([this] { Loop(); });
      } catch (const std::system_error&) {
        break;  // the system refused more threads: run with the ones we have
      }
    }
  }

  int size() const { return static_cast<int>(threads_.size()); }

  void Submit(std::function<void()> job) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.push_back(std::move(job));
    }
    cv_.notify_one();
  }

 private:
  void Loop() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return !jobs_.empty(); });
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();  // jobs never throw: Drain catches
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> jobs_;
  std::vector<std::thread> threads_;
};

Pool* SharedPool() {
  static std::mutex mu;
  static Pool* pool = nullptr;
  static pid_t owner = 0;
  std::lock_guard<std::mutex> lock(mu);
  if (pool == nullptr || owner != getpid()) {
    pool = new Pool(ProcessCpuBudget() - 1);  // the calling thread is the other worker
    owner = getpid();
  }
  return pool;
}

// One ParallelFor call. Workers and the caller claim task indices from `next`; a worker that
// starts after all tasks are claimed returns without touching `body`, so the caller may return
// (and `body` die) as soon as every claimed task has finished.
struct Batch {
  const std::function<void(int64_t)>* body;
  int64_t tasks;
  std::atomic<int64_t> next{0};
  std::mutex mu;
  std::condition_variable cv;
  int64_t done = 0;
  std::exception_ptr error;
};

void Drain(Batch& batch) {
  for (;;) {
    const int64_t t = batch.next.fetch_add(1);
    if (t >= batch.tasks) return;
    std::exception_ptr error;
    try {
      (*batch.body)(t);
    } catch (...) {
      error = std::current_exception();
    }
    std::lock_guard<std::mutex> lock(batch.mu);
    if (error && !batch.error) batch.error = error;
    if (++batch.done == batch.tasks) batch.cv.notify_all();
  }
}

}  // namespace

void SetCpuDevices(int devices) { g_cpu_devices.store(std::max(devices, 1)); }

int CpuDevices() { return g_cpu_devices.load(); }

int ThreadBudget() { return std::max(1, ProcessCpuBudget() / CpuDevices()); }

void ParallelFor(int64_t tasks, const std::function<void(int64_t)>& body) {
  if (tasks <= 0) return;
  int64_t helpers = std::min<int64_t>(tasks, ThreadBudget()) - 1;
  Pool* pool = helpers > 0 ? SharedPool() : nullptr;
  if (pool != nullptr) helpers = std::min<int64_t>(helpers, pool->size());
  if (helpers <= 0) {
    for (int64_t t = 0; t < tasks; ++t) body(t);
    return;
  }
  auto batch = std::make_shared<Batch>();
  batch->body = &body;
  batch->tasks = tasks;
  try {
    for (int64_t i = 0; i < helpers; ++i) pool->Submit([batch] { Drain(*batch); });
  } catch (...) {  // fewer helpers than asked for: the caller drains what they leave
  }
  Drain(*batch);
  std::unique_lock<std::mutex> lock(batch->mu);
  batch->cv.wait(lock, [&] { return batch->done == batch->tasks; });
  if (batch->error) std::rethrow_exception(batch->error);
}

}  // namespace jaxframes
