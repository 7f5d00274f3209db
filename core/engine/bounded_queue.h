#pragma once

// BoundedQueue: the edge between two node runtimes. push() blocks while the queue is full, so
// a slow consumer holds its producers back (backpressure) and memory stays flat. Closed when
// every producer is done. Any thread; waits wake up regularly to honour a stop request.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace weir::engine {

template<typename T> class BoundedQueue final
{
public:
    BoundedQueue(std::size_t capacity, int producers)
        : m_capacity(capacity ? capacity : 1), m_openProducers(producers)
    {
    }

    // False when `stop` was set before there was room.
    bool push(T item, const std::atomic<bool> &stop)
    {
        std::unique_lock lock(m_mutex);
        while (m_items.size() >= m_capacity) {
            if (stop.load())
                return false;
            m_notFull.wait_for(lock, kPoll);
        }
        m_items.push_back(std::move(item));
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
        T item = std::move(m_items.front());
        m_items.pop_front();
        m_notFull.notify_one();
        return item;
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

    std::size_t capacity() const { return m_capacity; }

private:
    static constexpr std::chrono::milliseconds kPoll{50};
    const std::size_t m_capacity;
    int m_openProducers;
    mutable std::mutex m_mutex;
    std::condition_variable m_notFull;
    std::condition_variable m_notEmpty;
    std::deque<T> m_items;
};

} // namespace weir::engine
