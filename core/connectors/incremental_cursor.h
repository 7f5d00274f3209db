#pragma once

// The position of an incremental table read, shared by sqlite.source and postgres.source.
//
// Rows are read ordered by (watermark, key) and the next read starts strictly after the last
// row handed out, so rows sharing a watermark are never skipped and none is read twice. Rows
// whose watermark is NULL cannot be ordered by it: they are read in key order by a second
// cursor (the highest such key read), once each, and again if their watermark is set later.
// As text the cursor is {"w": …, "k": …} with the values' own JSON types, plus "n": the
// NULL-watermark key cursor once there is one; a row's location is the same text for its own
// (watermark, key).

#include "engine/node.h"
#include "record/batch.h"
#include "record/value.h"

#include <compare>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace weir::connectors {

struct IncrementalCursor
{
    record::Value watermark; // the last ordered row handed out…
    record::Value key;
    bool haveCursor = false; // …once there was one
    record::Value nullKey;   // the highest key read among rows with a NULL watermark…
    bool haveNullKey = false;

    static std::string encode(const record::Value &watermark, const record::Value &key,
                              const record::Value *nullKey = nullptr);
    std::string text() const;
    // Takes the position kept for `stream`: its cursor text, or when only an offset is known,
    // that watermark again (rows there may repeat).
    void resume(const std::string &stream, const std::vector<record::SourcePosition> &positions);

    // The offset that orders a watermark value: the number itself, or microseconds for a
    // timestamp; 0 for anything else (the cursor still orders exactly).
    static std::int64_t offsetOf(const record::Value &watermark);

    // Orders two positions by (watermark, key), then by the NULL-watermark key cursor, with
    // `order` for the values as the database orders them; by offset when a cursor is unreadable.
    using ValueOrder = std::strong_ordering (*)(const record::Value &, const record::Value &);
    static std::partial_ordering compare(const record::SourcePosition &a,
                                         const record::SourcePosition &b, ValueOrder order);

private:
    bool decode(const std::string &text);
};

// The (watermark, key) pairs sent from a lookback window (timestamp watermarks only), so a
// row read again is not sent twice; pairs older than the window are forgotten.
class LookbackMemory
{
public:
    explicit LookbackMemory(std::int64_t seconds) : m_seconds(seconds) {}

    bool enabled() const { return m_seconds > 0; }
    std::int64_t windowMicros() const { return m_seconds * 1000000; }
    // True when the pair was not sent before.
    bool remember(const record::Value &watermark, const record::Value &key);
    // Forgets what lies before the window that ends at `newestMicros`.
    void forgetBefore(std::int64_t newestMicros);
    std::size_t size() const { return m_sent.size(); }
    // A window applies once the cursor holds a timestamp watermark to look back from.
    bool appliesTo(const IncrementalCursor &cursor) const;

private:
    std::int64_t m_seconds;
    std::set<std::pair<std::string, std::string>> m_sent;
};

// A caught-up incremental source: Finished with `once`; otherwise waits `pollMs` (waking early
// on a stop) and asks to be called again.
engine::StepStatus waitForNewRows(const engine::NodeContext &context, int pollMs);

} // namespace weir::connectors
