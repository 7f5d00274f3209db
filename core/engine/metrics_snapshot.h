#pragma once

// MetricsSnapshot: what the engine publishes once a second: one sample per node and the run's
// totals so far.

#include "state/state_store.h"

#include <QMetaType>
#include <vector>

namespace weir::engine {

struct MetricsSnapshot
{
    qint64 runId = 0;
    std::vector<state::MetricSample> nodes;
    state::RunTotals totals;
};

} // namespace weir::engine

Q_DECLARE_METATYPE(weir::engine::MetricsSnapshot)
