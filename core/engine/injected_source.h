#pragma once

// InjectedSource: a source that hands out batches given to it, then finishes. The engine puts
// one in front of a node to feed it records again (a dead-letter retry). One worker thread.

#include "engine/node.h"

#include <deque>

namespace weir::engine {

class InjectedSource final : public SourceNode
{
public:
    explicit InjectedSource(std::vector<record::Batch> batches)
        : m_batches(batches.begin(), batches.end())
    {
    }

    Status open(const NodeContext &, const std::vector<record::SourcePosition> &) override
    {
        return {};
    }

    Result<StepStatus> next(record::Batch &batch, std::vector<DeadLetter> &) override
    {
        if (m_batches.empty())
            return StepStatus::Finished;
        batch = std::move(m_batches.front());
        m_batches.pop_front();
        return m_batches.empty() ? StepStatus::Finished : StepStatus::HaveMore;
    }

private:
    std::deque<record::Batch> m_batches;
};

} // namespace weir::engine
