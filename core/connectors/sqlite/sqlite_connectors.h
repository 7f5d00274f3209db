#pragma once

namespace weir::model {
class NodeTypeRegistry;
}

namespace weir::connectors::sqlite {

// sqlite.sink, sqlite.source
void registerSqliteConnectors(model::NodeTypeRegistry &registry);

} // namespace weir::connectors::sqlite
