#pragma once

// MapTransform: reshapes records — renames columns, casts values to types (a value that does
// not fit sends its record to the dead-letter queue), derives new columns from SQLite
// expressions, and drops columns, in that order. One worker thread.

#include "engine/node.h"
#include "model/node_config.h"
#include "model/node_type_registry.h"
#include "transforms/batch_query.h"

#include <map>
#include <memory>
#include <optional>

namespace weir::transforms {

struct MapOptions
{
    std::map<std::string, std::string> rename; // old -> new
    std::vector<std::pair<std::string, record::ValueKind>> cast;
    std::vector<std::pair<std::string, std::string>> derive; // column -> expression
    std::vector<std::string> drop;

    static MapOptions fromConfig(const model::NodeConfig &config);
};

class MapTransform final : public engine::TransformNode
{
public:
    bool keepsEventOffsets() const override { return true; }
    explicit MapTransform(MapOptions options);

    Status process(record::Batch &batch, std::vector<engine::DeadLetter> &dead) override;
    static std::vector<model::FieldProblem> checkConfig(const QJsonObject &config);

private:
    // How a given input schema maps to the output; built once per input schema.
    struct Plan
    {
        record::SchemaPtr renamed; // after rename (and derived columns)
        record::SchemaPtr output;  // after drop
        std::vector<std::pair<int, record::ValueKind>> casts;
        std::vector<int> derivedAt; // where each derived value goes
        std::vector<int> kept;      // renamed-schema indexes that survive drop
    };
    Result<Plan> planFor(const record::Schema &input) const;

    MapOptions m_options;
    std::unique_ptr<BatchQuery> m_derive;
    record::SchemaPtr m_plannedFor;
    Plan m_plan;
};

void registerMapTransform(model::NodeTypeRegistry &registry);

} // namespace weir::transforms
