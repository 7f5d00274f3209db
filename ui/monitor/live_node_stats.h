#pragma once

// LiveNodeStats: the latest per-node figures of a run, with rates between the last two
// snapshots and a health verdict per node. Feeds the per-node table and the canvas colours.
// GUI thread; plain data, no I/O.

#include "engine/alert_monitor.h"
#include "engine/metrics_snapshot.h"

#include <QString>
#include <set>
#include <vector>

namespace weir::ui {

enum class NodeHealth
{
    Ok,
    Lagging,  // an active lag alert, or (without a lag rule) over the default threshold
    Erroring, // new errors or dead letters in the last few seconds
    Failed    // the run failed on this node
};

struct NodeLive
{
    state::MetricSample sample; // cumulative counters of the run so far
    double inPerSecond = 0.0;
    double outPerSecond = 0.0;
    double queueFill = 0.0; // of the node's input queue, 0..1
    NodeHealth health = NodeHealth::Ok;
    qint64 lastErrorMs = -1; // when errors or dead letters last grew
};

class LiveNodeStats
{
public:
    // Without a lag rule, a node counts as lagging past this.
    static constexpr qint64 kDefaultLagMs = 60000;
    // A node stays "erroring" this long after its last new error, so a burst is seen.
    static constexpr qint64 kErroringMs = 5000;

    void reset(std::size_t queueCapacity);
    void update(const engine::MetricsSnapshot &snapshot);
    void applyAlert(const engine::AlertEvent &event);
    void markFailed(const QString &node);
    void setLagRuleActive(bool on) { m_lagRule = on; }

    const std::vector<NodeLive> &nodes() const { return m_nodes; }
    const NodeLive *node(const QString &id) const;

private:
    void judge(NodeLive &n) const;

    std::size_t m_queueCapacity = 4;
    std::vector<NodeLive> m_nodes;
    std::set<QString> m_lagAlerts;
    QString m_failed;
    bool m_lagRule = false;
};

QString healthName(NodeHealth health);

} // namespace weir::ui
