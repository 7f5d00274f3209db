#include "engine/spare_events.h"

namespace weir::engine {

std::vector<record::ChangeEvent> SpareEvents::take()
{
    std::vector<record::ChangeEvent> events;
    const std::lock_guard lock(m_mutex);
    if (!m_sets.empty()) {
        events = std::move(m_sets.back());
        m_sets.pop_back();
    }
    return events;
}

void SpareEvents::give(std::vector<record::ChangeEvent> events)
{
    if (events.empty())
        return;
    {
        const std::lock_guard lock(m_mutex);
        if (m_sets.size() < m_capacity) {
            m_sets.push_back(std::move(events));
            return;
        }
    }
    // Full: `events` is freed here, outside the lock.
}

} // namespace weir::engine
