#pragma once

// NodeMetrics: counters one node runtime updates on its worker thread and the engine's
// coordinator samples once a second. Lock-free; relaxed ordering is enough for monitoring.

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>

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
    std::atomic<std::int64_t> retainedBytes{-1};

    // A word on the source's upstream (SourceProgress::upstreamStatus): text, so under a lock.
    void setUpstreamStatus(const std::string &status)
    {
        std::lock_guard lock(m_statusMutex);
        if (status != m_upstreamStatus)
            m_upstreamStatus = status;
    }
    std::string upstreamStatus() const
    {
        std::lock_guard lock(m_statusMutex);
        return m_upstreamStatus;
    }

    void add(std::atomic<std::int64_t> &counter, std::int64_t n)
    {
        counter.fetch_add(n, std::memory_order_relaxed);
    }

private:
    mutable std::mutex m_statusMutex;
    std::string m_upstreamStatus;
};

} // namespace weir::engine
