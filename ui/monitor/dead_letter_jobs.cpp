#include "monitor/dead_letter_jobs.h"

namespace weir::ui {

DeadLetterJobs::DeadLetterJobs(const model::NodeTypeRegistry &registry, QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<engine::RetryReport>();
    m_thread.setObjectName(QStringLiteral("weir-dead-letters"));
    m_worker = new QObject;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

    // The lambdas run on the worker thread (their context object lives there); what they emit
    // is queued back to this object's thread. The destructor joins the worker first.
    const model::NodeTypeRegistry *types = &registry;
    connect(this, &DeadLetterJobs::retryQueued, m_worker,
            [this, types](state::StateStore *store,
                          const std::vector<state::DeadLetterEntry> &entries) {
                emit retryDone(engine::retryDeadLetters(*store, entries, *types, &m_stop));
            });
    connect(this, &DeadLetterJobs::discardQueued, m_worker,
            [this](state::StateStore *store, const QList<qint64> &ids) {
                qint64 removed = 0;
                QStringList problems;
                for (const qint64 id : ids) {
                    if (Status s = store->removeDeadLetter(id))
                        ++removed;
                    else
                        problems << s.error().message;
                }
                emit discardDone(removed, problems);
            });
    connect(this, &DeadLetterJobs::retryDone, this, [this](const engine::RetryReport &report) {
        m_busy = false;
        emit retried(report);
    });
    connect(this, &DeadLetterJobs::discardDone, this,
            [this](qint64 removed, const QStringList &problems) {
                m_busy = false;
                emit discarded(removed, problems);
            });
    m_thread.start();
}

DeadLetterJobs::~DeadLetterJobs()
{
    m_stop = true;
    m_thread.quit();
    m_thread.wait();
}

bool DeadLetterJobs::retry(state::StateStore *store,
                           const std::vector<state::DeadLetterEntry> &entries)
{
    if (m_busy || !store)
        return false;
    m_busy = true;
    m_stop = false;
    emit retryQueued(store, entries);
    return true;
}

bool DeadLetterJobs::discard(state::StateStore *store, const QList<qint64> &ids)
{
    if (m_busy || !store)
        return false;
    m_busy = true;
    emit discardQueued(store, ids);
    return true;
}

} // namespace weir::ui
