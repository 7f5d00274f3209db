#pragma once

namespace weir::model {
class NodeTypeRegistry;
}

namespace weir::connectors::kafka {

// kafka.source
void registerKafkaConnectors(model::NodeTypeRegistry &registry);

} // namespace weir::connectors::kafka
