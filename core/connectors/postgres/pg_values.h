#pragma once

// PostgreSQL values to and from record values, in libpq's text format, shared by the source
// and the change stream. The session runs with DateStyle ISO and TimeZone UTC, so timestamps
// read back exactly; numeric keeps its exact text; arrays of built-in types become JSON text
// (pg_array.h); json, jsonb and other types stay in PostgreSQL's own text form.

#include "record/value.h"

#include <string>
#include <string_view>

namespace weir::connectors::postgres {

// The session settings every reading connection runs with.
inline constexpr const char *kReadSessionSettings =
    "SET DateStyle = ISO; SET TimeZone = 'UTC'; SET IntervalStyle = iso_8601; "
    "SET extra_float_digits = 1; SET bytea_output = hex";

// `text` is a value of the type with object id `typeOid`, as libpq returns it in text format.
record::Value valueFromPgText(unsigned typeOid, std::string_view text);

// A record value as a text parameter PostgreSQL reads back as the same value.
std::string pgTextOf(const record::Value &value);

} // namespace weir::connectors::postgres
