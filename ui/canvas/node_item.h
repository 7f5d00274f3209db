#pragma once

// NodeItem: one node on the canvas — a card with the category's colour and icon, label, type,
// ports, a badge when the node has problems, and its run state with record counters. It
// mirrors a NodeSpec; moving it only previews the move, the scene turns the gesture into a
// command. GUI thread.

#include "canvas/node_run_state.h"
#include "model/node_type_registry.h"
#include "model/pipeline.h"

#include <QGraphicsObject>
#include <QStringList>
#include <vector>

namespace weir::ui {

class EdgeItem;
class PortItem;

class NodeItem final : public QGraphicsItem
{
public:
    static constexpr qreal width = 200;
    static constexpr qreal height = 76;
    enum
    {
        Type = UserType + 1
    };

    // `type` may be null for a node of an unknown type (drawn grey, without ports).
    NodeItem(const model::NodeSpec &node, const model::NodeType *type);

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

    QString nodeId() const { return m_id; }
    PortItem *port(const QString &name, bool input) const;
    const std::vector<PortItem *> &ports() const { return m_ports; }

    void setLabel(const QString &label);
    void setProblems(const QStringList &messages);
    int problemCount() const { return static_cast<int>(m_problems.size()); }
    void setRunState(NodeRunState state, qint64 recordsIn, qint64 recordsOut);
    NodeRunState runState() const { return m_runState; }
    QString countersText() const;

    // Positions set from the document are taken as they are; a drag snaps to the grid.
    void setPosFromModel(QPointF position);

    void attach(EdgeItem *edge) { m_edges.push_back(edge); }
    void detach(EdgeItem *edge);

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;

private:
    void updateToolTip();
    void updateTexts(); // the elided texts the card shows, kept ready for paint

    QString m_id;
    QString m_label;
    QString m_typeName;
    QString m_description;
    QString m_titleText;
    QString m_typeText;
    QString m_countersText;
    model::NodeCategory m_category = model::NodeCategory::Transform;
    bool m_known = false;
    std::vector<PortItem *> m_ports;
    std::vector<EdgeItem *> m_edges;
    QStringList m_problems;
    NodeRunState m_runState = NodeRunState::Idle;
    qint64 m_in = 0;
    qint64 m_out = 0;
    bool m_fromModel = false;
};

} // namespace weir::ui
