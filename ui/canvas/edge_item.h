#pragma once

// EdgeItem: one edge of the document, drawn as a curve from an output port to an input port
// with an arrow head; selectable, highlighted on hover. Follows its nodes as they move.
// GUI thread.

#include "model/pipeline.h"

#include <QGraphicsPathItem>

namespace weir::ui {

class PortItem;

class EdgeItem final : public QGraphicsPathItem
{
public:
    enum
    {
        Type = UserType + 3
    };

    EdgeItem(model::EdgeSpec edge, PortItem *from, PortItem *to);

    int type() const override { return Type; }
    const model::EdgeSpec &edge() const { return m_edge; }
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    QRectF boundingRect() const override;

    // Live flow during a run: records/s leaving the upstream node and how full the downstream
    // node's input queue is (0..1). The edge turns amber, then red, as the queue fills: that is
    // backpressure. A negative rate clears it.
    void setFlow(double recordsPerSecond, double queueFill);
    bool hasFlow() const { return m_rate >= 0; }
    double queueFill() const { return m_fill; }
    static QColor fillColor(double fill);

    // Recomputes the curve from the ports' current scene positions.
    void updatePath();
    // The curve between two points, shared with the edge being drawn.
    static QPainterPath curve(QPointF from, QPointF to);

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent *event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent *event) override;

private:
    model::EdgeSpec m_edge;
    PortItem *m_from;
    PortItem *m_to;
    bool m_hovered = false;
    double m_rate = -1.0;
    double m_fill = 0.0;
    QString m_flowText;
};

} // namespace weir::ui
