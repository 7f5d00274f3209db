#pragma once

// MetricsEndpoint: `weir-run run --metrics-port` — serves the run's latest metrics snapshot as
// Prometheus text on http://127.0.0.1:PORT/metrics (loopback only; every other path is 404).
// Lives on the main thread; the run command feeds it the engine's signals.

#include "common/result.h"
#include "engine/engine.h"
#include "engine/prometheus_text.h"

#include <QHttpServer>
#include <QString>

namespace weir::cli {

class MetricsEndpoint final
{
public:
    explicit MetricsEndpoint(const QString &pipeline);

    // Listens on 127.0.0.1:port (0 picks a free port); returns the port listened on, or an
    // error that names the port asked for.
    Result<quint16> listen(quint16 port);

    void setRunId(qint64 runId) { m_run.runId = runId; }
    void setStatus(const QString &status) { m_run.status = status; }
    void setSnapshot(const engine::MetricsSnapshot &snapshot) { m_snapshot = snapshot; }

private:
    QHttpServer m_server;
    engine::PrometheusRun m_run;
    engine::MetricsSnapshot m_snapshot; // empty until the engine's first one
};

} // namespace weir::cli
