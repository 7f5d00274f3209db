#pragma once

// BatchTable: presents the batch a sink is writing as a read-only SQLite virtual table, so a
// whole batch goes into the target with one INSERT … SELECT … ON CONFLICT statement instead of
// one statement per row. Registered on one connection; used by that connection's thread.

#include "common/result.h"
#include "record/batch.h"

#include <string>
#include <vector>

struct sqlite3;

namespace weir::connectors::sqlite {

class BatchTable final
{
public:
    // Registers the module on the connection (once per connection).
    static Status registerModule(sqlite3 *db, BatchTable *feed);

    // The batch the next scan reads. Deletes are skipped unless `withDeletes` (sinks write
    // them row by row; transforms see every event, its current values and its op).
    void setBatch(const record::Batch *batch, bool withDeletes = false)
    {
        m_batch = batch;
        m_withDeletes = withDeletes;
    }
    const record::Batch *batch() const { return m_batch; }
    bool withDeletes() const { return m_withDeletes; }

    // CREATE VIRTUAL TABLE statement for a table with these columns in the temp schema. Two
    // hidden columns come with them: _weir_row (the event's index in the batch) and _weir_op.
    static std::string createStatement(const std::string &tableName,
                                       const std::vector<std::string> &columns);

private:
    const record::Batch *m_batch = nullptr;
    bool m_withDeletes = false;
};

} // namespace weir::connectors::sqlite
