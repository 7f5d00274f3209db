#pragma once

// SqliteSource: incremental batch loads from a SQLite table or query. The position is a
// (watermark, key) cursor: rows come ordered by both, and the next read starts strictly after
// the last row committed, so rows sharing a watermark are never skipped and none is read
// twice. An optional lookback window reads recent rows again to catch late commits (rows
// already sent in this run are not sent again). One worker thread.

#include "common/sqlite_db.h"
#include "engine/node.h"
#include "model/node_config.h"

#include <chrono>
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

    // The offset that orders a watermark value: the number itself, or microseconds for an
    // ISO-8601 timestamp; 0 for anything else (the cursor still orders exactly).
    static std::int64_t offsetOf(const record::Value &watermark);

private:
    Status prepare();
    // The cursor as text: {"w": …, "k": …} with the values' own JSON types.
    static std::string encodeCursor(const record::Value &watermark, const record::Value &key);
    static bool decodeCursor(const std::string &text, record::Value &watermark, record::Value &key);
    void bindCursor(const record::Value &watermark, const record::Value &key);

    SqliteSourceOptions m_options;
    engine::NodeContext m_context;
    common::SqliteDb m_db;
    common::SqliteStatement m_first;  // the first rows, before any cursor
    common::SqliteStatement m_after;  // rows strictly after the cursor
    common::SqliteStatement m_window; // rows in the lookback window (late commits)
    record::SchemaPtr m_schema;
    int m_watermarkIndex = -1;
    int m_keyIndex = -1;
    record::Value m_watermark; // the cursor: last row handed out
    record::Value m_key;
    bool m_haveCursor = false;
    std::set<std::pair<std::string, std::string>> m_recent; // (watermark, key) sent, for lookback
    std::string m_stream;
    std::int64_t m_newestEventMicros = 0;
    std::chrono::steady_clock::time_point m_lastLookback;
};

} // namespace weir::connectors::sqlite
