// Wall time per compiler phase, for `trustc check/build --timings` (docs/hardening.md uses it
// for the build profile). Phases may repeat (one entry per name, times add up).
#pragma once

#include <chrono>
#include <cstdio>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace trust::source {

class PhaseTimes {
 public:
  // Measures `work()` under `phase` and returns what it returns.
  template <typename Work>
  auto Measure(const std::string& phase, Work&& work) {
    auto start = std::chrono::steady_clock::now();
    struct Add {
      PhaseTimes& times;
      const std::string& phase;
      std::chrono::steady_clock::time_point start;
      ~Add() { times.Add(phase, std::chrono::steady_clock::now() - start); }
    } add{*this, phase, start};
    return work();
  }

  void Add(const std::string& phase, std::chrono::steady_clock::duration elapsed) {
    for (auto& [name, total] : phases_) {
      if (name == phase) {
        total += elapsed;
        return;
      }
    }
    phases_.emplace_back(phase, elapsed);
  }

  // "phase  seconds  share" lines, in first-measured order, then the total.
  void Print(std::ostream& out) const {
    std::chrono::duration<double> total{};
    for (const auto& [name, elapsed] : phases_) total += elapsed;
    char line[128];
    for (const auto& [name, elapsed] : phases_) {
      double seconds = std::chrono::duration<double>(elapsed).count();
      std::snprintf(line, sizeof line, "  %-12s %9.3f s %5.1f%%\n", name.c_str(), seconds,
                    total.count() > 0 ? 100 * seconds / total.count() : 0.0);
      out << line;
    }
    std::snprintf(line, sizeof line, "  %-12s %9.3f s\n", "total", total.count());
    out << line;
  }

 private:
  std::vector<std::pair<std::string, std::chrono::steady_clock::duration>> phases_;
};

// Measures through `times` when it is set, else just runs `work`.
template <typename Work>
auto MeasurePhase(PhaseTimes* times, const std::string& phase, Work&& work) {
  if (times == nullptr) return work();
  return times->Measure(phase, std::forward<Work>(work));
}

}  // namespace trust::source
