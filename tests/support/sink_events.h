#pragma once

// Change events and batches for sink tests: rows (id, status, updated_at) of stream "s" from
// source "src", and a write that commits at once, as the engine does when its input runs dry.

#include "engine/node.h"
#include "record/batch.h"

#include <cstdint>
#include <vector>

namespace weir::test {

// `status` null: a NULL status. A delete carries the values as its before image.
record::ChangeEvent sinkEvent(record::Op op, std::int64_t id, const char *status,
                              const char *updatedAt, std::int64_t offset);

// The events with the (id, status, updated_at) schema, ending at `endOffset` of src/s.
record::Batch sinkBatch(std::vector<record::ChangeEvent> events, std::int64_t endOffset);

Result<engine::SinkWriteStats> writeAndCommit(engine::SinkNode &sink, const record::Batch &batch);

} // namespace weir::test
