#pragma once

// Engine: runs one pipeline. start() returns at once; a coordinator thread opens the nodes,
// runs each on its own worker thread joined by bounded queues, publishes a metrics snapshot
// once a second and reports the end. The Engine object lives on the caller's thread (the GUI
// or the CLI main thread) and talks to it only through queued signals.

#include "common/retry_policy.h"
#include "engine/alert_monitor.h"
#include "engine/bounded_queue.h"
#include "model/node_type_registry.h"
#include "model/pipeline.h"
#include "state/state_store.h"

#include <QObject>
#include <QString>
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace weir::engine {

struct RunPlan;
struct PlannedNode;

// Committed position per (source node, stream).
using PositionMap = std::map<std::pair<std::string, std::string>, record::SourcePosition>;

struct EngineOptions
{
    std::size_t queueCapacity = 4; // batches per edge
    // Bytes per edge: a queue takes no further batch while it holds this much (one always
    // passes), so the memory of an edge stays bounded whatever the record size.
    std::size_t queueBytes = std::size_t{64} << 20;
    common::RetryPolicy retry;
    int metricsIntervalMs = 1000;
    bool once = false; // watching sources finish once they have read what is there
    // A sink whose input runs dry commits at once (latency first) unless the last batch came
    // from a source with a backlog: then it waits this long for the next batch before it
    // commits, so a bulk load is not cut into many small transactions by momentary gaps. The
    // sink's own commit_rows / commit_interval_ms still bound every transaction.
    std::chrono::milliseconds backlogLinger{100};
    // Feed these batches into this node (and run only it and what is downstream of it).
    QString injectInto;
    std::vector<record::Batch> injected;
};

struct RunOutcome
{
    qint64 runId = 0;
    QString status;     // finished, failed, interrupted
    QString message;    // names the node when one failed
    QString failedNode; // the node's id when one failed
    state::RunTotals totals;
};

class Engine final : public QObject
{
    Q_OBJECT

public:
    Engine(model::Pipeline pipeline, QString pipelineFile, state::StateStore *store,
           const model::NodeTypeRegistry &registry, EngineOptions options = {},
           QObject *parent = nullptr);
    ~Engine() override;

    void start();
    // Cooperative: workers stop between batches; checkpoints stay consistent.
    void stop();
    bool isRunning() const { return m_running.load(); }

signals:
    void runStarted(qint64 runId);
    void metricsUpdated(const weir::engine::MetricsSnapshot &snapshot);
    // An alert of the pipeline's settings.alerts fired (active) or cleared; also in the event log.
    void alertChanged(const weir::engine::AlertEvent &event);
    void runFinished(const weir::engine::RunOutcome &outcome);

private:
    void coordinate();
    // Opens sinks and transforms, and works out where each source resumes.
    Status openNodes(RunPlan &plan);
    // Runs `operation` with the retry policy, logging each failed attempt of `node`.
    // Runs `operation` under the retry policy; each failed attempt counts as an error of the node
    // and is logged as "<what> attempt N failed, retrying: …".
    Status retried(PlannedNode &node, const QString &what,
                   const std::function<Status()> &operation);
    void runWorker(std::size_t index);
    std::vector<record::SourcePosition> resumePositions(const RunPlan &plan,
                                                        std::size_t index) const;
    void runSource(PlannedNode &node, std::size_t index);
    void finishSource(PlannedNode &node, std::size_t index);
    // Hands the source what every sink downstream has committed since last time.
    void acknowledge(PlannedNode &node, std::size_t index);
    void runTransform(PlannedNode &node, BoundedQueue<record::Batch> &input);
    void runSink(PlannedNode &node, std::size_t index, BoundedQueue<record::Batch> &input,
                 PositionMap &committed);
    bool deliver(PlannedNode &node, record::Batch batch);
    bool writeDeadLetters(PlannedNode &node, const std::vector<DeadLetter> &dead);
    void fail(const Error &error);
    // The run's event log; resolved secrets are masked in every message.
    void logEvent(const QString &level, const QString &node, const QString &message);
    void publishAlerts(const std::vector<AlertEvent> &events);
    MetricsSnapshot sample(const RunPlan &plan) const;

    model::Pipeline m_pipeline;
    QString m_pipelineFile;
    state::StateStore *m_store;
    const model::NodeTypeRegistry &m_registry;
    EngineOptions m_options;

    std::atomic<bool> m_running{false};
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_stopRequested{false}; // by the user, as opposed to by a failure
    std::thread m_coordinator;
    qint64 m_runId = 0;
    QStringList m_secrets; // resolved secret values of this run, masked in every message

    // Valid while the coordinator runs.
    RunPlan *m_plan = nullptr;
    struct Wiring;
    std::unique_ptr<Wiring> m_wiring;
    std::mutex m_failureMutex;
    std::optional<Error> m_failure;
};

} // namespace weir::engine

Q_DECLARE_METATYPE(weir::engine::RunOutcome)
