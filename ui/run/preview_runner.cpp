#include "run/preview_runner.h"

#include <QMetaObject>

namespace weir::ui {

PreviewRunner::PreviewRunner(const model::NodeTypeRegistry &registry, QObject *parent)
    : QObject(parent), m_registry(registry)
{
    m_thread.setObjectName(QStringLiteral("weir-preview"));
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(this, &PreviewRunner::jobDone, this, &PreviewRunner::onJobDone, Qt::QueuedConnection);
    m_thread.start();
}

PreviewRunner::~PreviewRunner()
{
    cancel();
    m_thread.quit();
    // Bounded by one batch: previewNode checks the stop flag between batches.
    m_thread.wait();
}

void PreviewRunner::cancel()
{
    if (m_stop)
        m_stop->store(true);
    m_stop.reset();
    ++m_ticket;
}

void PreviewRunner::request(const model::Pipeline &pipeline, const QString &pipelineDir,
                            const QString &nodeId, int limit)
{
    cancel();
    auto stop = std::make_shared<std::atomic<bool>>(false);
    m_stop = stop;
    const quint64 ticket = ++m_ticket;
    const model::NodeTypeRegistry *registry = &m_registry;
    QMetaObject::invokeMethod(
        m_worker,
        [this, registry, pipeline, pipelineDir, nodeId, limit, stop, ticket] {
            if (stop->load())
                return;
            auto table =
                engine::previewNode(pipeline, pipelineDir, nodeId, *registry, limit, stop.get());
            if (stop->load())
                return;
            // Emitted from the worker thread: queued to the GUI thread, where this lives. The
            // destructor joins the worker, so this object outlives every emission.
            if (table)
                emit jobDone(ticket, nodeId, table.value(), QString());
            else
                emit jobDone(ticket, nodeId, {}, table.error().describe());
        },
        Qt::QueuedConnection);
}

void PreviewRunner::onJobDone(quint64 ticket, const QString &nodeId,
                              const engine::PreviewTable &table, const QString &error)
{
    if (ticket != m_ticket)
        return; // superseded by a newer request
    if (error.isEmpty())
        emit previewReady(nodeId, table);
    else
        emit previewFailed(nodeId, error);
}

} // namespace weir::ui
