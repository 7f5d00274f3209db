#include "record/batch.h"

namespace weir::record {

bool namesUpstreamTable(std::string_view tableSetting)
{
    return tableSetting.find("{table}") != std::string_view::npos ||
           tableSetting.find("{schema}") != std::string_view::npos;
}

ChangeEvent &Batch::addEvent(std::size_t width)
{
    if (spare.empty()) {
        ChangeEvent &e = events.emplace_back();
        e.after.resize(width);
        return e;
    }
    ChangeEvent &e = events.emplace_back(std::move(spare.back()));
    spare.pop_back();
    e.op = Op::Read;
    e.after.resize(width);
    e.before.clear();
    e.offset = 0;
    e.line = 0;
    e.eventTimeMicros = 0;
    e.location.clear();
    return e;
}

void keepEvents(Batch &batch, const std::vector<bool> &keep)
{
    std::size_t kept = 0;
    for (std::size_t e = 0; e < batch.events.size(); ++e) {
        if (e >= keep.size() || !keep[e])
            continue;
        if (kept != e)
            batch.events[kept] = std::move(batch.events[e]);
        ++kept;
    }
    batch.events.resize(kept);
}

ValueKind kindOfColumn(const Batch &batch, std::size_t index)
{
    for (const ChangeEvent &e : batch.events) {
        const auto &values = e.current();
        if (index < values.size() && !values[index].isNull())
            return values[index].kind();
    }
    return ValueKind::String;
}

std::size_t approximateBytes(const Batch &batch)
{
    // Text up to std::string's small-buffer size lives inside the Value itself.
    constexpr std::size_t kInline = 15;
    std::size_t bytes = sizeof(Batch) + batch.events.capacity() * sizeof(ChangeEvent);
    auto values = [&](const std::vector<Value> &row) {
        bytes += row.capacity() * sizeof(Value);
        for (const Value &v : row) {
            if (v.text().size() > kInline)
                bytes += v.text().size();
        }
    };
    for (const ChangeEvent &e : batch.events) {
        values(e.after);
        values(e.before);
        if (e.location.size() > kInline)
            bytes += e.location.size();
    }
    return bytes;
}

} // namespace weir::record
