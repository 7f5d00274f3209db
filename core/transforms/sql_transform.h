#pragma once

// SqlTransform: replaces each batch by the result of an SQL query over it (the table "batch"
// in an in-memory SQLite database): joins with VALUES lists, aggregates, reshaping. The batch's
// source positions carry over, so exactly-once still holds downstream. One worker thread.

#include "engine/node.h"
#include "model/node_type_registry.h"
#include "transforms/batch_query.h"

namespace weir::transforms {

class SqlTransform final : public engine::TransformNode
{
public:
    explicit SqlTransform(const QString &query) : m_query(query.toStdString()) {}

    Status process(record::Batch &batch, std::vector<engine::DeadLetter> &dead) override;

private:
    BatchQuery m_query;
    record::SchemaPtr m_output;
};

void registerSqlTransform(model::NodeTypeRegistry &registry);

} // namespace weir::transforms
