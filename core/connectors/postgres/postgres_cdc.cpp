#include "connectors/postgres/postgres_cdc.h"

#include "common/sqlite_db.h"
#include "common/time_format.h"
#include "connectors/postgres/pg_values.h"
#include "record/record_json.h"

#include <QRandomGenerator>
#include <algorithm>
#include <set>
#include <type_traits>

namespace weir::connectors::postgres {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t kBatchRows = 10000;                   // changes or snapshot rows per batch
constexpr auto kBatchWait = std::chrono::milliseconds(200); // to fill a batch with changes
constexpr auto kStatusEvery = std::chrono::seconds(10);     // wal_sender_timeout is 60 s
constexpr auto kSlotHealthEvery = std::chrono::seconds(5);  // the monitor's slot figures
constexpr const char *kHeartbeatPrefix = "weir.heartbeat";

std::string literal(const std::string &text)
{
    std::string out = "'";
    for (char c : text)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

// Tables as positions record them: "schema.table", sorted, one per line.
std::string tablesText(const std::vector<TableName> &tables)
{
    std::set<std::string> sorted;
    for (const TableName &t : tables)
        sorted.insert(t.text());
    std::string text;
    for (const std::string &t : sorted)
        text += (text.empty() ? "" : "\n") + t;
    return text;
}

// The sent columns of a row as a JSON object (unchanged TOASTed ones left out): a dead letter's
// payload, so what PostgreSQL sent is kept and can be looked at.
QString knownColumnsJson(const std::vector<std::string> &names, const std::vector<unsigned> &types,
                         const pgoutput::Tuple &tuple)
{
    std::vector<std::string> columns;
    record::ChangeEvent row;
    for (std::size_t i = 0; i < tuple.size() && i < names.size(); ++i) {
        if (tuple[i].kind == pgoutput::TupleValue::Kind::Unchanged)
            continue;
        columns.push_back(names[i]);
        row.after.push_back(tuple[i].kind == pgoutput::TupleValue::Kind::Null
                                ? record::Value()
                                : valueFromPgText(types[i], tuple[i].bytes));
    }
    return QString::fromStdString(record::eventToJson(*record::makeSchema(columns), row));
}

} // namespace

PostgresCdcOptions PostgresCdcOptions::fromConfig(const model::NodeConfig &config)
{
    PostgresCdcOptions o;
    o.connection = config.string(QStringLiteral("connection")).toStdString();
    for (const QString &t : config.stringList(QStringLiteral("tables")))
        o.tables.push_back(t.toStdString());
    o.slot = config.string(QStringLiteral("slot")).toStdString();
    o.publication = config.string(QStringLiteral("publication")).toStdString();
    o.snapshot = config.string(QStringLiteral("snapshot")) != QLatin1String("never");
    o.heartbeatSeconds = static_cast<int>(config.integer(QStringLiteral("heartbeat_seconds")));
    return o;
}

std::string defaultSlotName(const QString &pipeline, const QString &node)
{
    std::string name = "weir";
    for (const QString &part : {pipeline, node}) {
        name += '_';
        for (const QChar c : part.toLower()) {
            const bool plain = (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9');
            name += plain ? static_cast<char>(c.unicode()) : '_';
        }
    }
    return name.substr(0, 63);
}

Result<QString> testPostgresCdcConnection(const PostgresCdcOptions &options)
{
    auto db = PgConnection::connect(options.connection);
    if (!db)
        return db.error();
    if (Status s = checkWalLevel(db.value()); !s)
        return s.error();
    auto who = db->query("SELECT current_database(), current_user, (SELECT rolreplication OR "
                         "rolsuper FROM pg_roles WHERE rolname = current_user)");
    if (!who)
        return who.error();
    if (who->text(0, 2) != "t")
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("user %1 may not use replication: ALTER ROLE %1 "
                                        "REPLICATION (as a superuser)")
                             .arg(q(who->text(0, 1))));
    QStringList tables;
    for (const std::string &t : options.tables) {
        const TableName name = TableName::parse(t);
        auto found = db->query("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2",
                               {name.schema, name.table});
        if (!found)
            return found.error();
        if (found->rows() == 0)
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("table %1 does not exist").arg(q(name.text())));
        tables << q(name.text());
    }
    return QStringLiteral("PostgreSQL %1, database %2 as %3: wal_level is logical, replication "
                          "allowed; tables %4 found.")
        .arg(q(db->serverVersion()), q(who->text(0, 0)), q(who->text(0, 1)),
             tables.join(QStringLiteral(", ")));
}

std::vector<model::FieldProblem> checkPostgresCdcServer(const PostgresCdcOptions &options)
{
    auto db = PgConnection::connect(options.connection);
    if (!db || !db->exec("SET statement_timeout = 10000")) // a server that hangs: no answer
        return {};
    Status level = checkWalLevel(db.value());
    if (level || level.error().code != ErrorCode::Invalid)
        return {};
    return {{QStringLiteral("connection"), level.error().message}};
}

Result<QString> dropPostgresCdcSlot(const PostgresCdcOptions &options, const QString &pipeline,
                                    const QString &node)
{
    const std::string slot = options.slot.empty() ? defaultSlotName(pipeline, node) : options.slot;
    auto db = PgConnection::connect(options.connection);
    if (!db)
        return db.error();
    auto state = inspectSlot(db.value(), slot);
    if (!state)
        return state.error();
    if (!state->exists)
        return QStringLiteral("no replication slot %1 in this database: nothing to drop")
            .arg(q(slot));
    if (state->active)
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("replication slot %1 is in use: a run is streaming from "
                                        "it; stop the run first")
                             .arg(q(slot)));
    if (Status s = dropSlot(db.value(), slot); !s)
        return s.error();
    return QStringLiteral("dropped replication slot %1, which held %2 MB of WAL; the next run "
                          "of node '%3' needs an empty target to start again from a snapshot")
        .arg(q(slot))
        .arg(static_cast<double>(state->retainedBytes) / (1024.0 * 1024.0), 0, 'f', 1)
        .arg(node);
}

Error PostgresCdcSource::located(Error error) const
{
    error.nodeId = m_context.nodeId;
    return error;
}

Status PostgresCdcSource::connectSql()
{
    auto db = PgConnection::connect(m_options.connection);
    if (!db)
        return db.error();
    m_sql = std::move(db.value());
    return m_sql.exec(kReadSessionSettings);
}

Status PostgresCdcSource::open(const engine::NodeContext &context,
                               const std::vector<record::SourcePosition> &resumeFrom)
{
    m_context = context;
    m_slot = m_options.slot.empty() ? defaultSlotName(context.pipelineName, context.nodeId)
                                    : m_options.slot;
    m_publication = m_options.publication.empty() ? m_slot : m_options.publication;
    m_stream = "postgres-cdc:" + m_slot;
    m_tables.clear();
    for (const std::string &t : m_options.tables)
        m_tables.push_back(TableName::parse(t));
    if (m_tables.empty())
        return located(makeError(ErrorCode::Invalid, QStringLiteral("no tables to capture")));
    m_captured = m_positionTables = tablesText(m_tables);
    m_joining.clear();
    m_joinLsn = m_joinSkipBefore = m_joinFromInPositions = 0;
    m_join = PgConnection();
    m_replication = PgConnection(); // an earlier try's, when the engine opens again
    m_streaming = false;
    if (Status s = connectSql(); !s)
        return located(s.error());
    if (context.preview) { // read the first table's rows; no slot, no publication
        m_phase = Phase::Preview;
        return {};
    }
    if (Status s = checkWalLevel(m_sql); !s)
        return located(s.error());
    std::optional<CdcPosition> resume;
    for (const record::SourcePosition &p : resumeFrom) {
        if (p.stream == m_stream)
            resume = CdcPosition::fromSource(p);
    }
    if (Status s = ensureTablesPublished(resume); !s)
        return located(s.error());
    // Before the stream starts: no one would answer the server while the snapshot waits for
    // running transactions.
    if (!m_joining.empty() && m_options.snapshot) {
        if (Status s = startJoin(); !s)
            return located(s.error());
    }
    if (Status s = prepareSlot(resume); !s)
        return located(s.error());
    return {};
}

Status PostgresCdcSource::ensureTablesPublished(const std::optional<CdcPosition> &resume)
{
    // Until a change is committed from the slot (a first run, or one stopped in its first
    // snapshot) every table is read whole: Weir's own publication may take more. Afterwards a
    // table new in `tables` joins (startJoin), or with snapshot "never" is streamed from now on.
    const bool own = m_options.publication.empty();
    const bool nothingStreamed =
        !resume || (resume->snapshot && !resume->complete() && resume->joinFrom == 0);
    const QString advice =
        QStringLiteral("ALTER PUBLICATION %1 ADD TABLE …, or name another publication")
            .arg(q(m_publication));
    std::vector<TableName> captured;
    if (nothingStreamed || resume->tables.empty()) {
        captured = m_tables;
    } else {
        const QStringList before = q(resume->tables).split(u'\n');
        for (const TableName &t : m_tables)
            (before.contains(q(t.text())) ? captured : m_joining).push_back(t);
    }
    const QString missed =
        QStringLiteral("the slot streamed without their changes; drop the slot (weir-run "
                       "drop-slot), empty the target and run again for a new snapshot");
    if (Status s = ensurePublication(m_sql, m_publication, captured, own && nothingStreamed,
                                     nothingStreamed ? advice : missed);
        !s)
        return s;
    if (m_joining.empty())
        return {};
    if (Status s = ensurePublication(m_sql, m_publication, m_joining, own, advice); !s)
        return s;
    if (!m_options.snapshot) {
        // Changes from the transaction the target stopped in on.
        m_joinSkipBefore = resume->lsn + 1;
        return {};
    }
    // Positions record the joined tables once their rows are in. A run stopped among them
    // streams their changes since that snapshot; otherwise those since the next (startJoin).
    m_positionTables = tablesText(captured);
    m_joinSkipBefore = m_joinFromInPositions = resume->joinFrom;
    return {};
}

Status PostgresCdcSource::prepareSlot(const std::optional<CdcPosition> &resume)
{
    auto slot = inspectSlot(m_sql, m_slot);
    if (!slot)
        return slot.error();
    const QString reSnapshot =
        QStringLiteral("to start over with a new snapshot, empty the target (or its _weir_offsets "
                       "rows of this pipeline) and run again");
    const bool snapshotCut =
        resume && resume->snapshot && !resume->complete() && resume->joinFrom == 0;
    if (resume && !snapshotCut) {
        // Changes were committed from this slot: only it has the ones since.
        if (!slot->exists)
            return makeError(ErrorCode::Permanent,
                             QStringLiteral("replication slot %1 is gone (dropped on the server): "
                                            "the changes after %2 cannot be read; %3")
                                 .arg(q(m_slot), q(pgoutput::formatLsn(resume->lsn)), reSnapshot));
        if (slot->walStatus == "lost")
            return makeError(ErrorCode::Permanent,
                             QStringLiteral("replication slot %1 was invalidated (the server "
                                            "removed WAL it needed, max_slot_wal_keep_size): "
                                            "changes were lost; drop the slot, then %2")
                                 .arg(q(m_slot), reSnapshot));
        m_skipUpTo = resume;
        m_handedOut = m_acknowledged = *resume;
        // Tables left out since: the slot moves past changes of theirs only once the target
        // records the tables captured now, with the next change it commits (should one come
        // back, it is known then for one that missed changes).
        m_tablesRecorded = resume->tables.empty() || resume->tables == m_captured;
        m_phase = Phase::Streaming;
        return startStreaming();
    }
    if (slot->exists && slot->plugin != "pgoutput")
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("replication slot %1 exists with plugin %2, not pgoutput: "
                                        "name another slot")
                             .arg(q(m_slot), q(slot->plugin)));
    if (slot->exists && !m_options.snapshot && !resume) {
        m_phase = Phase::Streaming; // a slot made by an earlier run that committed nothing
        return startStreaming();
    }
    if (snapshotCut && slot->exists && slot->walStatus != "lost") {
        // A run stopped during its snapshot: the slot still holds every change since its
        // consistent point, deletes included. Read the tables again as they are now, then
        // stream from there: replayed changes land on newer rows, and each key ends as the
        // source has it (a keyed target). Numbering goes on, so positions only grow.
        if (Status s = m_sql.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !s)
            return s;
        m_consistentLsn = resume->lsn;
        m_snapshotRows = resume->index;
        m_snapshotTable = 0;
        m_phase = Phase::Snapshot;
        return {};
    }
    // Nothing was ever committed from this slot (a first run, or the slot of a stopped
    // snapshot is gone): a new slot and a new snapshot are exact.
    if (slot->exists) {
        if (Status s = dropSlot(m_sql, m_slot); !s)
            return s;
    }
    auto replication = PgConnection::connectForReplication(m_options.connection);
    if (!replication)
        return replication.error();
    m_replication = std::move(replication.value());
    auto created = createSlot(m_replication, m_slot, m_options.snapshot);
    if (!created)
        return created.error();
    m_consistentLsn = created->consistentLsn;
    if (!m_options.snapshot) {
        m_phase = Phase::Streaming;
        return startStreaming();
    }
    // The exported snapshot lives until the replication connection's next command: import it
    // now; START_REPLICATION waits until the snapshot is read.
    if (Status s = m_sql.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); !s)
        return s;
    if (Status s = m_sql.exec("SET TRANSACTION SNAPSHOT " + literal(created->snapshotName)); !s)
        return s;
    m_phase = Phase::Snapshot;
    m_snapshotTable = 0;
    m_snapshotRows = resume ? resume->index : 0;
    return {};
}

Status PostgresCdcSource::startStreaming()
{
    if (!m_replication.isUsable()) {
        auto replication = PgConnection::connectForReplication(m_options.connection);
        if (!replication)
            return replication.error();
        m_replication = std::move(replication.value());
    }
    if (!m_sql.isUsable()) {
        if (Status s = connectSql(); !s)
            return s;
    }
    // From the slot's confirmed position (0/0 asks for exactly that); whatever the target has
    // beyond it is skipped by name.
    const std::string start = "START_REPLICATION SLOT " + common::quoteIdentifier(m_slot) +
                              " LOGICAL 0/0 (proto_version '1', publication_names " +
                              literal(common::quoteIdentifier(m_publication)) +
                              ", messages 'true')";
    if (Status s = m_replication.startCopyBoth(start); !s) {
        m_replication = PgConnection();
        return s;
    }
    m_streaming = true;
    m_relations.clear();
    m_inTxn = false;
    m_held.reset();
    m_lastStatus = m_lastHeartbeat = Clock::now();
    checkSlotHealth();
    return {};
}

Status PostgresCdcSource::startJoin()
{
    // The publication has the tables now: changes committed after the temporary slot's
    // consistent point are streamed with them, those before are in its snapshot.
    auto replication = PgConnection::connectForReplication(m_options.connection);
    if (!replication)
        return replication.error();
    // Any name no other slot has: it lives only as long as this connection.
    const std::string name = m_slot.substr(0, 50) + "_join_" +
                             std::to_string(QRandomGenerator::global()->bounded(1000000));
    auto created = createSlot(replication.value(), name, true, SlotLife::Temporary);
    if (!created)
        return created.error();
    auto db = PgConnection::connect(m_options.connection);
    if (!db)
        return db.error();
    m_join = std::move(db.value());
    for (const std::string &sql : {std::string(kReadSessionSettings),
                                   std::string("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
                                   "SET TRANSACTION SNAPSHOT " + literal(created->snapshotName)}) {
        if (Status s = m_join.exec(sql); !s)
            return s;
    }
    // Imported: the temporary slot goes with its connection, at the end of this scope.
    m_joinLsn = created->consistentLsn;
    if (m_joinSkipBefore == 0)
        m_joinSkipBefore = m_joinLsn;
    // A message after that point, so a quiet stream gets there too.
    auto at = emitHeartbeat();
    return at ? Status() : Status(at.error());
}

bool PostgresCdcSource::skippedForJoin(const TableName &table) const
{
    return m_txn.lsn < m_joinSkipBefore &&
           std::any_of(m_joining.begin(), m_joining.end(), [&](const TableName &t) {
               return t.schema == table.schema && t.table == table.table;
           });
}

Result<std::uint64_t> PostgresCdcSource::emitHeartbeat()
{
    const std::string sql =
        std::string("SELECT pg_logical_emit_message(false, '") + kHeartbeatPrefix + "', '')::text";
    auto at = m_sql.query(sql);
    if (!at && !m_sql.isUsable()) { // the session timed out or was ended: a new one
        if (Status s = connectSql(); !s)
            return s.error();
        at = m_sql.query(sql);
    }
    if (!at)
        return at.error();
    m_lastHeartbeat = Clock::now();
    return pgoutput::parseLsn(at->text(0, 0)).value_or(0);
}

Result<engine::StepStatus> PostgresCdcSource::next(record::Batch &batch,
                                                   std::vector<engine::DeadLetter> &dead)
{
    batch.stream = m_stream;
    Result<engine::StepStatus> step = engine::StepStatus::HaveMore;
    switch (m_phase) {
    case Phase::Preview:
        step = readPreview(batch);
        break;
    case Phase::Snapshot:
        step = readSnapshot(batch);
        break;
    case Phase::Joining:
        step = readJoin(batch);
        break;
    case Phase::Streaming:
        if (!m_streaming) {
            // The stream ended (a server restart, a network cut): resume after the last
            // change handed out, which the sinks will commit.
            m_skipUpTo = m_handedOut;
            if (Status s = startStreaming(); !s)
                return located(s.error());
        }
        step = readStream(batch, dead);
        break;
    }
    if (!step)
        return located(step.error());
    return step;
}

Result<engine::StepStatus> PostgresCdcSource::readPreview(record::Batch &batch)
{
    auto rows = m_sql.query("SELECT * FROM " + m_tables.front().quoted() + " LIMIT 100");
    if (!rows)
        return rows.error();
    std::vector<std::string> columns;
    std::vector<unsigned> types;
    for (int c = 0; c < rows->columns(); ++c) {
        columns.push_back(rows->columnName(c));
        types.push_back(rows->columnType(c));
    }
    batch.schema = record::makeSchema(columns);
    batch.table = m_tables.front().text();
    for (int r = 0; r < rows->rows(); ++r) {
        record::ChangeEvent &e = batch.events.emplace_back();
        for (int c = 0; c < rows->columns(); ++c)
            e.after.push_back(
                rows->isNull(r, c)
                    ? record::Value()
                    : valueFromPgText(types[static_cast<std::size_t>(c)], rows->view(r, c)));
        e.location = "snapshot row " + std::to_string(r);
    }
    return engine::StepStatus::Finished;
}

Result<bool> PostgresCdcSource::readRows(record::Batch &batch, PgConnection &db,
                                         const std::vector<TableName> &tables, std::uint64_t lsn)
{
    while (m_snapshotTable < tables.size()) {
        const TableName &table = tables[m_snapshotTable];
        if (!m_cursorOpen) {
            if (Status s = db.exec("DECLARE weir_snapshot NO SCROLL CURSOR FOR SELECT * FROM " +
                                   table.quoted());
                !s)
                return s.error();
            m_cursorOpen = true;
            m_snapshotSchema.reset();
            auto key = keyColumnsOf(db, table);
            if (!key)
                return key.error();
            m_snapshotKey = std::move(key.value());
        }
        auto rows = db.query("FETCH " + std::to_string(kBatchRows) + " FROM weir_snapshot");
        if (!rows)
            return rows.error();
        if (!m_snapshotSchema) {
            std::vector<std::string> columns;
            m_snapshotTypes.clear();
            for (int c = 0; c < rows->columns(); ++c) {
                columns.push_back(rows->columnName(c));
                m_snapshotTypes.push_back(rows->columnType(c));
            }
            m_snapshotSchema = record::makeSchema(columns);
        }
        if (rows->rows() == 0) {
            if (Status s = db.exec("CLOSE weir_snapshot"); !s)
                return s.error();
            m_cursorOpen = false;
            ++m_snapshotTable;
            continue;
        }
        batch.schema = m_snapshotSchema;
        batch.table = table.text();
        batch.key = m_snapshotKey;
        for (int r = 0; r < rows->rows(); ++r) {
            record::ChangeEvent &e = batch.events.emplace_back();
            e.op = record::Op::Read;
            e.after.reserve(m_snapshotTypes.size());
            for (int c = 0; c < rows->columns(); ++c)
                e.after.push_back(
                    rows->isNull(r, c)
                        ? record::Value()
                        : valueFromPgText(m_snapshotTypes[static_cast<std::size_t>(c)],
                                          rows->view(r, c)));
            e.offset = static_cast<std::int64_t>(lsn);
            e.location = "snapshot row " + std::to_string(m_snapshotRows++);
        }
        handOut(batch, CdcPosition{lsn, true, m_snapshotRows, 0});
        return true;
    }
    return false;
}

Result<engine::StepStatus> PostgresCdcSource::readSnapshot(record::Batch &batch)
{
    auto more = readRows(batch, m_sql, m_tables, m_consistentLsn);
    if (!more)
        return more.error();
    if (more.value())
        return engine::StepStatus::HaveMore;
    // Every table read: the snapshot is complete, a pseudo-transaction at the consistent point.
    if (Status s = m_sql.exec("COMMIT"); !s)
        return s.error();
    // The marker is a snapshot position: a transaction that commits right at the consistent
    // point is not in the snapshot and must not be skipped.
    handOut(batch, CdcPosition{m_consistentLsn, true, m_snapshotRows, m_consistentLsn});
    m_skipUpTo = m_handedOut;
    m_phase = Phase::Streaming;
    // Should the stream not start now, the next call tries again: the marker is out.
    (void)startStreaming();
    return engine::StepStatus::HaveMore;
}

Result<engine::StepStatus> PostgresCdcSource::readJoin(record::Batch &batch)
{
    // The stream waits meanwhile: the server hears from it so it does not time it out.
    if (m_streaming) {
        if (Status s = keepAlive(); !s) {
            m_replication = PgConnection();
            m_streaming = false;
        }
    }
    auto more = readRows(batch, m_join, m_joining, m_joinLsn);
    if (!more)
        return more.error();
    if (more.value())
        return engine::StepStatus::HaveMore;
    if (Status s = m_join.exec("COMMIT"); !s)
        return s.error();
    m_join = PgConnection();
    // Complete, like the initial snapshot's marker; positions record the joined tables now.
    m_joining.clear();
    m_positionTables = m_captured;
    m_joinFromInPositions = 0;
    handOut(batch, CdcPosition{m_joinLsn, true, m_snapshotRows, m_joinLsn});
    m_phase = Phase::Streaming;
    return engine::StepStatus::HaveMore;
}

void PostgresCdcSource::handOut(record::Batch &batch, CdcPosition position)
{
    position.tables = m_positionTables;
    position.joinFrom = m_joinFromInPositions;
    batch.positions = {position.toSource(m_context.nodeId.toStdString(), m_stream)};
    m_handedOut = position;
}

Result<engine::StepStatus> PostgresCdcSource::readStream(record::Batch &batch,
                                                         std::vector<engine::DeadLetter> &dead)
{
    // A failed stream does not go on on this connection. What the batch holds was handed out
    // (the position moved): deliver it, and let the next call connect again or fail.
    auto broken = [&](Error error) -> Result<engine::StepStatus> {
        m_replication = PgConnection();
        m_streaming = false;
        m_moreWaiting = false;
        if (!batch.events.empty() || !batch.positions.empty() || !dead.empty())
            return engine::StepStatus::HaveMore;
        return error;
    };
    if (m_context.once && m_onceTarget == 0) {
        // Where the server is now: the run ends once the stream gets there.
        auto at = emitHeartbeat();
        if (!at)
            return at.error();
        m_onceTarget = *at;
    }
    const auto deadline = Clock::now() + kBatchWait;
    while (batch.events.size() < kBatchRows && !m_context.stopping() && !m_caughtUp) {
        std::string message;
        if (m_held) {
            message = std::move(*m_held);
            m_held.reset();
        } else {
            // Whole transactions in hand: hand them over unless more is already here (latency
            // first; under a backlog batches still fill up). Otherwise wait for the rest.
            const bool handOver = !m_inTxn && (!batch.events.empty() || !batch.positions.empty());
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            auto got = m_replication.readCopyData(
                handOver ? 0 : static_cast<int>(std::max<long>(left.count(), 0)));
            if (!got)
                return broken(got.error());
            if (!got->has_value())
                break;
            message = std::move(**got);
        }
        auto frame = pgoutput::decodeCopyMessage(message);
        if (!frame)
            return broken(frame.error());
        if (const auto *keepalive = std::get_if<pgoutput::Keepalive>(&frame.value())) {
            m_serverLsn = std::max(m_serverLsn, keepalive->walEnd);
            // Everything the server sent before is in: when all of it is committed too, the
            // slot may move to here (a server shutting down waits for that).
            if (idle(batch))
                m_confirmedLsn = std::max(m_confirmedLsn, keepalive->walEnd);
            if (keepalive->replyRequested) {
                if (Status s = sendStatus(); !s)
                    return broken(s.error());
            }
            continue;
        }
        const auto &data = std::get<pgoutput::XLogData>(frame.value());
        m_serverLsn = std::max(m_serverLsn, data.walEnd);
        auto decoded = pgoutput::decodeMessage(data.payload);
        if (!decoded)
            return broken(decoded.error());
        auto applied = apply(decoded.value(), batch, dead);
        if (!applied)
            return broken(applied.error());
        if (!applied.value()) {
            m_held = std::move(message);
            break;
        }
    }
    if (Status s = keepAlive(); !s)
        return broken(s.error());
    m_moreWaiting = m_held || m_inTxn || batch.events.size() >= kBatchRows;
    const bool done = m_caughtUp && !m_inTxn && !m_held;
    return done ? engine::StepStatus::Finished : engine::StepStatus::HaveMore;
}

Result<bool> PostgresCdcSource::apply(const pgoutput::Message &message, record::Batch &batch,
                                      std::vector<engine::DeadLetter> &dead)
{
    if (!m_joining.empty() && m_joinLsn != 0 && !m_inTxn) {
        // The stream got to the joined tables' snapshot: their rows come first.
        const auto *begin = std::get_if<pgoutput::Begin>(&message);
        const auto *text = std::get_if<pgoutput::LogicalMessage>(&message);
        const std::uint64_t at =
            begin ? begin->finalLsn : (text && !text->transactional() ? text->lsn : 0);
        if (at >= m_joinLsn) {
            m_phase = Phase::Joining;
            m_snapshotTable = 0;
            m_snapshotRows = 0;
            // From its rows on, positions say where the join began until it is complete.
            m_joinFromInPositions = m_joinSkipBefore;
            return false;
        }
    }
    if (const auto *begin = std::get_if<pgoutput::Begin>(&message)) {
        m_txn = Transaction{begin->finalLsn, begin->commitTimeUnixMicros, 0, false};
        m_inTxn = true;
        return true;
    }
    if (const auto *commit = std::get_if<pgoutput::Commit>(&message)) {
        m_inTxn = false;
        m_newestCommitMicros = std::max(m_newestCommitMicros, m_txn.commitMicros);
        if (m_txn.handedOut) { // the whole transaction is in batches now
            handOut(batch, CdcPosition{m_txn.lsn, false, m_txn.changes, commit->endLsn});
            m_commits.push_back(m_handedOut);
        }
        return true;
    }
    if (const auto *relation = std::get_if<pgoutput::Relation>(&message)) {
        Table table{{relation->schema, relation->name}, {}, {}, {}, {}};
        std::vector<std::string> columns;
        for (std::size_t i = 0; i < relation->columns.size(); ++i) {
            const pgoutput::RelationColumn &c = relation->columns[i];
            columns.push_back(c.name);
            table.types.push_back(c.typeOid);
            if (c.isKey())
                table.keyColumns.push_back(i);
        }
        table.schema = record::makeSchema(columns);
        table.watched = std::any_of(m_tables.begin(), m_tables.end(), [&](const TableName &t) {
            return t.schema == relation->schema && t.table == relation->name;
        });
        if (table.watched && relation->replicaIdentity == pgoutput::ReplicaIdentity::Full) {
            // Every column is "key" then: the primary key says whether an update moved a row.
            auto pk = primaryKey(relation->oid, table.schema);
            if (!pk)
                return pk.error();
            table.keyColumns = std::move(pk.value());
        }
        std::sort(table.keyColumns.begin(), table.keyColumns.end());
        for (const std::size_t k : table.keyColumns)
            table.key.push_back(columns[k]);
        m_relations[relation->oid] = std::move(table);
        return true;
    }
    if (const auto *text = std::get_if<pgoutput::LogicalMessage>(&message)) {
        if (text->transactional() || text->prefix != kHeartbeatPrefix)
            return true;
        if (m_onceTarget && text->lsn >= m_onceTarget)
            m_caughtUp = true;
        // Every change before the heartbeat is committed in the target: the slot may move
        // past the changes of other tables (and past nothing at all) up to here.
        if (idle(batch) && text->lsn > m_confirmedLsn) {
            m_confirmedLsn = text->lsn;
            if (Status s = sendStatus(); !s)
                return s.error();
        }
        return true;
    }
    return applyChange(message, batch, dead);
}

Result<bool> PostgresCdcSource::applyChange(const pgoutput::Message &message, record::Batch &batch,
                                            std::vector<engine::DeadLetter> &dead)
{
    const std::uint32_t oid = std::visit(
        [this](const auto &m) -> std::uint32_t {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, pgoutput::Truncate>) {
                // The one of the truncated tables this node captures, if any.
                for (const std::uint32_t truncated : m.relationOids) {
                    const auto t = m_relations.find(truncated);
                    if (t != m_relations.end() && t->second.watched &&
                        !skippedForJoin(t->second.name))
                        return truncated;
                }
                return m.relationOids.empty() ? 0 : m.relationOids.front();
            } else if constexpr (requires { m.relationOid; })
                return m.relationOid;
            else
                return 0;
        },
        message);
    if (oid == 0)
        return true; // origin, type: nothing to do
    const auto found = m_relations.find(oid);
    if (found == m_relations.end())
        return makeError(ErrorCode::Permanent,
                         QStringLiteral("the change stream sent a change of relation %1 before "
                                        "describing it")
                             .arg(oid));
    const Table &table = found->second;
    if (!table.watched)
        return true; // a publication that has more tables than this node captures
    if (skippedForJoin(table.name))
        return true; // not counted: as in the runs before it joined
    if (!batch.events.empty() && batch.schema != table.schema)
        return false; // another table (or a new shape of this one): the next batch
    const std::int64_t index = m_txn.changes++;
    if (m_skipUpTo && m_skipUpTo->covers(m_txn.lsn, index))
        return true; // the target has it
    m_txn.handedOut = true;
    batch.schema = table.schema;
    batch.table = table.name.text();
    batch.key = table.key;
    const std::string location = "change " + std::to_string(index);
    auto values = [&](const pgoutput::Tuple &tuple, std::vector<record::Value> &out,
                      const pgoutput::Tuple *old) {
        out.clear();
        out.reserve(tuple.size());
        for (std::size_t i = 0; i < tuple.size(); ++i) {
            const pgoutput::TupleValue &v = tuple[i];
            const unsigned type = i < table.types.size() ? table.types[i] : 25;
            switch (v.kind) {
            case pgoutput::TupleValue::Kind::Null:
                out.emplace_back();
                break;
            case pgoutput::TupleValue::Kind::Unchanged:
                // A TOASTed value the update left alone is not sent: the old row has it only
                // with REPLICA IDENTITY FULL.
                if (old && i < old->size() && (*old)[i].kind == pgoutput::TupleValue::Kind::Text) {
                    out.push_back(valueFromPgText(type, (*old)[i].bytes));
                    break;
                }
                return static_cast<int>(i);
            case pgoutput::TupleValue::Kind::Text:
            case pgoutput::TupleValue::Kind::Binary:
                out.push_back(valueFromPgText(type, v.bytes));
                break;
            }
        }
        return -1;
    };
    auto event = [&](record::Op op) -> record::ChangeEvent & {
        record::ChangeEvent &e = batch.events.emplace_back();
        e.op = op;
        e.offset = static_cast<std::int64_t>(m_txn.lsn);
        e.eventTimeMicros = m_txn.commitMicros;
        e.location = location;
        return e;
    };
    auto deadLetter = [&](const QString &why, QString payload) {
        dead.push_back(engine::DeadLetter{m_stream, static_cast<std::int64_t>(m_txn.lsn), 0, why,
                                          std::move(payload), location, table.name.text(),
                                          table.key});
    };

    if (const auto *insert = std::get_if<pgoutput::Insert>(&message)) {
        record::ChangeEvent &e = event(record::Op::Create);
        values(insert->newTuple, e.after, nullptr);
    } else if (const auto *update = std::get_if<pgoutput::Update>(&message)) {
        std::vector<record::Value> after;
        std::vector<record::Value> before;
        const pgoutput::Tuple *old =
            update->oldKind == pgoutput::OldTuple::None ? nullptr : &update->oldTuple;
        if (old)
            values(*old, before, nullptr);
        if (const int missing = values(update->newTuple, after, old); missing >= 0) {
            deadLetter(QStringLiteral("table %1, column %2: PostgreSQL did not send the "
                                      "unchanged TOASTed value of this update; set REPLICA "
                                      "IDENTITY FULL on the table so it is sent")
                           .arg(q(table.name.text()),
                                q(table.schema->columns()[static_cast<std::size_t>(missing)])),
                       knownColumnsJson(table.schema->columns(), table.types, update->newTuple));
        } else {
            bool keyChanged = false;
            if (old) {
                for (std::size_t k : table.keyColumns)
                    keyChanged = keyChanged || (k < before.size() && k < after.size() &&
                                                before[k].toText() != after[k].toText());
            }
            if (keyChanged) { // the old key's row goes, the new one comes
                record::ChangeEvent &gone = event(record::Op::Delete);
                gone.before = std::move(before);
                gone.location += " (old key)";
                record::ChangeEvent &e = event(record::Op::Create);
                e.after = std::move(after);
            } else {
                record::ChangeEvent &e = event(record::Op::Update);
                e.after = std::move(after);
                e.before = std::move(before);
            }
        }
    } else if (const auto *remove = std::get_if<pgoutput::Delete>(&message)) {
        record::ChangeEvent &e = event(record::Op::Delete);
        values(remove->oldTuple, e.before, nullptr);
    } else {
        deadLetter(QStringLiteral("TRUNCATE of %1 in PostgreSQL is not applied to the target")
                       .arg(q(table.name.text())),
                   QStringLiteral("{\"truncate\":\"%1\"}").arg(q(table.name.text())));
    }
    handOut(batch, CdcPosition{m_txn.lsn, false, index + 1, 0});
    return true;
}

Status PostgresCdcSource::keepAlive()
{
    const auto now = Clock::now();
    if (m_options.heartbeatSeconds > 0 &&
        now - m_lastHeartbeat >= std::chrono::seconds(m_options.heartbeatSeconds)) {
        if (auto at = emitHeartbeat(); !at)
            return at.error();
    }
    if (now - m_lastSlotCheck >= kSlotHealthEvery)
        checkSlotHealth();
    if (now - m_lastStatus >= kStatusEvery)
        return sendStatus();
    return {};
}

void PostgresCdcSource::checkSlotHealth()
{
    // Best effort: with the catalog session down, the figures are unknown until the next
    // try (the stream itself says when the server is gone).
    m_lastSlotCheck = Clock::now();
    m_retainedBytes = m_lagBytes = -1;
    m_walStatus.clear();
    if (!m_sql.isUsable() && !connectSql())
        return;
    auto slot = inspectSlot(m_sql, m_slot);
    if (!slot || !slot->exists)
        return;
    m_retainedBytes = slot->retainedBytes;
    m_lagBytes = slot->lagBytes;
    m_walStatus = slot->walStatus;
}

Status PostgresCdcSource::sendStatus()
{
    m_lastStatus = Clock::now();
    const std::int64_t clock = pgoutput::pgMicrosFromUnix(common::nowMicros());
    return m_replication.putCopyData(pgoutput::encodeStandbyStatus(
        std::max(m_serverLsn, m_confirmedLsn), m_confirmedLsn, m_confirmedLsn, clock));
}

bool PostgresCdcSource::idle(const record::Batch &batch) const
{
    return !m_inTxn && !m_held && batch.positions.empty() && m_commits.empty() &&
           m_acknowledged == m_handedOut && m_tablesRecorded;
}

Result<std::vector<std::size_t>> PostgresCdcSource::primaryKey(std::uint32_t relation,
                                                               const record::SchemaPtr &schema)
{
    auto key = m_sql.query("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid "
                           "= i.indrelid AND a.attnum = ANY (i.indkey) WHERE i.indrelid = "
                           "$1::oid AND i.indisprimary",
                           {std::to_string(relation)});
    if (!key)
        return key.error();
    std::vector<std::size_t> columns;
    for (int r = 0; r < key->rows(); ++r) {
        if (const int at = schema->indexOf(key->text(r, 0)); at >= 0)
            columns.push_back(static_cast<std::size_t>(at));
    }
    return columns;
}

Status PostgresCdcSource::acknowledge(const record::SourcePosition &position)
{
    const auto p = CdcPosition::fromSource(position);
    if (!p || position.stream != m_stream)
        return {};
    m_acknowledged = std::max(m_acknowledged, *p);
    m_tablesRecorded = m_tablesRecorded || p->tables == m_captured;
    // The transactions completed at or before the acknowledged position are all in the
    // target, even when the batch that carried this position went on into the next one.
    std::uint64_t confirm = p->complete() ? p->endLsn : 0;
    while (!m_commits.empty() && m_commits.front() <= *p) {
        confirm = std::max(confirm, m_commits.front().endLsn);
        m_commits.pop_front();
    }
    if (confirm <= m_confirmedLsn)
        return {};
    m_confirmedLsn = confirm;
    if (!m_streaming)
        return {};
    return sendStatus();
}

engine::SourceProgress PostgresCdcSource::progress() const
{
    engine::SourceProgress p;
    if (m_phase == Phase::Streaming) {
        p.bytesBehind = m_lagBytes;
        p.moreWaiting = m_moreWaiting;
    }
    p.newestEventTimeMicros = m_newestCommitMicros;
    p.retainedBytes = m_retainedBytes;
    p.upstreamStatus = m_walStatus;
    return p;
}

std::partial_ordering PostgresCdcSource::comparePositions(const record::SourcePosition &a,
                                                          const record::SourcePosition &b) const
{
    const auto x = CdcPosition::fromSource(a);
    const auto y = CdcPosition::fromSource(b);
    if (!x || !y)
        return compareByOffset(a, b);
    return *x <=> *y;
}

} // namespace weir::connectors::postgres
