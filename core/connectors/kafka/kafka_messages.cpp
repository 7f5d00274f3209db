#include "connectors/kafka/kafka_messages.h"

#include "connectors/file/json_line_parser.h"

#include <charconv>

namespace weir::connectors::kafka {
namespace {

using record::Value;
using record::ValueKind;

const Value *field(const Fields &fields, std::string_view name)
{
    for (const auto &[key, value] : fields) {
        if (key == name)
            return &value;
    }
    return nullptr;
}

bool parseObject(std::string_view text, Fields &out, std::string &why, std::string_view what)
{
    out.clear();
    file::JsonLineError error;
    if (file::parseJsonObjectLine(text, out, error))
        return true;
    why = std::string(what) + " is not a JSON object (column " + std::to_string(error.column) +
          ": " + error.message + ")";
    return false;
}

// A nested object kept as JSON text by the parser, or null.
bool nestedObject(const Value *value, Fields &out, std::string &why, std::string_view what)
{
    out.clear();
    if (!value || value->isNull())
        return true;
    if (value->kind() != ValueKind::String) {
        why = std::string(what) + " is not an object";
        return false;
    }
    return parseObject(value->text(), out, why, what);
}

// {"schema": …, "payload": X} stands for X (the JSON converter with schemas enabled).
bool unwrapSchema(Fields &fields, std::string &why, std::string_view what)
{
    if (fields.size() != 2 || !field(fields, "schema") || !field(fields, "payload"))
        return true;
    const Value payload = *field(fields, "payload");
    if (payload.isNull()) {
        fields.clear();
        return true;
    }
    return nestedObject(&payload, fields, why, what);
}

// The columns a tombstone deletes by: a key that is a JSON object, or the key as `keyColumn`.
bool keyFields(const std::string *key, const std::string &keyColumn, Fields &out, std::string &why)
{
    out.clear();
    std::string ignored;
    if (key && parseObject(*key, out, ignored, "the key") &&
        unwrapSchema(out, ignored, "the key") && !out.empty())
        return true;
    out.clear();
    if (key && !keyColumn.empty()) {
        out.emplace_back(keyColumn, Value::fromString(*key));
        return true;
    }
    why = key ? "a tombstone whose key is not a JSON object, and no key_column to delete by"
              : "a message with neither key nor value";
    return false;
}

void addKeyColumn(Fields &fields, const std::string *key, const std::string &keyColumn)
{
    if (keyColumn.empty() || field(fields, keyColumn))
        return;
    fields.emplace_back(keyColumn, key ? Value::fromString(*key) : Value());
}

std::optional<record::Op> debeziumOp(const Value *op)
{
    if (!op || op->kind() != ValueKind::String || op->text().size() != 1)
        return std::nullopt;
    switch (op->text()[0]) {
    case 'c':
        return record::Op::Create;
    case 'u':
        return record::Op::Update;
    case 'd':
        return record::Op::Delete;
    case 'r':
        return record::Op::Read;
    default:
        return std::nullopt;
    }
}

std::int64_t millisOf(const Value *value)
{
    if (!value)
        return 0;
    if (value->kind() == ValueKind::Int)
        return value->asInt();
    if (value->kind() == ValueKind::Decimal || value->kind() == ValueKind::String) {
        const std::string &t = value->text();
        const char *end = t.data() + t.size();
        std::int64_t ms = 0;
        if (const auto r = std::from_chars(t.data(), end, ms); r.ec == std::errc() && r.ptr == end)
            return ms;
        double real = 0; // 1.7e12, 1700000000000.0
        if (const auto r = std::from_chars(t.data(), end, real);
            r.ec == std::errc() && r.ptr == end)
            return static_cast<std::int64_t>(real);
    }
    return 0;
}

std::optional<DecodedMessage> decodeDebezium(const std::string &value, std::string &why)
{
    Fields envelope;
    if (!parseObject(value, envelope, why, "the value") ||
        !unwrapSchema(envelope, why, "the payload"))
        return std::nullopt;
    DecodedMessage out;
    const auto op = debeziumOp(field(envelope, "op"));
    if (!op) {
        why = "not a Debezium change: \"op\" is not one of c, u, d, r";
        return std::nullopt;
    }
    out.op = *op;
    if (!nestedObject(field(envelope, "after"), out.after, why, "\"after\"") ||
        !nestedObject(field(envelope, "before"), out.before, why, "\"before\""))
        return std::nullopt;
    if (out.op == record::Op::Delete ? out.before.empty() : out.after.empty()) {
        why = out.op == record::Op::Delete ? "a Debezium delete without \"before\""
                                           : "a Debezium change without \"after\"";
        return std::nullopt;
    }
    if (out.op == record::Op::Delete)
        out.after.clear();
    out.eventTimeMicros = millisOf(field(envelope, "ts_ms")) * 1000;
    return out;
}

} // namespace

std::optional<MessageFormat> parseMessageFormat(std::string_view name)
{
    if (name == "json")
        return MessageFormat::Json;
    if (name == "debezium")
        return MessageFormat::Debezium;
    if (name == "raw")
        return MessageFormat::Raw;
    return std::nullopt;
}

std::optional<DecodedMessage> decodeMessage(MessageFormat format, const std::string *key,
                                            const std::string *value, const std::string &keyColumn,
                                            std::string &why)
{
    DecodedMessage out;
    if (!value && format != MessageFormat::Raw) {
        // A tombstone: the key's row is gone.
        out.op = record::Op::Delete;
        if (!keyFields(key, keyColumn, out.before, why))
            return std::nullopt;
        return out;
    }
    switch (format) {
    case MessageFormat::Json:
        if (!parseObject(*value, out.after, why, "the value"))
            return std::nullopt;
        addKeyColumn(out.after, key, keyColumn);
        return out;
    case MessageFormat::Debezium:
        return decodeDebezium(*value, why);
    case MessageFormat::Raw:
        out.after.emplace_back("value", value ? Value::fromString(*value) : Value());
        addKeyColumn(out.after, key, keyColumn);
        return out;
    }
    return std::nullopt;
}

} // namespace weir::connectors::kafka
