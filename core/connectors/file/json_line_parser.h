#pragma once

// Parses one JSON Lines record: a flat JSON object. Number literals keep their exact text
// (123.45 stays "123.45", no float round trip); nested objects and arrays are kept as JSON text.

#include "record/value.h"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weir::connectors::file {

struct JsonLineError
{
    std::size_t column = 0; // 1-based
    std::string message;
};

// Fills `fields` (key, value) in document order; false with `error` when the line is not a
// JSON object.
bool parseJsonObjectLine(std::string_view line,
                         std::vector<std::pair<std::string, record::Value>> &fields,
                         JsonLineError &error);

} // namespace weir::connectors::file
