#include "support/sink_events.h"

#include "common/time_format.h"

namespace weir::test {

record::ChangeEvent sinkEvent(record::Op op, std::int64_t id, const char *status,
                              const char *updatedAt, std::int64_t offset)
{
    using record::Value;
    record::ChangeEvent e;
    e.op = op;
    std::vector<Value> values{Value::fromInt(id), status ? Value::fromString(status) : Value(),
                              Value::fromTimestampMicros(*common::parseIsoTimestamp(updatedAt))};
    (op == record::Op::Delete ? e.before : e.after) = std::move(values);
    e.offset = offset;
    return e;
}

record::Batch sinkBatch(std::vector<record::ChangeEvent> events, std::int64_t endOffset)
{
    static const auto schema = record::makeSchema({"id", "status", "updated_at"});
    record::Batch b;
    b.schema = schema;
    b.stream = "s";
    b.events = std::move(events);
    b.positions = {record::SourcePosition{"src", "s", endOffset}};
    return b;
}

Result<engine::SinkWriteStats> writeAndCommit(engine::SinkNode &sink, const record::Batch &batch)
{
    auto stats = sink.write(batch);
    if (stats) {
        if (Status s = sink.flush(); !s)
            return s.error();
    }
    return stats;
}

} // namespace weir::test
