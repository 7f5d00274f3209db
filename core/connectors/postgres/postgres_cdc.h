#pragma once

// PostgresCdcSource: change data capture from PostgreSQL by logical replication with the
// built-in pgoutput plugin.
//
// On the first run the source creates the publication (when absent) and a replication slot that
// exports a snapshot; the tables' rows are read in that snapshot (op 'r'), then the change stream
// continues from the slot's consistent point: nothing in between is missed or read twice. Each
// change is named by its transaction's commit LSN and its index in it (cdc_position.h); the
// slot is told a transaction is done (its confirmed flush position moves) only in
// acknowledge(), once every sink committed it, so the server keeps whatever a restart may need.
// After a crash the slot sends again from its confirmed position and the changes the target
// already has are skipped by that name. A crash during the snapshot starts it again with a new
// slot (nothing of the old one was committed as streamed). A slot that is gone or invalidated
// stops the run with an error: Weir never quietly makes a new one, as changes would be lost.
//
// A table put into `tables` after changes were committed without it joins on the next run:
// Weir's own publication takes it, a temporary slot exports a snapshot at its consistent point,
// and the stream goes on from the slot's confirmed position, leaving out the table's changes
// that commit before that point (the snapshot has them). When the stream gets there the
// table's rows are handed out, as snapshot rows at that point; its later changes follow. A run
// stopped among those rows joins them again from a new snapshot, streaming their changes since
// the first one (like a stopped first snapshot, every key ends as in the source).
//
// Updates carry the new row (and the old one with REPLICA IDENTITY FULL); an update that
// changes the key is a delete of the old key and an insert. Heartbeats (a logical message
// every heartbeat_seconds) let the slot advance while the watched tables are quiet. With
// `once`, the run ends when the stream reaches the server's position at the start. One worker
// thread.

#include "connectors/postgres/cdc_position.h"
#include "connectors/postgres/cdc_slot.h"
#include "connectors/postgres/pg_connection.h"
#include "connectors/postgres/pgoutput.h"
#include "engine/node.h"
#include "model/node_config.h"
#include "model/node_type_registry.h"

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace weir::connectors::postgres {

struct PostgresCdcOptions
{
    std::string connection; // libpq URI or key=value string, secrets resolved
    std::vector<std::string> tables;
    std::string slot;        // empty: derived from the pipeline and node names
    std::string publication; // empty: the slot's name
    bool snapshot = true;    // snapshot "initial"; false for "never"
    int heartbeatSeconds = 10;

    static PostgresCdcOptions fromConfig(const model::NodeConfig &config);
};

// weir_<pipeline>_<node>, lower case, letters, digits and underscores, at most 63 bytes.
std::string defaultSlotName(const QString &pipeline, const QString &node);

// Drops the node's replication slot (weir-run drop-slot), unless a run is streaming from it.
// Says what it did: dropped (and how much WAL it held), or that there was none.
Result<QString> dropPostgresCdcSlot(const PostgresCdcOptions &options, const QString &pipeline,
                                    const QString &node);

// Test connection in the designer: the server, wal_level, replication rights, the tables.
Result<QString> testPostgresCdcConnection(const PostgresCdcOptions &options);

// What the Problems panel lists for a reachable server: a wal_level other than logical.
std::vector<model::FieldProblem> checkPostgresCdcServer(const PostgresCdcOptions &options);

class PostgresCdcSource final : public engine::SourceNode
{
public:
    explicit PostgresCdcSource(PostgresCdcOptions options) : m_options(std::move(options)) {}

    Status open(const engine::NodeContext &context,
                const std::vector<record::SourcePosition> &resumeFrom) override;
    Result<engine::StepStatus> next(record::Batch &batch,
                                    std::vector<engine::DeadLetter> &dead) override;
    engine::SourceProgress progress() const override;
    Status acknowledge(const record::SourcePosition &position) override;
    std::partial_ordering comparePositions(const record::SourcePosition &a,
                                           const record::SourcePosition &b) const override;

private:
    enum class Phase
    {
        Preview,
        Snapshot,
        Streaming,
        Joining, // the rows of tables that joined, at the stream's m_joinLsn
    };
    struct Table
    {
        TableName name;
        record::SchemaPtr schema;
        std::vector<unsigned> types;
        std::vector<std::size_t> keyColumns; // the replica identity (primary key when FULL)
        std::vector<std::string> key;        // their names, in table order (Batch::key)
        bool watched = false;                // one of the node's tables
    };
    struct Transaction
    {
        std::uint64_t lsn = 0; // of its commit
        std::int64_t commitMicros = 0;
        std::int64_t changes = 0; // seen so far, skipped ones included
        bool handedOut = false;   // some change of it went into a batch
    };

    Status connectSql();
    // The publication streams every table of `tables` (see ensurePublication); those the
    // resume position does not record go into m_joining.
    Status ensureTablesPublished(const std::optional<CdcPosition> &resume);
    Status prepareSlot(const std::optional<CdcPosition> &resume);
    Status startStreaming();
    // A snapshot for the tables in m_joining (see above), held open in m_join.
    Status startJoin();
    // The next rows of `tables` from the cursor on `db` as snapshot rows at `lsn`; false once
    // every table is read.
    Result<bool> readRows(record::Batch &batch, PgConnection &db,
                          const std::vector<TableName> &tables, std::uint64_t lsn);
    Result<engine::StepStatus> readSnapshot(record::Batch &batch);
    Result<engine::StepStatus> readJoin(record::Batch &batch);
    // A change of a table that joined, committed before m_joinSkipBefore: the join's snapshot
    // has it (with snapshot "never": it is from before the table was captured). Such changes
    // are not counted, as in the runs before the table joined.
    bool skippedForJoin(const TableName &table) const;
    Result<engine::StepStatus> readPreview(record::Batch &batch);
    Result<engine::StepStatus> readStream(record::Batch &batch,
                                          std::vector<engine::DeadLetter> &dead);
    // Applies one pgoutput message; false when it belongs in the next batch (another table).
    Result<bool> apply(const pgoutput::Message &message, record::Batch &batch,
                       std::vector<engine::DeadLetter> &dead);
    Result<bool> applyChange(const pgoutput::Message &message, record::Batch &batch,
                             std::vector<engine::DeadLetter> &dead);
    void handOut(record::Batch &batch, CdcPosition position);
    // Nothing received is waiting to be handed out or committed: the slot may move up to what
    // the server has sent.
    bool idle(const record::Batch &batch) const;
    Result<std::vector<std::size_t>> primaryKey(std::uint32_t relation,
                                                const record::SchemaPtr &schema);
    Status sendStatus();
    Result<std::uint64_t> emitHeartbeat();
    Status keepAlive();
    // Reads the slot's retained WAL and wal_status for progress().
    void checkSlotHealth();
    Error located(Error error) const;

    PostgresCdcOptions m_options;
    engine::NodeContext m_context;
    std::string m_slot;
    std::string m_publication;
    std::string m_stream;
    std::vector<TableName> m_tables;
    std::string m_captured;       // m_tables as positions record them (CdcPosition::tables)
    std::string m_positionTables; // what positions record now: m_captured less m_joining
    bool m_tablesRecorded = true; // the target has positions with m_captured
    PgConnection m_sql;           // catalog, snapshot, heartbeats
    PgConnection m_replication;   // the slot's stream
    bool m_streaming = false;     // START_REPLICATION is running on it
    Phase m_phase = Phase::Streaming;

    // Snapshot
    std::uint64_t m_consistentLsn = 0;
    std::size_t m_snapshotTable = 0;
    bool m_cursorOpen = false;
    std::int64_t m_snapshotRows = 0;
    record::SchemaPtr m_snapshotSchema;
    std::vector<std::string> m_snapshotKey;
    std::vector<unsigned> m_snapshotTypes;

    // Tables that joined after changes were committed without them
    std::vector<TableName> m_joining;
    std::uint64_t m_joinLsn = 0;             // their snapshot's consistent point (0: none)
    std::uint64_t m_joinSkipBefore = 0;      // their changes committed before it are not streamed
    std::uint64_t m_joinFromInPositions = 0; // CdcPosition::joinFrom of what is handed out
    PgConnection m_join;                     // holds that snapshot until their rows are read

    // Stream
    std::map<std::uint32_t, Table> m_relations;
    std::optional<CdcPosition> m_skipUpTo; // what the target (or this run) already has
    Transaction m_txn;
    bool m_inTxn = false;
    std::optional<std::string> m_held; // a message for the next batch
    CdcPosition m_handedOut;           // the last position put in a batch
    std::deque<CdcPosition> m_commits; // complete transactions handed out, not yet confirmed
    CdcPosition m_acknowledged;
    std::uint64_t m_confirmedLsn = 0; // told to the slot
    std::uint64_t m_serverLsn = 0;    // the newest WAL position the server reported
    std::uint64_t m_onceTarget = 0;   // with `once`: stop at this heartbeat
    bool m_caughtUp = false;
    std::int64_t m_newestCommitMicros = 0;
    std::chrono::steady_clock::time_point m_lastStatus;
    std::chrono::steady_clock::time_point m_lastHeartbeat;
    std::chrono::steady_clock::time_point m_lastSlotCheck;
    std::int64_t m_retainedBytes = -1; // the slot's, as last read
    std::int64_t m_lagBytes = -1;      // WAL written after the slot's confirmed position
    bool m_moreWaiting = false;        // the last batch ended with more to read
    std::string m_walStatus;
};

} // namespace weir::connectors::postgres
