#pragma once

// Record values to and from SQLite statements, shared by the SQLite source and the SQL-backed
// transforms.

#include "common/sqlite_db.h"
#include "record/value.h"

namespace weir::connectors::sqlite {

// A result column as a record value by its storage class: INTEGER, REAL, TEXT, BLOB or NULL.
record::Value columnValue(const common::SqliteStatement &stmt, int column);

// Binds a value with its own type (decimals as REAL, timestamps as ISO-8601 text).
void bindValue(common::SqliteStatement &stmt, int index, const record::Value &value);

} // namespace weir::connectors::sqlite
