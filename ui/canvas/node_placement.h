#pragma once

// Where a node added from the palette lands: to the right of the node it follows, joined to
// it by an edge when an output of that node fits an input of the new one, or else on the
// free spot nearest a point. Never on top of another card. A pure function of the document.

#include "model/node_type_registry.h"
#include "model/pipeline.h"

#include <QPointF>
#include <optional>

namespace weir::ui {

struct NodePlacement
{
    QPointF topLeft;
    std::optional<model::EdgeSpec> edge; // from the followed node to the new one
};

// `follow`: the node the new one continues (empty: none); `near`: where the new card's centre
// should be when there is nothing to follow. `newId` names the new node in the edge.
NodePlacement placeNewNode(const model::Pipeline &pipeline, const model::NodeTypeRegistry &registry,
                           const model::NodeType &type, const QString &newId, const QString &follow,
                           QPointF near);

} // namespace weir::ui
