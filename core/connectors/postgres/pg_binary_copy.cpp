#include "connectors/postgres/pg_binary_copy.h"

#include <bit>
#include <vector>

namespace weir::connectors::postgres {
namespace {

using record::ValueKind;

// Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01.
constexpr std::int64_t kPostgresEpochMicros = 946684800000000;
constexpr std::size_t kMaxNumericDigits = 1000;
constexpr std::int64_t kFirstMicros = -62135596800000000; // 0001-01-01T00:00:00Z
constexpr std::int64_t kLastMicros = 253402300799999999;  // 9999-12-31T23:59:59.999999Z

void put16(std::string &out, std::uint16_t v)
{
    out += static_cast<char>(v >> 8);
    out += static_cast<char>(v & 0xff);
}

void put32(std::string &out, std::uint32_t v)
{
    put16(out, static_cast<std::uint16_t>(v >> 16));
    put16(out, static_cast<std::uint16_t>(v & 0xffff));
}

void put64(std::string &out, std::uint64_t v)
{
    put32(out, static_cast<std::uint32_t>(v >> 32));
    put32(out, static_cast<std::uint32_t>(v & 0xffffffff));
}

// A decimal in plain notation: sign, integer digits, fraction digits.
struct PlainDecimal
{
    bool negative = false;
    std::string_view whole;
    std::string_view fraction;
};

std::optional<PlainDecimal> plainDecimal(std::string_view text)
{
    PlainDecimal d;
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        d.negative = text.front() == '-';
        text.remove_prefix(1);
    }
    const std::size_t point = text.find('.');
    d.whole = text.substr(0, point);
    d.fraction = point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
    if ((d.whole.empty() && d.fraction.empty()) ||
        d.whole.size() + d.fraction.size() > kMaxNumericDigits)
        return std::nullopt;
    for (const std::string_view part : {d.whole, d.fraction}) {
        for (const char c : part) {
            if (c < '0' || c > '9')
                return std::nullopt;
        }
    }
    return d;
}

// PostgreSQL's numeric: base-10000 digits around the decimal point, their weight (the power
// of 10000 of the first), the sign and the display scale (digits after the point).
void appendNumeric(std::string &out, const PlainDecimal &d)
{
    std::string_view whole = d.whole;
    while (!whole.empty() && whole.front() == '0')
        whole.remove_prefix(1);
    // Whole digits padded on the left and fraction digits on the right to groups of four.
    std::string digits((4 - whole.size() % 4) % 4, '0');
    digits += whole;
    const auto wholeGroups = static_cast<int>(digits.size() / 4);
    digits += d.fraction;
    digits.append((4 - d.fraction.size() % 4) % 4, '0');
    std::vector<std::uint16_t> groups;
    for (std::size_t i = 0; i < digits.size(); i += 4) {
        groups.push_back(
            static_cast<std::uint16_t>((digits[i] - '0') * 1000 + (digits[i + 1] - '0') * 100 +
                                       (digits[i + 2] - '0') * 10 + (digits[i + 3] - '0')));
    }
    int weight = wholeGroups - 1;
    std::size_t first = 0;
    while (first < groups.size() && groups[first] == 0) {
        ++first;
        --weight;
    }
    std::size_t end = groups.size();
    while (end > first && groups[end - 1] == 0)
        --end;
    const bool zero = first == end;
    put16(out, static_cast<std::uint16_t>(end - first));
    put16(out, static_cast<std::uint16_t>(zero ? 0 : weight));
    put16(out, d.negative && !zero ? 0x4000 : 0x0000);
    put16(out, static_cast<std::uint16_t>(d.fraction.size()));
    for (std::size_t i = first; i < end; ++i)
        put16(out, groups[i]);
}

bool intFits(const record::Value &v, std::int64_t low, std::int64_t high)
{
    return v.kind() == ValueKind::Int && v.asInt() >= low && v.asInt() <= high;
}

} // namespace

std::optional<BinaryColumn> binaryColumnOf(std::string_view typeName)
{
    if (typeName.ends_with("[]"))
        return std::nullopt; // arrays of any of these have encodings of their own
    if (typeName == "bigint")
        return BinaryColumn::Int8;
    if (typeName == "integer")
        return BinaryColumn::Int4;
    if (typeName == "smallint")
        return BinaryColumn::Int2;
    if (typeName == "double precision")
        return BinaryColumn::Float8;
    if (typeName == "numeric" || typeName.starts_with("numeric("))
        return BinaryColumn::Numeric;
    if (typeName == "text" || typeName == "character varying" ||
        typeName.starts_with("character varying("))
        return BinaryColumn::Text;
    if (typeName == "timestamp with time zone" || typeName == "timestamp without time zone")
        return BinaryColumn::Timestamp;
    if (typeName == "boolean")
        return BinaryColumn::Bool;
    return std::nullopt;
}

bool fitsBinary(BinaryColumn column, const record::Value &value)
{
    const ValueKind kind = value.kind();
    if (kind == ValueKind::Null)
        return true;
    switch (column) {
    case BinaryColumn::Int8:
        return kind == ValueKind::Int;
    case BinaryColumn::Int4:
        return intFits(value, INT32_MIN, INT32_MAX);
    case BinaryColumn::Int2:
        return intFits(value, INT16_MIN, INT16_MAX);
    case BinaryColumn::Float8:
        return kind == ValueKind::Double || kind == ValueKind::Int;
    case BinaryColumn::Numeric:
        return kind == ValueKind::Int ||
               (kind == ValueKind::Decimal && plainDecimal(value.text()).has_value());
    case BinaryColumn::Text:
        return kind == ValueKind::String;
    case BinaryColumn::Timestamp:
        // The years the text form has (0001 to 9999): no BC dates, no infinities by accident.
        return kind == ValueKind::Timestamp && value.asTimestampMicros() >= kFirstMicros &&
               value.asTimestampMicros() <= kLastMicros;
    case BinaryColumn::Bool:
        return kind == ValueKind::Bool;
    }
    return false;
}

void appendBinaryHeader(std::string &out)
{
    out.append("PGCOPY\n\377\r\n\0", 11);
    put32(out, 0); // flags
    put32(out, 0); // header extension length
}

void appendBinaryTrailer(std::string &out)
{
    put16(out, 0xffff);
}

void appendBinaryFieldCount(std::string &out, int fields)
{
    put16(out, static_cast<std::uint16_t>(fields));
}

void appendBinaryNull(std::string &out)
{
    put32(out, 0xffffffff);
}

void appendBinaryInt8(std::string &out, std::int64_t value)
{
    put32(out, 8);
    put64(out, static_cast<std::uint64_t>(value));
}

void appendBinaryChar(std::string &out, char value)
{
    put32(out, 1);
    out += value;
}

void appendBinaryValue(std::string &out, BinaryColumn column, const record::Value &value)
{
    if (value.isNull()) {
        appendBinaryNull(out);
        return;
    }
    switch (column) {
    case BinaryColumn::Int8:
        appendBinaryInt8(out, value.asInt());
        break;
    case BinaryColumn::Int4:
        put32(out, 4);
        put32(out, static_cast<std::uint32_t>(value.asInt()));
        break;
    case BinaryColumn::Int2:
        put32(out, 2);
        put16(out, static_cast<std::uint16_t>(value.asInt()));
        break;
    case BinaryColumn::Float8:
        put32(out, 8);
        put64(out, std::bit_cast<std::uint64_t>(value.kind() == ValueKind::Int
                                                    ? static_cast<double>(value.asInt())
                                                    : value.asDouble()));
        break;
    case BinaryColumn::Numeric: {
        const std::string whole =
            value.kind() == ValueKind::Int ? std::to_string(value.asInt()) : std::string();
        const auto decimal = plainDecimal(whole.empty() ? value.text() : whole);
        const std::size_t at = out.size();
        put32(out, 0); // the length, known once written
        appendNumeric(out, *decimal);
        const auto length = static_cast<std::uint32_t>(out.size() - at - 4);
        for (int i = 0; i < 4; ++i)
            out[at + static_cast<std::size_t>(i)] = static_cast<char>(length >> (24 - 8 * i));
        break;
    }
    case BinaryColumn::Text:
        put32(out, static_cast<std::uint32_t>(value.text().size()));
        out += value.text();
        break;
    case BinaryColumn::Timestamp:
        put32(out, 8);
        put64(out, static_cast<std::uint64_t>(value.asTimestampMicros() - kPostgresEpochMicros));
        break;
    case BinaryColumn::Bool:
        put32(out, 1);
        out += value.asBool() ? '\1' : '\0';
        break;
    }
}

} // namespace weir::connectors::postgres
