#include "connectors/table_routing.h"

namespace weir::connectors {
namespace {

constexpr std::string_view kTable = "{table}";
constexpr std::string_view kSchema = "{schema}";

void replaceAll(std::string &text, std::string_view placeholder, const std::string &value)
{
    for (std::size_t at = text.find(placeholder); at != std::string::npos;
         at = text.find(placeholder, at + value.size()))
        text.replace(at, placeholder.size(), value);
}

QString q(const std::string &text)
{
    return QString::fromStdString(text);
}

} // namespace

TableRouter::TableRouter(std::string pattern)
    : m_pattern(std::move(pattern)), m_templated(record::namesUpstreamTable(m_pattern))
{
}

Result<std::string> TableRouter::route(const record::Batch &batch)
{
    if (!m_templated) {
        if (batch.table.empty())
            return m_pattern;
        if (m_upstream.empty())
            m_upstream = batch.table;
        if (batch.table != m_upstream)
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("rows of %1 and of %2 arrive, and table %3 would mix "
                                            "them: put {table} in the table name (e.g. "
                                            "\"{table}\") so each goes into its own table")
                                 .arg(q(m_upstream), q(batch.table), q(m_pattern)));
        return m_pattern;
    }
    if (batch.table.empty())
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("table %1 names the upstream table, but the rows of %2 "
                                        "come from no table: give a plain table name")
                             .arg(q(m_pattern), q(batch.stream)));
    const std::size_t dot = batch.table.find('.');
    const std::string schema = dot == std::string::npos ? "public" : batch.table.substr(0, dot);
    const std::string table = dot == std::string::npos ? batch.table : batch.table.substr(dot + 1);
    std::string target = m_pattern;
    replaceAll(target, kTable, table);
    replaceAll(target, kSchema, schema);
    return target;
}

} // namespace weir::connectors
