#pragma once

// PortItem: one input or output port of a node on the canvas — a small circle on the node's
// left (inputs) or right (outputs) edge where edges start and end. Child of its NodeItem.
// GUI thread.

#include "model/pipeline.h"

#include <QGraphicsItem>

namespace weir::ui {

class PortItem final : public QGraphicsItem
{
public:
    static constexpr qreal radius = 6;
    enum
    {
        Type = UserType + 2
    };

    PortItem(QString nodeId, QString port, bool isInput, QGraphicsItem *parent);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    model::PortRef ref() const { return {m_nodeId, m_port}; }
    bool isInput() const { return m_isInput; }
    // Scene point where edges attach.
    QPointF anchor() const { return scenePos(); }
    // While an edge is being drawn: marks ports that would accept it.
    void setCandidate(bool candidate);

protected:
    void hoverEnterEvent(QGraphicsSceneHoverEvent *event) override;
    void hoverLeaveEvent(QGraphicsSceneHoverEvent *event) override;

private:
    QString m_nodeId;
    QString m_port;
    bool m_isInput;
    bool m_hovered = false;
    bool m_candidate = false;
};

} // namespace weir::ui
