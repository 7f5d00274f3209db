#pragma once

// NodeMetrics: counters one node runtime updates on its worker thread and the engine's
// coordinator samples once a second. Lock-free; relaxed ordering is enough for monitoring.

#include <atomic>
#include <cstdint>

namespace weir::engine {

struct NodeMetrics
{
    std::atomic<std::int64_t> recordsIn{0};
    std::atomic<std::int64_t> recordsOut{0};
    std::atomic<std::int64_t> errors{0};
    std::atomic<std::int64_t> deadLetters{0};
    std::atomic<std::int64_t> bytesBehind{-1};
    std::atomic<std::int64_t> recordsBehind{-1};
    std::atomic<std::int64_t> lagMs{-1};
    std::atomic<double> commitMillis{0.0};

    void add(std::atomic<std::int64_t> &counter, std::int64_t n)
    {
        counter.fetch_add(n, std::memory_order_relaxed);
    }
};

} // namespace weir::engine
