#pragma once

// PipelineScene: the canvas's scene, a mirror of the document. It keeps one NodeItem per node
// and one EdgeItem per edge (maps id -> item) and follows the model's signals, updating only
// what changed. Items never change the model: gestures (drag, connect, delete, paste, layout)
// become commands on the document's undo stack. GUI thread.

#include "canvas/node_run_state.h"
#include "model/pipeline.h"

#include <QGraphicsScene>
#include <QHash>
#include <QPointF>
#include <QStringList>
#include <functional>
#include <map>
#include <vector>

class QGraphicsPathItem;

namespace weir::ui {

class EdgeItem;
class NodeItem;
class PipelineDocument;
class PortItem;

class PipelineScene final : public QGraphicsScene
{
    Q_OBJECT

public:
    static constexpr qreal gridSize = 20;

    explicit PipelineScene(PipelineDocument *document, QObject *parent = nullptr);
    ~PipelineScene() override;

    PipelineDocument *document() const { return m_document; }
    QStringList selectedNodeIds() const; // in document order
    std::vector<model::EdgeSpec> selectedEdges() const;
    void selectOnly(const QStringList &nodeIds);
    NodeItem *nodeItem(const QString &id) const { return m_nodes.value(id); }
    EdgeItem *edgeItem(const model::EdgeSpec &edge) const;
    int edgeItemCount() const { return static_cast<int>(m_edges.size()); }

    // Gestures: each pushes one undoable command.
    void addNode(const QString &typeId, QPointF scenePos);
    // A node from a palette activation: after the one selected node (see placeNewNode), with
    // the edge from it when the ports fit, or in free space near `near`. The new node becomes
    // the selection, so activations in a row build a chain. Returns its id (empty: none).
    QString addNodeAfterSelection(const QString &typeId, QPointF near);
    void deleteSelection();
    QByteArray copySelectionData() const;
    void paste(const QByteArray &data, QPointF at);
    void duplicateSelection();
    void autoLayout();
    void alignSelection(Qt::Alignment alignment);
    void nudgeSelection(QPointF delta);
    // Tries to connect two ports as a drop would; false (and connectionRefused) when refused.
    bool connectPorts(const model::PortRef &from, const model::PortRef &to);

    void setProblems(const std::vector<model::Problem> &problems);
    void setNodeRunState(const QString &id, NodeRunState state, qint64 recordsIn,
                         qint64 recordsOut);
    void clearRunStates();
    // Live flow on every edge in one pass (see EdgeItem::setFlow): `flow` gives an edge's
    // records/s and queue fill, or a negative rate for none.
    void
    setEdgeFlows(const std::function<std::pair<double, double>(const model::EdgeSpec &)> &flow);

signals:
    void connectionRefused(const QString &reason);

protected:
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseMoveEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void drawBackground(QPainter *painter, const QRectF &rect) override;

private:
    void rebuild();
    void addNodeItem(const QString &id);
    void removeNodeItem(const QString &id);
    void addEdgeItem(const model::EdgeSpec &edge);
    void removeEdgeItem(const model::EdgeSpec &edge);
    PortItem *portAt(QPointF scenePos) const;
    void markCandidates(PortItem *from);
    void finishConnection(QPointF scenePos, QPoint screenPos);
    void commitDrag();
    void selectPasted(const std::vector<model::NodeSpec> &nodes);

    PipelineDocument *m_document;
    QHash<QString, NodeItem *> m_nodes;
    std::map<std::pair<QString, QString>, EdgeItem *> m_edges; // (from, to) as text
    // Edge being drawn.
    PortItem *m_dragPort = nullptr;
    QGraphicsPathItem *m_dragLine = nullptr;
    // Node drag: where the selected nodes were when the press began.
    std::map<QString, QPointF> m_pressPositions;
};

} // namespace weir::ui
