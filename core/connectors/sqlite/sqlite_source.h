#pragma once

// SqliteSource: incremental batch loads from a SQLite table or query by a (watermark, key)
// cursor (connectors/incremental_cursor.h). An optional lookback window reads recent rows
// again to catch late commits (rows already sent in this run are not sent again). One worker
// thread.

#include "common/sqlite_db.h"
#include "connectors/incremental_cursor.h"
#include "engine/node.h"
#include "model/node_config.h"

#include <chrono>

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
    explicit SqliteSource(SqliteSourceOptions options)
        : m_options(std::move(options)), m_lookback(m_options.lookbackSeconds)
    {
    }

    Status open(const engine::NodeContext &context,
                const std::vector<record::SourcePosition> &resumeFrom) override;
    Result<engine::StepStatus> next(record::Batch &batch,
                                    std::vector<engine::DeadLetter> &dead) override;
    engine::SourceProgress progress() const override;
    // Rows remembered for the lookback window (bounded by the window; none without one).
    std::size_t lookbackMemory() const { return m_lookback.size(); }
    // By the cursor: a watermark is shared by many rows, so the offset alone cannot order two
    // batches.
    std::partial_ordering comparePositions(const record::SourcePosition &a,
                                           const record::SourcePosition &b) const override;

private:
    Status prepare();
    // Reads up to the batch size from `stmt`, bound and ready; returns the rows read.
    Result<std::size_t> readRows(common::SqliteStatement &stmt, record::Batch &batch,
                                 bool nullWatermarks);
    record::ChangeEvent &appendRow(const common::SqliteStatement &stmt, record::Batch &batch);
    Result<std::size_t> readNullWatermarks(record::Batch &batch);
    void readLookbackWindow(record::Batch &batch);

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
    IncrementalCursor m_cursor;
    LookbackMemory m_lookback;
    std::string m_stream;
    std::int64_t m_newestEventMicros = 0;
    std::chrono::steady_clock::time_point m_lastLookback;
};

} // namespace weir::connectors::sqlite
