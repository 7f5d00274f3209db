#include "canvas/node_placement.h"

#include "canvas/auto_layout.h"
#include "canvas/node_item.h"
#include "canvas/pipeline_scene.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace weir::ui {

namespace {

// Cards closer than this look stacked even when they do not touch.
constexpr qreal kGap = PipelineScene::gridSize;
// How far the search for a free spot goes, in layout cells; far more than a canvas holds.
constexpr int kRings = 60;

QRectF cardAt(QPointF topLeft)
{
    return {topLeft, QSizeF(NodeItem::width, NodeItem::height)};
}

bool isFree(const model::Pipeline &pipeline, QPointF topLeft)
{
    const QRectF wanted = cardAt(topLeft).adjusted(-kGap, -kGap, kGap, kGap);
    return std::none_of(
        pipeline.nodes.begin(), pipeline.nodes.end(),
        [&](const model::NodeSpec &n) { return wanted.intersects(cardAt(QPointF(n.x, n.y))); });
}

QPointF snapped(QPointF p)
{
    const qreal g = PipelineScene::gridSize;
    return {std::round(p.x() / g) * g, std::round(p.y() / g) * g};
}

// The first free spot below `start`, a layout row at a time: a node that already feeds
// others gets its next follower under them, in the same column.
QPointF freeBelow(const model::Pipeline &pipeline, QPointF start)
{
    const LayoutSpacing spacing;
    for (int row = 0; row <= kRings; ++row) {
        const QPointF at = start + QPointF(0, row * spacing.row);
        if (isFree(pipeline, at))
            return at;
    }
    return start;
}

// The free spot nearest `start` on a grid of layout cells: ring by ring, nearest first.
QPointF freeNear(const model::Pipeline &pipeline, QPointF start)
{
    const LayoutSpacing spacing;
    for (int ring = 0; ring <= kRings; ++ring) {
        std::vector<QPointF> candidates;
        for (int dx = -ring; dx <= ring; ++dx) {
            for (int dy = -ring; dy <= ring; ++dy) {
                if (std::max(std::abs(dx), std::abs(dy)) == ring)
                    candidates.push_back(start + QPointF(dx * spacing.column, dy * spacing.row));
            }
        }
        std::stable_sort(candidates.begin(), candidates.end(), [start](QPointF a, QPointF b) {
            const QPointF da = a - start;
            const QPointF db = b - start;
            return QPointF::dotProduct(da, da) < QPointF::dotProduct(db, db);
        });
        for (const QPointF &at : candidates) {
            if (isFree(pipeline, at))
                return at;
        }
    }
    return start;
}

// The first output of `from` whose data type an input of `to` takes.
std::optional<std::pair<QString, QString>> fittingPorts(const model::NodeType &from,
                                                        const model::NodeType &to)
{
    for (const model::PortSpec &out : from.outputs) {
        for (const model::PortSpec &in : to.inputs) {
            if (out.dataType == in.dataType)
                return std::make_pair(out.name, in.name);
        }
    }
    return std::nullopt;
}

} // namespace

NodePlacement placeNewNode(const model::Pipeline &pipeline, const model::NodeTypeRegistry &registry,
                           const model::NodeType &type, const QString &newId, const QString &follow,
                           QPointF near)
{
    NodePlacement placement;
    if (const model::NodeSpec *anchor = follow.isEmpty() ? nullptr : pipeline.node(follow)) {
        const QPointF right(anchor->x + LayoutSpacing().column, anchor->y);
        placement.topLeft = freeBelow(pipeline, snapped(right));
        if (const model::NodeType *anchorType = registry.find(anchor->type)) {
            if (const auto ports = fittingPorts(*anchorType, type))
                placement.edge =
                    model::EdgeSpec{{anchor->id, ports->first}, {newId, ports->second}};
        }
        return placement;
    }
    const QPointF centred = near - QPointF(NodeItem::width / 2, NodeItem::height / 2);
    placement.topLeft = freeNear(pipeline, snapped(centred));
    return placement;
}

} // namespace weir::ui
