#pragma once

namespace weir::model {
class NodeTypeRegistry;
}

namespace weir::connectors::file {

// csv.source, jsonl.source, folder.source, zones.sink
void registerFileConnectors(model::NodeTypeRegistry &registry);

} // namespace weir::connectors::file
