#pragma once

// A record as a flat JSON object, the payload kept in the dead-letter queue: readable by a
// person, and parseable back into a record when a dead letter is retried.

#include "record/change_event.h"
#include "record/schema.h"

#include <string>

namespace weir::record {

// {"order_id":"17a","amount":null,...}: strings quoted, numbers bare, timestamps ISO text.
std::string eventToJson(const Schema &schema, const ChangeEvent &event);

void appendJsonString(std::string &out, std::string_view text);

} // namespace weir::record
