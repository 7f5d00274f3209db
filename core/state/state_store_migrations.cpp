#include "state/state_store.h"

#include <chrono>
#include <iterator>
#include <sqlite3.h>
#include <string>
#include <thread>

namespace weir::state {
namespace {

// Step N takes the schema from version N to N + 1. A released step is never edited: stores on
// disk have already applied it, so a change of schema is always a new step at the end.
const char *const kMigrations[] = {
    R"(CREATE TABLE runs(
           id INTEGER PRIMARY KEY, pipeline TEXT NOT NULL, file TEXT, started_ms INTEGER NOT NULL,
           finished_ms INTEGER NOT NULL DEFAULT 0, status TEXT NOT NULL,
           records_in INTEGER NOT NULL DEFAULT 0, records_out INTEGER NOT NULL DEFAULT 0,
           errors INTEGER NOT NULL DEFAULT 0, dead_letters INTEGER NOT NULL DEFAULT 0, message TEXT);
       CREATE INDEX runs_by_pipeline ON runs(pipeline, id);
       CREATE TABLE metrics(
           run_id INTEGER NOT NULL, node TEXT NOT NULL, time_ms INTEGER NOT NULL,
           records_in INTEGER, records_out INTEGER, errors INTEGER, dead_letters INTEGER,
           queue_depth INTEGER, lag_ms INTEGER, bytes_behind INTEGER, commit_ms REAL);
       CREATE INDEX metrics_by_run ON metrics(run_id, node, time_ms);
       CREATE TABLE dead_letters(
           id INTEGER PRIMARY KEY, pipeline TEXT NOT NULL, node TEXT NOT NULL, stream TEXT NOT NULL,
           "offset" INTEGER NOT NULL, line INTEGER NOT NULL, error TEXT NOT NULL,
           attempts INTEGER NOT NULL DEFAULT 1, payload TEXT NOT NULL, created_ms INTEGER NOT NULL,
           run_id INTEGER, UNIQUE(pipeline, node, stream, "offset"));
       CREATE TABLE events(
           id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, run_id INTEGER, level TEXT NOT NULL,
           node TEXT, message TEXT NOT NULL);)",
    // 2: metrics older than an hour are kept per minute; a row says which it is.
    R"(ALTER TABLE metrics ADD COLUMN resolution_s INTEGER NOT NULL DEFAULT 1;)",
    // 3: each run's nodes and their roles (for completeness and charts of past runs); events
    // are read per run, newest first.
    R"(CREATE TABLE run_nodes(
           run_id INTEGER NOT NULL, node TEXT NOT NULL, role TEXT NOT NULL, upstream TEXT NOT NULL,
           PRIMARY KEY(run_id, node));
       CREATE INDEX events_by_run ON events(run_id, id);)",
    // 4: the charts read a run's history in (node, time) order; an index that holds every
    // column reads it sequentially instead of visiting the table row by row (7x faster for a
    // 24 h window of 50 nodes).
    R"(DROP INDEX metrics_by_run;
       CREATE INDEX metrics_history ON metrics(run_id, node, time_ms, records_in, records_out,
           errors, dead_letters, queue_depth, lag_ms, bytes_behind, commit_ms);)",
    // 5: a dead letter is known by its record's location as well as its offset: rows of one
    // batch of a table source share an offset (their watermark), so (stream, offset) alone
    // merged distinct records into one entry. SQLite cannot change a UNIQUE constraint in place.
    // Metrics gain records behind the source's head (a Kafka consumer's lag), in the index too.
    R"(CREATE TABLE dead_letters_v5(
           id INTEGER PRIMARY KEY, pipeline TEXT NOT NULL, node TEXT NOT NULL, stream TEXT NOT NULL,
           "offset" INTEGER NOT NULL, location TEXT NOT NULL DEFAULT '', line INTEGER NOT NULL,
           error TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1, payload TEXT NOT NULL,
           created_ms INTEGER NOT NULL, run_id INTEGER,
           UNIQUE(pipeline, node, stream, "offset", location));
       INSERT INTO dead_letters_v5(id, pipeline, node, stream, "offset", line, error, attempts,
           payload, created_ms, run_id)
           SELECT id, pipeline, node, stream, "offset", line, error, attempts, payload, created_ms,
                  run_id FROM dead_letters;
       DROP TABLE dead_letters;
       ALTER TABLE dead_letters_v5 RENAME TO dead_letters;
       ALTER TABLE metrics ADD COLUMN records_behind INTEGER NOT NULL DEFAULT -1;
       DROP INDEX metrics_history;
       CREATE INDEX metrics_history ON metrics(run_id, node, time_ms, records_in, records_out,
           errors, dead_letters, queue_depth, lag_ms, bytes_behind, commit_ms, records_behind);)",
    // 6: what a source's upstream keeps for it (a replication slot's WAL) and its state.
    R"(ALTER TABLE metrics ADD COLUMN retained_bytes INTEGER NOT NULL DEFAULT -1;
       ALTER TABLE metrics ADD COLUMN upstream_status TEXT NOT NULL DEFAULT '';
       DROP INDEX metrics_history;
       CREATE INDEX metrics_history ON metrics(run_id, node, time_ms, records_in, records_out,
           errors, dead_letters, queue_depth, lag_ms, bytes_behind, commit_ms, records_behind,
           retained_bytes, upstream_status);)",
    // 7: the upstream table of a dead letter (change data capture of several tables), where
    // its retry goes.
    R"(ALTER TABLE dead_letters ADD COLUMN source_table TEXT NOT NULL DEFAULT '';)",
    // 8: that table's key columns (a JSON array of names; '' when unknown), which a sink
    // without a key of its own upserts the retried record by.
    R"(ALTER TABLE dead_letters ADD COLUMN source_key TEXT NOT NULL DEFAULT '';)",
    // 9: a dead letter's id is never used again (AUTOINCREMENT), and the store has an identity
    // of its own: a retried record's position in the target is named after both, so a later
    // entry given a removed entry's id (or another store's entry of that id) was taken for
    // that record, already written, and left out.
    R"(CREATE TABLE dead_letters_v9(
           id INTEGER PRIMARY KEY AUTOINCREMENT, pipeline TEXT NOT NULL, node TEXT NOT NULL,
           stream TEXT NOT NULL, "offset" INTEGER NOT NULL, location TEXT NOT NULL DEFAULT '',
           line INTEGER NOT NULL, error TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1,
           payload TEXT NOT NULL, created_ms INTEGER NOT NULL, run_id INTEGER,
           source_table TEXT NOT NULL DEFAULT '', source_key TEXT NOT NULL DEFAULT '',
           UNIQUE(pipeline, node, stream, "offset", location));
       INSERT INTO dead_letters_v9(id, pipeline, node, stream, "offset", location, line, error,
           attempts, payload, created_ms, run_id, source_table, source_key)
           SELECT id, pipeline, node, stream, "offset", location, line, error, attempts, payload,
                  created_ms, run_id, source_table, source_key FROM dead_letters;
       DROP TABLE dead_letters;
       ALTER TABLE dead_letters_v9 RENAME TO dead_letters;
       CREATE TABLE store_identity(id TEXT NOT NULL);
       INSERT INTO store_identity VALUES (lower(hex(randomblob(8))));)",
};

constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

Result<int> readUserVersion(common::SqliteDb &db)
{
    auto stmt = db.prepare("PRAGMA user_version");
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    return row.value() ? static_cast<int>(stmt->columnInt(0)) : 0;
}

Status applyStep(common::SqliteDb &db, int from)
{
    const std::string setVersion = "PRAGMA user_version = " + std::to_string(from + 1);
    if (Status s = db.exec(kMigrations[from]); !s)
        return s;
    return db.exec(setVersion);
}

// Moves the schema from `from` one step up, unless another process (the GUI and weir-run share
// the store) got there while this one waited for the write lock.
Status migrateOneStep(common::SqliteDb &db, int from)
{
    if (Status s = db.exec("BEGIN IMMEDIATE"); !s)
        return s;
    auto version = readUserVersion(db);
    Status s = !version                  ? Status(version.error())
               : version.value() == from ? applyStep(db, from)
                                         : Status();
    if (s)
        s = db.exec("COMMIT");
    if (!s)
        (void)db.exec("ROLLBACK");
    return s;
}

// SQLite's lower() folds ASCII only, and errors quote user data ("Müller"), so the error
// filter folds with Qt's Unicode tables instead.
void foldCase(sqlite3_context *context, int, sqlite3_value **args)
{
    if (sqlite3_value_type(args[0]) == SQLITE_NULL) {
        sqlite3_result_null(context);
        return;
    }
    const auto *text = reinterpret_cast<const char *>(sqlite3_value_text(args[0]));
    const QByteArray folded =
        QString::fromUtf8(text, sqlite3_value_bytes(args[0])).toCaseFolded().toUtf8();
    sqlite3_result_text(context, folded.constData(), static_cast<int>(folded.size()),
                        SQLITE_TRANSIENT);
}

// Switching a new file to WAL answers SQLITE_BUSY at once, without the busy handler, while
// another connection has it open: the GUI and weir-run starting together on a fresh store.
Status enableWal(common::SqliteDb &db)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (;;) {
        Status s = db.exec("PRAGMA journal_mode=WAL");
        if (s || !s.error().isTransient() || std::chrono::steady_clock::now() > deadline)
            return s;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

Status configure(common::SqliteDb &db)
{
    if (Status s = enableWal(db); !s)
        return s;
    if (Status s = db.exec("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"); !s)
        return s;
    const int rc = sqlite3_create_function_v2(db.handle(), "weir_fold", 1,
                                              SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
                                              nullptr, foldCase, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return db.lastError("registering weir_fold");
    return {};
}

} // namespace

Status StateStore::openReader()
{
    auto db = common::SqliteDb::open(m_path);
    if (!db)
        return db.error();
    if (Status s = configure(db.value()); !s)
        return makeError(
            s.error().code,
            QStringLiteral("setting up the reading connection: %1").arg(s.error().message));
    std::lock_guard lock(m_readMutex);
    m_readDb = std::move(db.value());
    return {};
}

int StateStore::schemaVersionLocked() const
{
    auto version = readUserVersion(m_readDb);
    return version ? version.value() : -1;
}

// The pragmas and weir_fold are per connection, so they are set here on every open, before
// the schema is touched (journal_mode cannot change inside a transaction).
Status StateStore::migrate()
{
    std::lock_guard lock(m_mutex);
    if (Status s = configure(m_db); !s)
        return makeError(s.error().code,
                         QStringLiteral("setting up the connection: %1").arg(s.error().message));
    for (;;) {
        auto version = readUserVersion(m_db);
        if (!version)
            return makeError(
                version.error().code,
                QStringLiteral("cannot read the schema version: %1").arg(version.error().message));
        if (version.value() == kSchemaVersion)
            return {};
        if (version.value() < 0 || version.value() > kSchemaVersion)
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("schema version %1 is not one this build of Weir "
                                            "knows (it knows 0 to %2); was it written by a newer "
                                            "Weir?")
                                 .arg(version.value())
                                 .arg(kSchemaVersion));
        if (Status s = migrateOneStep(m_db, version.value()); !s)
            return makeError(s.error().code,
                             QStringLiteral("migration to schema version %1 failed: %2")
                                 .arg(version.value() + 1)
                                 .arg(s.error().message));
    }
}

} // namespace weir::state
