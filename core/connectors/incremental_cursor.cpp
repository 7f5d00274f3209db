#include "connectors/incremental_cursor.h"

#include "common/time_format.h"
#include "connectors/file/json_line_parser.h"
#include "engine/node.h"
#include "record/record_json.h"

#include <chrono>
#include <thread>

namespace weir::connectors {
namespace {

struct ParsedCursor
{
    record::Value watermark;
    record::Value key;
    std::optional<record::Value> nullKey;
};

std::optional<ParsedCursor> parse(const std::string &text)
{
    std::vector<std::pair<std::string, record::Value>> fields;
    file::JsonLineError error;
    if (!file::parseJsonObjectLine(text, fields, error) || fields.size() < 2 || fields.size() > 3)
        return std::nullopt;
    ParsedCursor c{fields[0].second, fields[1].second, std::nullopt};
    if (fields.size() == 3)
        c.nullKey = fields[2].second;
    return c;
}

void appendJson(std::string &out, const record::Value &v)
{
    if (v.kind() == record::ValueKind::Int || v.kind() == record::ValueKind::Double)
        out += v.toText();
    else if (v.isNull())
        out += "null";
    else if (v.kind() == record::ValueKind::Timestamp) // fixed width: positions compare as text
        record::appendJsonString(out, common::formatIsoTimestampMicros(v.asTimestampMicros()));
    else
        record::appendJsonString(out, v.toText());
}

} // namespace

std::string IncrementalCursor::encode(const record::Value &watermark, const record::Value &key,
                                      const record::Value *nullKey)
{
    std::string text = "{\"w\":";
    appendJson(text, watermark);
    text += ",\"k\":";
    appendJson(text, key);
    if (nullKey) {
        text += ",\"n\":";
        appendJson(text, *nullKey);
    }
    return text + "}";
}

std::string IncrementalCursor::text() const
{
    return encode(watermark, key, haveNullKey ? &nullKey : nullptr);
}

bool IncrementalCursor::decode(const std::string &text)
{
    const auto cursor = parse(text);
    if (!cursor)
        return false;
    watermark = cursor->watermark;
    key = cursor->key;
    // A cursor written before NULL watermarks had their own cursor may hold a NULL watermark
    // (NULLs sort first): start the ordered rows from the beginning then, rather than stall.
    haveCursor = !watermark.isNull();
    haveNullKey = cursor->nullKey.has_value();
    if (haveNullKey)
        nullKey = *cursor->nullKey;
    return true;
}

void IncrementalCursor::resume(const std::string &stream,
                               const std::vector<record::SourcePosition> &positions)
{
    for (const record::SourcePosition &p : positions) {
        if (p.stream != stream)
            continue;
        if (!p.cursor.empty() && decode(p.cursor))
            continue;
        if (p.offset > 0) {
            watermark = record::Value::fromInt(p.offset);
            key = record::Value();
            haveCursor = true;
        }
    }
}

std::int64_t IncrementalCursor::offsetOf(const record::Value &watermark)
{
    switch (watermark.kind()) {
    case record::ValueKind::Int:
        return watermark.asInt();
    case record::ValueKind::Double:
        return static_cast<std::int64_t>(watermark.asDouble());
    case record::ValueKind::Timestamp:
        return watermark.asTimestampMicros();
    case record::ValueKind::String:
        return common::parseIsoTimestamp(watermark.text()).value_or(0);
    default:
        return 0;
    }
}

std::partial_ordering IncrementalCursor::compare(const record::SourcePosition &a,
                                                 const record::SourcePosition &b, ValueOrder order)
{
    const auto x = parse(a.cursor);
    const auto y = parse(b.cursor);
    if (!x || !y)
        return engine::SourceNode::compareByOffset(a, b);
    if (auto c = order(x->watermark, y->watermark); std::is_neq(c))
        return c;
    if (auto c = order(x->key, y->key); std::is_neq(c))
        return c;
    if (x->nullKey.has_value() != y->nullKey.has_value())
        return x->nullKey.has_value() <=> y->nullKey.has_value();
    return x->nullKey ? std::partial_ordering(order(*x->nullKey, *y->nullKey))
                      : std::partial_ordering::equivalent;
}

bool LookbackMemory::remember(const record::Value &watermark, const record::Value &key)
{
    // Fixed-width timestamps, so the set's text order is time order (forgetBefore relies on it).
    const std::string when = watermark.kind() == record::ValueKind::Timestamp
                                 ? common::formatIsoTimestampMicros(watermark.asTimestampMicros())
                                 : watermark.toText();
    return m_sent.emplace(when, key.toText()).second;
}

void LookbackMemory::forgetBefore(std::int64_t newestMicros)
{
    const std::int64_t from = newestMicros - windowMicros();
    while (!m_sent.empty()) {
        const auto oldest = common::parseIsoTimestamp(m_sent.begin()->first);
        if (oldest && *oldest >= from)
            break;
        m_sent.erase(m_sent.begin());
    }
}

bool LookbackMemory::appliesTo(const IncrementalCursor &cursor) const
{
    return enabled() && cursor.haveCursor &&
           common::parseIsoTimestamp(cursor.watermark.toText()).has_value();
}

engine::StepStatus waitForNewRows(const engine::NodeContext &context, int pollMs)
{
    if (context.once)
        return engine::StepStatus::Finished;
    for (int waited = 0; waited < pollMs && !context.stopping(); waited += 20)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return engine::StepStatus::HaveMore;
}

} // namespace weir::connectors
