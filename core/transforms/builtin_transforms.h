#pragma once

namespace weir::model {
class NodeTypeRegistry;
}

namespace weir::transforms {

// validate, dedupe
void registerBuiltinTransforms(model::NodeTypeRegistry &registry);

} // namespace weir::transforms
