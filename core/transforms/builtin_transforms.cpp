#include "transforms/builtin_transforms.h"

#include "transforms/dedupe_transform.h"
#include "transforms/validate_transform.h"

namespace weir::transforms {

void registerBuiltinTransforms(model::NodeTypeRegistry &registry)
{
    registerValidateTransform(registry);
    registerDedupeTransform(registry);
}

} // namespace weir::transforms
