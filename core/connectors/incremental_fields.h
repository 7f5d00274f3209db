#pragma once

// The configuration shared by the incremental table sources (sqlite.source, postgres.source):
// table or query, watermark and key columns, lookback, batch size and poll interval.

#include "model/node_type_registry.h"

#include <vector>

namespace weir::connectors {

// The source's schema: `connection` (where the database is) and then the shared fields.
model::ConfigSchema incrementalSourceSchema(model::ConfigField connection);

// Exactly one of table and query.
std::vector<model::FieldProblem> checkTableOrQuery(const QJsonObject &config);

} // namespace weir::connectors
