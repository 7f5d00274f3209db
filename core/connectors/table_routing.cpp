#include "connectors/table_routing.h"

namespace weir::connectors {
namespace {

constexpr std::string_view kTable = "{table}";
constexpr std::string_view kSchema = "{schema}";

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

// The name a database knows a table by: SQLite ignores ASCII case, PostgreSQL keeps the first
// 63 bytes. Two targets equal here may be one table.
std::string folded(const std::string &name)
{
    std::string out = name.substr(0, 63);
    for (char &c : out) {
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

} // namespace

TableRouter::TableRouter(std::string pattern)
    : m_pattern(std::move(pattern)), m_templated(record::namesUpstreamTable(m_pattern))
{
}

std::string TableRouter::fill(const std::string &upstream) const
{
    const std::size_t dot = upstream.find('.');
    const std::string schema = dot == std::string::npos ? "public" : upstream.substr(0, dot);
    const std::string table = dot == std::string::npos ? upstream : upstream.substr(dot + 1);
    // One pass, so a name that itself reads "{schema}" is not filled again.
    std::string out;
    for (std::size_t at = 0; at < m_pattern.size();) {
        const std::string_view rest = std::string_view(m_pattern).substr(at);
        if (rest.starts_with(kTable)) {
            out += table;
            at += kTable.size();
        } else if (rest.starts_with(kSchema)) {
            out += schema;
            at += kSchema.size();
        } else {
            out += m_pattern[at++];
        }
    }
    return out;
}

Result<std::string> TableRouter::route(const record::Batch &batch)
{
    if (batch.table.empty()) {
        if (!m_templated)
            return m_pattern;
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("table %1 names the upstream table, but the rows of %2 "
                                        "come from no table: give a plain table name")
                             .arg(q(m_pattern), q(batch.stream)));
    }
    std::string target = m_templated ? fill(batch.table) : m_pattern;
    const auto [known, added] = m_upstreamOf.try_emplace(folded(target), batch.table);
    if (!added && known->second != batch.table)
        return makeError(
            ErrorCode::Invalid,
            QStringLiteral("rows of %1 and of %2 would both go into table %3: name the upstream "
                           "table in it, with its schema where two schemas have a table of that "
                           "name (e.g. \"{table}\" or \"{schema}_{table}\")")
                .arg(q(known->second), q(batch.table), q(target)));
    return target;
}

Result<std::vector<std::string>> upsertKey(const std::vector<std::string> &configured,
                                           const record::Batch &batch, bool upsert)
{
    if (!configured.empty() || !upsert)
        return configured;
    const QString from = batch.table.empty()
                             ? QStringLiteral("the records")
                             : QStringLiteral("table %1").arg(QString::fromStdString(batch.table));
    if (batch.key.empty())
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("upsert needs key columns: set key, as %1 has no key of "
                                        "its own (a primary key or replica identity)")
                             .arg(from));
    for (const std::string &k : batch.key) {
        if (batch.schema && batch.schema->indexOf(k) < 0)
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("upsert needs key columns: the key of %1 has column "
                                            "'%2', which a step before dropped or renamed; set "
                                            "key")
                                 .arg(from, QString::fromStdString(k)));
    }
    return batch.key;
}

} // namespace weir::connectors
