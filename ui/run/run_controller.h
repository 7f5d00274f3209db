#pragma once

// RunController: runs the open document's pipeline on the embedded engine. It validates
// first, keeps the state store open, and relays the engine's queued signals; the engine's
// own threads do all the I/O. Lives on the GUI thread.

#include "common/result.h"
#include "engine/engine.h"

#include <QObject>
#include <QString>
#include <memory>

namespace weir::state {
class StateStore;
}

namespace weir::ui {

class PipelineDocument;

class RunController final : public QObject
{
    Q_OBJECT

public:
    // `statePath`: the state database (runs, metrics, dead letters) — by default the same one
    // `weir-run` uses, so `weir-run dlq list` sees what a designer run left behind.
    RunController(PipelineDocument *document, QString statePath, QObject *parent = nullptr);
    ~RunController() override;

    bool isRunning() const { return m_engine != nullptr; }
    QString statePath() const { return m_statePath; }
    // Opened on first use; null until then or when it cannot be opened.
    state::StateStore *stateStore() const { return m_store.get(); }
    // Opens the state database now (the monitor reads history before any run).
    Status ensureStore();
    // Batches per edge of the current or last run, for queue fill.
    std::size_t queueCapacity() const { return m_queueCapacity; }

    // Nothing starts when the pipeline has problems (they are in the error, one per line),
    // when it was never saved (relative paths need a folder), or the state cannot be opened.
    Status start(bool once = false);
    // Cooperative; runFinished follows once the workers have stopped between batches.
    void stop();

signals:
    void runningChanged(bool running);
    void runStarted(qint64 runId);
    void metricsUpdated(const weir::engine::MetricsSnapshot &snapshot);
    void alertChanged(const weir::engine::AlertEvent &event);
    void runFinished(const weir::engine::RunOutcome &outcome);

private:
    void onFinished(const engine::RunOutcome &outcome);

    PipelineDocument *m_document;
    QString m_statePath;
    std::unique_ptr<state::StateStore> m_store;
    engine::Engine *m_engine = nullptr;
    std::size_t m_queueCapacity = engine::EngineOptions().queueCapacity;
};

} // namespace weir::ui
