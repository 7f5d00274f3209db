#pragma once

// BoundedQueue: the edge between two node runtimes. push() blocks while the queue is full —
// by count of items, or by their bytes (so a few batches of huge records cannot take the memory
// of many) — and a slow consumer holds its producers back (backpressure), memory stays flat.
// An item larger than the byte budget still passes, alone. Closed when every producer is done.
// Any thread; waits wake up regularly to honour a stop request.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <optional>
#include <utility>

namespace weir::engine {

template<typename T> class BoundedQueue final
{
public:
    BoundedQueue(std::size_t capacity, int producers,
                 std::size_t maxBytes = std::numeric_limits<std::size_t>::max())
        : m_capacity(capacity ? capacity : 1), m_maxBytes(maxBytes), m_openProducers(producers)
    {
    }

    // False when `stop` was set before there was room. `bytes` is what the item holds.
    bool push(T item, const std::atomic<bool> &stop, std::size_t bytes = 0)
    {
        std::unique_lock lock(m_mutex);
        while (m_items.size() >= m_capacity || (!m_items.empty() && m_bytes + bytes > m_maxBytes)) {
            if (stop.load())
                return false;
            m_notFull.wait_for(lock, kPoll);
        }
        m_items.push_back({std::move(item), bytes});
        m_bytes += bytes;
        m_notEmpty.notify_one();
        return true;
    }

    // Nothing when every producer is done and the queue is drained, or `stop` is set.
    std::optional<T> pop(const std::atomic<bool> &stop)
    {
        std::unique_lock lock(m_mutex);
        while (m_items.empty()) {
            if (m_openProducers <= 0 || stop.load())
                return std::nullopt;
            m_notEmpty.wait_for(lock, kPoll);
        }
        T item = std::move(m_items.front().first);
        m_bytes -= m_items.front().second;
        m_items.pop_front();
        m_notFull.notify_all();
        return item;
    }

    // The first item, if one is waiting and `take` accepts it; never waits.
    template<typename Take> std::optional<T> popIf(Take take)
    {
        std::lock_guard lock(m_mutex);
        if (m_items.empty() || !take(std::as_const(m_items.front().first)))
            return std::nullopt;
        T item = std::move(m_items.front().first);
        m_bytes -= m_items.front().second;
        m_items.pop_front();
        m_notFull.notify_all();
        return item;
    }

    // True once an item is waiting; false when none came within `linger` (0: only looks), every
    // producer is done, or `stop` is set.
    bool waitForItem(std::chrono::milliseconds linger, const std::atomic<bool> &stop)
    {
        const auto deadline = std::chrono::steady_clock::now() + linger;
        std::unique_lock lock(m_mutex);
        while (m_items.empty()) {
            const auto now = std::chrono::steady_clock::now();
            if (m_openProducers <= 0 || stop.load() || now >= deadline)
                return false;
            m_notEmpty.wait_until(lock, std::min(deadline, now + kPoll));
        }
        return true;
    }

    void producerDone()
    {
        std::lock_guard lock(m_mutex);
        --m_openProducers;
        m_notEmpty.notify_all();
    }

    std::size_t size() const
    {
        std::lock_guard lock(m_mutex);
        return m_items.size();
    }

    std::size_t bytes() const
    {
        std::lock_guard lock(m_mutex);
        return m_bytes;
    }

    std::size_t capacity() const { return m_capacity; }

private:
    static constexpr std::chrono::milliseconds kPoll{50};
    const std::size_t m_capacity;
    const std::size_t m_maxBytes;
    std::size_t m_bytes = 0;
    int m_openProducers;
    mutable std::mutex m_mutex;
    std::condition_variable m_notFull;
    std::condition_variable m_notEmpty;
    std::deque<std::pair<T, std::size_t>> m_items;
};

} // namespace weir::engine
