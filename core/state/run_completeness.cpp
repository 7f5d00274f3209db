#include "state/run_completeness.h"

#include <algorithm>
#include <map>

namespace weir::state {

RunCompleteness runCompleteness(const std::vector<RunNode> &nodes,
                                const std::vector<MetricSample> &finalCounters)
{
    RunCompleteness c;
    if (nodes.empty())
        return c;
    c.known = true;
    std::map<QString, const MetricSample *> counters;
    for (const MetricSample &m : finalCounters)
        counters[m.node] = &m;
    const MetricSample none;
    auto of = [&](const QString &node) -> const MetricSample & {
        auto it = counters.find(node);
        return it == counters.end() ? none : *it->second;
    };

    for (const RunNode &n : nodes) {
        const MetricSample &m = of(n.node);
        c.deadLetters += m.deadLetters;
        // The input edges carry everything the upstream nodes let out; what the node has not
        // taken in yet is still on them.
        qint64 offered = 0;
        for (const QString &up : n.upstream)
            offered += of(up).recordsOut;
        c.gap += std::max<qint64>(0, offered - m.recordsIn);
        const qint64 unaccounted = std::max<qint64>(0, m.recordsIn - m.recordsOut - m.deadLetters);
        switch (n.role) {
        case NodeRole::Source:
            c.read += m.recordsIn;
            c.gap += unaccounted;
            break;
        case NodeRole::Transform:
            c.filtered += unaccounted;
            break;
        case NodeRole::Sink:
            c.written += m.recordsOut;
            c.gap += unaccounted;
            break;
        }
    }
    return c;
}

} // namespace weir::state
