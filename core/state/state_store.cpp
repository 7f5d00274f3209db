#include "state/state_store.h"

#include "common/time_format.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QStandardPaths>
#include <algorithm>

namespace weir::state {
namespace {

using common::SqliteDb;
using common::SqliteStatement;

Error storeError(const QString &path, const char *what, const Error &cause)
{
    return makeError(
        cause.code,
        QStringLiteral("state database %1: %2: %3").arg(path, QLatin1String(what), cause.message));
}

// Every failure leaving the store names the file and the operation, for the CLI and the GUI.
template<typename T> Result<T> annotate(const QString &path, const char *what, Result<T> result)
{
    if (result)
        return result;
    return storeError(path, what, result.error());
}

// Holds the write lock from begin() to a successful commit() and rolls back otherwise, so a
// failed statement or COMMIT never leaves the shared connection inside a transaction.
class WriteTransaction final
{
public:
    explicit WriteTransaction(SqliteDb &db) : m_db(db) {}
    WriteTransaction(const WriteTransaction &) = delete;
    WriteTransaction &operator=(const WriteTransaction &) = delete;
    ~WriteTransaction()
    {
        if (m_active)
            (void)m_db.exec("ROLLBACK");
    }

    Status begin()
    {
        Status s = m_db.exec("BEGIN IMMEDIATE");
        m_active = s.ok();
        return s;
    }
    Status commit()
    {
        Status s = m_db.exec("COMMIT");
        m_active = !s.ok();
        return s;
    }

private:
    SqliteDb &m_db;
    bool m_active = false;
};

const char *const kRunColumns = "id, pipeline, file, started_ms, finished_ms, status, records_in, "
                                "records_out, errors, dead_letters, message";
const char *const kDeadLetterColumns =
    "id, pipeline, node, stream, \"offset\", line, error, attempts, payload, created_ms, run_id, "
    "location, source_table, source_key";

// WHERE clause for a filter; bindFilter binds its values in the same order.
std::string filterClause(const DeadLetterFilter &f)
{
    std::string sql = " WHERE 1";
    if (!f.pipeline.isEmpty())
        sql += " AND pipeline = ?";
    if (!f.node.isEmpty())
        sql += " AND node = ?";
    if (!f.errorContains.isEmpty())
        sql += " AND instr(weir_fold(error), ?) > 0"; // registered by migrate()
    return sql;
}

// Returns the index of the next free parameter.
int bindFilter(SqliteStatement &stmt, const DeadLetterFilter &f)
{
    int i = 1;
    if (!f.pipeline.isEmpty())
        stmt.bindText(i++, f.pipeline);
    if (!f.node.isEmpty())
        stmt.bindText(i++, f.node);
    if (!f.errorContains.isEmpty())
        stmt.bindText(i++, f.errorContains.toCaseFolded());
    return i;
}

RunRecord readRun(const SqliteStatement &s)
{
    return RunRecord{s.columnInt(0),
                     s.columnQString(1),
                     s.columnQString(2),
                     s.columnInt(3),
                     s.columnInt(4),
                     s.columnQString(5),
                     RunTotals{s.columnInt(6), s.columnInt(7), s.columnInt(8), s.columnInt(9)},
                     s.columnQString(10)};
}

MetricSample readSample(const SqliteStatement &s)
{
    return MetricSample{s.columnInt(0),  s.columnQString(1), s.columnInt(2),     s.columnInt(3),
                        s.columnInt(4),  s.columnInt(5),     s.columnInt(6),     s.columnInt(7),
                        s.columnInt(8),  s.columnInt(9),     s.columnDouble(10), s.columnInt(11),
                        s.columnInt(12), s.columnQString(13)};
}

// A dead letter's key columns as stored: a JSON array of names, '' for none.
QString keyText(const std::vector<std::string> &key)
{
    if (key.empty())
        return {};
    QJsonArray names;
    for (const std::string &k : key)
        names.append(QString::fromStdString(k));
    return QString::fromUtf8(QJsonDocument(names).toJson(QJsonDocument::Compact));
}

std::vector<std::string> keyColumns(const QString &text)
{
    const QJsonArray names = QJsonDocument::fromJson(text.toUtf8()).array();
    std::vector<std::string> key;
    key.reserve(static_cast<std::size_t>(names.size()));
    for (const QJsonValue name : names)
        key.push_back(name.toString().toStdString());
    return key;
}

DeadLetterEntry readEntry(const SqliteStatement &s)
{
    return DeadLetterEntry{s.columnInt(0),     s.columnQString(1),
                           s.columnQString(2), s.columnQString(3),
                           s.columnInt(4),     s.columnInt(5),
                           s.columnQString(6), static_cast<int>(s.columnInt(7)),
                           s.columnQString(8), s.columnInt(9),
                           s.columnInt(10),    s.columnText(11),
                           s.columnText(12),   keyColumns(s.columnQString(13))};
}

// Runs a one-row SELECT and reads it, or says which id is missing.
template<typename T, typename Read>
Result<T> readOne(SqliteDb &db, const std::string &sql, qint64 id, const char *noun, Read read)
{
    auto stmt = db.prepare(sql);
    if (!stmt)
        return stmt.error();
    stmt->bindInt(1, id);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!row.value())
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("no %1 with id %2").arg(QLatin1String(noun)).arg(id));
    return read(*stmt);
}

// Runs a statement that must touch exactly the row `id`.
Status changeOne(SqliteDb &db, SqliteStatement &stmt, qint64 id, const char *noun)
{
    if (Status s = stmt.run(); !s)
        return s;
    if (db.changes() == 0)
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("no %1 with id %2").arg(QLatin1String(noun)).arg(id));
    return {};
}

Status insertMetrics(SqliteDb &db, const std::vector<MetricSample> &samples)
{
    auto stmt =
        db.prepare("INSERT INTO metrics(run_id, node, time_ms, records_in, records_out, errors, "
                   "dead_letters, queue_depth, lag_ms, bytes_behind, commit_ms, records_behind, "
                   "retained_bytes, upstream_status) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!stmt)
        return stmt.error();
    WriteTransaction transaction(db);
    if (Status s = transaction.begin(); !s)
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
        stmt->bindInt(12, m.recordsBehind);
        stmt->bindInt(13, m.retainedBytes);
        stmt->bindText(14, m.upstreamStatus);
        if (Status s = stmt->run(); !s)
            return s;
    }
    return transaction.commit();
}

Status upsertDeadLetters(SqliteDb &db, const engine::NodeContext &node,
                         const std::vector<engine::DeadLetter> &letters)
{
    // A record failing again (a rerun after a crash, a retry) bumps its entry instead of adding
    // a second one; created_ms keeps the first failure.
    auto stmt =
        db.prepare("INSERT INTO dead_letters(pipeline, node, stream, \"offset\", line, "
                   "error, payload, created_ms, run_id, location, source_table, source_key) "
                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                   "ON CONFLICT(pipeline, node, stream, \"offset\", location) DO UPDATE SET "
                   "attempts = attempts + 1, error = excluded.error, "
                   "run_id = excluded.run_id, source_table = excluded.source_table, "
                   "source_key = excluded.source_key");
    if (!stmt)
        return stmt.error();
    WriteTransaction transaction(db);
    if (Status s = transaction.begin(); !s)
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
        stmt->bindText(10, std::string_view(d.location));
        stmt->bindText(11, std::string_view(d.table));
        stmt->bindText(12, keyText(d.key));
        if (Status s = stmt->run(); !s)
            return s;
    }
    return transaction.commit();
}

} // namespace

QString recordPlace(const DeadLetterEntry &entry, const QString &stream)
{
    if (entry.line > 0)
        return QStringLiteral("%1:%2").arg(stream).arg(entry.line);
    if (!entry.location.empty())
        return QStringLiteral("%1 %2").arg(stream, QString::fromStdString(entry.location));
    return QStringLiteral("%1@%2").arg(stream).arg(entry.offset);
}

QString StateStore::defaultPath()
{
    QString folder = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    // Without an application name Qt hands out the shared data folder itself; setting the name
    // here would change QSettings and every other path of the host program.
    if (QCoreApplication::applicationName().isEmpty())
        folder += QStringLiteral("/weir");
    // A failure shows up, with the path, when open() tries the same folder.
    (void)QDir().mkpath(folder);
    return folder + QStringLiteral("/state.db");
}

Result<std::unique_ptr<StateStore>> StateStore::open(const QString &path)
{
    const QString folder = QFileInfo(path).absolutePath();
    if (!QDir().mkpath(folder))
        return makeError(
            ErrorCode::Io,
            QStringLiteral("state database %1: cannot create folder %2").arg(path, folder));
    auto db = SqliteDb::open(path);
    if (!db)
        return storeError(path, "opening", db.error());
    std::unique_ptr<StateStore> store(new StateStore(path, std::move(db.value())));
    if (Status s = store->migrate(); !s)
        return makeError(s.error().code,
                         QStringLiteral("state database %1: %2").arg(path, s.error().message));
    if (Status s = store->openReader(); !s)
        return makeError(s.error().code,
                         QStringLiteral("state database %1: %2").arg(path, s.error().message));
    return store;
}

int StateStore::schemaVersion() const
{
    std::lock_guard lock(m_readMutex);
    return schemaVersionLocked();
}

Result<QString> StateStore::identity() const
{
    std::lock_guard lock(m_readMutex);
    auto stmt = m_readDb.prepare("SELECT id FROM store_identity");
    if (!stmt)
        return storeError(m_path, "reading its identity", stmt.error());
    auto row = stmt->step();
    if (!row)
        return storeError(m_path, "reading its identity", row.error());
    if (!row.value())
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("state database %1 has no identity").arg(m_path));
    return stmt->columnQString(0);
}

Result<qint64> StateStore::beginRun(const QString &pipeline, const QString &file)
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare(
        "INSERT INTO runs(pipeline, file, started_ms, status) VALUES (?, ?, ?, 'running')");
    if (!stmt)
        return storeError(m_path, "recording a new run", stmt.error());
    stmt->bindText(1, pipeline);
    stmt->bindText(2, file);
    stmt->bindInt(3, common::nowMillis());
    if (Status s = stmt->run(); !s)
        return storeError(m_path, "recording a new run", s.error());
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
        return storeError(m_path, "recording the end of a run", stmt.error());
    stmt->bindInt(1, common::nowMillis());
    stmt->bindText(2, status);
    stmt->bindInt(3, totals.recordsIn);
    stmt->bindInt(4, totals.recordsOut);
    stmt->bindInt(5, totals.errors);
    stmt->bindInt(6, totals.deadLetters);
    stmt->bindText(7, message);
    stmt->bindInt(8, runId);
    return annotate(m_path, "recording the end of a run", changeOne(m_db, *stmt, runId, "run"));
}

Result<std::vector<RunRecord>> StateStore::runs(const QString &pipeline, int limit) const
{
    std::lock_guard lock(m_readMutex);
    auto stmt = m_readDb.prepare(std::string("SELECT ") + kRunColumns + " FROM runs" +
                                 (pipeline.isEmpty() ? "" : " WHERE pipeline = ?2") +
                                 " ORDER BY id DESC LIMIT ?1");
    if (!stmt)
        return storeError(m_path, "listing runs", stmt.error());
    stmt->bindInt(1, limit > 0 ? limit : -1);
    if (!pipeline.isEmpty())
        stmt->bindText(2, pipeline);
    return annotate(m_path, "listing runs", common::collectRows<RunRecord>(*stmt, readRun));
}

Result<RunRecord> StateStore::run(qint64 id) const
{
    std::lock_guard lock(m_readMutex);
    const std::string sql = std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?";
    return annotate(m_path, "reading a run", readOne<RunRecord>(m_readDb, sql, id, "run", readRun));
}

Status StateStore::appendMetrics(const std::vector<MetricSample> &samples)
{
    if (samples.empty())
        return {};
    std::lock_guard lock(m_mutex);
    return annotate(m_path, "appending metrics", insertMetrics(m_db, samples));
}

Result<std::vector<MetricSample>> StateStore::metrics(qint64 runId, const QString &node) const
{
    std::lock_guard lock(m_readMutex);
    auto stmt =
        m_readDb.prepare(std::string("SELECT run_id, node, time_ms, records_in, records_out, "
                                     "errors, dead_letters, queue_depth, lag_ms, "
                                     "bytes_behind, commit_ms, records_behind, "
                                     "retained_bytes, upstream_status FROM metrics "
                                     "WHERE run_id = ?1") +
                         (node.isEmpty() ? "" : " AND node = ?2") + " ORDER BY time_ms, rowid");
    if (!stmt)
        return storeError(m_path, "reading metrics", stmt.error());
    stmt->bindInt(1, runId);
    if (!node.isEmpty())
        stmt->bindText(2, node);
    return annotate(m_path, "reading metrics",
                    common::collectRows<MetricSample>(*stmt, readSample));
}

Result<qint64> StateStore::downsampleMetrics(qint64 beforeMs)
{
    std::lock_guard lock(m_mutex);
    // Whole minutes only, so a minute is never folded twice.
    const qint64 cutoff = beforeMs - beforeMs % 60000;
    WriteTransaction transaction(m_db);
    if (Status s = transaction.begin(); !s)
        return storeError(m_path, "downsampling metrics", s.error());
    Status s = m_db.exec("CREATE TEMP TABLE IF NOT EXISTS folded AS SELECT * FROM metrics WHERE 0; "
                         "DELETE FROM folded;");
    auto fold =
        s ? m_db.prepare(
                "INSERT INTO folded(run_id, node, time_ms, records_in, records_out, errors, "
                "dead_letters, queue_depth, lag_ms, bytes_behind, commit_ms, records_behind, "
                "retained_bytes, upstream_status, resolution_s) "
                "SELECT run_id, node, time_ms / 60000 * 60000, max(records_in), max(records_out), "
                "max(errors), max(dead_letters), max(queue_depth), max(lag_ms), min(bytes_behind), "
                "avg(commit_ms), max(records_behind), max(retained_bytes), "
                "CASE max(CASE upstream_status WHEN 'lost' THEN 4 WHEN 'unreserved' THEN 3 "
                "WHEN 'extended' THEN 2 WHEN 'reserved' THEN 1 ELSE 0 END) WHEN 4 THEN 'lost' "
                "WHEN 3 THEN 'unreserved' WHEN 2 THEN 'extended' WHEN 1 THEN 'reserved' "
                "ELSE max(upstream_status) END, " // the minute's worst slot state
                "60 FROM metrics WHERE resolution_s = 1 AND "
                "time_ms < ?1 "
                "GROUP BY run_id, node, time_ms / 60000")
          : Result<common::SqliteStatement>(s.error());
    if (!fold)
        return storeError(m_path, "downsampling metrics", fold.error());
    fold->bindInt(1, cutoff);
    if (Status r = fold->run(); !r)
        return storeError(m_path, "downsampling metrics", r.error());
    auto remove = m_db.prepare("DELETE FROM metrics WHERE resolution_s = 1 AND time_ms < ?1");
    if (!remove)
        return storeError(m_path, "downsampling metrics", remove.error());
    remove->bindInt(1, cutoff);
    if (Status r = remove->run(); !r)
        return storeError(m_path, "downsampling metrics", r.error());
    const qint64 folded = m_db.changes();
    if (Status r = m_db.exec("INSERT INTO metrics SELECT * FROM folded; DELETE FROM folded;"); !r)
        return storeError(m_path, "downsampling metrics", r.error());
    if (Status r = transaction.commit(); !r)
        return storeError(m_path, "downsampling metrics", r.error());
    return folded;
}

Status StateStore::write(const engine::NodeContext &node,
                         const std::vector<engine::DeadLetter> &letters)
{
    if (letters.empty())
        return {};
    std::lock_guard lock(m_mutex);
    return annotate(m_path, "writing dead letters", upsertDeadLetters(m_db, node, letters));
}

Result<std::vector<DeadLetterEntry>> StateStore::deadLetters(const DeadLetterFilter &filter,
                                                             int limit) const
{
    std::lock_guard lock(m_readMutex);
    auto stmt =
        m_readDb.prepare(std::string("SELECT ") + kDeadLetterColumns + " FROM dead_letters" +
                         filterClause(filter) + " ORDER BY id DESC LIMIT ?");
    if (!stmt)
        return storeError(m_path, "listing dead letters", stmt.error());
    const int next = bindFilter(*stmt, filter);
    stmt->bindInt(next, limit > 0 ? limit : -1);
    return annotate(m_path, "listing dead letters",
                    common::collectRows<DeadLetterEntry>(*stmt, readEntry));
}

Result<DeadLetterEntry> StateStore::deadLetter(qint64 id) const
{
    std::lock_guard lock(m_readMutex);
    const std::string sql =
        std::string("SELECT ") + kDeadLetterColumns + " FROM dead_letters WHERE id = ?";
    return annotate(m_path, "reading a dead letter",
                    readOne<DeadLetterEntry>(m_readDb, sql, id, "dead letter", readEntry));
}

Result<qint64> StateStore::countDeadLetters(const DeadLetterFilter &filter) const
{
    std::lock_guard lock(m_readMutex);
    auto stmt = m_readDb.prepare("SELECT count(*) FROM dead_letters" + filterClause(filter));
    if (!stmt)
        return storeError(m_path, "counting dead letters", stmt.error());
    bindFilter(*stmt, filter);
    auto row = stmt->step();
    if (!row)
        return storeError(m_path, "counting dead letters", row.error());
    return static_cast<qint64>(stmt->columnInt(0));
}

Result<qint64> StateStore::purgeDeadLetters(const DeadLetterFilter &filter)
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare("DELETE FROM dead_letters" + filterClause(filter));
    if (!stmt)
        return storeError(m_path, "purging dead letters", stmt.error());
    bindFilter(*stmt, filter);
    if (Status s = stmt->run(); !s)
        return storeError(m_path, "purging dead letters", s.error());
    return static_cast<qint64>(m_db.changes());
}

Status StateStore::removeDeadLetter(qint64 id)
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare("DELETE FROM dead_letters WHERE id = ?");
    if (!stmt)
        return storeError(m_path, "removing a dead letter", stmt.error());
    stmt->bindInt(1, id);
    return annotate(m_path, "removing a dead letter", changeOne(m_db, *stmt, id, "dead letter"));
}

Status StateStore::logEvent(qint64 runId, const QString &level, const QString &node,
                            const QString &message)
{
    std::lock_guard lock(m_mutex);
    auto stmt = m_db.prepare(
        "INSERT INTO events(time_ms, run_id, level, node, message) VALUES (?, ?, ?, ?, ?)");
    if (!stmt)
        return storeError(m_path, "logging an event", stmt.error());
    stmt->bindInt(1, common::nowMillis());
    stmt->bindInt(2, runId);
    stmt->bindText(3, level);
    stmt->bindText(4, node);
    stmt->bindText(5, message);
    return annotate(m_path, "logging an event", stmt->run());
}

namespace {

const char *roleName(NodeRole role)
{
    switch (role) {
    case NodeRole::Source:
        return "source";
    case NodeRole::Sink:
        return "sink";
    case NodeRole::Transform:
        break;
    }
    return "transform";
}

NodeRole roleFromName(const QString &name)
{
    if (name == QLatin1String("source"))
        return NodeRole::Source;
    if (name == QLatin1String("sink"))
        return NodeRole::Sink;
    return NodeRole::Transform;
}

const char *const kSampleColumns =
    "run_id, node, time_ms, records_in, records_out, errors, dead_letters, queue_depth, lag_ms, "
    "bytes_behind, commit_ms, records_behind, retained_bytes, upstream_status";

} // namespace

Status StateStore::recordRunNodes(qint64 runId, const std::vector<RunNode> &nodes)
{
    std::lock_guard lock(m_mutex);
    WriteTransaction tx(m_db);
    if (Status s = tx.begin(); !s)
        return storeError(m_path, "recording a run's nodes", s.error());
    auto stmt = m_db.prepare(
        "INSERT OR REPLACE INTO run_nodes(run_id, node, role, upstream) VALUES (?, ?, ?, ?)");
    if (!stmt)
        return storeError(m_path, "recording a run's nodes", stmt.error());
    for (const RunNode &n : nodes) {
        stmt->reset();
        stmt->bindInt(1, runId);
        stmt->bindText(2, n.node);
        stmt->bindText(3, std::string_view(roleName(n.role)));
        stmt->bindText(4, n.upstream.join(QLatin1Char('\n')));
        if (Status s = stmt->run(); !s)
            return storeError(m_path, "recording a run's nodes", s.error());
    }
    return annotate(m_path, "recording a run's nodes", tx.commit());
}

Result<std::vector<RunNode>> StateStore::runNodes(qint64 runId) const
{
    std::lock_guard lock(m_readMutex);
    auto stmt = m_readDb.prepare(
        "SELECT node, role, upstream FROM run_nodes WHERE run_id = ? ORDER BY rowid");
    if (!stmt)
        return storeError(m_path, "reading a run's nodes", stmt.error());
    stmt->bindInt(1, runId);
    return annotate(m_path, "reading a run's nodes",
                    common::collectRows<RunNode>(*stmt, [](const SqliteStatement &s) {
                        return RunNode{
                            s.columnQString(0), roleFromName(s.columnQString(1)),
                            s.columnQString(2).split(QLatin1Char('\n'), Qt::SkipEmptyParts)};
                    }));
}

Result<std::vector<MetricSample>>
StateStore::pipelineMetrics(const QString &pipeline, qint64 fromMs, const QString &node) const
{
    std::lock_guard lock(m_readMutex);
    // The runs that can have samples in the window, then each one's rows by the run index.
    // (Grouping into buckets in SQL measured slower: it sorts in a temporary B-tree.)
    auto stmt = m_readDb.prepare(
        std::string("SELECT ") + kSampleColumns +
        " FROM metrics WHERE run_id IN (SELECT id FROM runs WHERE pipeline = "
        "?1 AND (finished_ms = 0 OR finished_ms >= ?2)) AND time_ms >= ?2" +
        (node.isEmpty() ? "" : " AND node = ?3") + " ORDER BY run_id, node, time_ms");
    if (!stmt)
        return storeError(m_path, "reading metrics history", stmt.error());
    stmt->bindText(1, pipeline);
    stmt->bindInt(2, fromMs);
    if (!node.isEmpty())
        stmt->bindText(3, node);
    return annotate(m_path, "reading metrics history",
                    common::collectRows<MetricSample>(*stmt, readSample));
}

Result<std::vector<MetricSample>> StateStore::lastMetrics(qint64 runId) const
{
    std::lock_guard lock(m_readMutex);
    // The run's nodes (from run_nodes; from the samples for runs recorded before it), then one
    // index seek per node for its newest sample: cheap however long the run was.
    auto nodes =
        m_readDb.prepare("SELECT node FROM run_nodes WHERE run_id = ?1 UNION "
                         "SELECT DISTINCT node FROM metrics WHERE run_id = ?1 AND NOT EXISTS "
                         "(SELECT 1 FROM run_nodes WHERE run_id = ?1) ORDER BY 1");
    if (!nodes)
        return storeError(m_path, "reading a run's final metrics", nodes.error());
    nodes->bindInt(1, runId);
    auto names = common::collectRows<QString>(
        *nodes, [](const SqliteStatement &s) { return s.columnQString(0); });
    if (!names)
        return storeError(m_path, "reading a run's final metrics", names.error());
    auto newest = m_readDb.prepare(std::string("SELECT ") + kSampleColumns +
                                   " FROM metrics WHERE run_id = ?1 AND node = ?2 ORDER BY time_ms "
                                   "DESC, rowid DESC LIMIT 1");
    if (!newest)
        return storeError(m_path, "reading a run's final metrics", newest.error());
    std::vector<MetricSample> last;
    for (const QString &node : names.value()) {
        newest->reset();
        newest->bindInt(1, runId);
        newest->bindText(2, node);
        auto row = newest->step();
        if (!row)
            return storeError(m_path, "reading a run's final metrics", row.error());
        if (row.value())
            last.push_back(readSample(*newest));
    }
    return last;
}

Result<std::vector<EventEntry>> StateStore::events(qint64 runId, int limit) const
{
    std::lock_guard lock(m_readMutex);
    auto stmt = m_readDb.prepare(
        std::string("SELECT id, time_ms, coalesce(run_id, 0), level, coalesce(node, ''), message "
                    "FROM events") +
        (runId ? " WHERE run_id = ?2" : "") + " ORDER BY id DESC LIMIT ?1");
    if (!stmt)
        return storeError(m_path, "reading the event log", stmt.error());
    stmt->bindInt(1, limit > 0 ? limit : -1);
    if (runId)
        stmt->bindInt(2, runId);
    return annotate(m_path, "reading the event log",
                    common::collectRows<EventEntry>(*stmt, [](const SqliteStatement &s) {
                        return EventEntry{s.columnInt(0),     s.columnInt(1),
                                          s.columnInt(2),     s.columnQString(3),
                                          s.columnQString(4), s.columnQString(5)};
                    }));
}

} // namespace weir::state
