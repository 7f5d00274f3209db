#include "connectors/postgres/pg_values.h"

#include "common/time_format.h"
#include "connectors/postgres/pg_array.h"

#include <charconv>
#include <cstdlib>
#include <optional>

namespace weir::connectors::postgres {
namespace {

// Object ids of the built-in types (pg_type.dat); they never change.
enum : unsigned
{
    BoolOid = 16,
    ByteaOid = 17,
    Int8Oid = 20,
    Int2Oid = 21,
    Int4Oid = 23,
    OidOid = 26,
    Float4Oid = 700,
    Float8Oid = 701,
    TimestampOid = 1114,
    TimestampTzOid = 1184,
    NumericOid = 1700,
};

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// bytea in hex output format: \x followed by two digits a byte.
std::optional<std::string> decodeByteaHex(std::string_view text)
{
    if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0)
        return std::nullopt;
    std::string bytes;
    bytes.reserve((text.size() - 2) / 2);
    for (std::size_t i = 2; i < text.size(); i += 2) {
        const int hi = hexDigit(text[i]);
        const int lo = hexDigit(text[i + 1]);
        if (hi < 0 || lo < 0)
            return std::nullopt;
        bytes.push_back(static_cast<char>(hi * 16 + lo));
    }
    return bytes;
}

bool isDecimalText(std::string_view text)
{
    // numeric's output: digits with an optional sign and point ("NaN" and infinities are not).
    std::size_t i = text.starts_with('-') ? 1 : 0;
    bool digits = false;
    for (; i < text.size(); ++i) {
        if (text[i] >= '0' && text[i] <= '9')
            digits = true;
        else if (text[i] != '.')
            return false;
    }
    return digits;
}

} // namespace

record::Value valueFromPgText(unsigned typeOid, std::string_view text)
{
    switch (typeOid) {
    case BoolOid:
        return record::Value::fromBool(text == "t");
    case Int2Oid:
    case Int4Oid:
    case Int8Oid:
    case OidOid: {
        std::int64_t v = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (ec == std::errc() && end == text.data() + text.size())
            return record::Value::fromInt(v);
        break;
    }
    case Float4Oid:
    case Float8Oid:
        return record::Value::fromDouble(std::strtod(std::string(text).c_str(), nullptr));
    case NumericOid:
        if (isDecimalText(text))
            return record::Value::fromDecimalText(std::string(text));
        break;
    case TimestampOid:   // no zone: read as UTC, as Weir stores every timestamp
    case TimestampTzOid: // shown in UTC (the session's time zone): "…+00"
        if (const auto micros = common::parseIsoTimestamp(text))
            return record::Value::fromTimestampMicros(*micros);
        break; // infinity, or a year beyond 9999
    case ByteaOid:
        if (auto bytes = decodeByteaHex(text))
            return record::Value::fromBytes(std::move(*bytes));
        break;
    default:
        if (const auto elements = arrayElementsOf(typeOid)) {
            if (auto json = pgArrayToJson(text, *elements))
                return record::Value::fromString(std::move(*json));
        }
        break;
    }
    return record::Value::fromString(std::string(text));
}

std::string pgTextOf(const record::Value &value)
{
    if (value.kind() != record::ValueKind::Bytes)
        return value.toText();
    static constexpr char digits[] = "0123456789abcdef";
    std::string out = "\\x";
    out.reserve(2 + value.text().size() * 2);
    for (const unsigned char c : value.text()) {
        out.push_back(digits[c >> 4]);
        out.push_back(digits[c & 15]);
    }
    return out;
}

} // namespace weir::connectors::postgres
