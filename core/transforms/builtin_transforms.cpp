#include "transforms/builtin_transforms.h"

#include "transforms/dedupe_transform.h"
#include "transforms/filter_transform.h"
#include "transforms/hash_transform.h"
#include "transforms/map_transform.h"
#include "transforms/sql_transform.h"
#include "transforms/validate_transform.h"

namespace weir::transforms {

void registerBuiltinTransforms(model::NodeTypeRegistry &registry)
{
    registerValidateTransform(registry);
    registerDedupeTransform(registry);
    registerFilterTransform(registry);
    registerMapTransform(registry);
    registerHashTransform(registry);
    registerSqlTransform(registry);
}

} // namespace weir::transforms
