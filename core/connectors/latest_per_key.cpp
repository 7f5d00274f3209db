#include "connectors/latest_per_key.h"

#include <cmath>
#include <cstring>
#include <string>
#include <unordered_map>

namespace weir::connectors {

using record::Value;
using record::ValueKind;

namespace {

const Value &valueAt(const std::vector<Value> &values, int column)
{
    static const Value null{};
    const auto at = static_cast<std::size_t>(column);
    return at < values.size() ? values[at] : null;
}

// One key as bytes: kind, then the value, length-prefixed where it has a length. Values SQL
// holds equal but spelled differently (1.0 and 1.00) stay two keys; the server then refuses
// the statement and the sink's row-by-row fallback gives the right result.
void appendKeyPart(std::string &out, const Value &v)
{
    out += static_cast<char>(v.kind());
    switch (v.kind()) {
    case ValueKind::Null:
        break;
    case ValueKind::Bool:
    case ValueKind::Int:
    case ValueKind::Timestamp: {
        const std::int64_t n = v.asInt();
        out.append(reinterpret_cast<const char *>(&n), sizeof n);
        break;
    }
    case ValueKind::Double: {
        const double d = v.asDouble();
        out.append(reinterpret_cast<const char *>(&d), sizeof d);
        break;
    }
    case ValueKind::Decimal:
    case ValueKind::String:
    case ValueKind::Bytes: {
        const auto size = static_cast<std::uint32_t>(v.text().size());
        out.append(reinterpret_cast<const char *>(&size), sizeof size);
        out += v.text();
        break;
    }
    }
}

// <0, 0 or >0 as `a` sorts before, with or after `b` in SQL, nulls first; nullopt when SQL's
// answer is not certain here.
std::optional<int> compareOrder(const Value &a, const Value &b)
{
    if (a.isNull() || b.isNull())
        return int(b.isNull()) - int(a.isNull());
    if (a.kind() != b.kind())
        return std::nullopt;
    switch (a.kind()) {
    case ValueKind::Bool:
    case ValueKind::Int:
    case ValueKind::Timestamp:
        return (a.asInt() > b.asInt()) - (a.asInt() < b.asInt());
    case ValueKind::Double:
        if (std::isnan(a.asDouble()) || std::isnan(b.asDouble()))
            return std::nullopt;
        return (a.asDouble() > b.asDouble()) - (a.asDouble() < b.asDouble());
    default:
        if (a.text() == b.text())
            return 0;
        return std::nullopt;
    }
}

} // namespace

std::optional<std::vector<std::size_t>> latestPerKey(const record::Batch &batch, std::size_t from,
                                                     std::size_t to,
                                                     const std::vector<int> &keyColumns,
                                                     int orderColumn,
                                                     std::optional<record::ValueKind> orderKind)
{
    std::unordered_map<std::string, std::size_t> winner;
    winner.reserve(to - from);
    std::string key;
    for (std::size_t i = from; i < to; ++i) {
        const record::ChangeEvent &e = batch.events[i];
        if (e.op == record::Op::Delete)
            return std::nullopt;
        if (orderKind && orderColumn >= 0) {
            const Value &order = valueAt(e.after, orderColumn);
            if (!order.isNull() && order.kind() != *orderKind)
                return std::nullopt;
        }
        key.clear();
        for (const int column : keyColumns)
            appendKeyPart(key, valueAt(e.after, column));
        const auto [found, added] = winner.try_emplace(key, i);
        if (added || orderColumn < 0) {
            found->second = i;
            continue;
        }
        const auto order = compareOrder(valueAt(e.after, orderColumn),
                                        valueAt(batch.events[found->second].after, orderColumn));
        if (!order)
            return std::nullopt;
        if (*order >= 0)
            found->second = i;
    }
    std::vector<bool> wins(to - from);
    for (const auto &entry : winner)
        wins[entry.second - from] = true;
    std::vector<std::size_t> out;
    out.reserve(winner.size());
    for (std::size_t i = from; i < to; ++i) {
        if (wins[i - from])
            out.push_back(i);
    }
    return out;
}

} // namespace weir::connectors
