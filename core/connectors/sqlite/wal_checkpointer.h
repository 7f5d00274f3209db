#pragma once

// WalCheckpointer: folds a WAL database's committed pages back into the database file on a
// thread and connection of its own while the writer goes on writing.
//
// In WAL mode every page is written twice: to the log at commit, then to the database by a
// checkpoint. SQLite's automatic checkpoint runs on the writer's thread, and the last close
// copies (and syncs) whatever is left, so a bulk load used to end with a long pause of pure
// copying. Hooked into the writer's commits, this class starts a passive checkpoint in the
// background once the log holds `backgroundFrames` frames (passive: it never blocks the writer
// nor waits for readers). Past `inlineFrames` the writer checkpoints itself between two
// transactions, as SQLite's own automatic checkpoint would, so the log cannot grow without
// bound during a long load that never pauses.

#include "common/result.h"
#include "common/sqlite_db.h"

#include <QString>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

struct sqlite3;

namespace weir::connectors::sqlite {

class WalCheckpointer final
{
public:
    struct Thresholds
    {
        int backgroundFrames = 1024;
        int inlineFrames = 16384;
    };

    WalCheckpointer() = default;
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;
    ~WalCheckpointer() { stop(); }

    // Opens the second connection to `path` and hooks `writer` (a connection to the same file in
    // WAL mode, which must outlive stop()). On failure nothing is hooked and the writer keeps
    // SQLite's automatic checkpoint.
    Status start(sqlite3 *writer, const QString &path, Thresholds thresholds);
    // Lets a running checkpoint finish, unhooks the writer (back to the automatic checkpoint)
    // and closes the second connection.
    void stop();
    // Background checkpoints that ran to the end of the log they saw.
    std::int64_t completed() const;

private:
    static int onCommit(void *self, sqlite3 *writer, const char *schema, int frames);
    void run();

    sqlite3 *m_writer = nullptr;
    Thresholds m_thresholds;
    common::SqliteDb m_db; // used by m_thread only
    std::thread m_thread;
    mutable std::mutex m_mutex; // guards the three below
    std::condition_variable m_wake;
    bool m_requested = false;
    bool m_stopping = false;
    std::int64_t m_completed = 0;
};

} // namespace weir::connectors::sqlite
