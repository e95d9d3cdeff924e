// Checking or reading many files at once: reading and hashing a small file is a handful of
// system calls, which one thread spends mostly waiting on, and a build may read 100,000 of them.
#pragma once

#include <cstddef>
#include <functional>

namespace trust::base {

// Whether `holds(i)` is true for every i in [0, count), asked from up to `threads` threads
// (the calling thread among them) in no particular order; once one answer is false, no new
// index is asked. `holds` must be safe to call concurrently.
bool AllHold(size_t count, size_t threads, const std::function<bool(size_t)>& holds);

// `each(i)` for every i in [0, count), from up to `threads` threads (the calling thread among
// them) in no particular order. `each` must be safe to call concurrently.
void ForEachIndex(size_t count, size_t threads, const std::function<void(size_t)>& each);

// The threads for checking files: the cores, at most four.
size_t FileCheckThreads();

}  // namespace trust::base
