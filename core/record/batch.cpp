#include "record/batch.h"

namespace weir::record {

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

} // namespace weir::record
