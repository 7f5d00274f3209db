#pragma once

// BatchQuery: runs an SQL query over a batch in an in-memory SQLite database, where the batch
// is the table "batch" (its columns, plus hidden _weir_row and _weir_op). Filter, derive and
// SQL transforms are built on it, so expressions mean exactly what they mean in SQLite.
// One instance per node runtime, used from its worker thread.

#include "common/result.h"
#include "common/sqlite_db.h"
#include "connectors/sqlite/batch_table.h"
#include "record/batch.h"

#include <functional>
#include <string>

namespace weir::transforms {

class BatchQuery final
{
public:
    // `sql` is prepared again whenever the batch schema changes.
    explicit BatchQuery(std::string sql) : m_sql(std::move(sql)) {}

    // Runs the query over `batch`; `row` is called for every result row with the statement
    // positioned on it. An error names what SQLite said.
    Status run(const record::Batch &batch,
               const std::function<void(const common::SqliteStatement &)> &row);

    // Result column names of the prepared statement (after a run()).
    std::vector<std::string> columnNames() const;

    // A result column as a record value: INTEGER, REAL, TEXT, BLOB or NULL.
    static record::Value valueAt(const common::SqliteStatement &stmt, int column);

private:
    Status prepareFor(const record::Schema &schema);

    std::string m_sql;
    common::SqliteDb m_db;
    connectors::sqlite::BatchTable m_feed;
    common::SqliteStatement m_stmt;
    const record::Schema *m_preparedFor = nullptr;
    record::SchemaPtr m_schemaHold; // keeps m_preparedFor alive
};

} // namespace weir::transforms
