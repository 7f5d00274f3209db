#pragma once

// SqliteSink: writes change events into a SQLite table — append, or upsert on key columns with
// last-write-wins by an ordering column, deletes applied (hard or soft) — and commits each
// batch together with the source positions it covers (table _weir_offsets): exactly-once.
// Lives on one engine worker thread.

#include "common/sqlite_db.h"
#include "connectors/sqlite/batch_table.h"
#include "connectors/sqlite/wal_checkpointer.h"
#include "connectors/table_routing.h"
#include "engine/node.h"
#include "model/node_config.h"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace weir::connectors::sqlite {

struct SqliteSinkOptions
{
    QString path;
    std::string table;
    bool upsert = true;
    std::vector<std::string> keyColumns;
    std::string orderBy; // empty: the newest event always wins
    bool softDelete = false;
    std::string deletedColumn = "_deleted";
    bool createTable = true;
    bool synchronousFull = false;
    std::int64_t commitRows = 1000000;              // commit once this many rows are staged…
    std::chrono::milliseconds commitInterval{5000}; // …or a transaction is this old

    static SqliteSinkOptions fromConfig(const model::NodeConfig &config);
};

class SqliteSink final : public engine::SinkNode
{
public:
    explicit SqliteSink(SqliteSinkOptions options)
        : m_options(std::move(options)), m_router(m_options.table), m_targetTable(m_options.table)
    {
    }

    Status open(const engine::NodeContext &context) override;
    Result<std::vector<record::SourcePosition>> committedPositions() override;
    Result<std::optional<record::SourcePosition>>
    positionNow(const std::string &sourceNode, const std::string &stream) const override;
    Result<engine::SinkWriteStats> write(const record::Batch &batch) override;
    Status flush() override;
    Status close() override;
    double lastCommitMillis() const override { return m_lastCommitMillis; }

private:
    struct TableColumn
    {
        std::string name;
        bool isKey = false;
    };

    Status prepareFor(const record::Batch &batch);
    Status ensureTable(const record::Batch &batch);
    Result<std::vector<std::string>> existingColumns();
    Status writeEvents(const record::Batch &batch, std::vector<engine::DeadLetter> &dead);
    // One statement for the whole batch when it has no deletes; false when the rows must go
    // one by one (a delete, or a row the table refused). `status` holds a transient failure.
    bool writeAtOnce(const record::Batch &batch, Status &status);
    Status writePositions(const record::Batch &batch);
    void bindValue(common::SqliteStatement &stmt, int index, const record::Value &value,
                   std::string &scratch);
    Error errorAt(const Error &error) const;

    SqliteSinkOptions m_options;
    TableRouter m_router;
    std::string m_targetTable; // the target of the current batch (see table_routing.h)
    engine::NodeContext m_context;
    common::SqliteDb m_db;
    WalCheckpointer m_checkpointer; // after m_db: stops before the writer closes
    record::SchemaPtr m_preparedFor;
    std::vector<std::string> m_key; // the current batch's key columns (upsertKey)
    std::vector<int> m_keyIndexes;  // schema index of each key column
    int m_orderIndex = -1;
    common::SqliteStatement m_insert;
    common::SqliteStatement m_bulkInsert;
    BatchTable m_feed;
    common::SqliteStatement m_delete;
    common::SqliteStatement m_savePosition;
    std::vector<std::string> m_scratch; // text of timestamps and numbers bound without copy
    double m_lastCommitMillis = 0.0;
    bool m_inTransaction = false;
    std::int64_t m_stagedRows = 0;
    std::chrono::steady_clock::time_point m_transactionStart;
};

} // namespace weir::connectors::sqlite
