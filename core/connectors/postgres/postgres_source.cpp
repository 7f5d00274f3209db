#include "connectors/postgres/postgres_source.h"

#include "common/sqlite_db.h" // quoteIdentifier: the same rule in both dialects
#include "common/time_format.h"
#include "connectors/postgres/pg_values.h"
#include "connectors/sqlite/sqlite_values.h" // compareLikeSqlite: byte order for text

#include <QCryptographicHash>

namespace weir::connectors::postgres {

using common::quoteIdentifier;

namespace {

// Types whose default order follows a collation: compared as bytes (COLLATE "C") instead.
bool isCollatedText(unsigned typeOid)
{
    return typeOid == 25 || typeOid == 1043 || typeOid == 1042 || typeOid == 19;
}

} // namespace

PostgresSourceOptions PostgresSourceOptions::fromConfig(const model::NodeConfig &config)
{
    PostgresSourceOptions o;
    o.connection = config.string(QStringLiteral("connection")).toStdString();
    o.table = config.string(QStringLiteral("table")).toStdString();
    o.query = config.string(QStringLiteral("query")).toStdString();
    o.watermarkColumn = config.string(QStringLiteral("watermark_column")).toStdString();
    o.keyColumn = config.string(QStringLiteral("key_column")).toStdString();
    o.lookbackSeconds = config.integer(QStringLiteral("lookback_seconds"));
    o.batchSize = static_cast<int>(config.integer(QStringLiteral("batch_size")));
    o.pollMs = static_cast<int>(config.integer(QStringLiteral("poll_ms")));
    return o;
}

Result<QString> testPostgresSourceConnection(const PostgresSourceOptions &options)
{
    PostgresSource source(options);
    if (Status s = source.connect(); !s)
        return s.error();
    if (Status s = source.describe(); !s)
        return s.error();
    auto who = source.m_db.query("SELECT current_database(), current_user");
    if (!who)
        return who.error();
    const QString what =
        options.table.empty()
            ? QStringLiteral("the query")
            : QStringLiteral("table %1").arg(QString::fromStdString(options.table));
    return QStringLiteral("PostgreSQL %1, database %2 as %3: %4 gives %5 columns, read in "
                          "(%6, %7) order.")
        .arg(QString::fromStdString(source.m_db.serverVersion()),
             QString::fromStdString(who->text(0, 0)), QString::fromStdString(who->text(0, 1)), what)
        .arg(source.m_schema->size())
        .arg(QString::fromStdString(options.watermarkColumn),
             QString::fromStdString(options.keyColumn));
}

std::partial_ordering PostgresSource::comparePositions(const record::SourcePosition &a,
                                                       const record::SourcePosition &b) const
{
    return IncrementalCursor::compare(a, b, sqlite::compareLikeSqlite);
}

Error PostgresSource::located(Error error) const
{
    error.nodeId = m_context.nodeId;
    return error;
}

Status PostgresSource::connect()
{
    auto db = PgConnection::connect(m_options.connection);
    if (!db)
        return db.error();
    m_db = std::move(db.value());
    return m_db.exec(kReadSessionSettings);
}

Status PostgresSource::describe()
{
    m_relation = m_options.table.empty() ? "(" + m_options.query + "\n) AS src"
                                         : quoteIdentifier(m_options.table) + " AS src";
    auto probe = m_db.query("SELECT * FROM " + m_relation + " LIMIT 0");
    if (!probe)
        return makeError(probe.error().code,
                         QStringLiteral("cannot read %1: %2")
                             .arg(QString::fromStdString(m_options.table.empty() ? "the query"
                                                                                 : m_options.table),
                                  probe.error().message));
    std::vector<std::string> columns;
    m_types.clear();
    for (int i = 0; i < probe->columns(); ++i) {
        columns.push_back(probe->columnName(i));
        m_types.push_back(probe->columnType(i));
    }
    m_schema = record::makeSchema(columns);
    m_watermarkIndex = m_schema->indexOf(m_options.watermarkColumn);
    m_keyIndex = m_schema->indexOf(m_options.keyColumn);
    if (m_watermarkIndex < 0 || m_keyIndex < 0)
        return makeError(
            ErrorCode::Invalid,
            QStringLiteral("column '%1' is not in the rows read")
                .arg(QString::fromStdString(m_watermarkIndex < 0 ? m_options.watermarkColumn
                                                                 : m_options.keyColumn)));
    auto ordered = [&](int index, const std::string &name) {
        return quoteIdentifier(name) +
               (isCollatedText(m_types[static_cast<std::size_t>(index)]) ? " COLLATE \"C\"" : "");
    };
    const std::string w = ordered(m_watermarkIndex, m_options.watermarkColumn);
    const std::string k = ordered(m_keyIndex, m_options.keyColumn);
    m_order = w + ", " + k;
    m_rowValue = "(" + m_order + ")";
    m_keyOrder = k;
    return {};
}

Status PostgresSource::open(const engine::NodeContext &context,
                            const std::vector<record::SourcePosition> &resumeFrom)
{
    m_context = context;
    if (Status s = connect(); !s)
        return located(s.error());
    auto database = m_db.query("SELECT current_database()");
    if (!database)
        return located(database.error());
    const std::string what =
        m_options.table.empty()
            ? QCryptographicHash::hash(QByteArray::fromStdString(m_options.query),
                                       QCryptographicHash::Sha256)
                  .toHex()
                  .left(16)
                  .toStdString()
            : m_options.table;
    m_stream = "postgres:" + database->text(0, 0) + "#" + what;
    if (Status s = describe(); !s)
        return located(s.error());
    m_cursor.resume(m_stream, resumeFrom);
    return {};
}

record::ChangeEvent &PostgresSource::appendRow(const PgResult &rows, int row, record::Batch &batch)
{
    const std::size_t width = m_types.size();
    record::ChangeEvent &e = batch.events.emplace_back();
    e.after.reserve(width);
    for (std::size_t i = 0; i < width; ++i) {
        const int column = static_cast<int>(i);
        e.after.push_back(rows.isNull(row, column)
                              ? record::Value()
                              : valueFromPgText(m_types[i], rows.view(row, column)));
    }
    const record::Value &watermark = e.after[static_cast<std::size_t>(m_watermarkIndex)];
    if (watermark.kind() == record::ValueKind::Timestamp)
        e.eventTimeMicros = watermark.asTimestampMicros();
    else if (const auto micros = common::parseIsoTimestamp(watermark.toText()))
        e.eventTimeMicros = *micros;
    m_newestEventMicros = std::max(m_newestEventMicros, e.eventTimeMicros);
    e.offset = IncrementalCursor::offsetOf(watermark);
    e.location =
        IncrementalCursor::encode(watermark, e.after[static_cast<std::size_t>(m_keyIndex)]);
    return e;
}

Result<std::size_t> PostgresSource::fetch(record::Batch &batch)
{
    const std::string select = "SELECT * FROM " + m_relation + " WHERE ";
    const std::string order =
        " ORDER BY " + m_order + " LIMIT " + std::to_string(m_options.batchSize);
    Result<PgResult> rows = PgResult();
    if (!m_cursor.haveCursor)
        rows = m_db.query(select + quoteIdentifier(m_options.watermarkColumn) + " IS NOT NULL" +
                          order);
    else if (m_cursor.key.isNull()) // only a watermark is known: rows there may repeat
        rows = m_db.query(select + quoteIdentifier(m_options.watermarkColumn) + " >= $1" + order,
                          {pgTextOf(m_cursor.watermark)});
    else
        rows = m_db.query(select + m_rowValue + " > ($1, $2)" + order,
                          {pgTextOf(m_cursor.watermark), pgTextOf(m_cursor.key)});
    if (!rows)
        return rows.error();
    if (static_cast<std::size_t>(rows->columns()) != m_types.size()) {
        // The table changed since it was described: read it with its new shape.
        if (Status s = describe(); !s)
            return s.error();
        batch.schema = m_schema;
        return fetch(batch);
    }
    for (int r = 0; r < rows->rows(); ++r) {
        record::ChangeEvent &e = appendRow(*rows, r, batch);
        m_cursor.watermark = e.after[static_cast<std::size_t>(m_watermarkIndex)];
        m_cursor.key = e.after[static_cast<std::size_t>(m_keyIndex)];
        m_cursor.haveCursor = true;
        if (m_lookback.enabled() && e.eventTimeMicros)
            m_lookback.remember(m_cursor.watermark, m_cursor.key);
    }
    return static_cast<std::size_t>(rows->rows());
}

Result<std::size_t> PostgresSource::readNullWatermarks(record::Batch &batch)
{
    std::string sql = "SELECT * FROM " + m_relation + " WHERE " +
                      quoteIdentifier(m_options.watermarkColumn) + " IS NULL";
    std::vector<std::string> params{std::to_string(m_options.batchSize)};
    if (m_cursor.haveNullKey) {
        sql += " AND " + m_keyOrder + " > $2";
        params.push_back(pgTextOf(m_cursor.nullKey));
    }
    auto rows = m_db.query(sql + " ORDER BY " + m_keyOrder + " LIMIT $1", params);
    if (!rows)
        return rows.error();
    if (static_cast<std::size_t>(rows->columns()) != m_types.size())
        return std::size_t{0}; // the table changed: read on with its new shape first
    for (int r = 0; r < rows->rows(); ++r) {
        record::ChangeEvent &e = appendRow(*rows, r, batch);
        m_cursor.nullKey = e.after[static_cast<std::size_t>(m_keyIndex)];
        m_cursor.haveNullKey = true;
    }
    return static_cast<std::size_t>(rows->rows());
}

Status PostgresSource::readLookbackWindow(record::Batch &batch)
{
    const std::int64_t until = *common::parseIsoTimestamp(m_cursor.watermark.toText());
    const std::string from = common::formatIsoTimestamp(until - m_lookback.windowMicros());
    auto rows = m_db.query("SELECT * FROM " + m_relation + " WHERE " +
                               quoteIdentifier(m_options.watermarkColumn) + " >= $1 AND " +
                               m_rowValue + " <= ($2, $3) ORDER BY " + m_order,
                           {from, pgTextOf(m_cursor.watermark), pgTextOf(m_cursor.key)});
    if (!rows)
        return rows.error();
    if (static_cast<std::size_t>(rows->columns()) == m_types.size()) {
        for (int r = 0; r < rows->rows(); ++r) {
            const int w = m_watermarkIndex;
            const int k = m_keyIndex;
            const record::Value watermark =
                valueFromPgText(m_types[static_cast<std::size_t>(w)], rows->view(r, w));
            const record::Value key =
                rows->isNull(r, k)
                    ? record::Value()
                    : valueFromPgText(m_types[static_cast<std::size_t>(k)], rows->view(r, k));
            if (m_lookback.remember(watermark, key))
                appendRow(*rows, r, batch);
        }
    }
    m_lookback.forgetBefore(until);
    return {};
}

Result<engine::StepStatus> PostgresSource::next(record::Batch &batch,
                                                std::vector<engine::DeadLetter> &dead)
{
    (void)dead;
    if (!m_db.isUsable()) {
        // The connection was lost: connect again and read on after the last row handed out.
        if (Status s = connect(); !s)
            return located(s.error());
    }
    batch.schema = m_schema;
    batch.stream = m_stream;
    batch.ingestTimeMicros = common::nowMicros();
    auto rows = fetch(batch);
    if (rows && rows.value() == 0)
        rows = readNullWatermarks(batch); // caught up with the ordered rows: now the NULLs
    if (!rows)
        return located(rows.error());
    if (rows.value() > 0) {
        batch.positions = {record::SourcePosition(m_context.nodeId.toStdString(), m_stream,
                                                  IncrementalCursor::offsetOf(m_cursor.watermark),
                                                  m_cursor.text())};
        if (m_lookback.size() > 0)
            m_lookback.forgetBefore(IncrementalCursor::offsetOf(m_cursor.watermark));
        return engine::StepStatus::HaveMore;
    }
    // Caught up. Late commits inside the lookback window travel without a position of their
    // own: they lie behind the cursor (each keeps its own location).
    if (m_lookback.appliesTo(m_cursor)) {
        if (Status s = readLookbackWindow(batch); !s)
            return located(s.error());
        if (!batch.events.empty())
            return engine::StepStatus::HaveMore;
    }
    return waitForNewRows(m_context, m_options.pollMs);
}

engine::SourceProgress PostgresSource::progress() const
{
    engine::SourceProgress p;
    p.newestEventTimeMicros = m_newestEventMicros;
    return p;
}

} // namespace weir::connectors::postgres
