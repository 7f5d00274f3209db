#include "canvas/edge_item.h"

#include "canvas/port_item.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPathStroker>
#include <QPalette>
#include <QStyleOptionGraphicsItem>
#include <algorithm>

namespace weir::ui {

EdgeItem::EdgeItem(model::EdgeSpec edge, PortItem *from, PortItem *to)
    : m_edge(std::move(edge)), m_from(from), m_to(to)
{
    setFlag(ItemIsSelectable);
    setAcceptHoverEvents(true);
    setZValue(-1); // under the nodes
    setToolTip(m_edge.from.toString() + QStringLiteral(" → ") + m_edge.to.toString());
    updatePath();
}

QPainterPath EdgeItem::curve(QPointF from, QPointF to)
{
    const qreal dx = std::max(40.0, std::abs(to.x() - from.x()) * 0.5);
    QPainterPath path(from);
    path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
    return path;
}

void EdgeItem::updatePath()
{
    setPath(curve(m_from->anchor(), m_to->anchor() - QPointF(PortItem::radius, 0)));
}

QPainterPath EdgeItem::shape() const
{
    QPainterPathStroker stroker;
    stroker.setWidth(12); // easy to click
    return stroker.createStroke(path());
}

void EdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const QPalette palette = QApplication::palette();
    const bool selected = isSelected();
    QColor color =
        selected || m_hovered ? palette.color(QPalette::Highlight) : palette.color(QPalette::Text);
    if (!selected && !m_hovered)
        color.setAlphaF(0.55);
    // Far out, thousands of edges are visible at once: plain strokes, no arrow heads.
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    painter->setRenderHint(QPainter::Antialiasing, lod >= 0.5);
    QPen pen(color, selected ? 3 : 2);
    pen.setCosmetic(true);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(path());
    if (lod < 0.5)
        return;
    // Arrow head at the input end.
    const QPointF tip = path().currentPosition(); // where the curve ends
    QPolygonF head;
    head << tip << tip + QPointF(-9, -5) << tip + QPointF(-9, 5);
    painter->setBrush(color);
    painter->setPen(Qt::NoPen);
    painter->drawPolygon(head);
}

void EdgeItem::hoverEnterEvent(QGraphicsSceneHoverEvent *event)
{
    m_hovered = true;
    update();
    QGraphicsPathItem::hoverEnterEvent(event);
}

void EdgeItem::hoverLeaveEvent(QGraphicsSceneHoverEvent *event)
{
    m_hovered = false;
    update();
    QGraphicsPathItem::hoverLeaveEvent(event);
}

} // namespace weir::ui
