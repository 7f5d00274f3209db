#pragma once

// DeadLetterJobs: the dead-letter browser's writes — retries (engine::retryDeadLetters, which
// runs the engine and waits for it) and discards — on a worker thread of its own, one job at a
// time. Lives on the GUI thread; results come back as queued signals.

#include "engine/dead_letter_retry.h"

#include <QList>
#include <QObject>
#include <QThread>
#include <atomic>
#include <vector>

namespace weir::ui {

class DeadLetterJobs final : public QObject
{
    Q_OBJECT

public:
    explicit DeadLetterJobs(const model::NodeTypeRegistry &registry, QObject *parent = nullptr);
    // Stops a retry in progress (promptly, between batches) and waits for it.
    ~DeadLetterJobs() override;

    bool isBusy() const { return m_busy; }
    // Both return false, doing nothing, while a job runs. The store must outlive the job.
    bool retry(state::StateStore *store, const std::vector<state::DeadLetterEntry> &entries);
    bool discard(state::StateStore *store, const QList<qint64> &ids);
    // Asks the retry in progress to stop; it ends as interrupted (RetryReport::interrupted).
    void stopRetry() { m_stop = true; }

signals:
    void retried(const weir::engine::RetryReport &report);
    void discarded(qint64 removed, const QStringList &problems);

    // Internal: hand a job to the worker thread, and its result back.
    void retryQueued(weir::state::StateStore *store,
                     const std::vector<weir::state::DeadLetterEntry> &entries);
    void discardQueued(weir::state::StateStore *store, const QList<qint64> &ids);
    void retryDone(const weir::engine::RetryReport &report);
    void discardDone(qint64 removed, const QStringList &problems);

private:
    QThread m_thread;
    QObject *m_worker = nullptr; // lives on m_thread
    bool m_busy = false;         // GUI thread only
    std::atomic<bool> m_stop{false};
};

} // namespace weir::ui
