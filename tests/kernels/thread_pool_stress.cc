// Stress test of the shared kernel thread pool, built by test_thread_pool.py with
// ThreadSanitizer: several callers run ParallelFor at once (each task writes its own slot),
// and a task that throws must surface in its caller. Exits non-zero on any wrong result.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>
#include <thread>
#include <vector>

#include "thread_pool.h"

int main() {
  std::atomic<long> total{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&, c] {
      for (int rep = 0; rep < 2000; ++rep) {
        std::vector<long> out(7, 0);
        jaxframes::ParallelFor(7, [&](int64_t t) { out[t] = t + c; });
        long sum = 0;
        for (long v : out) sum += v;
        if (sum != 21 + 7 * c) std::abort();
        total += sum;
        if (rep % 100 == 0) {
          bool threw = false;
          try {
            jaxframes::ParallelFor(5, [](int64_t t) {
              if (t == 3) throw std::runtime_error("task 3 failed");
            });
          } catch (const std::runtime_error&) {
            threw = true;
          }
          if (!threw) std::abort();
        }
      }
    });
  }
  for (auto& t : callers) t.join();
  std::printf("%d %ld\n", jaxframes::ThreadBudget(), total.load());
  return 0;
}
