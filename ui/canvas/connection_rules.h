#pragma once

// Whether an edge may be drawn from one port to another, and if not, why — in words a user
// reads in a tooltip. The same rules the validator applies to a saved file, checked up front.

#include "model/node_type_registry.h"
#include "model/pipeline.h"

#include <QString>

namespace weir::ui {

// Empty when the edge is allowed.
QString connectionRefusal(const model::Pipeline &pipeline, const model::NodeTypeRegistry &registry,
                          const model::PortRef &from, const model::PortRef &to);

} // namespace weir::ui
