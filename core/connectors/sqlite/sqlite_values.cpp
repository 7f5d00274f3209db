#include "connectors/sqlite/sqlite_values.h"

#include "common/time_format.h"

#include <charconv>
#include <sqlite3.h>

namespace weir::connectors::sqlite {

record::Value columnValue(const common::SqliteStatement &stmt, int column)
{
    switch (stmt.columnType(column)) {
    case SQLITE_INTEGER:
        return record::Value::fromInt(stmt.columnInt(column));
    case SQLITE_FLOAT:
        return record::Value::fromDouble(stmt.columnDouble(column));
    case SQLITE_TEXT:
        return record::Value::fromString(stmt.columnText(column));
    case SQLITE_BLOB:
        return record::Value::fromBytes(stmt.columnText(column));
    default:
        return record::Value();
    }
}

void bindValue(common::SqliteStatement &stmt, int index, const record::Value &value)
{
    switch (value.kind()) {
    case record::ValueKind::Null:
        stmt.bindNull(index);
        break;
    case record::ValueKind::Bool:
    case record::ValueKind::Int:
        stmt.bindInt(index, value.asInt());
        break;
    case record::ValueKind::Double:
        stmt.bindDouble(index, value.asDouble());
        break;
    case record::ValueKind::Decimal: {
        double d = 0;
        const std::string &t = value.text();
        std::from_chars(t.data(), t.data() + t.size(), d);
        stmt.bindDouble(index, d);
        break;
    }
    case record::ValueKind::String:
        stmt.bindText(index, std::string_view(value.text()));
        break;
    case record::ValueKind::Bytes:
        stmt.bindBlob(index, value.text());
        break;
    case record::ValueKind::Timestamp:
        stmt.bindText(index,
                      std::string_view(common::formatIsoTimestamp(value.asTimestampMicros())));
        break;
    }
}

} // namespace weir::connectors::sqlite
