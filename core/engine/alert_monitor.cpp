#include "engine/alert_monitor.h"

#include <algorithm>

namespace weir::engine {
namespace {

QString seconds(double s)
{
    return QStringLiteral("%1 s").arg(s, 0, 'f', s < 10.0 ? 1 : 0);
}

QString percent(double p)
{
    return QStringLiteral("%1 %").arg(p, 0, 'f', 1);
}

QString describe(const AlertEvent &e, double forSeconds)
{
    const bool lag = e.kind == QLatin1String("lag");
    const QString value = lag ? seconds(e.value) : percent(e.value);
    const QString threshold = lag ? seconds(e.threshold) : percent(e.threshold);
    const QString what = lag ? QStringLiteral("%1: lag").arg(e.node) : QStringLiteral("error rate");
    if (e.active)
        return QStringLiteral("%1 is %2, over %3 for %4")
            .arg(what, value, threshold, seconds(forSeconds));
    return QStringLiteral("%1 is back to %2 (threshold %3)").arg(what, value, threshold);
}

} // namespace

void AlertMonitor::track(const QString &key, const QString &kind, const QString &node,
                         bool breaching, double value, double threshold, double forSeconds,
                         qint64 nowMs, std::vector<AlertEvent> &out)
{
    Condition &c = m_conditions[key];
    if (!breaching) {
        c.since = -1;
        if (c.active) {
            c.active = false;
            AlertEvent e{key, kind, node, false, value, threshold, nowMs, {}};
            e.message = describe(e, forSeconds);
            c.last = e;
            out.push_back(e);
        }
        return;
    }
    if (c.since < 0)
        c.since = nowMs;
    if (!c.active && static_cast<double>(nowMs - c.since) >= forSeconds * 1000.0) {
        c.active = true;
        AlertEvent e{key, kind, node, true, value, threshold, nowMs, {}};
        e.message = describe(e, forSeconds);
        c.last = e;
        out.push_back(e);
    }
}

std::vector<AlertEvent> AlertMonitor::update(const MetricsSnapshot &snapshot, qint64 nowMs)
{
    std::vector<AlertEvent> out;
    if (m_rules.lagSeconds > 0.0) {
        for (const state::MetricSample &s : snapshot.nodes) {
            const double lag = s.lagMs < 0 ? 0.0 : static_cast<double>(s.lagMs) / 1000.0;
            track(QStringLiteral("lag:") + s.node, QStringLiteral("lag"), s.node,
                  lag > m_rules.lagSeconds, lag, m_rules.lagSeconds, m_rules.lagForSeconds, nowMs,
                  out);
        }
    }
    if (m_rules.errorRatePercent > 0.0) {
        const state::RunTotals &t = snapshot.totals;
        const qint64 read = t.recordsIn - m_previous.recordsIn;
        const qint64 errors = t.errors - m_previous.errors;
        // An interval that read nothing has no rate: the condition stays as it was.
        if (read > 0) {
            const double rate =
                std::min(100.0, 100.0 * static_cast<double>(errors) / static_cast<double>(read));
            track(QStringLiteral("error_rate"), QStringLiteral("error_rate"), {},
                  rate > m_rules.errorRatePercent, rate, m_rules.errorRatePercent,
                  m_rules.errorRateForSeconds, nowMs, out);
        }
        m_previous = t;
    }
    return out;
}

std::vector<AlertEvent> AlertMonitor::finish(qint64 nowMs, const QString &why)
{
    std::vector<AlertEvent> out;
    for (auto &[key, c] : m_conditions) {
        if (!c.active)
            continue;
        c.active = false;
        c.since = -1;
        AlertEvent e = c.last;
        e.active = false;
        e.timeMs = nowMs;
        e.message = e.node.isEmpty() ? QStringLiteral("error rate: cleared, %1").arg(why)
                                     : QStringLiteral("%1: lag cleared, %2").arg(e.node, why);
        out.push_back(e);
    }
    return out;
}

std::vector<AlertEvent> AlertMonitor::active() const
{
    std::vector<AlertEvent> out;
    for (const auto &[key, c] : m_conditions)
        if (c.active)
            out.push_back(c.last);
    return out;
}

} // namespace weir::engine
