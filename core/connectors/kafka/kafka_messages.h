#pragma once

// What one Kafka message is as a record, by a kafka.source's `format`:
// - json: the value is a JSON object, one record; a tombstone (no value) deletes by its key.
// - debezium: the value is a Debezium change envelope, with or without its schema wrapper
//   ({"schema": …, "payload": {…}}): op c/u/d/r, `before` and `after`, `ts_ms` as event time;
//   a tombstone deletes by its key.
// - raw: the value is text, one column `value`.
// The message key, when `keyColumn` names a column, is that column's text (json and raw).
// A key that is a JSON object (as Kafka Connect and Debezium write them) gives a tombstone the
// columns to delete by.

#include "record/change_event.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weir::connectors::kafka {

enum class MessageFormat
{
    Json,
    Debezium,
    Raw
};

std::optional<MessageFormat> parseMessageFormat(std::string_view name);

using Fields = std::vector<std::pair<std::string, record::Value>>;

struct DecodedMessage
{
    record::Op op = record::Op::Create;
    Fields after;  // empty for a delete
    Fields before; // the row a delete removes (or an update replaced, when the source says)
    std::int64_t eventTimeMicros = 0;
};

// The message as a change, or nothing with the reason in `why` (the message then goes to the
// dead-letter queue). `value` and `key` are null for a message without one.
std::optional<DecodedMessage> decodeMessage(MessageFormat format, const std::string *key,
                                            const std::string *value, const std::string &keyColumn,
                                            std::string &why);

} // namespace weir::connectors::kafka
