#pragma once

// COPY … (FORMAT binary) for a staging table whose column types are known.
//
// Nothing is formatted on the client and nothing parsed on the server: a timestamptz is eight
// bytes, not a string through the date parser (1M orders rows: the server's COPY takes about
// 0.4 s instead of 0.7). Only for the column types and value kinds below, where the binary
// value means exactly what the text would; for anything else a sink keeps the text format.

#include "record/value.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weir::connectors::postgres {

enum class BinaryColumn
{
    Int8,
    Int4,
    Int2,
    Float8,
    Numeric,
    Text,      // text and varchar
    Timestamp, // timestamptz and timestamp (microseconds, the same for both)
    Bool,
};

// The binary encoding of a column of this type (as format_type names it), if Weir has one.
std::optional<BinaryColumn> binaryColumnOf(std::string_view typeName);

// Whether the value goes into such a column in binary (a null always does): integers into
// integer columns in range, doubles and integers into float8, decimals in plain notation and
// integers into numeric, strings into text, timestamps, booleans.
bool fitsBinary(BinaryColumn column, const record::Value &value);

// The stream: a header, then rows (a field count, then each field), then the trailer.
void appendBinaryHeader(std::string &out);
void appendBinaryTrailer(std::string &out);
void appendBinaryFieldCount(std::string &out, int fields);
// A value that fitsBinary().
void appendBinaryValue(std::string &out, BinaryColumn column, const record::Value &value);
void appendBinaryNull(std::string &out);
void appendBinaryInt8(std::string &out, std::int64_t value);
void appendBinaryChar(std::string &out, char value); // PostgreSQL's one-byte "char"

} // namespace weir::connectors::postgres
