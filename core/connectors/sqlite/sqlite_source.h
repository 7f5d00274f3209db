#pragma once

// SqliteSource: incremental batch loads from a SQLite table or query. The position is a
// (watermark, key) cursor: rows come ordered by both, and the next read starts strictly after
// the last row committed, so rows sharing a watermark are never skipped and none is read
// twice. Rows whose watermark is NULL cannot be ordered by it: they are read in key order by a
// second cursor (the highest such key read), once each, and again if their watermark is set
// later. An optional lookback window reads recent rows again to catch late commits (rows
// already sent in this run are not sent again). One worker thread.

#include "common/sqlite_db.h"
#include "engine/node.h"
#include "model/node_config.h"

#include <chrono>
#include <optional>
#include <set>

namespace weir::connectors::sqlite {

struct SqliteSourceOptions
{
    QString path;
    std::string table; // either a table…
    std::string query; // …or a query
    std::string watermarkColumn;
    std::string keyColumn;
    std::int64_t lookbackSeconds = 0;
    int batchSize = 10000;
    int pollMs = 1000;

    static SqliteSourceOptions fromConfig(const model::NodeConfig &config);
};

class SqliteSource final : public engine::SourceNode
{
public:
    explicit SqliteSource(SqliteSourceOptions options) : m_options(std::move(options)) {}

    Status open(const engine::NodeContext &context,
                const std::vector<record::SourcePosition> &resumeFrom) override;
    Result<engine::StepStatus> next(record::Batch &batch,
                                    std::vector<engine::DeadLetter> &dead) override;
    engine::SourceProgress progress() const override;
    // Rows remembered for the lookback window (bounded by the window; none without one).
    std::size_t lookbackMemory() const { return m_recent.size(); }
    // By (watermark, key), then by the NULL-watermark key cursor: a watermark is shared by many
    // rows, so the offset alone cannot order two batches.
    std::partial_ordering comparePositions(const record::SourcePosition &a,
                                           const record::SourcePosition &b) const override;

    // The offset that orders a watermark value: the number itself, or microseconds for an
    // ISO-8601 timestamp; 0 for anything else (the cursor still orders exactly).
    static std::int64_t offsetOf(const record::Value &watermark);

private:
    Status prepare();
    // The cursor as text: {"w": …, "k": …} with the values' own JSON types, plus "n": the
    // highest key read among rows whose watermark is NULL, once there was one. A row's own
    // location is the same text for its (watermark, key).
    static std::string encodeCursor(const record::Value &watermark, const record::Value &key,
                                    const record::Value *nullKey = nullptr);
    struct Cursor
    {
        record::Value watermark;
        record::Value key;
        std::optional<record::Value> nullKey;
    };
    static std::optional<Cursor> parseCursor(const std::string &text);
    bool decodeCursor(const std::string &text);
    std::string cursorText() const;
    // Reads up to the batch size from `stmt`, bound and ready; returns the rows read.
    Result<std::size_t> readRows(common::SqliteStatement &stmt, record::Batch &batch,
                                 bool nullWatermarks);
    record::ChangeEvent &appendRow(const common::SqliteStatement &stmt, record::Batch &batch);
    Result<std::size_t> readNullWatermarks(record::Batch &batch);
    void readLookbackWindow(record::Batch &batch);
    // Drops the remembered rows that are older than the lookback window before `newest`.
    void forgetBefore(std::int64_t newestMicros);

    SqliteSourceOptions m_options;
    engine::NodeContext m_context;
    common::SqliteDb m_db;
    common::SqliteStatement m_first;     // the first rows, before any cursor
    common::SqliteStatement m_after;     // rows strictly after the cursor
    common::SqliteStatement m_window;    // rows in the lookback window (late commits)
    common::SqliteStatement m_nullFirst; // rows with a NULL watermark, by key
    common::SqliteStatement m_nullAfter; // … after the NULL-watermark key cursor
    record::SchemaPtr m_schema;
    int m_watermarkIndex = -1;
    int m_keyIndex = -1;
    record::Value m_watermark; // the cursor: last row handed out
    record::Value m_key;
    bool m_haveCursor = false;
    record::Value m_nullKey; // the NULL-watermark cursor
    bool m_haveNullKey = false;
    // (watermark, key) sent in the lookback window, only for timestamp watermarks: anything
    // older than the window is forgotten after every read.
    std::set<std::pair<std::string, std::string>> m_recent;
    std::string m_stream;
    std::int64_t m_newestEventMicros = 0;
    std::chrono::steady_clock::time_point m_lastLookback;
};

} // namespace weir::connectors::sqlite
