#include "connectors/postgres/cdc_slot.h"

#include "common/sqlite_db.h"
#include "connectors/postgres/pgoutput.h"

#include <set>

namespace weir::connectors::postgres {

using common::quoteIdentifier;

TableName TableName::parse(const std::string &qualified)
{
    const std::size_t dot = qualified.find('.');
    if (dot == std::string::npos)
        return {"public", qualified};
    return {qualified.substr(0, dot), qualified.substr(dot + 1)};
}

std::string TableName::quoted() const
{
    return quoteIdentifier(schema) + "." + quoteIdentifier(table);
}

Status checkWalLevel(PgConnection &db)
{
    auto level = db.query("SHOW wal_level");
    if (!level)
        return level.error();
    if (level->text(0, 0) == "logical")
        return {};
    return makeError(ErrorCode::Invalid,
                     QStringLiteral("the server's wal_level is '%1'; change data capture needs "
                                    "'logical': ALTER SYSTEM SET wal_level = logical, then "
                                    "restart PostgreSQL")
                         .arg(QString::fromStdString(level->text(0, 0))));
}

Status ensurePublication(PgConnection &db, const std::string &publication,
                         const std::vector<TableName> &tables, bool addMissing,
                         const QString &advice)
{
    for (const TableName &t : tables) {
        auto found = db.query("SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = $2",
                              {t.schema, t.table});
        if (!found)
            return found.error();
        if (found->rows() == 0)
            return makeError(
                ErrorCode::Invalid,
                QStringLiteral("table %1 does not exist").arg(QString::fromStdString(t.text())));
    }
    auto published =
        db.query("SELECT p.pubname, t.schemaname, t.tablename FROM pg_publication p LEFT JOIN "
                 "pg_publication_tables t ON t.pubname = p.pubname WHERE p.pubname = $1",
                 {publication});
    if (!published)
        return published.error();
    if (published->rows() == 0) {
        std::string sql = "CREATE PUBLICATION " + quoteIdentifier(publication) + " FOR TABLE ";
        for (std::size_t i = 0; i < tables.size(); ++i)
            sql += (i ? ", " : "") + tables[i].quoted();
        return db.exec(sql);
    }
    std::set<std::string> have;
    for (int r = 0; r < published->rows(); ++r)
        have.insert(published->text(r, 1) + "." + published->text(r, 2));
    std::vector<std::string> missing;
    for (const TableName &t : tables) {
        if (!have.contains(t.text()))
            missing.push_back(t.quoted());
    }
    if (missing.empty())
        return {};
    std::string list;
    for (const std::string &t : missing)
        list += (list.empty() ? "" : ", ") + t;
    if (addMissing)
        return db.exec("ALTER PUBLICATION " + quoteIdentifier(publication) + " ADD TABLE " + list);
    return makeError(ErrorCode::Invalid, QStringLiteral("publication %1 does not publish %2: %3")
                                             .arg(QString::fromStdString(publication),
                                                  QString::fromStdString(list), advice));
}

Result<std::vector<std::string>> keyColumnsOf(PgConnection &db, const TableName &table)
{
    auto key =
        db.query("SELECT a.attname FROM pg_class c JOIN pg_index i ON i.indrelid = c.oid AND CASE "
                 "c.relreplident WHEN 'i' THEN i.indisreplident WHEN 'n' THEN false WHEN 'f' THEN "
                 "i.indisprimary ELSE i.indisprimary AND i.indimmediate END JOIN pg_attribute a ON "
                 "a.attrelid = c.oid AND a.attnum = ANY (i.indkey) WHERE c.oid "
                 "= $1::regclass ORDER BY a.attnum",
                 {table.quoted()});
    if (!key)
        return key.error();
    std::vector<std::string> columns;
    columns.reserve(static_cast<std::size_t>(key->rows()));
    for (int r = 0; r < key->rows(); ++r)
        columns.push_back(key->text(r, 0));
    return columns;
}

Result<SlotState> inspectSlot(PgConnection &db, const std::string &slot)
{
    auto row = db.query("SELECT plugin, coalesce(wal_status, ''), confirmed_flush_lsn::text, "
                        "coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), 0)::bigint, "
                        "active, coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), "
                        "confirmed_flush_lsn), 0)::bigint FROM pg_replication_slots WHERE "
                        "slot_name = $1 AND database = "
                        "current_database()",
                        {slot});
    if (!row)
        return row.error();
    SlotState s;
    if (row->rows() == 0)
        return s;
    s.exists = true;
    s.plugin = row->text(0, 0);
    s.walStatus = row->text(0, 1);
    s.confirmedFlushLsn = pgoutput::parseLsn(row->text(0, 2)).value_or(0);
    s.retainedBytes = std::stoll(row->text(0, 3));
    s.active = row->text(0, 4) == "t";
    s.lagBytes = std::stoll(row->text(0, 5));
    return s;
}

Status dropSlot(PgConnection &db, const std::string &slot)
{
    auto dropped = db.query("SELECT pg_drop_replication_slot($1)", {slot});
    return dropped ? Status() : Status(dropped.error());
}

Result<CreatedSlot> createSlot(PgConnection &replication, const std::string &slot,
                               bool exportSnapshot, SlotLife life)
{
    const char *temporary = life == SlotLife::Temporary ? " TEMPORARY" : "";
    auto created = replication.simpleQuery("CREATE_REPLICATION_SLOT " + quoteIdentifier(slot) +
                                           temporary + " LOGICAL pgoutput (SNAPSHOT '" +
                                           (exportSnapshot ? "export" : "nothing") + "')");
    if (!created)
        return created.error();
    CreatedSlot c;
    const auto lsn = pgoutput::parseLsn(created->text(0, 1));
    if (!lsn)
        return makeError(ErrorCode::Permanent,
                         QStringLiteral("the server answered CREATE_REPLICATION_SLOT with "
                                        "consistent point '%1'")
                             .arg(QString::fromStdString(created->text(0, 1))));
    c.consistentLsn = *lsn;
    if (exportSnapshot)
        c.snapshotName = created->text(0, 2);
    return c;
}

} // namespace weir::connectors::postgres
