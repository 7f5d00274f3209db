#pragma once

// PostgresSource: incremental batch loads from a PostgreSQL table or query by a (watermark,
// key) cursor (connectors/incremental_cursor.h), the contract of sqlite.source.
//
// Rows are read by keyset pagination: each batch is one short statement for the next
// batch_size rows after the cursor (WHERE (watermark, key) > (…) ORDER BY … LIMIT), so a big
// first load never holds the whole table in memory, nor a snapshot or a lock on the table
// between batches (DDL and vacuum on the source are not held up by a slow target), and after a
// crash it resumes strictly after the last committed row. An index on (watermark, key) makes
// each batch a range scan. Text keys are compared in byte order (COLLATE "C") so the server orders
// rows exactly as the engine orders positions. Rows with a NULL watermark and the lookback window
// (late commits) are read as sqlite.source reads them. A lost connection is a transient error: the
// engine asks again and the source connects again, from the row it handed out last. One worker
// thread.

#include "connectors/incremental_cursor.h"
#include "connectors/postgres/pg_connection.h"
#include "engine/node.h"
#include "model/node_config.h"

#include <string>
#include <vector>

namespace weir::connectors::postgres {

struct PostgresSourceOptions
{
    std::string connection; // libpq URI or key=value string, secrets resolved
    std::string table;      // either a table…
    std::string query;      // …or a query
    std::string watermarkColumn;
    std::string keyColumn;
    std::int64_t lookbackSeconds = 0;
    int batchSize = 10000;
    int pollMs = 1000;

    static PostgresSourceOptions fromConfig(const model::NodeConfig &config);
};

// Test connection in the designer: the server, and whether the rows can be read.
Result<QString> testPostgresSourceConnection(const PostgresSourceOptions &options);

class PostgresSource final : public engine::SourceNode
{
public:
    explicit PostgresSource(PostgresSourceOptions options)
        : m_options(std::move(options)), m_lookback(m_options.lookbackSeconds)
    {
    }

    Status open(const engine::NodeContext &context,
                const std::vector<record::SourcePosition> &resumeFrom) override;
    Result<engine::StepStatus> next(record::Batch &batch,
                                    std::vector<engine::DeadLetter> &dead) override;
    engine::SourceProgress progress() const override;
    std::partial_ordering comparePositions(const record::SourcePosition &a,
                                           const record::SourcePosition &b) const override;

    std::size_t lookbackMemory() const { return m_lookback.size(); }

private:
    friend Result<QString> testPostgresSourceConnection(const PostgresSourceOptions &options);

    Status connect();
    Status describe(); // the columns read and the statements over them
    Result<std::size_t> fetch(record::Batch &batch);
    Result<std::size_t> readNullWatermarks(record::Batch &batch);
    Status readLookbackWindow(record::Batch &batch);
    record::ChangeEvent &appendRow(const PgResult &rows, int row, record::Batch &batch);
    Error located(Error error) const;

    PostgresSourceOptions m_options;
    engine::NodeContext m_context;
    PgConnection m_db;
    record::SchemaPtr m_schema;
    std::vector<unsigned> m_types;
    int m_watermarkIndex = -1;
    int m_keyIndex = -1;
    std::string m_relation; // the table or (query) AS src
    std::string m_order;    // the (watermark, key) order, collated where needed
    std::string m_rowValue; // (watermark, key) as compared with the cursor
    std::string m_keyOrder; // the key alone, collated where needed
    IncrementalCursor m_cursor;
    LookbackMemory m_lookback;
    std::string m_stream;
    std::int64_t m_newestEventMicros = 0;
};

} // namespace weir::connectors::postgres
