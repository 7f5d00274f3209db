#pragma once

// RetryPolicy: exponential backoff with jitter for transient connector errors (a busy
// database, an unreachable server). Permanent errors are never retried.

#include "common/result.h"

#include <atomic>
#include <chrono>
#include <functional>

namespace weir::common {

struct RetryPolicy
{
    int maxAttempts = 6;
    std::chrono::milliseconds initialDelay{100};
    std::chrono::milliseconds maxDelay{10000};
    double multiplier = 2.0;
    double jitter = 0.25; // each delay is scaled by a random factor in [1 - jitter, 1 + jitter]

    // The pause before attempt `attempt` (2, 3, …), jitter included.
    std::chrono::milliseconds delayBefore(int attempt) const;

    // Runs `operation` until it succeeds, fails permanently, runs out of attempts or `stop`
    // is set. `onRetry` hears about each transient failure before the pause.
    Status run(const std::function<Status()> &operation, const std::atomic<bool> *stop,
               const std::function<void(const Error &, int attempt)> &onRetry = {}) const;
};

} // namespace weir::common
