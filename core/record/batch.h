#pragma once

// Batch: the unit that moves between nodes. Events share one schema; `positions` say how far
// into each source the batch reaches, so a sink can commit data and positions together.

#include "record/change_event.h"
#include "record/schema.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace weir::record {

// A point in a source: `stream` names what is read (a file, a partition), `offset` only grows.
// `cursor` is the source's own resume token where an offset is not enough (a watermark and a
// key); positions with equal offsets are the same point only if their cursors are equal.
struct SourcePosition
{
    SourcePosition() = default;
    SourcePosition(std::string source, std::string streamName, std::int64_t at,
                   std::string resume = {})
        : sourceNode(std::move(source)), stream(std::move(streamName)), offset(at),
          cursor(std::move(resume))
    {
    }

    std::string sourceNode;
    std::string stream;
    std::int64_t offset = 0;
    std::string cursor;

    friend bool operator==(const SourcePosition &, const SourcePosition &) = default;
};

struct Batch
{
    SchemaPtr schema;
    std::vector<ChangeEvent> events;
    std::vector<SourcePosition> positions; // end positions this batch covers, one per source
    std::string stream;                    // the source stream the events come from
    // The upstream table the events are rows of ("schema.table"), when the source reads
    // several (change data capture): a sink routes by it. Empty otherwise.
    std::string table;
    // The key columns of that table (its primary key, or the replica identity a change stream
    // names rows by), when the source knows them: a sink without `key` of its own upserts by
    // them. Empty otherwise.
    std::vector<std::string> key;
    std::int64_t ingestTimeMicros = 0;
    // The source was still behind its head when it produced this batch (bytes of a file left,
    // a consumer's lag): the next batch is on its way.
    bool backlog = false;
    // Every event's offset is its own place in the stream (the source says so, and every
    // transform on the way kept the offsets it was given): a sink ahead of the position a
    // replay starts from may drop the events below its own (engine.cpp, dropCommittedEvents).
    bool eventsOrderedByOffset = false;
    // Events of batches already written, kept only for their storage: none is part of this
    // batch. The engine hands them to a source before next() and takes back what is left.
    std::vector<ChangeEvent> spare = {};

    std::size_t size() const { return events.size(); }
    bool empty() const { return events.empty(); }

    // A new last event whose `after` holds `width` values, every one of which the caller must
    // assign: a spare event is reused when there is one, its values keeping their text's
    // storage, so a source that assigns into them allocates nothing per row once warm. Every
    // other field starts as in a new event.
    ChangeEvent &addEvent(std::size_t width);
};

// Whether a sink's table setting names the upstream table of each batch ("{table}" or
// "{schema}", see connectors/table_routing.h).
bool namesUpstreamTable(std::string_view tableSetting);

// The kind of the first non-null value of column `index` in the batch (String when all are
// null): what a sink creates the column as.
ValueKind kindOfColumn(const Batch &batch, std::size_t index);

// About how much memory the batch holds (events, values and their text): what bounds a queue.
std::size_t approximateBytes(const Batch &batch);

// Keeps the events whose flag is set, in their order (positions stay: they say what was read).
void keepEvents(Batch &batch, const std::vector<bool> &keep);

} // namespace weir::record
