#pragma once

namespace weir::model {
class NodeTypeRegistry;
}

namespace weir::connectors::file {

// csv.source, jsonl.source
void registerFileConnectors(model::NodeTypeRegistry &registry);

} // namespace weir::connectors::file
