#include "base/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace trust::base {

bool AllHold(size_t count, size_t threads, const std::function<bool(size_t)>& holds) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  auto work = [&] {
    for (size_t i = next++; i < count && !failed; i = next++) {
      if (!holds(i)) failed = true;
    }
  };
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < std::min(threads, count); ++t) helpers.emplace_back(work);
  work();
  for (std::thread& helper : helpers) helper.join();
  return !failed;
}

void ForEachIndex(size_t count, size_t threads, const std::function<void(size_t)>& each) {
  AllHold(count, threads, [&](size_t i) {
    each(i);
    return true;
  });
}

size_t FileCheckThreads() { return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4); }

}  // namespace trust::base
