#include "connectors/sqlite/sqlite_values.h"

#include "common/time_format.h"

#include <charconv>
#include <cstdlib>
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

namespace {

// SQLite's storage classes in sort order, for a value as bindValue() binds it.
int storageRank(const record::Value &v)
{
    switch (v.kind()) {
    case record::ValueKind::Null:
        return 0;
    case record::ValueKind::Bool:
    case record::ValueKind::Int:
    case record::ValueKind::Double:
    case record::ValueKind::Decimal:
        return 1;
    case record::ValueKind::String:
    case record::ValueKind::Timestamp:
        return 2;
    case record::ValueKind::Bytes:
        return 3;
    }
    return 3;
}

double numberOf(const record::Value &v)
{
    switch (v.kind()) {
    case record::ValueKind::Double:
        return v.asDouble();
    case record::ValueKind::Decimal:
        return std::strtod(v.text().c_str(), nullptr);
    default:
        return static_cast<double>(v.asInt());
    }
}

} // namespace

std::strong_ordering compareLikeSqlite(const record::Value &a, const record::Value &b)
{
    const int ra = storageRank(a);
    const int rb = storageRank(b);
    if (ra != rb)
        return ra <=> rb;
    if (ra == 0)
        return std::strong_ordering::equal;
    if (ra == 1) {
        const bool integers =
            a.kind() != record::ValueKind::Double && a.kind() != record::ValueKind::Decimal &&
            b.kind() != record::ValueKind::Double && b.kind() != record::ValueKind::Decimal;
        if (integers)
            return a.asInt() <=> b.asInt();
        const double x = numberOf(a);
        const double y = numberOf(b);
        return x < y   ? std::strong_ordering::less
               : y < x ? std::strong_ordering::greater
                       : std::strong_ordering::equal;
    }
    const int c = a.toText().compare(b.toText());
    return c <=> 0;
}

} // namespace weir::connectors::sqlite
