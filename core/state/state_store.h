#pragma once

// StateStore: one SQLite file per user for runs, per-second metrics, the dead-letter queue,
// checkpoints and the event log. Thread-safe. Writers share one connection under one mutex;
// readers (the const calls) have a connection and mutex of their own, so the designer reading
// history or dead letters never waits behind the engine's writes (WAL lets both run at once).

#include "common/result.h"
#include "common/sqlite_db.h"
#include "engine/node.h"

#include <QString>
#include <QStringList>
#include <memory>
#include <mutex>
#include <vector>

namespace weir::state {

struct RunTotals
{
    qint64 recordsIn = 0;  // read by sources
    qint64 recordsOut = 0; // written by sinks
    qint64 errors = 0;
    qint64 deadLetters = 0;
};

struct RunRecord
{
    qint64 id = 0;
    QString pipeline;
    QString file;
    qint64 startedMs = 0;
    qint64 finishedMs = 0; // 0 while running
    QString status;        // running, finished, failed, interrupted
    RunTotals totals;
    QString message;
};

struct MetricSample
{
    qint64 runId = 0;
    QString node;
    qint64 timeMs = 0;
    qint64 recordsIn = 0;
    qint64 recordsOut = 0;
    qint64 errors = 0;
    qint64 deadLetters = 0;
    qint64 queueDepth = 0;
    qint64 lagMs = -1;       // event-time lag, -1 when unknown
    qint64 bytesBehind = -1; // -1 when unknown
    double commitMillis = 0.0;
    qint64 recordsBehind = -1;   // -1 when unknown
    qint64 retainedBytes = -1;   // what the upstream keeps for a source (a slot's WAL), -1: none
    QString upstreamStatus = {}; // a word on it (a slot's wal_status), empty when none
};

// What a node does in a run; recorded when the run starts so that history, completeness
// and charts of past runs do not depend on the pipeline file as it is today.
enum class NodeRole
{
    Source,
    Transform,
    Sink
};

struct RunNode
{
    QString node;
    NodeRole role = NodeRole::Transform;
    QStringList upstream; // the nodes feeding it
};

struct EventEntry
{
    qint64 id = 0;
    qint64 timeMs = 0;
    qint64 runId = 0;
    QString level; // info, warning, error, alert
    QString node;
    QString message;
};

struct DeadLetterEntry
{
    qint64 id = 0;
    QString pipeline;
    QString node;
    QString stream;
    qint64 offset = 0;
    qint64 line = 0;
    QString error;
    int attempts = 0;
    QString payload;
    qint64 createdMs = 0;
    qint64 runId = 0;
    std::string location = {}; // with stream and offset, which record this is (see ChangeEvent)
    std::string table = {};    // the upstream table, when the source reads several
    std::vector<std::string> key = {}; // its key columns, when the source knows them
};

// Where a dead letter's record was, for people: "STREAM:LINE" in a text file, "STREAM LOCATION"
// where the source names its rows (a table's key and watermark), else "STREAM@OFFSET".
// `stream` is how the caller shows the stream (a full path, or just the file name).
QString recordPlace(const DeadLetterEntry &entry, const QString &stream);

// Empty members match everything; errorContains is a case-insensitive substring.
struct DeadLetterFilter
{
    QString pipeline;
    QString node;
    QString errorContains;
};

class StateStore final : public engine::DeadLetterWriter
{
public:
    // Opens or creates the store and migrates its schema to the current version.
    static Result<std::unique_ptr<StateStore>> open(const QString &path);
    // QStandardPaths::AppDataLocation/state.db
    static QString defaultPath();

    const QString &path() const { return m_path; }
    int schemaVersion() const;
    // Random, made with the store and never changed: what tells this store's dead letters
    // from another's that has the same ids (a second --state for one pipeline).
    Result<QString> identity() const;

    Result<qint64> beginRun(const QString &pipeline, const QString &file);
    Status finishRun(qint64 runId, const QString &status, const RunTotals &totals,
                     const QString &message);
    Result<std::vector<RunRecord>> runs(const QString &pipeline, int limit) const;
    Result<RunRecord> run(qint64 id) const;

    Status recordRunNodes(qint64 runId, const std::vector<RunNode> &nodes);
    Result<std::vector<RunNode>> runNodes(qint64 runId) const;

    Status appendMetrics(const std::vector<MetricSample> &samples);
    Result<std::vector<MetricSample>> metrics(qint64 runId, const QString &node) const;
    // Folds the per-second samples taken before `beforeMs` into one sample per node and
    // minute: counters keep their last value, lag and queue depth their worst, commit time its
    // mean. Returns how many per-second samples were folded.
    Result<qint64> downsampleMetrics(qint64 beforeMs);
    // The samples of the pipeline's runs taken at or after `fromMs` (of one node when `node` is
    // given), ordered by run, node and time: the order of the covering index metrics_history,
    // read sequentially with no sort, so a 24 h window of 50 nodes takes tens of milliseconds.
    Result<std::vector<MetricSample>> pipelineMetrics(const QString &pipeline, qint64 fromMs,
                                                      const QString &node = {}) const;
    // The newest sample of each node of a run: its final counters once the run has ended.
    Result<std::vector<MetricSample>> lastMetrics(qint64 runId) const;

    // DeadLetterWriter: durable on return. The same record (pipeline, node, stream, offset,
    // location) failing again bumps its attempt count and error instead of adding a second entry.
    Status write(const engine::NodeContext &node,
                 const std::vector<engine::DeadLetter> &letters) override;
    Result<std::vector<DeadLetterEntry>> deadLetters(const DeadLetterFilter &filter,
                                                     int limit) const;
    Result<DeadLetterEntry> deadLetter(qint64 id) const;
    Result<qint64> countDeadLetters(const DeadLetterFilter &filter) const;
    Result<qint64> purgeDeadLetters(const DeadLetterFilter &filter);
    Status removeDeadLetter(qint64 id);

    Status logEvent(qint64 runId, const QString &level, const QString &node,
                    const QString &message);
    // Newest first; runId 0 lists every run's events.
    Result<std::vector<EventEntry>> events(qint64 runId, int limit) const;

private:
    StateStore(QString path, common::SqliteDb db) : m_path(std::move(path)), m_db(std::move(db)) {}
    Status migrate();
    Status openReader();
    int schemaVersionLocked() const; // with m_readMutex held

    QString m_path;
    std::mutex m_mutex; // guards m_db
    common::SqliteDb m_db;
    mutable std::mutex m_readMutex; // guards m_readDb
    mutable common::SqliteDb m_readDb;
};

} // namespace weir::state
