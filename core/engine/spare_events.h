#pragma once

// Events of written batches, kept for their storage and handed to sources to fill again
// (record::Batch::spare, addEvent): a source that reuses them allocates nothing per row once
// warm, and nothing is freed per row either. Shared by the engine's threads.

#include "record/batch.h"

#include <mutex>
#include <vector>

namespace weir::engine {

class SpareEvents final
{
public:
    explicit SpareEvents(std::size_t capacity) : m_capacity(capacity) {}

    // A spent batch's events, or none.
    std::vector<record::ChangeEvent> take();
    // Kept while fewer than `capacity` sets are; freed on the calling thread otherwise.
    void give(std::vector<record::ChangeEvent> events);

private:
    std::mutex m_mutex;
    std::vector<std::vector<record::ChangeEvent>> m_sets;
    std::size_t m_capacity;
};

} // namespace weir::engine
