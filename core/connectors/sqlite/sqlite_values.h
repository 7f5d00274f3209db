#pragma once

// Record values to and from SQLite statements, shared by the SQLite source and the SQL-backed
// transforms.

#include "common/sqlite_db.h"
#include "record/value.h"

#include <compare>

namespace weir::connectors::sqlite {

// A result column as a record value by its storage class: INTEGER, REAL, TEXT, BLOB or NULL.
record::Value columnValue(const common::SqliteStatement &stmt, int column);

// Binds a value with its own type (decimals as REAL, timestamps as ISO-8601 text).
void bindValue(common::SqliteStatement &stmt, int index, const record::Value &value);

// Orders two values as SQLite orders them when bound with bindValue(): NULL, then numbers by
// value, then text by its bytes, then blobs.
std::strong_ordering compareLikeSqlite(const record::Value &a, const record::Value &b);

} // namespace weir::connectors::sqlite
