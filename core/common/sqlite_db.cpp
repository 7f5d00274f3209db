#include "common/sqlite_db.h"

#include <sqlite3.h>
#include <utility>

namespace weir::common {

std::string quoteIdentifier(std::string_view name)
{
    std::string out;
    out.reserve(name.size() + 2);
    out.push_back('"');
    for (char c : name) {
        if (c == '"')
            out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

namespace {

Error errorFor(sqlite3 *db, int rc, std::string_view what)
{
    const int primary = rc & 0xff;
    const ErrorCode code =
        (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) ? ErrorCode::Transient : ErrorCode::Io;
    const char *message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    return makeError(code, QStringLiteral("%1: %2").arg(
                               QString::fromUtf8(what.data(), static_cast<int>(what.size())),
                               QString::fromUtf8(message)));
}

} // namespace

SqliteStatement::SqliteStatement(SqliteStatement &&other) noexcept
    : m_db(std::exchange(other.m_db, nullptr)), m_stmt(std::exchange(other.m_stmt, nullptr))
{
}

SqliteStatement &SqliteStatement::operator=(SqliteStatement &&other) noexcept
{
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = std::exchange(other.m_db, nullptr);
        m_stmt = std::exchange(other.m_stmt, nullptr);
    }
    return *this;
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(m_stmt);
}

void SqliteStatement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
}

void SqliteStatement::bindInt(int index, std::int64_t value)
{
    sqlite3_bind_int64(m_stmt, index, value);
}

void SqliteStatement::bindDouble(int index, double value)
{
    sqlite3_bind_double(m_stmt, index, value);
}

void SqliteStatement::bindText(int index, std::string_view text)
{
    sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

void SqliteStatement::bindTextNoCopy(int index, std::string_view text)
{
    sqlite3_bind_text(m_stmt, index, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
}

void SqliteStatement::bindText(int index, const QString &text)
{
    bindText(index, std::string_view(text.toStdString()));
}

void SqliteStatement::bindBlob(int index, std::string_view bytes)
{
    sqlite3_bind_blob(m_stmt, index, bytes.data(), static_cast<int>(bytes.size()),
                      SQLITE_TRANSIENT);
}

Result<bool> SqliteStatement::step()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    Error error = errorFor(m_db, rc, sqlite3_sql(m_stmt) ? "statement" : "step");
    sqlite3_reset(m_stmt);
    return error;
}

Status SqliteStatement::run()
{
    for (;;) {
        auto more = step();
        if (!more)
            return more.error();
        if (!more.value())
            break;
    }
    reset();
    return {};
}

void SqliteStatement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

int SqliteStatement::columnCount() const
{
    return sqlite3_column_count(m_stmt);
}

std::string SqliteStatement::columnName(int index) const
{
    const char *name = sqlite3_column_name(m_stmt, index);
    return name ? std::string(name) : std::string();
}

int SqliteStatement::columnType(int index) const
{
    return sqlite3_column_type(m_stmt, index);
}

std::int64_t SqliteStatement::columnInt(int index) const
{
    return sqlite3_column_int64(m_stmt, index);
}

double SqliteStatement::columnDouble(int index) const
{
    return sqlite3_column_double(m_stmt, index);
}

bool SqliteStatement::columnIsNull(int index) const
{
    return sqlite3_column_type(m_stmt, index) == SQLITE_NULL;
}

std::string SqliteStatement::columnText(int index) const
{
    const auto *text = sqlite3_column_text(m_stmt, index);
    const int size = sqlite3_column_bytes(m_stmt, index);
    return text ? std::string(reinterpret_cast<const char *>(text), static_cast<std::size_t>(size))
                : std::string();
}

QString SqliteStatement::columnQString(int index) const
{
    const auto *text = sqlite3_column_text(m_stmt, index);
    const int size = sqlite3_column_bytes(m_stmt, index);
    return text ? QString::fromUtf8(reinterpret_cast<const char *>(text), size) : QString();
}

SqliteDb::SqliteDb(SqliteDb &&other) noexcept : m_db(std::exchange(other.m_db, nullptr))
{
}

SqliteDb &SqliteDb::operator=(SqliteDb &&other) noexcept
{
    if (this != &other) {
        sqlite3_close_v2(m_db);
        m_db = std::exchange(other.m_db, nullptr);
    }
    return *this;
}

SqliteDb::~SqliteDb()
{
    sqlite3_close_v2(m_db);
}

Result<SqliteDb> SqliteDb::open(const QString &path)
{
    // Memory statistics take a global mutex on every allocation; Weir never reads them.
    static const bool configured = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
    (void)configured;
    SqliteDb db;
    const QByteArray utf8 = path.toUtf8();
    const int rc =
        sqlite3_open_v2(utf8.constData(), &db.m_db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
        Error error = errorFor(db.m_db, rc, "open");
        error.message =
            QStringLiteral("cannot open SQLite database '%1': %2").arg(path, error.message);
        error.code = ErrorCode::Io;
        return error;
    }
    sqlite3_busy_timeout(db.m_db, 5000);
    sqlite3_extended_result_codes(db.m_db, 1);
    return db;
}

Status SqliteDb::exec(std::string_view sql)
{
    const std::string text(sql);
    char *message = nullptr;
    const int rc = sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, &message);
    if (rc == SQLITE_OK)
        return {};
    sqlite3_free(message);
    return errorFor(m_db, rc, "exec");
}

Result<SqliteStatement> SqliteDb::prepare(std::string_view sql, std::string_view *rest)
{
    sqlite3_stmt *stmt = nullptr;
    const char *tail = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()),
                                      SQLITE_PREPARE_PERSISTENT, &stmt, &tail);
    if (rest)
        *rest = tail ? sql.substr(static_cast<std::size_t>(tail - sql.data())) : std::string_view();
    if (rc != SQLITE_OK)
        return errorFor(m_db, rc, "prepare");
    if (!stmt)
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("prepare: no SQL statement in the text"));
    return SqliteStatement(m_db, stmt);
}

std::int64_t SqliteDb::lastInsertRowId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int SqliteDb::changes() const
{
    return sqlite3_changes(m_db);
}

Error SqliteDb::lastError(std::string_view what) const
{
    return errorFor(m_db, sqlite3_errcode(m_db), what);
}

} // namespace weir::common
