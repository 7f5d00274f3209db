#pragma once

// PostgresSink: writes change events into a PostgreSQL table with the contract of the SQLite
// sink — upsert on key columns with last-write-wins by an ordering column and deletes applied
// (hard or soft), or append — and commits the source positions it covers (table _weir_offsets)
// in the same transaction: exactly-once.
//
// Each batch is COPYed into a temporary staging table shaped like the target, then merged
// with one INSERT … ON CONFLICT … DO UPDATE … WHERE (an older version never overwrites a newer
// one) after the deletes. A batch the server refuses (a value that does not fit a column) is
// staged again in halves, each under a savepoint, down to the single rows it refuses, which go
// to the dead-letter queue. Several batches share a transaction up to commit_rows /
// commit_interval_ms. Lives on one engine worker thread.

#include "connectors/postgres/pg_binary_copy.h"
#include "connectors/postgres/pg_connection.h"
#include "connectors/table_routing.h"
#include "engine/node.h"
#include "model/node_config.h"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace weir::connectors::postgres {

struct PostgresSinkOptions
{
    std::string connection; // libpq URI or key=value string, secrets resolved
    std::string table;
    bool upsert = true;
    std::vector<std::string> keyColumns;
    std::string orderBy; // empty: the last event of a key wins
    bool softDelete = false;
    std::string deletedColumn = "_deleted";
    bool createTable = true;
    std::int64_t commitRows = 1000000;
    std::chrono::milliseconds commitInterval{5000};

    static PostgresSinkOptions fromConfig(const model::NodeConfig &config);
};

// Test connection in the designer: the server's version, the database and user, and what the
// first run will do with the table.
Result<QString> testPostgresSinkConnection(const PostgresSinkOptions &options);

class PostgresSink final : public engine::SinkNode
{
public:
    explicit PostgresSink(PostgresSinkOptions options)
        : m_options(std::move(options)), m_router(m_options.table), m_targetTable(m_options.table)
    {
    }

    Status open(const engine::NodeContext &context) override;
    Result<std::vector<record::SourcePosition>> committedPositions() override;
    Result<engine::SinkWriteStats> write(const record::Batch &batch) override;
    Status flush() override;
    Status close() override;
    double lastCommitMillis() const override { return m_lastCommitMillis; }
    // Each write costs a few statements whatever its size: 50k rows per merge rather than 10k
    // take a tenth off a 1M-row load.
    std::size_t preferredBatchRows() const override { return 50000; }

private:
    Status prepareFor(const record::Batch &batch);
    // Which columns of the records are arrays in the target (JSON arrays are converted), and
    // how each is written in COPY's binary format, if every one can be.
    Status readColumnTypes(const record::Schema &schema);
    // Whether the sink may pick the latest version of each key itself, and the one kind of
    // order value it may compare then: the order_by column's type in the target decides.
    Result<std::pair<bool, std::optional<record::ValueKind>>> orderKindOfTarget();
    Status ensureTable(const record::Batch &batch);
    // Stages the batch (all rows, or in halves when the server refuses some) and merges it.
    Status writeEvents(const record::Batch &batch, std::vector<engine::DeadLetter> &dead);
    // The rows [from, to) to stage when only the latest version of each key needs to be
    // (latestPerKey); nullopt: all of them.
    std::optional<std::vector<std::size_t>> latestVersions(const record::Batch &batch,
                                                           std::size_t from, std::size_t to) const;
    // COPYs the rows [from, to) of the batch (only `latest` of them when given) into the empty
    // staging table and merges them into the target; in COPY's binary format when allowed and
    // every value fits (text is what the refused-row search uses: the server's error then
    // quotes the value).
    Status stageAndMerge(const record::Batch &batch, std::size_t from, std::size_t to,
                         const std::optional<std::vector<std::size_t>> &latest, bool binaryAllowed);
    // Writes the rows [from, to) of a refused batch in halves, down to single rows; the rows
    // refused on their own go to `dead`.
    Status writeHalves(const record::Batch &batch, std::size_t from, std::size_t to,
                       std::vector<engine::DeadLetter> &dead);
    Status writePositions(const record::Batch &batch);
    Error errorAt(const Error &error) const;

    // What writing into one target table takes, made once per target in a session (again when
    // the records' columns change): its temporary staging table and statements. A stream of
    // several upstream tables switches between them without re-making anything.
    struct Target
    {
        std::string stage;                            // the staging table, e.g. _weir_stage_1
        record::SchemaPtr schema;                     // the records' columns it is made for
        std::vector<std::string> key;                 // and the key columns
        std::string copySql;                          // every row, its place and its op…
        std::string copyLatestSql;                    // …or the values only (latestPerKey)
        std::vector<std::string> mergeSql;            // run in order after each staging…
        std::vector<std::string> mergeWithoutDeletes; // …or these when it holds no delete…
        std::vector<std::string> mergeLatest;         // …or one version per key (latestPerKey)
        std::vector<int> keyIndices;                  // key columns in the schema
        int orderIndex = -1;                          // order_by column, or -1
        std::vector<bool> arrayColumns;               // by schema index: the target's arrays
        std::vector<BinaryColumn> binaryColumns;      // by schema index; empty: text COPY only
        std::string copyBinarySql;                    // copySql and copyLatestSql, binary
        std::string copyLatestBinarySql;
        bool clientPicksLatest = false;             // latestVersions may pick (see below)
        std::optional<record::ValueKind> orderKind; // the only order values it compares
    };
    // Forgets every target: their staging tables went with a rolled-back transaction.
    void forgetTargets();

    PostgresSinkOptions m_options;
    TableRouter m_router;
    std::string m_targetTable;      // the current batch's target (see table_routing.h)
    std::vector<std::string> m_key; // and its key columns (upsertKey)
    engine::NodeContext m_context;
    PgConnection m_db;
    std::map<std::string, Target> m_targets; // by target table
    Target *m_target = nullptr;              // the current batch's, made by prepareFor
    bool m_inTransaction = false;
    std::int64_t m_stagedRows = 0;
    std::chrono::steady_clock::time_point m_transactionStart;
    double m_lastCommitMillis = 0.0;
};

} // namespace weir::connectors::postgres
