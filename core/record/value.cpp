#include "record/value.h"

#include "common/time_format.h"

#include <cassert>
#include <charconv>

namespace weir::record {

std::string_view valueKindName(ValueKind kind)
{
    switch (kind) {
    case ValueKind::Null:
        return "null";
    case ValueKind::Bool:
        return "bool";
    case ValueKind::Int:
        return "int";
    case ValueKind::Double:
        return "double";
    case ValueKind::Decimal:
        return "decimal";
    case ValueKind::String:
        return "string";
    case ValueKind::Bytes:
        return "bytes";
    case ValueKind::Timestamp:
        return "timestamp";
    }
    return "unknown";
}

Value Value::fromBool(bool v)
{
    Value out;
    out.m_kind = ValueKind::Bool;
    out.m_int = v ? 1 : 0;
    return out;
}

Value Value::fromInt(std::int64_t v)
{
    Value out;
    out.m_kind = ValueKind::Int;
    out.m_int = v;
    return out;
}

Value Value::fromDouble(double v)
{
    Value out;
    out.m_kind = ValueKind::Double;
    out.m_double = v;
    return out;
}

Value Value::fromDecimalText(std::string text)
{
    Value out;
    out.m_kind = ValueKind::Decimal;
    out.m_text = std::move(text);
    return out;
}

Value Value::fromString(std::string v)
{
    Value out;
    out.m_kind = ValueKind::String;
    out.m_text = std::move(v);
    return out;
}

void Value::setTextKind(ValueKind textKind)
{
    assert(textKind == ValueKind::String || textKind == ValueKind::Decimal ||
           textKind == ValueKind::Bytes);
    m_kind = textKind;
}

namespace {
// Text storage a reused value keeps for a shorter text: enough for most fields, and never far
// above what the queues count (approximateBytes counts the text, not the storage).
bool keepsTooMuch(const std::string &storage, std::size_t needed)
{
    return storage.capacity() > 256 && storage.capacity() > 4 * needed;
}
} // namespace

void Value::assignText(ValueKind textKind, std::string_view text)
{
    setTextKind(textKind);
    if (keepsTooMuch(m_text, text.size()))
        std::string(text).swap(m_text); // a move would keep the large storage
    else
        m_text.assign(text);
}

void Value::setNull()
{
    m_kind = ValueKind::Null;
    m_int = 0;
    if (keepsTooMuch(m_text, 0))
        std::string().swap(m_text);
    else
        m_text.clear();
}

Value Value::fromBytes(std::string v)
{
    Value out;
    out.m_kind = ValueKind::Bytes;
    out.m_text = std::move(v);
    return out;
}

Value Value::fromTimestampMicros(std::int64_t microsSinceEpochUtc)
{
    Value out;
    out.m_kind = ValueKind::Timestamp;
    out.m_int = microsSinceEpochUtc;
    return out;
}

std::string Value::toText() const
{
    switch (m_kind) {
    case ValueKind::Null:
        return {};
    case ValueKind::Bool:
        return m_int ? "true" : "false";
    case ValueKind::Int:
        return std::to_string(m_int);
    case ValueKind::Double: {
        char buf[64];
        // Plain digits for everyday magnitudes, exponent notation for the rest; always the
        // shortest text that reads back as the same double.
        const double magnitude = m_double < 0 ? -m_double : m_double;
        const auto format = (magnitude == 0 || (magnitude >= 1e-5 && magnitude < 1e15))
                                ? std::chars_format::fixed
                                : std::chars_format::general;
        auto [end, ec] = std::to_chars(buf, buf + sizeof buf, m_double, format);
        return ec == std::errc() ? std::string(buf, end) : std::string();
    }
    case ValueKind::Timestamp:
        return common::formatIsoTimestamp(m_int);
    case ValueKind::Decimal:
    case ValueKind::String:
    case ValueKind::Bytes:
        return m_text;
    }
    return {};
}

bool operator==(const Value &a, const Value &b)
{
    if (a.m_kind != b.m_kind)
        return false;
    switch (a.m_kind) {
    case ValueKind::Null:
        return true;
    case ValueKind::Double:
        return a.m_double == b.m_double;
    case ValueKind::Bool:
    case ValueKind::Int:
    case ValueKind::Timestamp:
        return a.m_int == b.m_int;
    default:
        return a.m_text == b.m_text;
    }
}

} // namespace weir::record
