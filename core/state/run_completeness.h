#pragma once

// RunCompleteness: did everything a run read end up somewhere? From the final per-node counters
// and the run's graph: records read by sources are written by sinks, sent to the dead-letter
// queue, or dropped on purpose by a transform (filter, dedupe). Whatever is none of these is
// the gap: records still on an edge or inside a sink when the run ended. A finished run has no
// gap; a stopped or failed one may, and the monitor shows it rather than hiding it.

#include "state/state_store.h"

#include <vector>

namespace weir::state {

struct RunCompleteness
{
    bool known = false; // false for runs recorded before node roles were kept
    qint64 read = 0;    // by sources, bad records included
    qint64 written = 0; // by sinks (each sink counts its own)
    qint64 deadLetters = 0;
    qint64 filtered = 0; // dropped on purpose by transforms
    qint64 gap = 0;      // in flight or lost: on edges, or taken by a sink and not written

    bool complete() const { return known && gap == 0; }
};

RunCompleteness runCompleteness(const std::vector<RunNode> &nodes,
                                const std::vector<MetricSample> &finalCounters);

} // namespace weir::state
