#include "connectors/sqlite/sqlite_source.h"

#include "common/time_format.h"
#include "connectors/sqlite/sqlite_values.h"

#include <QCryptographicHash>
#include <QFileInfo>

namespace weir::connectors::sqlite {

using common::quoteIdentifier;

SqliteSourceOptions SqliteSourceOptions::fromConfig(const model::NodeConfig &config)
{
    SqliteSourceOptions o;
    o.path = config.path(QStringLiteral("path"));
    o.table = config.string(QStringLiteral("table")).toStdString();
    o.query = config.string(QStringLiteral("query")).toStdString();
    o.watermarkColumn = config.string(QStringLiteral("watermark_column")).toStdString();
    o.keyColumn = config.string(QStringLiteral("key_column")).toStdString();
    o.lookbackSeconds = config.integer(QStringLiteral("lookback_seconds"));
    o.batchSize = static_cast<int>(config.integer(QStringLiteral("batch_size")));
    o.pollMs = static_cast<int>(config.integer(QStringLiteral("poll_ms")));
    return o;
}

std::partial_ordering SqliteSource::comparePositions(const record::SourcePosition &a,
                                                     const record::SourcePosition &b) const
{
    return IncrementalCursor::compare(a, b, compareLikeSqlite);
}

Status SqliteSource::open(const engine::NodeContext &context,
                          const std::vector<record::SourcePosition> &resumeFrom)
{
    m_context = context;
    auto fail = [&](Error e) {
        e.nodeId = context.nodeId;
        return Status(std::move(e));
    };
    if (!QFileInfo::exists(m_options.path))
        return fail(makeError(ErrorCode::NotFound,
                              QStringLiteral("database %1 does not exist").arg(m_options.path)));
    auto db = common::SqliteDb::open(m_options.path);
    if (!db)
        return fail(db.error());
    m_db = std::move(db.value());
    const std::string what =
        m_options.table.empty() ? "query:" + m_options.query : "table:" + m_options.table;
    m_stream = "sqlite:" + QFileInfo(m_options.path).canonicalFilePath().toStdString() + "#" +
               (m_options.table.empty() ? QCryptographicHash::hash(QByteArray::fromStdString(what),
                                                                   QCryptographicHash::Sha256)
                                              .toHex()
                                              .left(16)
                                              .toStdString()
                                        : m_options.table);
    if (Status s = prepare(); !s)
        return fail(s.error());
    m_cursor.resume(m_stream, resumeFrom);
    return {};
}

Status SqliteSource::prepare()
{
    const std::string relation =
        m_options.table.empty() ? "(" + m_options.query + "\n)" : quoteIdentifier(m_options.table);
    const std::string w = quoteIdentifier(m_options.watermarkColumn);
    const std::string k = quoteIdentifier(m_options.keyColumn);
    auto probe = m_db.prepare("SELECT * FROM " + relation + " AS src LIMIT 0");
    if (!probe)
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("cannot read %1: %2")
                             .arg(QString::fromStdString(m_options.table.empty() ? "the query"
                                                                                 : m_options.table),
                                  probe.error().message));
    std::vector<std::string> columns;
    columns.reserve(static_cast<std::size_t>(probe->columnCount()));
    for (int i = 0; i < probe->columnCount(); ++i)
        columns.push_back(probe->columnName(i));
    m_schema = record::makeSchema(columns);
    m_watermarkIndex = m_schema->indexOf(m_options.watermarkColumn);
    m_keyIndex = m_schema->indexOf(m_options.keyColumn);
    if (m_watermarkIndex < 0 || m_keyIndex < 0)
        return makeError(
            ErrorCode::Invalid,
            QStringLiteral("column '%1' is not in the rows read")
                .arg(QString::fromStdString(m_watermarkIndex < 0 ? m_options.watermarkColumn
                                                                 : m_options.keyColumn)));
    // Strictly after the (watermark, key) cursor, in cursor order: ties on the watermark are
    // split by the key, so none is skipped and none read twice. A row-value comparison lets
    // SQLite use an index on (watermark, key).
    const std::string order = " ORDER BY " + w + ", " + k + " LIMIT ?3";
    auto first =
        m_db.prepare("SELECT * FROM " + relation + " AS src WHERE " + w + " IS NOT NULL" + order);
    auto after = m_db.prepare("SELECT * FROM " + relation + " AS src WHERE (" + w + ", " + k +
                              ") > (?1, ?2)" + order);
    if (!first)
        return first.error();
    if (!after)
        return after.error();
    m_first = std::move(first.value());
    m_after = std::move(after.value());
    auto window =
        m_db.prepare("SELECT * FROM " + relation + " AS src WHERE " + w + " >= ?1 AND (" + w +
                     " < ?2 OR (" + w + " = ?2 AND " + k + " <= ?3)) ORDER BY " + w + ", " + k);
    if (!window)
        return window.error();
    m_window = std::move(window.value());
    const std::string nullRows = "SELECT * FROM " + relation + " AS src WHERE " + w + " IS NULL";
    auto nullFirst = m_db.prepare(nullRows + " ORDER BY " + k + " LIMIT ?1");
    auto nullAfter = m_db.prepare(nullRows + " AND " + k + " > ?2 ORDER BY " + k + " LIMIT ?1");
    if (!nullFirst)
        return nullFirst.error();
    if (!nullAfter)
        return nullAfter.error();
    m_nullFirst = std::move(nullFirst.value());
    m_nullAfter = std::move(nullAfter.value());
    return {};
}

record::ChangeEvent &SqliteSource::appendRow(const common::SqliteStatement &stmt,
                                             record::Batch &batch)
{
    const std::size_t width = m_schema->size();
    record::ChangeEvent &e = batch.events.emplace_back();
    e.after.reserve(width);
    for (std::size_t i = 0; i < width; ++i)
        e.after.push_back(columnValue(stmt, static_cast<int>(i)));
    const record::Value &watermark = e.after[static_cast<std::size_t>(m_watermarkIndex)];
    if (const auto micros = common::parseIsoTimestamp(watermark.toText()))
        e.eventTimeMicros = *micros;
    m_newestEventMicros = std::max(m_newestEventMicros, e.eventTimeMicros);
    e.offset = IncrementalCursor::offsetOf(watermark);
    e.location =
        IncrementalCursor::encode(watermark, e.after[static_cast<std::size_t>(m_keyIndex)]);
    return e;
}

Result<std::size_t> SqliteSource::readRows(common::SqliteStatement &stmt, record::Batch &batch,
                                           bool nullWatermarks)
{
    std::size_t read = 0;
    for (;;) {
        auto row = stmt.step();
        if (!row) {
            stmt.reset();
            Error e = row.error();
            e.nodeId = m_context.nodeId;
            return e;
        }
        if (!row.value())
            break;
        ++read;
        record::ChangeEvent &e = appendRow(stmt, batch);
        const record::Value &key = e.after[static_cast<std::size_t>(m_keyIndex)];
        if (nullWatermarks) {
            m_cursor.nullKey = key;
            m_cursor.haveNullKey = true;
            continue;
        }
        m_cursor.watermark = e.after[static_cast<std::size_t>(m_watermarkIndex)];
        m_cursor.key = key;
        m_cursor.haveCursor = true;
        if (m_lookback.enabled() && e.eventTimeMicros)
            m_lookback.remember(m_cursor.watermark, key);
    }
    stmt.reset();
    return read;
}

Result<std::size_t> SqliteSource::readNullWatermarks(record::Batch &batch)
{
    common::SqliteStatement &read = m_cursor.haveNullKey ? m_nullAfter : m_nullFirst;
    read.bindInt(1, m_options.batchSize);
    if (m_cursor.haveNullKey)
        bindValue(read, 2, m_cursor.nullKey);
    return readRows(read, batch, true);
}

void SqliteSource::readLookbackWindow(record::Batch &batch)
{
    const std::string watermark = m_cursor.watermark.toText();
    const std::int64_t until = *common::parseIsoTimestamp(watermark);
    std::string from = common::formatIsoTimestamp(until - m_lookback.windowMicros());
    if (watermark.size() > 10 && watermark[10] == ' ')
        from[10] = ' '; // compare like with like: the table's own date-time separator
    m_window.bindText(1, std::string_view(from));
    bindValue(m_window, 2, m_cursor.watermark);
    bindValue(m_window, 3, m_cursor.key);
    for (;;) {
        auto row = m_window.step();
        if (!row || !row.value())
            break;
        if (m_lookback.remember(columnValue(m_window, m_watermarkIndex),
                                columnValue(m_window, m_keyIndex)))
            appendRow(m_window, batch);
    }
    m_window.reset();
    m_lookback.forgetBefore(until);
}

Result<engine::StepStatus> SqliteSource::next(record::Batch &batch,
                                              std::vector<engine::DeadLetter> &dead)
{
    (void)dead;
    batch.schema = m_schema;
    batch.stream = m_stream;
    batch.ingestTimeMicros = common::nowMicros();
    auto position = [&] {
        batch.positions = {record::SourcePosition(m_context.nodeId.toStdString(), m_stream,
                                                  IncrementalCursor::offsetOf(m_cursor.watermark),
                                                  m_cursor.text())};
    };
    common::SqliteStatement &read = m_cursor.haveCursor ? m_after : m_first;
    bindValue(read, 1, m_cursor.watermark);
    bindValue(read, 2, m_cursor.key);
    read.bindInt(3, m_options.batchSize);
    auto rows = readRows(read, batch, false);
    if (!rows)
        return rows.error();
    if (rows.value() == 0) {
        // Caught up with the ordered rows: now those without a watermark.
        rows = readNullWatermarks(batch);
        if (!rows)
            return rows.error();
    }
    if (rows.value() > 0) {
        position();
        if (m_lookback.size() > 0)
            m_lookback.forgetBefore(IncrementalCursor::offsetOf(m_cursor.watermark));
        return engine::StepStatus::HaveMore;
    }

    // Caught up. Late commits: rows inside the lookback window that were not sent yet. They
    // lie behind the cursor, so they travel without a position of their own (each keeps its
    // own location).
    if (m_lookback.appliesTo(m_cursor)) {
        readLookbackWindow(batch);
        if (!batch.events.empty())
            return engine::StepStatus::HaveMore;
    }
    return waitForNewRows(m_context, m_options.pollMs);
}

engine::SourceProgress SqliteSource::progress() const
{
    engine::SourceProgress p;
    p.newestEventTimeMicros = m_newestEventMicros;
    return p;
}

} // namespace weir::connectors::sqlite
