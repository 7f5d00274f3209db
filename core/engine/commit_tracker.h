#pragma once

// CommitTracker: which source positions each sink has made durable, and from that which
// positions every sink downstream of a source has committed — what the source may acknowledge
// and where a stream that appears mid-run resumes. Shared by the engine's worker threads of
// one run: sinks report commits from theirs, sources take acknowledgements on theirs.

#include "engine/node.h"

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace weir::engine {

class CommitTracker final
{
public:
    // One entry per source: its node id, its runtime (for ordering positions) and the sinks
    // downstream of it (indexes the caller also passes to committed()).
    struct SourceInfo
    {
        std::string nodeId;
        const SourceNode *source = nullptr;
        std::vector<std::size_t> sinks;
    };

    // `durable` holds, per sink index, the positions it had committed when the run began.
    CommitTracker(std::vector<SourceInfo> sources,
                  const std::map<std::size_t, std::vector<record::SourcePosition>> &durable);

    // A sink has committed these positions together with their data.
    void committed(std::size_t sink, const std::vector<record::SourcePosition> &positions);

    // A sink's target holds `position` now (read from it mid-run: another process sharing
    // the target may have moved it on). Kept when it comes after what is known.
    void learned(std::size_t sink, const record::SourcePosition &position);

    // What `sink` is known to hold for a stream: its own commits and what was learned.
    std::optional<record::SourcePosition> durable(std::size_t sink, const std::string &sourceNode,
                                                  const std::string &stream) const;

    // Positions of source `index` (into the constructor's list) that every sink downstream has
    // committed and that were not handed out before; each stream's newest only.
    std::vector<record::SourcePosition> takeAcknowledgements(std::size_t index);

    // The earliest position of `stream` committed by every sink downstream of source `index`,
    // or nothing when some sink has none (or they cannot be ordered).
    std::optional<record::SourcePosition> committedPosition(std::size_t index,
                                                            const std::string &stream) const;

private:
    std::partial_ordering compare(std::size_t index, const record::SourcePosition &a,
                                  const record::SourcePosition &b) const;
    // `a` comes before `b` (positions of one stream of the same source).
    bool isBehind(const record::SourcePosition &a, const record::SourcePosition &b) const;
    std::optional<record::SourcePosition> earliestLocked(std::size_t index,
                                                         const std::string &stream) const;

    using Key = std::pair<std::string, std::string>; // (source node, stream)
    std::vector<SourceInfo> m_sources;
    mutable std::mutex m_mutex;
    std::map<std::size_t, std::map<Key, record::SourcePosition>> m_durable;    // by sink
    std::vector<std::map<std::string, record::SourcePosition>> m_acknowledged; // by source
    std::vector<std::vector<std::string>> m_touched; // streams with new commits, by source
};

} // namespace weir::engine
