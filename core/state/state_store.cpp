#include "state/state_store.h"

#include "common/time_format.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace weir::state {
namespace {

// Each entry moves the schema one version up; applied in order, each in its own transaction.
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
};

constexpr int kSchemaVersion = static_cast<int>(std::size(kMigrations));

const char *kDeadLetterColumns =
    "id, pipeline, node, stream, \"offset\", line, error, attempts, payload, created_ms, run_id";

// WHERE clause for a filter; values are bound by bindFilter in the same order.
std::string filterClause(const DeadLetterFilter &f)
{
    std::string sql = " WHERE 1";
    if (!f.pipeline.isEmpty())
        sql += " AND pipeline = ?";
    if (!f.node.isEmpty())
        sql += " AND node = ?";
    if (!f.errorContains.isEmpty())
        sql += " AND instr(lower(error), lower(?)) > 0";
    return sql;
}

int bindFilter(common::SqliteStatement &stmt, const DeadLetterFilter &f)
{
    int i = 1;
    if (!f.pipeline.isEmpty())
        stmt.bindText(i++, f.pipeline);
    if (!f.node.isEmpty())
        stmt.bindText(i++, f.node);
    if (!f.errorContains.isEmpty())
        stmt.bindText(i++, f.errorContains);
    return i;
}

RunRecord readRun(const common::SqliteStatement &s)
{
    RunRecord r;
    r.id = s.columnInt(0);
    r.pipeline = s.columnQString(1);
    r.file = s.columnQString(2);
    r.startedMs = s.columnInt(3);
    r.finishedMs = s.columnInt(4);
    r.status = s.columnQString(5);
    r.totals = RunTotals{s.columnInt(6), s.columnInt(7), s.columnInt(8), s.columnInt(9)};
    r.message = s.columnQString(10);
    return r;
}

DeadLetterEntry readEntry(const common::SqliteStatement &s)
{
    DeadLetterEntry e;
    e.id = s.columnInt(0);
    e.pipeline = s.columnQString(1);
    e.node = s.columnQString(2);
    e.stream = s.columnQString(3);
    e.offset = s.columnInt(4);
    e.line = s.columnInt(5);
    e.error = s.columnQString(6);
    e.attempts = static_cast<int>(s.columnInt(7));
    e.payload = s.columnQString(8);
    e.createdMs = s.columnInt(9);
    e.runId = s.columnInt(10);
    return e;
}

} // namespace

QString StateStore::defaultPath()
{
    if (QCoreApplication::applicationName().isEmpty())
        QCoreApplication::setApplicationName(QStringLiteral("weir"));
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
           QStringLiteral("/state.db");
}

Result<std::unique_ptr<StateStore>> StateStore::open(const QString &path)
{
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(folder))
        return makeError(
            ErrorCode::Io,
            QStringLiteral("state database %1: cannot create folder %2").arg(path, folder));
    auto db = common::SqliteDb::open(path);
    if (!db)
        return makeError(db.error().code,
                         QStringLiteral("state database %1: %2").arg(path, db.error().message));
    std::unique_ptr<StateStore> store(new StateStore(path, std::move(db.value())));
    if (Status s = store->migrate(); !s)
        return makeError(s.error().code,
                         QStringLiteral("state database %1: %2").arg(path, s.error().message));
    return store;
}

Status StateStore::migrate()
{
    std::lock_guard lock(m_mutex);
    if (Status s = m_db.exec(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
        !s)
        return s;
    for (int version = schemaVersionLocked(); version < kSchemaVersion; ++version) {
        const std::string step = std::string("BEGIN IMMEDIATE;") + kMigrations[version] +
                                 "; PRAGMA user_version = " + std::to_string(version + 1) +
                                 "; COMMIT;";
        if (Status s = m_db.exec(step); !s) {
            (void)m_db.exec("ROLLBACK");
            return makeError(s.error().code, QStringLiteral("migration to version %1 failed: %2")
                                                 .arg(version + 1)
                                                 .arg(s.error().message));
        }
    }
    return {};
}

int StateStore::schemaVersionLocked() const
{
    auto stmt = m_db.prepare("PRAGMA user_version");
    if (!stmt)
        return -1;
    auto row = stmt->step();
    return row && row.value() ? static_cast<int>(stmt->columnInt(0)) : -1;
}

int StateStore::schemaVersion() const
{
    std::lock_guard lock(m_mutex);
    return schemaVersionLocked();
}

Result<qint64> StateStore::beginRun(const QString &pipeline, const QString &file)
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare(
        "INSERT INTO runs(pipeline, file, started_ms, status) VALUES (?, ?, ?, 'running')");
    if (!stmt)
        return stmt.error();
    stmt->bindText(1, pipeline);
    stmt->bindText(2, file);
    stmt->bindInt(3, common::nowMillis());
    if (Status s = stmt->run(); !s)
        return s.error();
    return static_cast<qint64>(m_db.lastInsertRowId());
}

Status StateStore::finishRun(qint64 runId, const QString &status, const RunTotals &totals,
                             const QString &message)
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare(
        "UPDATE runs SET finished_ms = ?, status = ?, records_in = ?, records_out = ?, "
        "errors = ?, dead_letters = ?, message = ? WHERE id = ?");
    if (!stmt)
        return stmt.error();
    stmt->bindInt(1, common::nowMillis());
    stmt->bindText(2, status);
    stmt->bindInt(3, totals.recordsIn);
    stmt->bindInt(4, totals.recordsOut);
    stmt->bindInt(5, totals.errors);
    stmt->bindInt(6, totals.deadLetters);
    stmt->bindText(7, message);
    stmt->bindInt(8, runId);
    return stmt->run();
}

Result<std::vector<RunRecord>> StateStore::runs(const QString &pipeline, int limit) const
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare("SELECT id, pipeline, file, started_ms, finished_ms, status, "
                             "records_in, records_out, errors, "
                             "dead_letters, message FROM runs WHERE (?1 = '' OR pipeline = ?1) "
                             "ORDER BY id DESC LIMIT ?2");
    if (!stmt)
        return stmt.error();
    stmt->bindText(1, pipeline);
    stmt->bindInt(2, limit > 0 ? limit : -1);
    std::vector<RunRecord> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        out.push_back(readRun(*stmt));
    }
    return out;
}

Result<RunRecord> StateStore::run(qint64 id) const
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare(
        "SELECT id, pipeline, file, started_ms, finished_ms, status, records_in, records_out, "
        "errors, dead_letters, message FROM runs WHERE id = ?");
    if (!stmt)
        return stmt.error();
    stmt->bindInt(1, id);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!row.value())
        return makeError(ErrorCode::NotFound, QStringLiteral("no run with id %1").arg(id));
    return readRun(*stmt);
}

Status StateStore::appendMetrics(const std::vector<MetricSample> &samples)
{
    std::lock_guard lock(m_mutex);
    auto stmt =
        m_db.prepare("INSERT INTO metrics(run_id, node, time_ms, records_in, records_out, errors, "
                     "dead_letters, queue_depth, lag_ms, bytes_behind, commit_ms) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt)
        return stmt.error();
    if (Status s = m_db.exec("BEGIN IMMEDIATE"); !s)
        return s;
    for (const MetricSample &m : samples) {
        stmt->bindInt(1, m.runId);
        stmt->bindText(2, m.node);
        stmt->bindInt(3, m.timeMs);
        stmt->bindInt(4, m.recordsIn);
        stmt->bindInt(5, m.recordsOut);
        stmt->bindInt(6, m.errors);
        stmt->bindInt(7, m.deadLetters);
        stmt->bindInt(8, m.queueDepth);
        stmt->bindInt(9, m.lagMs);
        stmt->bindInt(10, m.bytesBehind);
        stmt->bindDouble(11, m.commitMillis);
        if (Status s = stmt->run(); !s) {
            (void)m_db.exec("ROLLBACK");
            return s;
        }
    }
    return m_db.exec("COMMIT");
}

Result<std::vector<MetricSample>> StateStore::metrics(qint64 runId, const QString &node) const
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare("SELECT run_id, node, time_ms, records_in, records_out, errors, "
                             "dead_letters, queue_depth, lag_ms, "
                             "bytes_behind, commit_ms FROM metrics WHERE run_id = ?1 AND (?2 = '' "
                             "OR node = ?2) ORDER BY time_ms, rowid");
    if (!stmt)
        return stmt.error();
    stmt->bindInt(1, runId);
    stmt->bindText(2, node);
    std::vector<MetricSample> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        out.push_back(MetricSample{stmt->columnInt(0), stmt->columnQString(1), stmt->columnInt(2),
                                   stmt->columnInt(3), stmt->columnInt(4), stmt->columnInt(5),
                                   stmt->columnInt(6), stmt->columnInt(7), stmt->columnInt(8),
                                   stmt->columnInt(9), stmt->columnDouble(10)});
    }
    return out;
}

Status StateStore::write(const engine::NodeContext &node,
                         const std::vector<engine::DeadLetter> &letters)
{
    if (letters.empty())
        return {};
    std::lock_guard lock(m_mutex);
    // The same record failing again (a rerun after a crash) bumps its entry, never duplicates it.
    auto stmt =
        m_db.prepare("INSERT INTO dead_letters(pipeline, node, stream, \"offset\", line, error, "
                     "payload, created_ms, run_id) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(pipeline, node, stream, "
                     "\"offset\") DO UPDATE SET "
                     "attempts = attempts + 1, error = excluded.error, run_id = excluded.run_id");
    if (!stmt)
        return stmt.error();
    if (Status s = m_db.exec("BEGIN IMMEDIATE"); !s)
        return s;
    const qint64 now = common::nowMillis();
    for (const engine::DeadLetter &d : letters) {
        stmt->bindText(1, node.pipelineName);
        stmt->bindText(2, node.nodeId);
        stmt->bindText(3, std::string_view(d.stream));
        stmt->bindInt(4, d.offset);
        stmt->bindInt(5, d.line);
        stmt->bindText(6, d.error);
        stmt->bindText(7, d.payload);
        stmt->bindInt(8, now);
        stmt->bindInt(9, node.runId);
        if (Status s = stmt->run(); !s) {
            (void)m_db.exec("ROLLBACK");
            return s;
        }
    }
    return m_db.exec("COMMIT");
}

Result<std::vector<DeadLetterEntry>> StateStore::deadLetters(const DeadLetterFilter &filter,
                                                             int limit) const
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare(std::string("SELECT ") + kDeadLetterColumns + " FROM dead_letters" +
                             filterClause(filter) + " ORDER BY id DESC LIMIT ?");
    if (!stmt)
        return stmt.error();
    const int next = bindFilter(*stmt, filter);
    stmt->bindInt(next, limit > 0 ? limit : -1);
    std::vector<DeadLetterEntry> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!row.value())
            break;
        out.push_back(readEntry(*stmt));
    }
    return out;
}

Result<DeadLetterEntry> StateStore::deadLetter(qint64 id) const
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare(std::string("SELECT ") + kDeadLetterColumns +
                             " FROM dead_letters WHERE id = ?");
    if (!stmt)
        return stmt.error();
    stmt->bindInt(1, id);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!row.value())
        return makeError(ErrorCode::NotFound, QStringLiteral("no dead letter with id %1").arg(id));
    return readEntry(*stmt);
}

Result<qint64> StateStore::countDeadLetters(const DeadLetterFilter &filter) const
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare("SELECT count(*) FROM dead_letters" + filterClause(filter));
    if (!stmt)
        return stmt.error();
    bindFilter(*stmt, filter);
    auto row = stmt->step();
    if (!row)
        return row.error();
    return static_cast<qint64>(stmt->columnInt(0));
}

Result<qint64> StateStore::purgeDeadLetters(const DeadLetterFilter &filter)
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare("DELETE FROM dead_letters" + filterClause(filter));
    if (!stmt)
        return stmt.error();
    bindFilter(*stmt, filter);
    if (Status s = stmt->run(); !s)
        return s.error();
    return static_cast<qint64>(m_db.changes());
}

Status StateStore::removeDeadLetter(qint64 id)
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare("DELETE FROM dead_letters WHERE id = ?");
    if (!stmt)
        return stmt.error();
    stmt->bindInt(1, id);
    return stmt->run();
}

Status StateStore::logEvent(qint64 runId, const QString &level, const QString &node,
                            const QString &message)
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare(
        "INSERT INTO events(time_ms, run_id, level, node, message) VALUES (?, ?, ?, ?, ?)");
    if (!stmt)
        return stmt.error();
    stmt->bindInt(1, common::nowMillis());
    stmt->bindInt(2, runId);
    stmt->bindText(3, level);
    stmt->bindText(4, node);
    stmt->bindText(5, message);
    return stmt->run();
}

} // namespace weir::state
