#pragma once

// FilterTransform: keeps the records for which a condition holds. The condition is an SQLite
// expression over the record's columns (amount > 0 AND status <> 'cancelled'), evaluated in
// an in-memory database that holds nothing but the batch. One worker thread.

#include "engine/node.h"
#include "model/node_type_registry.h"
#include "transforms/batch_query.h"

namespace weir::transforms {

class FilterTransform final : public engine::TransformNode
{
public:
    bool keepsEventOffsets() const override { return true; }
    explicit FilterTransform(const QString &expression);

    Status process(record::Batch &batch, std::vector<engine::DeadLetter> &dead) override;

private:
    BatchQuery m_query;
    std::vector<bool> m_keep;
};

void registerFilterTransform(model::NodeTypeRegistry &registry);

} // namespace weir::transforms
