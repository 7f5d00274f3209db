// weir-run run FILE: runs a pipeline headless with progress, JSON lines or quiet output.

#include "cli_common.h"
#include "engine/engine.h"
#include "metrics_endpoint.h"
#include "model/pipeline_validator.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>
#include <atomic>
#include <csignal>
#include <optional>
#include <unistd.h>

namespace weir::cli {
namespace {

QJsonObject totalsJson(const state::RunTotals &t)
{
    return QJsonObject{{QStringLiteral("records_in"), t.recordsIn},
                       {QStringLiteral("records_out"), t.recordsOut},
                       {QStringLiteral("errors"), t.errors},
                       {QStringLiteral("dead_letters"), t.deadLetters}};
}

QJsonObject snapshotJson(const engine::MetricsSnapshot &s)
{
    QJsonArray nodes;
    for (const state::MetricSample &n : s.nodes) {
        nodes.append(QJsonObject{{QStringLiteral("node"), n.node},
                                 {QStringLiteral("in"), n.recordsIn},
                                 {QStringLiteral("out"), n.recordsOut},
                                 {QStringLiteral("errors"), n.errors},
                                 {QStringLiteral("dead_letters"), n.deadLetters},
                                 {QStringLiteral("queue_depth"), n.queueDepth},
                                 {QStringLiteral("lag_ms"), n.lagMs},
                                 {QStringLiteral("bytes_behind"), n.bytesBehind},
                                 {QStringLiteral("records_behind"), n.recordsBehind},
                                 {QStringLiteral("commit_ms"), n.commitMillis}});
    }
    return QJsonObject{{QStringLiteral("event"), QStringLiteral("metrics")},
                       {QStringLiteral("run"), s.runId},
                       {QStringLiteral("totals"), totalsJson(s.totals)},
                       {QStringLiteral("nodes"), nodes}};
}

// One line on a terminal, rewritten in place every second.
class Progress
{
public:
    void update(const engine::MetricsSnapshot &s)
    {
        const qint64 delta = s.totals.recordsIn - m_lastIn;
        m_lastIn = s.totals.recordsIn;
        qint64 lag = -1;
        for (const state::MetricSample &n : s.nodes)
            lag = std::max(lag, n.lagMs);
        err() << "\r\x1b[K" << s.totals.recordsIn << " read, " << s.totals.recordsOut
              << " written, " << delta << " rec/s, lag "
              << (lag < 0 ? QStringLiteral("-") : QString::number(lag) + QStringLiteral(" ms"))
              << ", errors " << s.totals.errors << ", DLQ " << s.totals.deadLetters;
        err().flush();
    }

private:
    qint64 m_lastIn = 0;
};

// The port of --metrics-port: 0..65535.
std::optional<quint16> parsePort(const QString &text)
{
    bool ok = false;
    const uint port = text.toUInt(&ok);
    if (!ok || port > 65535)
        return std::nullopt;
    return static_cast<quint16>(port);
}

} // namespace

int runCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("Pipeline file (*.weir.json)."));
    const QCommandLineOption once(QStringLiteral("once"),
                                  QStringLiteral("Read what the sources have now, then stop (file "
                                                 "sources always do)."));
    const QCommandLineOption json(
        QStringLiteral("json"),
        QStringLiteral("Print metrics and the outcome as JSON lines on stdout."));
    const QCommandLineOption metricsPort(
        QStringLiteral("metrics-port"),
        QStringLiteral("Serve Prometheus metrics on http://127.0.0.1:<port>/metrics while the run "
                       "lasts (loopback only; 0 picks a free port). The URL is printed on "
                       "stderr as 'metrics: URL'."),
        QStringLiteral("port"));
    parser.addOption(once);
    parser.addOption(json);
    parser.addOption(metricsPort);
    parser.addOption(stateOption());
    int exitCode = 0;
    if (!parseCommand(
            parser, args, QStringLiteral("run"),
            QStringLiteral(
                "Runs a pipeline until its sources are done or it is stopped "
                "(SIGINT/SIGTERM stop it cleanly with consistent checkpoints).\n"
                "Exit codes: 0 done, 1 failed, 2 invalid pipeline or usage (also: the metrics "
                "port is in use), 130 interrupted."),
            &exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        err() << "weir-run run: expected one pipeline file\n";
        return ExitInvalid;
    }
    std::optional<quint16> port;
    if (parser.isSet(metricsPort)) {
        port = parsePort(parser.value(metricsPort));
        if (!port) {
            err() << "weir-run run: --metrics-port expects a port number from 0 to 65535, not '"
                  << parser.value(metricsPort) << "'\n";
            return ExitInvalid;
        }
    }
    const QString file = parser.positionalArguments().first();
    const auto &registry = model::NodeTypeRegistry::builtin();
    auto checked = model::loadValidPipeline(file, registry);
    if (!checked.pipeline) {
        for (const model::Problem &p : checked.problems)
            err() << p.toString() << "\n";
        return ExitInvalid;
    }
    // Listen before anything else happens: a port in use stops the command before the run.
    std::optional<MetricsEndpoint> endpoint;
    if (port) {
        endpoint.emplace(checked.pipeline->name);
        auto listening = endpoint->listen(*port);
        if (!listening) {
            err() << "weir-run run: " << listening.error().message << "\n";
            return ExitInvalid;
        }
        err() << "metrics: http://127.0.0.1:" << listening.value() << "/metrics\n";
        err().flush();
    }
    auto store = openState(parser);
    if (!store)
        return ExitFailed;

    const bool jsonLines = parser.isSet(json);
    const bool terminal = isatty(STDERR_FILENO);
    engine::EngineOptions options;
    options.once = parser.isSet(once);
    engine::Engine engine(std::move(*checked.pipeline), file, store.get(), registry, options);
    Progress progress;
    engine::RunOutcome outcome;
    QObject::connect(
        &engine, &engine::Engine::metricsUpdated, qApp, [&](const engine::MetricsSnapshot &s) {
            if (jsonLines) {
                out() << QJsonDocument(snapshotJson(s)).toJson(QJsonDocument::Compact) << "\n";
                out().flush();
            } else if (terminal) {
                progress.update(s);
            }
        });
    if (endpoint) {
        QObject::connect(&engine, &engine::Engine::runStarted, qApp,
                         [&](qint64 runId) { endpoint->setRunId(runId); });
        QObject::connect(&engine, &engine::Engine::metricsUpdated, qApp,
                         [&](const engine::MetricsSnapshot &s) { endpoint->setSnapshot(s); });
    }
    // Alerts (settings.alerts of the pipeline) go to stderr; the engine logs them as events.
    QObject::connect(&engine, &engine::Engine::alertChanged, qApp,
                     [&](const engine::AlertEvent &e) {
                         err() << (e.active ? "alert: " : "alert cleared: ") << e.message << "\n";
                         err().flush();
                     });
    // Every handler runs on this (the main) thread: the engine's signals come from its own.
    QObject::connect(&engine, &engine::Engine::runFinished, qApp, [&](const engine::RunOutcome &o) {
        outcome = o;
        if (endpoint)
            endpoint->setStatus(o.status);
        QCoreApplication::quit();
    });

    const std::atomic<bool> &stopRequested = stopOnSignals();
    QTimer signalWatch;
    QObject::connect(&signalWatch, &QTimer::timeout, [&] {
        if (stopRequested.load())
            engine.stop();
    });
    signalWatch.start(50);
    engine.start();
    QCoreApplication::exec();

    if (terminal && !jsonLines)
        err() << "\n";
    if (jsonLines) {
        QJsonObject done{{QStringLiteral("event"), QStringLiteral("finished")},
                         {QStringLiteral("run"), outcome.runId},
                         {QStringLiteral("status"), outcome.status},
                         {QStringLiteral("message"), outcome.message},
                         {QStringLiteral("totals"), totalsJson(outcome.totals)}};
        out() << QJsonDocument(done).toJson(QJsonDocument::Compact) << "\n";
        out().flush();
    }
    err() << "run " << outcome.runId << " " << outcome.status << ": " << outcome.totals.recordsIn
          << " read, " << outcome.totals.recordsOut << " written, " << outcome.totals.deadLetters
          << " dead letters"
          << (outcome.message.isEmpty() ? QString() : QStringLiteral(" — ") + outcome.message)
          << "\n";
    err().flush();
    if (outcome.status == QLatin1String("finished"))
        return ExitOk;
    if (outcome.status == QLatin1String("interrupted"))
        return ExitInterrupted;
    return ExitFailed;
}

} // namespace weir::cli
