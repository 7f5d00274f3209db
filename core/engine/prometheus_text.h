#pragma once

// Prometheus text exposition (format 0.0.4) of one run: the run's identity and totals, and
// every node's counters and gauges from the latest metrics snapshot. A pure function of its
// inputs; `weir-run run --metrics-port` serves what it returns.

#include "engine/engine.h"

#include <QByteArray>
#include <QString>

namespace weir::engine {

// The content type the text is served with.
inline constexpr char kPrometheusContentType[] = "text/plain; version=0.0.4; charset=utf-8";

// What the exposition says about the run itself, beside the snapshot.
struct PrometheusRun
{
    QString pipeline; // the pipeline's name
    qint64 runId = 0; // 0 until the run has an id (then run_id is empty)
    QString status;   // running, finished, failed, interrupted
};

// The whole exposition: "# HELP" and "# TYPE" once per family, then its samples with labels
// pipeline and node, in the node order of the snapshot. Lag and bytes behind are left out for
// nodes where they are unknown. An empty snapshot (before the first one) gives the run info
// and zero totals, and no node samples.
QByteArray prometheusText(const PrometheusRun &run, const MetricsSnapshot &snapshot);

// A label value as the format wants it: backslash, double quote and newline escaped.
QByteArray escapePrometheusLabelValue(const QString &value);

} // namespace weir::engine
