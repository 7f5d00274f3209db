#include "transforms/batch_query.h"

#include "connectors/sqlite/sqlite_values.h"

namespace weir::transforms {

Status BatchQuery::prepareFor(const record::Schema &schema)
{
    if (m_preparedFor == &schema)
        return {};
    if (!m_db.isOpen()) {
        auto db = common::SqliteDb::open(QStringLiteral(":memory:"));
        if (!db)
            return db.error();
        m_db = std::move(db.value());
        if (Status s = connectors::sqlite::BatchTable::registerModule(m_db.handle(), &m_feed); !s)
            return s;
    }
    m_stmt = common::SqliteStatement();
    if (Status s = m_db.exec("DROP TABLE IF EXISTS temp.batch"); !s)
        return s;
    if (Status s =
            m_db.exec(connectors::sqlite::BatchTable::createStatement("batch", schema.columns()));
        !s)
        return s;
    std::string_view rest;
    auto stmt = m_db.prepare(m_sql, &rest);
    if (!stmt)
        return makeError(ErrorCode::Invalid, QStringLiteral("SQL: %1").arg(stmt.error().message));
    // One statement only: nothing may ride along after a semicolon.
    if (rest.find_first_not_of(" \t\r\n;") != std::string_view::npos)
        return makeError(ErrorCode::Invalid, QStringLiteral("SQL: only one statement is allowed"));
    m_stmt = std::move(stmt.value());
    m_preparedFor = &schema;
    return {};
}

Status BatchQuery::run(const record::Batch &batch,
                       const std::function<void(const common::SqliteStatement &)> &row)
{
    if (!batch.schema)
        return {};
    if (Status s = prepareFor(*batch.schema); !s)
        return s;
    m_schemaHold = batch.schema;
    m_feed.setBatch(&batch, true);
    Status status;
    for (;;) {
        auto more = m_stmt.step();
        if (!more) {
            status =
                makeError(ErrorCode::Invalid, QStringLiteral("SQL: %1").arg(more.error().message));
            break;
        }
        if (!more.value())
            break;
        row(m_stmt);
    }
    m_stmt.reset();
    m_feed.setBatch(nullptr);
    return status;
}

std::vector<std::string> BatchQuery::columnNames() const
{
    std::vector<std::string> names;
    const int n = m_stmt.columnCount();
    names.reserve(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i)
        names.push_back(m_stmt.columnName(i));
    return names;
}

record::Value BatchQuery::valueAt(const common::SqliteStatement &stmt, int column)
{
    return connectors::sqlite::columnValue(stmt, column);
}

} // namespace weir::transforms
