#include "engine/commit_tracker.h"

#include <algorithm>

namespace weir::engine {

CommitTracker::CommitTracker(
    std::vector<SourceInfo> sources,
    const std::map<std::size_t, std::vector<record::SourcePosition>> &durable)
    : m_sources(std::move(sources)), m_acknowledged(m_sources.size()), m_touched(m_sources.size())
{
    for (const auto &[sink, positions] : durable) {
        for (const record::SourcePosition &p : positions)
            m_durable[sink][{p.sourceNode, p.stream}] = p;
    }
    // What was committed before this run counts as acknowledged already: a source resumes
    // after it, so there is nothing of it left to release.
    for (std::size_t i = 0; i < m_sources.size(); ++i) {
        std::vector<std::string> streams;
        for (std::size_t sink : m_sources[i].sinks) {
            for (const auto &[key, position] : m_durable[sink]) {
                if (key.first == m_sources[i].nodeId)
                    streams.push_back(key.second);
            }
        }
        for (const std::string &stream : streams) {
            if (auto p = earliestLocked(i, stream))
                m_acknowledged[i][stream] = *p;
        }
    }
}

std::partial_ordering CommitTracker::compare(std::size_t index, const record::SourcePosition &a,
                                             const record::SourcePosition &b) const
{
    const SourceNode *source = m_sources[index].source;
    return source ? source->comparePositions(a, b) : SourceNode::compareByOffset(a, b);
}

void CommitTracker::committed(std::size_t sink,
                              const std::vector<record::SourcePosition> &positions)
{
    std::lock_guard lock(m_mutex);
    for (const record::SourcePosition &p : positions) {
        // Never back: a position learned from the target (another process) may be ahead.
        auto &known = m_durable[sink];
        const auto it = known.find({p.sourceNode, p.stream});
        if (it == known.end() || !isBehind(p, it->second))
            known[{p.sourceNode, p.stream}] = p;
        for (std::size_t i = 0; i < m_sources.size(); ++i) {
            if (m_sources[i].nodeId != p.sourceNode)
                continue;
            auto &touched = m_touched[i];
            if (std::find(touched.begin(), touched.end(), p.stream) == touched.end())
                touched.push_back(p.stream);
        }
    }
}

bool CommitTracker::isBehind(const record::SourcePosition &a, const record::SourcePosition &b) const
{
    for (std::size_t i = 0; i < m_sources.size(); ++i) {
        if (m_sources[i].nodeId == a.sourceNode)
            return compare(i, a, b) == std::partial_ordering::less;
    }
    return false;
}

void CommitTracker::learned(std::size_t sink, const record::SourcePosition &position)
{
    std::lock_guard lock(m_mutex);
    for (std::size_t i = 0; i < m_sources.size(); ++i) {
        if (m_sources[i].nodeId != position.sourceNode)
            continue;
        auto &known = m_durable[sink];
        const auto it = known.find({position.sourceNode, position.stream});
        if (it == known.end() || compare(i, position, it->second) == std::partial_ordering::greater)
            known[{position.sourceNode, position.stream}] = position;
        return;
    }
}

std::optional<record::SourcePosition> CommitTracker::durable(std::size_t sink,
                                                             const std::string &sourceNode,
                                                             const std::string &stream) const
{
    std::lock_guard lock(m_mutex);
    const auto bySink = m_durable.find(sink);
    if (bySink == m_durable.end())
        return std::nullopt;
    const auto it = bySink->second.find({sourceNode, stream});
    if (it == bySink->second.end())
        return std::nullopt;
    return it->second;
}

std::optional<record::SourcePosition> CommitTracker::earliestLocked(std::size_t index,
                                                                    const std::string &stream) const
{
    const SourceInfo &info = m_sources[index];
    std::optional<record::SourcePosition> earliest;
    for (std::size_t sink : info.sinks) {
        const auto byKey = m_durable.find(sink);
        if (byKey == m_durable.end())
            return std::nullopt;
        const auto it = byKey->second.find({info.nodeId, stream});
        if (it == byKey->second.end())
            return std::nullopt;
        if (!earliest) {
            earliest = it->second;
            continue;
        }
        const std::partial_ordering order = compare(index, it->second, *earliest);
        if (order == std::partial_ordering::unordered)
            return std::nullopt;
        if (order == std::partial_ordering::less)
            earliest = it->second;
    }
    return earliest;
}

std::vector<record::SourcePosition> CommitTracker::takeAcknowledgements(std::size_t index)
{
    std::lock_guard lock(m_mutex);
    std::vector<record::SourcePosition> out;
    for (const std::string &stream : m_touched[index]) {
        const auto earliest = earliestLocked(index, stream);
        if (!earliest)
            continue;
        const auto before = m_acknowledged[index].find(stream);
        if (before != m_acknowledged[index].end() &&
            compare(index, *earliest, before->second) != std::partial_ordering::greater)
            continue;
        m_acknowledged[index][stream] = *earliest;
        out.push_back(*earliest);
    }
    m_touched[index].clear();
    return out;
}

std::optional<record::SourcePosition>
CommitTracker::committedPosition(std::size_t index, const std::string &stream) const
{
    std::lock_guard lock(m_mutex);
    return earliestLocked(index, stream);
}

} // namespace weir::engine
