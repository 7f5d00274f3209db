#include "connectors/postgres/postgres_sink.h"

#include "common/sqlite_db.h" // quoteIdentifier: the same rule in both dialects
#include "common/time_format.h"
#include "connectors/latest_per_key.h"
#include "connectors/postgres/pg_array.h"
#include "connectors/postgres/pg_binary_copy.h"
#include "record/record_json.h"

#include <charconv>
#include <set>

namespace weir::connectors::postgres {

using common::quoteIdentifier;
using record::ValueKind;

namespace {

std::string joined(const std::vector<std::string> &parts, const char *separator)
{
    std::string out;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i)
            out += separator;
        out += parts[i];
    }
    return out;
}

const char *columnType(ValueKind kind)
{
    switch (kind) {
    case ValueKind::Bool:
        return "boolean";
    case ValueKind::Int:
        return "bigint";
    case ValueKind::Double:
        return "double precision";
    case ValueKind::Decimal:
        return "numeric";
    case ValueKind::Bytes:
        return "bytea";
    case ValueKind::Timestamp:
        return "timestamptz";
    default:
        return "text";
    }
}

// COPY text format: tab between fields, \N for NULL, backslash escapes.
void appendEscaped(std::string &out, std::string_view text)
{
    for (const char c : text) {
        switch (c) {
        case '\\':
            out += "\\\\";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            out += c;
        }
    }
}

void appendField(std::string &out, const record::Value &v)
{
    switch (v.kind()) {
    case ValueKind::Null:
        out += "\\N";
        break;
    case ValueKind::Bool:
        out += v.asBool() ? 't' : 'f';
        break;
    case ValueKind::Int:
        out += std::to_string(v.asInt());
        break;
    case ValueKind::Double: {
        char buffer[32];
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, v.asDouble()).ptr;
        out.append(buffer, end);
        break;
    }
    case ValueKind::Decimal:
    case ValueKind::String:
        appendEscaped(out, v.text());
        break;
    case ValueKind::Bytes: {
        static const char *const digits = "0123456789abcdef";
        out += "\\\\x"; // bytea hex input, its backslash escaped for COPY
        for (const char c : v.text()) {
            const auto byte = static_cast<unsigned char>(c);
            out += digits[byte >> 4];
            out += digits[byte & 0x0f];
        }
        break;
    }
    case ValueKind::Timestamp:
        out += common::formatIsoTimestamp(v.asTimestampMicros());
        break;
    }
}

// One COPY line: the values, then the row's place in the batch and its op unless `seq` is
// negative (the latest versions only: no order or op left to settle). In columns whose flag in
// `arrays` is set (the target's array columns), a JSON array is written as PostgreSQL's
// array input: sources give arrays as JSON.
void appendRow(std::string &out, const record::ChangeEvent &e, std::size_t width, std::int64_t seq,
               const std::vector<bool> &arrays)
{
    const auto &values = e.current();
    for (std::size_t i = 0; i < width; ++i) {
        std::optional<std::string> array;
        if (i < values.size() && i < arrays.size() && arrays[i] &&
            values[i].kind() == ValueKind::String && values[i].text().starts_with('['))
            array = jsonToPgArray(values[i].text());
        if (array)
            appendEscaped(out, *array);
        else if (i < values.size())
            appendField(out, values[i]);
        else
            out += "\\N";
        out += i + 1 < width || seq >= 0 ? '\t' : '\n';
    }
    if (seq < 0)
        return;
    out += std::to_string(seq);
    out += '\t';
    out += e.op == record::Op::Delete ? 'd' : 'u';
    out += '\n';
}

// appendRow in COPY's binary format, for values that fit their columns (fitsBinary).
void appendBinaryRow(std::string &out, const record::ChangeEvent &e,
                     const std::vector<BinaryColumn> &columns, std::int64_t seq)
{
    const auto &values = e.current();
    appendBinaryFieldCount(out, static_cast<int>(columns.size()) + (seq >= 0 ? 2 : 0));
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i < values.size())
            appendBinaryValue(out, columns[i], values[i]);
        else
            appendBinaryNull(out);
    }
    if (seq < 0)
        return;
    appendBinaryInt8(out, seq);
    appendBinaryChar(out, e.op == record::Op::Delete ? 'd' : 'u');
}

} // namespace

PostgresSinkOptions PostgresSinkOptions::fromConfig(const model::NodeConfig &config)
{
    PostgresSinkOptions o;
    o.connection = config.string(QStringLiteral("connection")).toStdString();
    o.table = config.string(QStringLiteral("table")).toStdString();
    o.upsert = config.string(QStringLiteral("mode")) != QLatin1String("append");
    for (const QString &k : config.stringList(QStringLiteral("key")))
        o.keyColumns.push_back(k.toStdString());
    o.orderBy = config.string(QStringLiteral("order_by")).toStdString();
    o.softDelete = config.string(QStringLiteral("delete_mode")) == QLatin1String("soft");
    o.createTable = config.boolean(QStringLiteral("create_table"));
    o.commitRows = config.integer(QStringLiteral("commit_rows"));
    o.commitInterval =
        std::chrono::milliseconds(config.integer(QStringLiteral("commit_interval_ms")));
    return o;
}

Result<QString> testPostgresSinkConnection(const PostgresSinkOptions &options)
{
    auto db = PgConnection::connect(options.connection);
    if (!db)
        return db.error();
    auto found = db->query("SELECT current_database(), current_user, "
                           "to_regclass($1) IS NOT NULL",
                           {quoteIdentifier(options.table)});
    if (!found)
        return found.error();
    const QString where = QStringLiteral("PostgreSQL %1, database %2 as %3")
                              .arg(QString::fromStdString(db->serverVersion()),
                                   QString::fromStdString(found->text(0, 0)),
                                   QString::fromStdString(found->text(0, 1)));
    const QString table = QString::fromStdString(options.table);
    if (record::namesUpstreamTable(options.table))
        return QStringLiteral("%1: each upstream table goes into the table %2 names, created by "
                              "the first run when missing.")
            .arg(where, table);
    if (found->text(0, 2) == "t")
        return QStringLiteral("%1: table %2 is there.").arg(where, table);
    if (options.createTable)
        return QStringLiteral("%1: table %2 will be created by the first run.").arg(where, table);
    return makeError(ErrorCode::NotFound,
                     QStringLiteral("%1, but table %2 does not exist and create_table is off")
                         .arg(where, table));
}

Error PostgresSink::errorAt(const Error &error) const
{
    Error out = error;
    out.nodeId = m_context.nodeId;
    out.message =
        QStringLiteral("%1 (table %2)").arg(error.message, QString::fromStdString(m_targetTable));
    return out;
}

Status PostgresSink::open(const engine::NodeContext &context)
{
    m_context = context;
    forgetTargets();
    m_inTransaction = false;
    auto db = PgConnection::connect(m_options.connection);
    if (!db)
        return errorAt(db.error());
    m_db = std::move(db.value());
    // Positions committed in the same transaction as the data they cover.
    if (Status s = m_db.exec("CREATE TABLE IF NOT EXISTS _weir_offsets("
                             "pipeline text NOT NULL, sink text NOT NULL, source text NOT NULL, "
                             "stream text NOT NULL, \"offset\" bigint NOT NULL, cursor text, "
                             "updated_ms bigint, PRIMARY KEY (pipeline, sink, source, stream))");
        !s)
        return errorAt(s.error());
    return {};
}

Result<std::vector<record::SourcePosition>> PostgresSink::committedPositions()
{
    auto rows = m_db.query("SELECT source, stream, \"offset\", coalesce(cursor, '') "
                           "FROM _weir_offsets WHERE pipeline = $1 AND sink = $2",
                           {m_context.pipelineName.toStdString(), m_context.nodeId.toStdString()});
    if (!rows)
        return errorAt(rows.error());
    std::vector<record::SourcePosition> out;
    out.reserve(static_cast<std::size_t>(rows->rows()));
    for (int r = 0; r < rows->rows(); ++r)
        out.push_back(record::SourcePosition{rows->text(r, 0), rows->text(r, 1),
                                             std::stoll(rows->text(r, 2)), rows->text(r, 3)});
    return out;
}

Status PostgresSink::ensureTable(const record::Batch &batch)
{
    const std::string table = quoteIdentifier(m_targetTable);
    auto existing = m_db.query("SELECT attname FROM pg_attribute WHERE attrelid = "
                               "to_regclass($1) AND attnum > 0 AND NOT attisdropped",
                               {table});
    if (!existing)
        return existing.error();
    std::set<std::string> have;
    for (int r = 0; r < existing->rows(); ++r)
        have.insert(existing->text(r, 0));
    const auto &columns = batch.schema->columns();
    if (have.empty()) {
        if (!m_options.createTable)
            return makeError(ErrorCode::NotFound,
                             QStringLiteral("table %1 does not exist and create_table is off")
                                 .arg(QString::fromStdString(m_targetTable)));
        std::vector<std::string> defs;
        for (std::size_t i = 0; i < columns.size(); ++i)
            defs.push_back(quoteIdentifier(columns[i]) + " " +
                           columnType(record::kindOfColumn(batch, i)));
        if (m_options.softDelete)
            defs.push_back(quoteIdentifier(m_options.deletedColumn) +
                           " boolean NOT NULL DEFAULT false");
        if (m_options.upsert) {
            std::vector<std::string> keys;
            for (const std::string &k : m_key)
                keys.push_back(quoteIdentifier(k));
            defs.push_back("PRIMARY KEY (" + joined(keys, ", ") + ")");
        }
        return m_db.exec("CREATE TABLE " + table + " (" + joined(defs, ", ") + ")");
    }
    // New columns in the records are added, never dropped.
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (have.count(columns[i]))
            continue;
        if (Status s =
                m_db.exec("ALTER TABLE " + table + " ADD COLUMN " + quoteIdentifier(columns[i]) +
                          " " + columnType(record::kindOfColumn(batch, i)));
            !s)
            return s;
    }
    if (m_options.softDelete && !have.count(m_options.deletedColumn))
        return m_db.exec("ALTER TABLE " + table + " ADD COLUMN " +
                         quoteIdentifier(m_options.deletedColumn) +
                         " boolean NOT NULL DEFAULT false");
    return {};
}

Result<std::pair<bool, std::optional<record::ValueKind>>> PostgresSink::orderKindOfTarget()
{
    if (m_options.orderBy.empty())
        return std::pair{true, std::optional<record::ValueKind>()};
    // SQL compares order values in the target column's type: the sink picks the latest itself
    // only where that is the values' own order (whole numbers, doubles, booleans, timestamps
    // to the microsecond), never text (collations) or rounding types.
    auto type = m_db.query("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE "
                           "attrelid = to_regclass($1) AND attname = $2 AND NOT attisdropped",
                           {quoteIdentifier(m_targetTable), m_options.orderBy});
    if (!type)
        return type.error();
    const std::string name = type->rows() ? type->text(0, 0) : std::string();
    using K = record::ValueKind;
    if (name == "bigint" || name == "integer" || name == "smallint")
        return std::pair{true, std::optional<K>(K::Int)};
    if (name == "double precision")
        return std::pair{true, std::optional<K>(K::Double)};
    if (name == "boolean")
        return std::pair{true, std::optional<K>(K::Bool)};
    if (name == "timestamp with time zone" || name == "timestamp without time zone")
        return std::pair{true, std::optional<K>(K::Timestamp)};
    return std::pair{false, std::optional<K>()};
}

Status PostgresSink::readColumnTypes(const record::Schema &schema)
{
    auto types = m_db.query("SELECT a.attname, t.typcategory = 'A', format_type(a.atttypid, "
                            "a.atttypmod) FROM pg_attribute a JOIN pg_type t ON t.oid = "
                            "a.atttypid WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND "
                            "NOT a.attisdropped",
                            {quoteIdentifier(m_targetTable)});
    if (!types)
        return types.error();
    Target &target = *m_target;
    target.arrayColumns.assign(schema.size(), false);
    std::vector<std::optional<BinaryColumn>> binary(schema.size());
    for (int r = 0; r < types->rows(); ++r) {
        const int i = schema.indexOf(types->text(r, 0));
        if (i < 0)
            continue;
        const bool array = types->text(r, 1) == "t"; // JSON text is converted to its input
        target.arrayColumns[static_cast<std::size_t>(i)] = array;
        if (!array)
            binary[static_cast<std::size_t>(i)] = binaryColumnOf(types->text(r, 2));
    }
    // Binary only when every column has an encoding (arrays have none: they come as JSON).
    target.binaryColumns.clear();
    for (const auto &column : binary) {
        if (!column) {
            target.binaryColumns.clear();
            break;
        }
        target.binaryColumns.push_back(*column);
    }
    return {};
}

void PostgresSink::forgetTargets()
{
    m_targets.clear();
    m_target = nullptr;
}

Status PostgresSink::prepareFor(const record::Batch &batch)
{
    auto [found, added] = m_targets.try_emplace(m_targetTable);
    m_target = &found->second;
    if (added)
        m_target->stage = "_weir_stage_" + std::to_string(m_targets.size());
    if (m_target->schema == batch.schema && m_target->key == m_key)
        return {};
    if (m_target->schema && m_target->schema->columns() == batch.schema->columns() &&
        m_target->key == m_key) {
        m_target->schema = batch.schema; // the same columns again (a source re-described them)
        return {};
    }
    m_target->schema = nullptr; // until made for these columns
    m_target->key = m_key;
    const record::Schema &schema = *batch.schema;
    for (const std::string &k : m_key) {
        if (schema.indexOf(k) < 0)
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("key column '%1' is not in the records (columns: %2)")
                                 .arg(QString::fromStdString(k),
                                      QString::fromStdString(joined(schema.columns(), ", "))));
    }
    if (!m_options.orderBy.empty() && schema.indexOf(m_options.orderBy) < 0)
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("order_by column '%1' is not in the records")
                             .arg(QString::fromStdString(m_options.orderBy)));
    if (Status s = ensureTable(batch); !s)
        return s;

    const std::string table = quoteIdentifier(m_targetTable);
    std::vector<std::string> names, updates, keys, sameKey, deletedKey;
    for (const std::string &c : schema.columns()) {
        names.push_back(quoteIdentifier(c));
        if (std::find(m_key.begin(), m_key.end(), c) == m_key.end())
            updates.push_back(quoteIdentifier(c) + " = EXCLUDED." + quoteIdentifier(c));
    }
    for (const std::string &k : m_key) {
        const std::string q = quoteIdentifier(k);
        keys.push_back(q);
        sameKey.push_back(std::string("d.").append(q).append(" IS NOT DISTINCT FROM s.").append(q));
        deletedKey.push_back(
            std::string("t.").append(q).append(" IS NOT DISTINCT FROM d.").append(q));
    }
    // The staging table: the target's columns of this batch, its row order and its ops.
    if (Status s = m_db.exec("DROP TABLE IF EXISTS pg_temp." + m_target->stage); !s)
        return s;
    if (Status s = m_db.exec("CREATE TEMP TABLE " + m_target->stage + " AS SELECT " +
                             joined(names, ", ") + " FROM " + table + " WITH NO DATA");
        !s)
        return s;
    if (Status s = m_db.exec("ALTER TABLE " + m_target->stage +
                             " ADD COLUMN _weir_seq bigint, ADD COLUMN _weir_op \"char\"");
        !s)
        return s;
    m_target->copySql = "COPY " + m_target->stage + " (" + joined(names, ", ") +
                        ", _weir_seq, _weir_op) FROM STDIN";
    m_target->copyLatestSql =
        "COPY " + m_target->stage + " (" + joined(names, ", ") + ") FROM STDIN";
    m_target->copyBinarySql = m_target->copySql + " (FORMAT binary)";
    m_target->copyLatestBinarySql = m_target->copyLatestSql + " (FORMAT binary)";

    std::vector<std::string> selected = names;
    std::vector<std::string> inserted = names;
    if (m_options.softDelete) {
        inserted.push_back(quoteIdentifier(m_options.deletedColumn));
        selected.emplace_back("false");
        updates.push_back(quoteIdentifier(m_options.deletedColumn) + " = false");
    }
    m_target->mergeSql.clear();
    m_target->mergeWithoutDeletes.clear();
    m_target->mergeLatest.clear();
    m_target->keyIndices.clear();
    for (const std::string &k : m_key)
        m_target->keyIndices.push_back(schema.indexOf(k));
    m_target->orderIndex = m_options.orderBy.empty() ? -1 : schema.indexOf(m_options.orderBy);
    if (Status s = readColumnTypes(schema); !s)
        return s;
    m_target->clientPicksLatest = false;
    m_target->orderKind.reset();
    if (m_options.upsert) {
        auto picks = orderKindOfTarget();
        if (!picks)
            return picks.error();
        m_target->clientPicksLatest = picks->first;
        m_target->orderKind = picks->second;
    }
    const std::string head = "INSERT INTO " + table + " AS t (" + joined(inserted, ", ") + ") ";
    if (!m_options.upsert) {
        m_target->mergeSql.push_back(head + "SELECT " + joined(selected, ", ") + " FROM " +
                                     m_target->stage + " ORDER BY _weir_seq");
        m_target->mergeWithoutDeletes = m_target->mergeSql;
        m_target->schema = batch.schema;
        return {};
    }
    // Hard deletes go first: a key deleted in the batch is gone before later versions of it
    // are inserted again, and only those later versions are.
    if (!m_options.softDelete)
        m_target->mergeSql.push_back("DELETE FROM " + table + " AS t USING (SELECT DISTINCT " +
                                     joined(keys, ", ") + " FROM " + m_target->stage +
                                     " WHERE _weir_op = 'd') d WHERE " +
                                     joined(deletedKey, " AND "));
    // One version per key: the newest by order_by (the last one on a tie).
    std::string order = joined(keys, ", ");
    if (!m_options.orderBy.empty())
        order += ", " + quoteIdentifier(m_options.orderBy) + " DESC NULLS LAST";
    std::string conflict = " ON CONFLICT (" + joined(keys, ", ") + ") ";
    if (updates.empty()) {
        // Every column a key: nothing to update, and keys SQL holds equal (citext, 1.0 and
        // 1.00) would not be refused here; SQL picks.
        m_target->clientPicksLatest = false;
        conflict += "DO NOTHING";
    } else {
        conflict += "DO UPDATE SET " + joined(updates, ", ");
        if (!m_options.orderBy.empty()) {
            const std::string ord = quoteIdentifier(m_options.orderBy);
            // Last write wins: an older version arriving late never overwrites a newer one.
            conflict += " WHERE t." + ord + " IS NULL OR EXCLUDED." + ord + " >= t." + ord;
        }
    }
    const std::string upsert = head + "SELECT DISTINCT ON (" + joined(keys, ", ") + ") " +
                               joined(selected, ", ") + " FROM " + m_target->stage +
                               " s WHERE s._weir_op <> 'd'";
    const std::string ordered = " ORDER BY " + order + ", s._weir_seq DESC";
    // A batch without deletes (the usual case) needs neither the delete nor the anti-join,
    // and when the sink staged only the latest version of each key, not the sort either.
    m_target->mergeWithoutDeletes.push_back(upsert + ordered + conflict);
    m_target->mergeLatest.push_back(head + "SELECT " + joined(selected, ", ") + " FROM " +
                                    m_target->stage + conflict);
    m_target->mergeSql.push_back(
        m_options.softDelete ? upsert + ordered + conflict
                             : upsert + " AND NOT EXISTS (SELECT 1 FROM " + m_target->stage +
                                   " d WHERE "
                                   "d._weir_op = 'd' AND d._weir_seq > s._weir_seq AND " +
                                   joined(sameKey, " AND ") + ")" + ordered + conflict);
    // Soft deletes last: a key whose last event in the batch is a delete keeps its row,
    // flagged (inserted just before if the batch created it).
    if (m_options.softDelete)
        m_target->mergeSql.push_back(
            "UPDATE " + table + " AS t SET " + quoteIdentifier(m_options.deletedColumn) +
            " = true FROM (SELECT DISTINCT ON (" + joined(keys, ", ") + ") " + joined(keys, ", ") +
            ", _weir_op FROM " + m_target->stage + " ORDER BY " + joined(keys, ", ") +
            ", _weir_seq DESC) d WHERE d._weir_op = 'd' AND " + joined(deletedKey, " AND "));
    m_target->schema = batch.schema;
    return {};
}

std::optional<std::vector<std::size_t>>
PostgresSink::latestVersions(const record::Batch &batch, std::size_t from, std::size_t to) const
{
    if (!m_target->clientPicksLatest)
        return std::nullopt;
    return latestPerKey(batch, from, to, m_target->keyIndices, m_target->orderIndex,
                        m_target->orderKind);
}

Status PostgresSink::stageAndMerge(const record::Batch &batch, std::size_t from, std::size_t to,
                                   const std::optional<std::vector<std::size_t>> &latest,
                                   bool binaryAllowed)
{
    const std::size_t rows = latest ? latest->size() : to - from;
    const std::size_t width = batch.schema->size();
    auto row = [&](std::size_t staged) { return latest ? (*latest)[staged] : from + staged; };
    // Binary when every value has its column's binary form (the usual case after a typed
    // source or a validate step); otherwise text, which the server converts.
    const std::vector<BinaryColumn> &binary = m_target->binaryColumns;
    bool useBinary = binaryAllowed && binary.size() == width;
    for (std::size_t r = 0; r < rows && useBinary; ++r) {
        const auto &values = batch.events[row(r)].current();
        for (std::size_t c = 0; c < values.size() && c < width && useBinary; ++c)
            useBinary = fitsBinary(binary[c], values[c]);
    }
    const std::string &copy =
        latest ? (useBinary ? m_target->copyLatestBinarySql : m_target->copyLatestSql)
               : (useBinary ? m_target->copyBinarySql : m_target->copySql);
    std::size_t staged = 0;
    bool started = false;
    Status copied = m_db.copyIn(copy, [&](std::string &out) {
        constexpr std::size_t piece = std::size_t{64} * 1024;
        if (useBinary && !started)
            appendBinaryHeader(out);
        started = true;
        for (; staged < rows && out.size() < piece; ++staged) {
            const std::size_t i = row(staged);
            const auto seq = latest ? -1 : static_cast<std::int64_t>(i);
            if (useBinary)
                appendBinaryRow(out, batch.events[i], binary, seq);
            else
                appendRow(out, batch.events[i], width, seq, m_target->arrayColumns);
        }
        if (useBinary && staged == rows)
            appendBinaryTrailer(out);
        return staged < rows;
    });
    if (!copied)
        return copied;
    bool deletes = false;
    for (std::size_t i = from; i < to && !latest && !deletes; ++i)
        deletes = batch.events[i].op == record::Op::Delete;
    const auto &statements = latest    ? m_target->mergeLatest
                             : deletes ? m_target->mergeSql
                                       : m_target->mergeWithoutDeletes;
    for (const std::string &sql : statements) {
        if (Status s = m_db.exec(sql); !s)
            return s;
    }
    return {};
}

Status PostgresSink::writeEvents(const record::Batch &batch, std::vector<engine::DeadLetter> &dead)
{
    // Emptied outside any savepoint, the staging table is truncated in place after the first
    // time in a transaction; inside one, every TRUNCATE makes a new file (1M rows in batches of
    // 10,000: 8 s instead of 5).
    // The versions to stage are picked while the server empties the table.
    std::optional<std::vector<std::size_t>> latest;
    if (Status s = m_db.exec("TRUNCATE " + m_target->stage + "; SAVEPOINT weir_batch",
                             [&] { latest = latestVersions(batch, 0, batch.events.size()); });
        !s)
        return s;
    Status whole = stageAndMerge(batch, 0, batch.events.size(), latest, true);
    if (whole)
        return m_db.exec("RELEASE SAVEPOINT weir_batch");
    if (whole.error().isTransient())
        return whole;
    // The server refused the batch: find the rows it refuses, keep the others.
    if (Status s = m_db.exec("ROLLBACK TO SAVEPOINT weir_batch"); !s)
        return s;
    if (Status s = writeHalves(batch, 0, batch.events.size(), dead); !s)
        return s;
    return m_db.exec("RELEASE SAVEPOINT weir_batch");
}

Status PostgresSink::writeHalves(const record::Batch &batch, std::size_t from, std::size_t to,
                                 std::vector<engine::DeadLetter> &dead)
{
    // Halves, in order, each under its own savepoint: one refused row in 10,000 costs some 30
    // statements, not 10,000. Keys split across halves end the same: the later half is merged
    // later, and an older version still loses to a newer one.
    const std::size_t mid = from + (to - from) / 2;
    for (const auto &[begin, end] : {std::pair{from, mid}, std::pair{mid, to}}) {
        if (begin == end)
            continue;
        if (Status s = m_db.exec("SAVEPOINT weir_part"); !s)
            return s;
        const auto latest = latestVersions(batch, begin, end);
        Status part = m_db.exec("TRUNCATE " + m_target->stage);
        if (part)
            part = stageAndMerge(batch, begin, end, latest, false);
        if (part) {
            if (Status s = m_db.exec("RELEASE SAVEPOINT weir_part"); !s)
                return s;
            continue;
        }
        if (part.error().isTransient())
            return part;
        if (Status s = m_db.exec("ROLLBACK TO SAVEPOINT weir_part; RELEASE SAVEPOINT weir_part");
            !s)
            return s;
        if (end - begin > 1) {
            if (Status s = writeHalves(batch, begin, end, dead); !s)
                return s;
            continue;
        }
        const record::ChangeEvent &e = batch.events[begin];
        dead.push_back(engine::DeadLetter::of(
            batch, e,
            QStringLiteral("rejected by table %1: %2")
                .arg(QString::fromStdString(m_targetTable), part.error().message),
            QString::fromStdString(record::eventToJson(*batch.schema, e))));
    }
    return {};
}

Status PostgresSink::writePositions(const record::Batch &batch)
{
    const std::string now = std::to_string(common::nowMillis());
    for (const record::SourcePosition &p : batch.positions) {
        auto done = m_db.query(
            "INSERT INTO _weir_offsets(pipeline, sink, source, stream, \"offset\", cursor, "
            "updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) "
            "ON CONFLICT (pipeline, sink, source, stream) DO UPDATE SET "
            "\"offset\" = EXCLUDED.\"offset\", cursor = EXCLUDED.cursor, "
            "updated_ms = EXCLUDED.updated_ms",
            {m_context.pipelineName.toStdString(), m_context.nodeId.toStdString(), p.sourceNode,
             p.stream, std::to_string(p.offset), p.cursor, now});
        if (!done)
            return done.error();
    }
    return {};
}

Result<engine::SinkWriteStats> PostgresSink::write(const record::Batch &batch)
{
    // Several batches may share one transaction (group commit); the positions written with
    // each batch make every commit point exact.
    const bool joined = m_inTransaction;
    if (!m_inTransaction) {
        if (Status s = m_db.exec("BEGIN"); !s)
            return errorAt(s.error());
        m_inTransaction = true;
        m_transactionStart = std::chrono::steady_clock::now();
        m_stagedRows = 0;
    }
    std::vector<engine::DeadLetter> dead;
    Status status;
    if (!batch.empty()) {
        auto target = m_router.route(batch);
        if (!target)
            status = target.error();
        else
            m_targetTable = std::move(target.value());
    }
    if (status && !batch.empty()) {
        auto key = upsertKey(m_options.keyColumns, batch, m_options.upsert);
        if (key)
            m_key = std::move(key.value());
        else
            status = key.error();
    }
    if (status && !batch.empty())
        status = prepareFor(batch);
    if (status && !batch.empty())
        status = writeEvents(batch, dead);
    if (status && !dead.empty() && m_context.deadLetters)
        status = m_context.deadLetters->write(m_context, dead);
    if (status)
        status = writePositions(batch);
    if (!status) {
        (void)m_db.exec("ROLLBACK");
        m_inTransaction = false;
        forgetTargets(); // a staging table made in this transaction is gone
        Error error = errorAt(status.error());
        if (joined) {
            error.code = ErrorCode::Permanent;
            error.message +=
                QStringLiteral("; the uncommitted batches will be read again on the next run");
        }
        return error;
    }
    m_stagedRows += static_cast<std::int64_t>(batch.size());
    const auto elapsed = std::chrono::steady_clock::now() - m_transactionStart;
    const bool commit = m_stagedRows >= m_options.commitRows || elapsed >= m_options.commitInterval;
    if (commit) {
        if (Status s = flush(); !s)
            return s.error();
    }
    const auto rejected = static_cast<std::int64_t>(dead.size());
    return engine::SinkWriteStats{static_cast<std::int64_t>(batch.size()) - rejected, rejected,
                                  commit};
}

Status PostgresSink::flush()
{
    if (!m_inTransaction)
        return {};
    const auto started = std::chrono::steady_clock::now();
    Status status = m_db.exec("COMMIT");
    m_inTransaction = false;
    if (!status) {
        forgetTargets();
        Error error = errorAt(status.error());
        error.code = ErrorCode::Permanent;
        error.message +=
            QStringLiteral("; the uncommitted batches will be read again on the next run");
        return error;
    }
    m_lastCommitMillis =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return {};
}

Status PostgresSink::close()
{
    return flush();
}

} // namespace weir::connectors::postgres
