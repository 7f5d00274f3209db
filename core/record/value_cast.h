#pragma once

// Strict conversions between value kinds, used by the validate transform and by sinks.
// "12.3x", "2024-13-45", "" never pass as numbers or timestamps.

#include "record/value.h"

#include <optional>
#include <string>
#include <string_view>

namespace weir::record {

// Parses a type name used in pipeline files: int, double, decimal, bool, string, timestamp.
std::optional<ValueKind> parseValueKind(std::string_view name);

// The value converted to `target`, or nothing (with the reason in *why) when it does not fit.
std::optional<Value> castValue(const Value &value, ValueKind target, std::string *why = nullptr);

// Numeric view of Int, Double, Decimal (and numeric strings) for range checks.
std::optional<double> numericValue(const Value &value);

bool isDecimalText(std::string_view text);

} // namespace weir::record
