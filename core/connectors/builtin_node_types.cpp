#include "connectors/file/file_connectors.h"
#include "connectors/kafka/kafka_connectors.h"
#include "connectors/postgres/postgres_connectors.h"
#include "connectors/sqlite/sqlite_connectors.h"
#include "model/node_type_registry.h"
#include "transforms/builtin_transforms.h"

// Every node type Weir ships, in one place: a new connector adds its folder and one line here.
namespace weir::model {

const NodeTypeRegistry &NodeTypeRegistry::builtin()
{
    static const NodeTypeRegistry registry = [] {
        NodeTypeRegistry r;
        connectors::file::registerFileConnectors(r);
        connectors::sqlite::registerSqliteConnectors(r);
        connectors::postgres::registerPostgresConnectors(r);
        connectors::kafka::registerKafkaConnectors(r);
        transforms::registerBuiltinTransforms(r);
        return r;
    }();
    return registry;
}

} // namespace weir::model
