#pragma once

// PreviewRunner: computes data previews (engine::previewNode) on a worker thread of its own,
// one at a time; a new request cancels the one still going on, so clicking through nodes
// never queues up work. Results come back as signals on the GUI thread, where it lives.

#include "engine/preview_run.h"

#include <QObject>
#include <QThread>
#include <atomic>
#include <memory>

namespace weir::ui {

class PreviewRunner final : public QObject
{
    Q_OBJECT

public:
    explicit PreviewRunner(const model::NodeTypeRegistry &registry, QObject *parent = nullptr);
    ~PreviewRunner() override;

    void request(const model::Pipeline &pipeline, const QString &pipelineDir, const QString &nodeId,
                 int limit);
    void cancel();

signals:
    void previewReady(const QString &nodeId, const weir::engine::PreviewTable &table);
    void previewFailed(const QString &nodeId, const QString &message);
    // Internal: a job's result, from the worker thread.
    void jobDone(quint64 ticket, const QString &nodeId, const weir::engine::PreviewTable &table,
                 const QString &error);

private:
    void onJobDone(quint64 ticket, const QString &nodeId, const engine::PreviewTable &table,
                   const QString &error);

    const model::NodeTypeRegistry &m_registry;
    QThread m_thread;
    QObject *m_worker = nullptr; // lives on m_thread
    std::shared_ptr<std::atomic<bool>> m_stop;
    quint64 m_ticket = 0; // GUI thread only: results of older tickets are dropped
};

} // namespace weir::ui

Q_DECLARE_METATYPE(weir::engine::PreviewTable)
