#pragma once

namespace weir::model {
class NodeTypeRegistry;
}

namespace weir::transforms {

// validate, dedupe, filter, map, hash, sql
void registerBuiltinTransforms(model::NodeTypeRegistry &registry);

} // namespace weir::transforms
