#include "canvas/edge_item.h"

#include "canvas/port_item.h"

#include <QApplication>
#include <QLocale>
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

QRectF EdgeItem::boundingRect() const
{
    const QRectF r = QGraphicsPathItem::boundingRect();
    return hasFlow()
               ? r.united(QRectF(path().pointAtPercent(0.5) - QPointF(70, 24), QSizeF(140, 24)))
               : r;
}

QColor EdgeItem::fillColor(double fill)
{
    if (fill >= 0.85)
        return {0xd0, 0x3b, 0x3b};
    if (fill >= 0.5)
        return {0xc7, 0x7c, 0x02};
    return {0x2e, 0x9e, 0x6b};
}

void EdgeItem::setFlow(double recordsPerSecond, double queueFill)
{
    if (recordsPerSecond < 0 && !hasFlow())
        return;
    if ((recordsPerSecond >= 0) != hasFlow())
        prepareGeometryChange(); // the label's room comes or goes
    m_rate = recordsPerSecond;
    m_fill = std::clamp(queueFill, 0.0, 1.0);
    if (m_rate < 0) {
        m_flowText.clear();
    } else {
        const QLocale locale;
        const QString rate = m_rate >= 10000
                                 ? locale.toString(m_rate / 1000.0, 'f', 0) + QLatin1Char('k')
                                 : locale.toString(m_rate, 'f', 0);
        m_flowText = QApplication::translate("weir::ui", "%1/s · queue %2 %")
                         .arg(rate)
                         .arg(qRound(m_fill * 100));
    }
    setToolTip(m_edge.from.toString() + QStringLiteral(" → ") + m_edge.to.toString() +
               (m_flowText.isEmpty() ? QString() : QStringLiteral("\n") + m_flowText));
    update();
}

void EdgeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    const QPalette palette = QApplication::palette();
    const bool selected = isSelected();
    QColor color =
        selected || m_hovered ? palette.color(QPalette::Highlight) : palette.color(QPalette::Text);
    if (!selected && !m_hovered)
        color.setAlphaF(0.55);
    if (hasFlow() && !selected && !m_hovered)
        color = fillColor(m_fill);
    // Far out, thousands of edges are visible at once: plain strokes, no arrow heads.
    const qreal lod = option->levelOfDetailFromTransform(painter->worldTransform());
    painter->setRenderHint(QPainter::Antialiasing, lod >= 0.5);
    QPen pen(color, selected || hasFlow() ? 3 : 2);
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
    // The figures sit over the middle of the edge when there is room; always in the tooltip.
    if (!m_flowText.isEmpty() && path().boundingRect().width() >= 150) {
        QFont small = QApplication::font();
        small.setPointSizeF(small.pointSizeF() * 0.85);
        painter->setFont(small);
        painter->setPen(color.darker(120));
        const QPointF mid = path().pointAtPercent(0.5);
        painter->drawText(QRectF(mid - QPointF(70, 22), QSizeF(140, 18)), Qt::AlignCenter,
                          m_flowText);
    }
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
