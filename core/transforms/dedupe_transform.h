#pragma once

// DedupeTransform: keeps one record per key within each batch — the newest by an ordering
// column, or the last (or first) to arrive. Duplicates are dropped by design, not errors, and
// the batch's source positions are kept so exactly-once still holds downstream.
// One instance per run, used from one worker thread.

#include "engine/node.h"
#include "model/node_config.h"
#include "model/node_type_registry.h"

#include <string>
#include <vector>

namespace weir::transforms {

class DedupeTransform final : public engine::TransformNode
{
public:
    bool keepsEventOffsets() const override { return true; }
    DedupeTransform(std::vector<std::string> key, std::string orderBy, bool keepFirst)
        : m_key(std::move(key)), m_orderBy(std::move(orderBy)), m_keepFirst(keepFirst)
    {
    }

    Status process(record::Batch &batch, std::vector<engine::DeadLetter> &dead) override;

private:
    std::vector<std::string> m_key;
    std::string m_orderBy;
    bool m_keepFirst = false;
};

// <0, 0, >0 like strcmp: numbers by value, timestamps by time, the rest as text; null first.
int compareValues(const record::Value &a, const record::Value &b);

void registerDedupeTransform(model::NodeTypeRegistry &registry);

} // namespace weir::transforms
