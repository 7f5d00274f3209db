#pragma once

// ChangeEvent: every record is a change (create, update, delete, read/snapshot) with the
// values before and after, where it came from in its source, and when it happened.

#include "record/value.h"

#include <cstdint>
#include <string>
#include <vector>

namespace weir::record {

enum class Op : char
{
    Create = 'c',
    Update = 'u',
    Delete = 'd',
    Read = 'r'
};

struct ChangeEvent
{
    Op op = Op::Read;
    std::vector<Value> after;         // aligned with the batch schema; empty for deletes
    std::vector<Value> before;        // aligned with the batch schema when the source knows it
    std::int64_t offset = 0;          // where the record starts in its source stream
    std::int64_t line = 0;            // 1-based line in a text source, 0 when not a text source
    std::int64_t eventTimeMicros = 0; // 0 when the source carries no event time
    // Together with `offset`, unique within the stream: empty where the offset alone says
    // which record this is (a byte offset, a partition offset); otherwise the source's own
    // name for the row (a (watermark, key) cursor, an LSN and index, a page and index).
    // Transforms keep it, so two different records never share a dead-letter entry.
    std::string location = {};

    // The values that identify the row: after, or before for a delete.
    const std::vector<Value> &current() const { return op == Op::Delete ? before : after; }
};

} // namespace weir::record
