#pragma once

// AlertMonitor: watches the metrics snapshots of one run against the pipeline's AlertRules and
// says when an alert fires and when it clears. Lag is watched per node (the event-time lag the
// node reports): it must stay over the threshold for the rule's "for" time. The error rate is
// the pipeline's errors over its records read across the trailing "for" window (so a burst
// spread over two seconds counts as one); it fires once the window is covered and over the
// threshold. Either alert clears at the first snapshot where its condition no longer holds.
// Pure logic: the engine feeds it and logs and publishes what it returns.

#include "engine/metrics_snapshot.h"
#include "model/alert_rules.h"

#include <QMetaType>
#include <QString>
#include <deque>
#include <map>
#include <vector>

namespace weir::engine {

struct AlertEvent
{
    QString key;  // "lag:<node>", "behind:<node>" or "error_rate"
    QString kind; // lag, records_behind, error_rate
    QString node; // empty for pipeline-wide alerts
    bool active = false;
    double value = 0.0; // seconds of lag, records behind or percent of errors
    double threshold = 0.0;
    qint64 timeMs = 0;
    QString message;
};

class AlertMonitor
{
public:
    // `startMs`: when the run began (its counters were zero then).
    AlertMonitor(model::AlertRules rules, qint64 startMs) : m_rules(rules)
    {
        m_totals.push_back({startMs, 0, 0});
    }

    std::vector<AlertEvent> update(const MetricsSnapshot &snapshot, qint64 nowMs);
    // Clears every active alert (the run ended); returns the clearing events.
    std::vector<AlertEvent> finish(qint64 nowMs, const QString &why);
    std::vector<AlertEvent> active() const;

private:
    struct Condition
    {
        qint64 since = -1; // breaching since, -1 when not breaching
        bool active = false;
        AlertEvent last;
    };

    void track(const QString &key, const QString &kind, const QString &node, bool breaching,
               double value, double threshold, double forSeconds, qint64 nowMs,
               std::vector<AlertEvent> &out);

    model::AlertRules m_rules;
    std::map<QString, Condition> m_conditions;
    void trackErrorRate(qint64 nowMs, std::vector<AlertEvent> &out);

    struct TotalsAt
    {
        qint64 timeMs = 0;
        qint64 read = 0;
        qint64 errors = 0;
    };
    std::deque<TotalsAt> m_totals; // the error-rate window, oldest first
};

} // namespace weir::engine

Q_DECLARE_METATYPE(weir::engine::AlertEvent)
