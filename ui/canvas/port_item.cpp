#include "canvas/port_item.h"

#include <QApplication>
#include <QPainter>
#include <QPalette>
#include <QStyleOptionGraphicsItem>

namespace weir::ui {

PortItem::PortItem(QString nodeId, QString port, bool isInput, QGraphicsItem *parent)
    : QGraphicsItem(parent), m_nodeId(std::move(nodeId)), m_port(std::move(port)),
      m_isInput(isInput)
{
    setAcceptHoverEvents(true);
    setCursor(Qt::CrossCursor);
    setToolTip(QApplication::translate("weir::ui", "%1 port '%2' — drag to connect")
                   .arg(isInput ? QApplication::translate("weir::ui", "Input")
                                : QApplication::translate("weir::ui", "Output"),
                        m_port));
}

QRectF PortItem::boundingRect() const
{
    const qreal r = radius + 3;
    return {-r, -r, 2 * r, 2 * r};
}

QPainterPath PortItem::shape() const
{
    QPainterPath path;
    path.addEllipse(boundingRect()); // generous hit area
    return path;
}

void PortItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *)
{
    if (option->levelOfDetailFromTransform(painter->worldTransform()) < 0.5)
        return; // too small to aim at; the node's card is enough
    const QPalette palette = QApplication::palette();
    const QColor accent = palette.color(QPalette::Highlight);
    painter->setRenderHint(QPainter::Antialiasing);
    QPen pen(m_candidate || m_hovered ? accent : palette.color(QPalette::Mid), 2);
    pen.setCosmetic(true);
    painter->setPen(pen);
    painter->setBrush(m_hovered || m_candidate ? accent.lighter(150)
                                               : palette.color(QPalette::Base));
    const qreal r = m_hovered || m_candidate ? radius + 1.5 : radius;
    painter->drawEllipse(QPointF(0, 0), r, r);
}

void PortItem::setCandidate(bool candidate)
{
    if (m_candidate == candidate)
        return;
    m_candidate = candidate;
    update();
}

void PortItem::hoverEnterEvent(QGraphicsSceneHoverEvent *event)
{
    m_hovered = true;
    update();
    QGraphicsItem::hoverEnterEvent(event);
}

void PortItem::hoverLeaveEvent(QGraphicsSceneHoverEvent *event)
{
    m_hovered = false;
    update();
    QGraphicsItem::hoverLeaveEvent(event);
}

} // namespace weir::ui
