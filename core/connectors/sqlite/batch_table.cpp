#include "connectors/sqlite/batch_table.h"

#include "common/sqlite_db.h"
#include "common/time_format.h"

#include <sqlite3.h>

namespace weir::connectors::sqlite {
namespace {

struct Table
{
    sqlite3_vtab base{}; // must come first: SQLite hands back this pointer
    BatchTable *feed = nullptr;
    int columns = 0;
};

struct Cursor
{
    sqlite3_vtab_cursor base{}; // must come first
    const record::Batch *batch = nullptr;
    bool withDeletes = false;
    std::size_t row = 0;
    int columns = 0;     // visible columns; the hidden ones follow
    std::string scratch; // text of a timestamp, alive until the next column call

    void skipDeletes()
    {
        while (!withDeletes && batch && row < batch->events.size() &&
               batch->events[row].op == record::Op::Delete)
            ++row;
    }
};

int xCreate(sqlite3 *db, void *aux, int argc, const char *const *argv, sqlite3_vtab **out,
            char **error)
{
    // argv: module, database, table, then the column names (already quoted).
    std::string sql = "CREATE TABLE x(";
    for (int i = 3; i < argc; ++i) {
        if (i > 3)
            sql += ", ";
        sql += argv[i];
    }
    sql += std::string(argc > 3 ? ", " : "") + "_weir_row HIDDEN, _weir_op HIDDEN)";
    if (const int rc = sqlite3_declare_vtab(db, sql.c_str()); rc != SQLITE_OK) {
        *error = sqlite3_mprintf("batch table: %s", sqlite3_errstr(rc));
        return rc;
    }
    auto *table = new Table;
    table->feed = static_cast<BatchTable *>(aux);
    table->columns = argc - 3;
    *out = &table->base;
    return SQLITE_OK;
}

int xDisconnect(sqlite3_vtab *vtab)
{
    delete reinterpret_cast<Table *>(vtab);
    return SQLITE_OK;
}

int xBestIndex(sqlite3_vtab *, sqlite3_index_info *info)
{
    info->estimatedCost = 1e6;
    return SQLITE_OK;
}

int xOpen(sqlite3_vtab *vtab, sqlite3_vtab_cursor **out)
{
    auto *cursor = new Cursor;
    const auto *table = reinterpret_cast<Table *>(vtab);
    cursor->batch = table->feed->batch();
    cursor->withDeletes = table->feed->withDeletes();
    cursor->columns = table->columns;
    *out = &cursor->base;
    return SQLITE_OK;
}

int xClose(sqlite3_vtab_cursor *cursor)
{
    delete reinterpret_cast<Cursor *>(cursor);
    return SQLITE_OK;
}

int xFilter(sqlite3_vtab_cursor *base, int, const char *, int, sqlite3_value **)
{
    auto *c = reinterpret_cast<Cursor *>(base);
    c->row = 0;
    c->skipDeletes();
    return SQLITE_OK;
}

int xNext(sqlite3_vtab_cursor *base)
{
    auto *c = reinterpret_cast<Cursor *>(base);
    ++c->row;
    c->skipDeletes();
    return SQLITE_OK;
}

int xEof(sqlite3_vtab_cursor *base)
{
    const auto *c = reinterpret_cast<Cursor *>(base);
    return !c->batch || c->row >= c->batch->events.size();
}

int xColumn(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int column)
{
    auto *c = reinterpret_cast<Cursor *>(base);
    const record::ChangeEvent &event = c->batch->events[c->row];
    if (column == c->columns) {
        sqlite3_result_int64(ctx, static_cast<sqlite3_int64>(c->row));
        return SQLITE_OK;
    }
    if (column == c->columns + 1) {
        const char op = static_cast<char>(event.op);
        sqlite3_result_text(ctx, &op, 1, SQLITE_TRANSIENT);
        return SQLITE_OK;
    }
    const auto &values = event.current();
    const auto index = static_cast<std::size_t>(column);
    if (index >= values.size()) {
        sqlite3_result_null(ctx);
        return SQLITE_OK;
    }
    const record::Value &v = values[index];
    switch (v.kind()) {
    case record::ValueKind::Null:
        sqlite3_result_null(ctx);
        break;
    case record::ValueKind::Bool:
    case record::ValueKind::Int:
        sqlite3_result_int64(ctx, v.asInt());
        break;
    case record::ValueKind::Double:
        sqlite3_result_double(ctx, v.asDouble());
        break;
    case record::ValueKind::Decimal:
    case record::ValueKind::String:
        // The batch outlives the statement step that reads it: no copy needed.
        sqlite3_result_text(ctx, v.text().data(), static_cast<int>(v.text().size()), SQLITE_STATIC);
        break;
    case record::ValueKind::Bytes:
        sqlite3_result_blob(ctx, v.text().data(), static_cast<int>(v.text().size()), SQLITE_STATIC);
        break;
    case record::ValueKind::Timestamp:
        c->scratch = common::formatIsoTimestamp(v.asTimestampMicros());
        sqlite3_result_text(ctx, c->scratch.data(), static_cast<int>(c->scratch.size()),
                            SQLITE_TRANSIENT);
        break;
    }
    return SQLITE_OK;
}

int xRowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid)
{
    *rowid = static_cast<sqlite3_int64>(reinterpret_cast<Cursor *>(base)->row);
    return SQLITE_OK;
}

sqlite3_module makeModule()
{
    sqlite3_module m{};
    m.iVersion = 1;
    m.xCreate = xCreate;
    m.xConnect = xCreate;
    m.xBestIndex = xBestIndex;
    m.xDisconnect = xDisconnect;
    m.xDestroy = xDisconnect;
    m.xOpen = xOpen;
    m.xClose = xClose;
    m.xFilter = xFilter;
    m.xNext = xNext;
    m.xEof = xEof;
    m.xColumn = xColumn;
    m.xRowid = xRowid;
    return m;
}

const sqlite3_module kModule = makeModule();

} // namespace

Status BatchTable::registerModule(sqlite3 *db, BatchTable *feed)
{
    if (const int rc = sqlite3_create_module(db, "weir_batch", &kModule, feed); rc != SQLITE_OK)
        return makeError(ErrorCode::Io, QStringLiteral("cannot register the batch table: %1")
                                            .arg(QString::fromUtf8(sqlite3_errstr(rc))));
    return {};
}

std::string BatchTable::createStatement(const std::string &tableName,
                                        const std::vector<std::string> &columns)
{
    std::string sql =
        "CREATE VIRTUAL TABLE temp." + common::quoteIdentifier(tableName) + " USING weir_batch(";
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (i)
            sql += ", ";
        sql += common::quoteIdentifier(columns[i]);
    }
    return sql + ")";
}

} // namespace weir::connectors::sqlite
