#pragma once

// The server side of postgres.cdc: the checks before streaming (wal_level, the tables), the
// publication that says which tables are sent, and the replication slot that keeps the changes
// until Weir confirms them. Each takes the connection to use; none keeps state.

#include "connectors/postgres/pg_connection.h"

#include <cstdint>
#include <string>
#include <vector>

namespace weir::connectors::postgres {

// "schema.table" (or "table", in public) as a quoted SQL name, and its two parts.
struct TableName
{
    std::string schema;
    std::string table;

    static TableName parse(const std::string &qualified);
    std::string quoted() const;
    std::string text() const { return schema + "." + table; }
};

// An Invalid error saying how to fix a server whose wal_level is not logical.
Status checkWalLevel(PgConnection &db);

// Creates the publication for `tables` when it does not exist. An existing one must publish
// them all: with `addMissing` (Weir's own publication, before a snapshot) the missing ones are
// added; otherwise the error names them and ends with `advice` (Weir never changes a
// publication it did not create).
Status ensurePublication(PgConnection &db, const std::string &publication,
                         const std::vector<TableName> &tables, bool addMissing,
                         const QString &advice);

// The columns the change stream names a row of `table` by, in table order: its replica
// identity index (by default the primary key, unless deferrable; with FULL the primary key).
// Empty when it has none.
Result<std::vector<std::string>> keyColumnsOf(PgConnection &db, const TableName &table);

struct SlotState
{
    bool exists = false;
    std::string plugin;
    std::string walStatus; // reserved, extended, unreserved, lost
    std::uint64_t confirmedFlushLsn = 0;
    std::int64_t retainedBytes = 0; // WAL the slot keeps on the server
    std::int64_t lagBytes = 0;      // WAL written after its confirmed position
    bool active = false;
};

Result<SlotState> inspectSlot(PgConnection &db, const std::string &slot);
Status dropSlot(PgConnection &db, const std::string &slot);

struct CreatedSlot
{
    std::uint64_t consistentLsn = 0;
    std::string snapshotName; // empty unless exported
};

enum class SlotLife
{
    Permanent,
    Temporary, // dropped when the connection that made it closes
};

// On a replication connection. With `exportSnapshot`, the snapshot stays importable (SET
// TRANSACTION SNAPSHOT) until this connection runs its next command.
Result<CreatedSlot> createSlot(PgConnection &replication, const std::string &slot,
                               bool exportSnapshot, SlotLife life = SlotLife::Permanent);

} // namespace weir::connectors::postgres
