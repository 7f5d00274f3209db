#include "connectors/sqlite/wal_checkpointer.h"

#include <sqlite3.h>

namespace weir::connectors::sqlite {

Status WalCheckpointer::start(sqlite3 *writer, const QString &path, Thresholds thresholds)
{
    stop();
    auto db = common::SqliteDb::open(path);
    if (!db)
        return db.error();
    // A connection only looks at the log once it has read the database; until then (SQLite
    // 3.40) a checkpoint through it does nothing at all.
    if (Status s = db->exec("SELECT count(*) FROM sqlite_schema"); !s)
        return s;
    m_db = std::move(db.value());
    m_writer = writer;
    m_thresholds = thresholds;
    m_stopping = false;
    m_requested = false;
    m_thread = std::thread([this] { run(); });
    // Replaces the automatic checkpoint (SQLite keeps one WAL hook per connection).
    sqlite3_wal_hook(m_writer, &WalCheckpointer::onCommit, this);
    return {};
}

void WalCheckpointer::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_one();
    m_thread.join();
    sqlite3_wal_autocheckpoint(m_writer, m_thresholds.inlineFrames);
    m_writer = nullptr;
    m_db = common::SqliteDb();
}

std::int64_t WalCheckpointer::completed() const
{
    std::lock_guard lock(m_mutex);
    return m_completed;
}

int WalCheckpointer::onCommit(void *self, sqlite3 *writer, const char *schema, int frames)
{
    auto *checkpointer = static_cast<WalCheckpointer *>(self);
    if (frames >= checkpointer->m_thresholds.inlineFrames) {
        // Between transactions the writer can fold the whole log, and its next transaction
        // then starts the log over. Busy (the background one is running) is fine: next commit.
        (void)sqlite3_wal_checkpoint_v2(writer, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                        nullptr);
    } else if (frames >= checkpointer->m_thresholds.backgroundFrames) {
        {
            std::lock_guard lock(checkpointer->m_mutex);
            checkpointer->m_requested = true;
        }
        checkpointer->m_wake.notify_one();
    }
    return SQLITE_OK;
}

void WalCheckpointer::run()
{
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, [this] { return m_requested || m_stopping; });
        if (m_stopping)
            return;
        m_requested = false;
        lock.unlock();
        int logFrames = 0;
        int copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(m_db.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                                 &logFrames, &copied);
        lock.lock();
        if (rc == SQLITE_OK && copied == logFrames)
            ++m_completed;
    }
}

} // namespace weir::connectors::sqlite
