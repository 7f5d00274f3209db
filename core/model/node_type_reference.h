#pragma once

// The node-type reference generated from the registry: what `weir-run list-node-types` prints
// (text for people, JSON for tools). Generated, so it can never drift from the schema.

#include "model/node_type_registry.h"

#include <QJsonArray>
#include <QString>

namespace weir::model {

QString nodeTypeReferenceText(const NodeTypeRegistry &registry);
QJsonArray nodeTypeReferenceJson(const NodeTypeRegistry &registry);

} // namespace weir::model
