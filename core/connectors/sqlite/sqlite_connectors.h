#pragma once

namespace weir::model {
class NodeTypeRegistry;
}

namespace weir::connectors::sqlite {

// sqlite.sink
void registerSqliteConnectors(model::NodeTypeRegistry &registry);

} // namespace weir::connectors::sqlite
