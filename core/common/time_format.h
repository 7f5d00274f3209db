#pragma once

// ISO-8601 timestamps <-> microseconds since the Unix epoch (UTC), strict and allocation-light:
// the calendar is checked (no 2024-13-45), offsets are applied, the output is canonical.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace weir::common {

// Accepts YYYY-MM-DD, and YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]] with Z, ±HH:MM, ±HHMM or no zone
// (no zone means UTC). Returns nothing when the text is not such a timestamp.
std::optional<std::int64_t> parseIsoTimestamp(std::string_view text);

// 2024-01-01T00:00:00.123Z; six fractional digits when the value has sub-millisecond precision.
std::string formatIsoTimestamp(std::int64_t microsSinceEpochUtc);

// Always six fractional digits (2024-01-01T00:00:00.123000Z): texts of one width sort bytewise
// in time order, which cursors compared as text rely on.
std::string formatIsoTimestampMicros(std::int64_t microsSinceEpochUtc);

std::int64_t nowMicros();
std::int64_t nowMillis();

} // namespace weir::common
