#pragma once

// Thin RAII wrappers over the sqlite3 C API, used by the StateStore and the SQLite connectors.
// A SqliteDb is used by one thread at a time (the caller serialises); errors come back as Error.

#include "common/result.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace weir::common {

// "name" with embedded quotes doubled: the only way an identifier enters our SQL.
std::string quoteIdentifier(std::string_view name);

class SqliteStatement final
{
public:
    SqliteStatement() = default;
    SqliteStatement(SqliteStatement &&other) noexcept;
    SqliteStatement &operator=(SqliteStatement &&other) noexcept;
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;
    ~SqliteStatement();

    bool isValid() const { return m_stmt != nullptr; }
    // Parameters are 1-based as in sqlite3_bind_*.
    void bindNull(int index);
    void bindInt(int index, std::int64_t value);
    void bindDouble(int index, double value);
    void bindText(int index, std::string_view text); // SQLite keeps a copy
    // The text must stay alive and unchanged until the next step() or reset().
    void bindTextNoCopy(int index, std::string_view text);
    void bindText(int index, const QString &text);
    void bindBlob(int index, std::string_view bytes);
    // Steps once: true when a row is ready, false when done; errors as Error.
    Result<bool> step();
    // Steps to the end (for statements that return no rows).
    Status run();
    void reset();

    int columnCount() const;
    std::string columnName(int index) const;
    int columnType(
        int index) const; // SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB, SQLITE_NULL
    std::int64_t columnInt(int index) const;
    double columnDouble(int index) const;
    bool columnIsNull(int index) const;
    std::string columnText(int index) const;
    QString columnQString(int index) const;

private:
    friend class SqliteDb;
    SqliteStatement(sqlite3 *db, sqlite3_stmt *stmt) : m_db(db), m_stmt(stmt) {}
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_stmt = nullptr;
};

// Steps through every row of `stmt`, turning each into a T with `read(stmt)`.
template<typename T, typename Read>
Result<std::vector<T>> collectRows(SqliteStatement &stmt, Read read)
{
    std::vector<T> out;
    for (;;) {
        auto row = stmt.step();
        if (!row)
            return row.error();
        if (!row.value())
            return out;
        out.push_back(read(stmt));
    }
}

class SqliteDb final
{
public:
    SqliteDb() = default;
    SqliteDb(SqliteDb &&other) noexcept;
    SqliteDb &operator=(SqliteDb &&other) noexcept;
    SqliteDb(const SqliteDb &) = delete;
    SqliteDb &operator=(const SqliteDb &) = delete;
    ~SqliteDb();

    // Opens (creating when missing) with a busy timeout; ":memory:" works too.
    static Result<SqliteDb> open(const QString &path);

    bool isOpen() const { return m_db != nullptr; }
    Status exec(std::string_view sql);
    // `rest`, when given, receives the text after the first statement.
    Result<SqliteStatement> prepare(std::string_view sql, std::string_view *rest = nullptr);
    std::int64_t lastInsertRowId() const;
    int changes() const;
    sqlite3 *handle() const { return m_db; }
    // The current SQLite error as an Error (SQLITE_BUSY and SQLITE_LOCKED are transient).
    Error lastError(std::string_view what) const;

private:
    sqlite3 *m_db = nullptr;
};

} // namespace weir::common
