#include "record/value_cast.h"

#include "common/time_format.h"

#include <charconv>
#include <cstdlib>

namespace weir::record {
namespace {

std::string_view trimmed(std::string_view s)
{
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

std::optional<std::int64_t> parseInt(std::string_view s)
{
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

std::optional<double> parseDouble(std::string_view s)
{
    if (!s.empty() && s.front() == '+')
        s.remove_prefix(1);
    double v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size())
        return std::nullopt;
    return v;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const char x = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] + 32) : a[i];
        if (x != b[i])
            return false;
    }
    return true;
}

// "'<text>' <what>" in *why (appended piecewise: operator+ chains trip a GCC 12 -Wrestrict
// false alarm).
std::optional<Value> fail(std::string *why, std::string_view text, std::string_view what)
{
    if (why) {
        std::string message;
        message.reserve(text.size() + what.size() + 3);
        message.push_back('\'');
        message.append(text);
        message.append("' ");
        message.append(what);
        *why = std::move(message);
    }
    return std::nullopt;
}

} // namespace

std::optional<ValueKind> parseValueKind(std::string_view name)
{
    if (name == "int" || name == "integer")
        return ValueKind::Int;
    if (name == "double" || name == "float" || name == "real")
        return ValueKind::Double;
    if (name == "decimal" || name == "numeric")
        return ValueKind::Decimal;
    if (name == "bool" || name == "boolean")
        return ValueKind::Bool;
    if (name == "string" || name == "text")
        return ValueKind::String;
    if (name == "timestamp")
        return ValueKind::Timestamp;
    return std::nullopt;
}

bool isDecimalText(std::string_view s)
{
    std::size_t i = 0;
    if (i < s.size() && (s[i] == '+' || s[i] == '-'))
        ++i;
    std::size_t intDigits = 0, fracDigits = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        ++i;
        ++intDigits;
    }
    if (i < s.size() && s[i] == '.') {
        ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
            ++i;
            ++fracDigits;
        }
    }
    return i == s.size() && intDigits + fracDigits > 0;
}

std::optional<Value> castValue(const Value &value, ValueKind target, std::string *why)
{
    if (value.isNull() || value.kind() == target)
        return value;
    // Text values are read in place; only other kinds are rendered to text first.
    std::string rendered;
    const bool isText = value.kind() == ValueKind::String || value.kind() == ValueKind::Decimal;
    if (!isText)
        rendered = value.toText();
    const std::string_view text =
        isText ? std::string_view(value.text()) : std::string_view(rendered);
    const std::string_view t = trimmed(text);
    switch (target) {
    case ValueKind::Null:
        return Value();
    case ValueKind::String:
        return Value::fromString(std::string(text));
    case ValueKind::Bytes:
        return Value::fromBytes(std::string(text));
    case ValueKind::Int:
        if (value.kind() == ValueKind::Bool)
            return Value::fromInt(value.asBool() ? 1 : 0);
        if (auto v = parseInt(t))
            return Value::fromInt(*v);
        return fail(why, text, "is not a whole number");
    case ValueKind::Double:
        if (auto v = parseDouble(t))
            return Value::fromDouble(*v);
        return fail(why, text, "is not a number");
    case ValueKind::Decimal:
        if (value.kind() == ValueKind::Int || isDecimalText(t))
            return Value::fromDecimalText(std::string(t));
        return fail(why, text, "is not a decimal number");
    case ValueKind::Bool:
        if (equalsIgnoreCase(t, "true") || t == "1" || equalsIgnoreCase(t, "yes"))
            return Value::fromBool(true);
        if (equalsIgnoreCase(t, "false") || t == "0" || equalsIgnoreCase(t, "no"))
            return Value::fromBool(false);
        return fail(why, text, "is not true or false");
    case ValueKind::Timestamp:
        if (value.kind() == ValueKind::Int)
            return Value::fromTimestampMicros(value.asInt() * 1000); // epoch milliseconds
        if (auto v = common::parseIsoTimestamp(t))
            return Value::fromTimestampMicros(*v);
        return fail(why, text, "is not an ISO-8601 timestamp");
    }
    return fail(why, text, "cannot be converted");
}

std::optional<double> numericValue(const Value &value)
{
    switch (value.kind()) {
    case ValueKind::Int:
        return static_cast<double>(value.asInt());
    case ValueKind::Double:
        return value.asDouble();
    case ValueKind::Decimal:
    case ValueKind::String:
        return parseDouble(trimmed(value.text()));
    default:
        return std::nullopt;
    }
}

} // namespace weir::record
