#pragma once

// Value: one field of a record, a small tagged union (no QVariant on the hot path).
// Decimals travel as their canonical text so no precision is lost between source and sink.

#include <cstdint>
#include <string>
#include <string_view>

namespace weir::record {

enum class ValueKind : std::uint8_t
{
    Null,
    Bool,
    Int,
    Double,
    Decimal,
    String,
    Bytes,
    Timestamp
};

std::string_view valueKindName(ValueKind kind);

class Value final
{
public:
    Value() = default;

    static Value fromBool(bool v);
    static Value fromInt(std::int64_t v);
    static Value fromDouble(double v);
    static Value fromDecimalText(std::string text); // caller checked the text is a decimal
    static Value fromString(std::string v);
    static Value fromBytes(std::string v);
    static Value fromTimestampMicros(std::int64_t microsSinceEpochUtc);
    // A String whose text the caller checked is a decimal becomes a Decimal, and back: no copy.
    void setTextKind(ValueKind textKind);
    // Becomes a String, Decimal or Bytes value of `text`, reusing the storage it has unless
    // that is far larger than the text needs.
    void assignText(ValueKind textKind, std::string_view text);
    // Becomes null, keeping small text storage for a later assignText.
    void setNull();

    ValueKind kind() const { return m_kind; }
    bool isNull() const { return m_kind == ValueKind::Null; }
    bool asBool() const { return m_int != 0; }
    std::int64_t asInt() const { return m_int; }
    double asDouble() const { return m_double; }
    std::int64_t asTimestampMicros() const { return m_int; }
    // Text of String, Decimal and Bytes values.
    const std::string &text() const { return m_text; }

    // Human and JSON-friendly text of any kind (timestamps as ISO-8601 UTC, null as "").
    std::string toText() const;

    friend bool operator==(const Value &a, const Value &b);

private:
    ValueKind m_kind = ValueKind::Null;
    union {
        std::int64_t m_int = 0;
        double m_double;
    };
    std::string m_text;
};

} // namespace weir::record
