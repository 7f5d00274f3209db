#include "engine/alert_monitor.h"

#include <algorithm>
#include <cmath>

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

QString records(double n)
{
    return QStringLiteral("%1 records").arg(static_cast<qint64>(std::llround(n)));
}

// What a node alert measures, as in its messages.
QString measure(const QString &kind)
{
    return kind == QLatin1String("lag") ? QStringLiteral("lag") : QStringLiteral("records behind");
}

QString describe(const AlertEvent &e, double forSeconds)
{
    const bool lag = e.kind == QLatin1String("lag");
    const bool behind = e.kind == QLatin1String("records_behind");
    const auto format = [&](double v) {
        return lag ? seconds(v) : behind ? records(v) : percent(v);
    };
    const QString value = format(e.value);
    const QString threshold = format(e.threshold);
    const QString what = e.node.isEmpty() ? QStringLiteral("error rate")
                                          : QStringLiteral("%1: %2").arg(e.node, measure(e.kind));
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
    if (m_rules.recordsBehind > 0.0) {
        for (const state::MetricSample &s : snapshot.nodes) {
            if (s.recordsBehind < 0)
                continue; // not a source that knows
            const auto behind = static_cast<double>(s.recordsBehind);
            track(QStringLiteral("behind:") + s.node, QStringLiteral("records_behind"), s.node,
                  behind > m_rules.recordsBehind, behind, m_rules.recordsBehind,
                  m_rules.recordsBehindForSeconds, nowMs, out);
        }
    }
    if (m_rules.errorRatePercent > 0.0) {
        m_totals.push_back({nowMs, snapshot.totals.recordsIn, snapshot.totals.errors});
        trackErrorRate(nowMs, out);
    }
    return out;
}

void AlertMonitor::trackErrorRate(qint64 nowMs, std::vector<AlertEvent> &out)
{
    const qint64 windowMs = std::max<qint64>(1, std::llround(m_rules.errorRateForSeconds * 1000));
    // Keep one point at or before the window's start: the baseline the rate is measured from.
    while (m_totals.size() > 2 && m_totals[1].timeMs <= nowMs - windowMs)
        m_totals.pop_front();
    const TotalsAt &base = m_totals.front();
    const TotalsAt &now = m_totals.back();
    const qint64 read = now.read - base.read;
    if (read <= 0)
        return; // nothing read in the window: no rate, the alert stays as it is
    const double rate = std::min(100.0, 100.0 * static_cast<double>(now.errors - base.errors) /
                                            static_cast<double>(read));
    const QString key = QStringLiteral("error_rate");
    Condition &c = m_conditions[key];
    const bool covered = nowMs - base.timeMs >= windowMs;
    const bool over = rate > m_rules.errorRatePercent;
    if (over == c.active || (over && !covered))
        return;
    c.active = over;
    AlertEvent e{key,  QStringLiteral("error_rate"), {},    over,
                 rate, m_rules.errorRatePercent,     nowMs, {}};
    const QString window = seconds(static_cast<double>(windowMs) / 1000.0);
    e.message = over ? QStringLiteral("error rate is %1 over the last %2 (threshold %3)")
                           .arg(percent(rate), window, percent(m_rules.errorRatePercent))
                     : QStringLiteral("error rate is back to %1 over the last %2 (threshold %3)")
                           .arg(percent(rate), window, percent(m_rules.errorRatePercent));
    c.last = e;
    out.push_back(e);
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
        e.message = e.node.isEmpty()
                        ? QStringLiteral("error rate: cleared, %1").arg(why)
                        : QStringLiteral("%1: %2 cleared, %3").arg(e.node, measure(e.kind), why);
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
