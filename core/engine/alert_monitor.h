#pragma once

// AlertMonitor: watches the metrics snapshots of one run against the pipeline's AlertRules and
// says when an alert fires and when it clears. Lag is watched per node (the event-time lag the
// node reports); the error rate for the whole pipeline, per snapshot interval (errors over
// records read). A condition must hold for the rule's "for" time before the alert fires; the
// alert clears at the first snapshot where it no longer holds. Pure logic: the engine feeds it
// and logs and publishes what it returns.

#include "engine/metrics_snapshot.h"
#include "model/alert_rules.h"

#include <QMetaType>
#include <QString>
#include <map>
#include <vector>

namespace weir::engine {

struct AlertEvent
{
    QString key;  // "lag:<node>" or "error_rate"
    QString kind; // lag, error_rate
    QString node; // empty for pipeline-wide alerts
    bool active = false;
    double value = 0.0; // seconds of lag or percent of errors
    double threshold = 0.0;
    qint64 timeMs = 0;
    QString message;
};

class AlertMonitor
{
public:
    explicit AlertMonitor(model::AlertRules rules) : m_rules(rules) {}

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
    state::RunTotals m_previous; // a run's counters start at zero
};

} // namespace weir::engine

Q_DECLARE_METATYPE(weir::engine::AlertEvent)
