#include "monitor/live_node_stats.h"

#include <QCoreApplication>
#include <algorithm>

namespace weir::ui {

void LiveNodeStats::reset(std::size_t queueCapacity)
{
    m_queueCapacity = std::max<std::size_t>(queueCapacity, 1);
    m_nodes.clear();
    m_lagAlerts.clear();
    m_failed.clear();
}

const NodeLive *LiveNodeStats::node(const QString &id) const
{
    auto it = std::find_if(m_nodes.begin(), m_nodes.end(),
                           [&](const NodeLive &n) { return n.sample.node == id; });
    return it == m_nodes.end() ? nullptr : &*it;
}

void LiveNodeStats::update(const engine::MetricsSnapshot &snapshot)
{
    std::vector<NodeLive> next;
    next.reserve(snapshot.nodes.size());
    for (const state::MetricSample &s : snapshot.nodes) {
        NodeLive n;
        n.sample = s;
        const NodeLive *before = node(s.node);
        if (before && before->sample.runId == s.runId && s.timeMs > before->sample.timeMs) {
            const double seconds = static_cast<double>(s.timeMs - before->sample.timeMs) / 1000.0;
            n.inPerSecond = static_cast<double>(s.recordsIn - before->sample.recordsIn) / seconds;
            n.outPerSecond =
                static_cast<double>(s.recordsOut - before->sample.recordsOut) / seconds;
        }
        n.queueFill = std::clamp(
            static_cast<double>(s.queueDepth) / static_cast<double>(m_queueCapacity), 0.0, 1.0);
        n.lastErrorMs = before ? before->lastErrorMs : -1;
        const bool newErrors =
            before ? s.errors > before->sample.errors || s.deadLetters > before->sample.deadLetters
                   : s.errors > 0 || s.deadLetters > 0;
        if (newErrors)
            n.lastErrorMs = s.timeMs;
        judge(n);
        next.push_back(n);
    }
    m_nodes = std::move(next);
}

void LiveNodeStats::judge(NodeLive &n) const
{
    const state::MetricSample &s = n.sample;
    if (s.node == m_failed) {
        n.health = NodeHealth::Failed;
        return;
    }
    if (n.lastErrorMs >= 0 && s.timeMs - n.lastErrorMs < kErroringMs) {
        n.health = NodeHealth::Erroring;
        return;
    }
    const bool lagging = m_lagRule ? m_lagAlerts.count(s.node) > 0 : s.lagMs > kDefaultLagMs;
    n.health = lagging ? NodeHealth::Lagging : NodeHealth::Ok;
}

void LiveNodeStats::applyAlert(const engine::AlertEvent &event)
{
    if (event.kind != QLatin1String("lag"))
        return;
    if (event.active)
        m_lagAlerts.insert(event.node);
    else
        m_lagAlerts.erase(event.node);
    for (NodeLive &n : m_nodes)
        if (n.sample.node == event.node && n.health != NodeHealth::Failed &&
            n.health != NodeHealth::Erroring)
            n.health = event.active ? NodeHealth::Lagging : NodeHealth::Ok;
}

void LiveNodeStats::markFailed(const QString &node)
{
    m_failed = node;
    for (NodeLive &n : m_nodes)
        if (n.sample.node == node)
            n.health = NodeHealth::Failed;
}

QString healthName(NodeHealth health)
{
    switch (health) {
    case NodeHealth::Lagging:
        return QCoreApplication::translate("weir::ui", "lagging");
    case NodeHealth::Erroring:
        return QCoreApplication::translate("weir::ui", "erroring");
    case NodeHealth::Failed:
        return QCoreApplication::translate("weir::ui", "failed");
    case NodeHealth::Ok:
        break;
    }
    return QCoreApplication::translate("weir::ui", "ok");
}

} // namespace weir::ui
