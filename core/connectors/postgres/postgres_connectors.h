#pragma once

namespace weir::model {
class NodeTypeRegistry;
}

namespace weir::connectors::postgres {

// postgres.sink
void registerPostgresConnectors(model::NodeTypeRegistry &registry);

} // namespace weir::connectors::postgres
