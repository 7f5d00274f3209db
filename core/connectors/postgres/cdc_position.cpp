#include "connectors/postgres/cdc_position.h"

#include "connectors/file/json_line_parser.h"
#include "connectors/postgres/pgoutput.h"
#include "record/record_json.h"

namespace weir::connectors::postgres {

record::SourcePosition CdcPosition::toSource(const std::string &node,
                                             const std::string &stream) const
{
    std::string cursor = snapshot ? "{\"snapshot\":" : "{\"i\":";
    cursor += std::to_string(index);
    if (complete())
        cursor += ",\"end\":\"" + pgoutput::formatLsn(endLsn) + "\"";
    if (joinFrom != 0)
        cursor += ",\"join_from\":\"" + pgoutput::formatLsn(joinFrom) + "\"";
    if (!tables.empty()) {
        cursor += ",\"tables\":";
        record::appendJsonString(cursor, tables);
    }
    cursor += "}";
    return {node, stream, static_cast<std::int64_t>(lsn), std::move(cursor)};
}

std::optional<CdcPosition> CdcPosition::fromSource(const record::SourcePosition &position)
{
    std::vector<std::pair<std::string, record::Value>> fields;
    file::JsonLineError error;
    if (!file::parseJsonObjectLine(position.cursor, fields, error) || fields.empty() ||
        fields[0].second.kind() != record::ValueKind::Int)
        return std::nullopt;
    CdcPosition p;
    p.lsn = static_cast<std::uint64_t>(position.offset);
    p.snapshot = fields[0].first == "snapshot";
    if (!p.snapshot && fields[0].first != "i")
        return std::nullopt;
    p.index = fields[0].second.asInt();
    for (std::size_t f = 1; f < fields.size(); ++f) {
        const auto &[name, value] = fields[f];
        if (name == "end" && !p.endLsn) {
            const auto end = pgoutput::parseLsn(value.text());
            if (!end || *end == 0)
                return std::nullopt;
            p.endLsn = *end;
        } else if (name == "join_from" && !p.joinFrom) {
            const auto from = pgoutput::parseLsn(value.text());
            if (!from || *from == 0)
                return std::nullopt;
            p.joinFrom = *from;
        } else if (name == "tables" && value.kind() == record::ValueKind::String) {
            p.tables = value.text();
        } else {
            return std::nullopt;
        }
    }
    return p;
}

std::strong_ordering operator<=>(const CdcPosition &a, const CdcPosition &b)
{
    if (auto c = a.lsn <=> b.lsn; std::is_neq(c))
        return c;
    if (auto c = b.snapshot <=> a.snapshot; std::is_neq(c))
        return c;
    if (auto c = a.index <=> b.index; std::is_neq(c))
        return c;
    return a.complete() <=> b.complete();
}

bool CdcPosition::covers(std::uint64_t commitLsn, std::int64_t changeIndex) const
{
    if (commitLsn != lsn)
        return commitLsn < lsn;
    return snapshot ? false : complete() || changeIndex < index;
}

} // namespace weir::connectors::postgres
