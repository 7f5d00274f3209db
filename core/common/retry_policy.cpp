#include "common/retry_policy.h"

#include <QRandomGenerator>
#include <algorithm>
#include <cmath>
#include <thread>

namespace weir::common {

std::chrono::milliseconds RetryPolicy::delayBefore(int attempt) const
{
    const double base =
        static_cast<double>(initialDelay.count()) * std::pow(multiplier, std::max(0, attempt - 2));
    const double capped = std::min(base, static_cast<double>(maxDelay.count()));
    const double factor = 1.0 + jitter * (2.0 * QRandomGenerator::global()->generateDouble() - 1.0);
    return std::chrono::milliseconds(static_cast<long long>(std::max(0.0, capped * factor)));
}

Status RetryPolicy::run(const std::function<Status()> &operation, const std::atomic<bool> *stop,
                        const std::function<void(const Error &, int)> &onRetry) const
{
    for (int attempt = 1;; ++attempt) {
        Status status = operation();
        if (status.ok() || !status.error().isTransient() || attempt >= maxAttempts)
            return status;
        if (onRetry)
            onRetry(status.error(), attempt);
        // Sleep in short slices so a stop request is honoured promptly.
        const auto until = std::chrono::steady_clock::now() + delayBefore(attempt + 1);
        while (std::chrono::steady_clock::now() < until) {
            if (stop && stop->load())
                return makeError(ErrorCode::Cancelled, QStringLiteral("stopped while retrying"));
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
}

} // namespace weir::common
