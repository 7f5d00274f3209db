#include "canvas/pipeline_scene.h"

#include "canvas/auto_layout.h"
#include "canvas/commands/add_nodes_command.h"
#include "canvas/commands/connect_command.h"
#include "canvas/commands/move_nodes_command.h"
#include "canvas/commands/remove_items_command.h"
#include "canvas/connection_rules.h"
#include "canvas/edge_item.h"
#include "canvas/node_item.h"
#include "canvas/node_placement.h"
#include "canvas/port_item.h"
#include "document/pipeline_clipboard.h"
#include "document/pipeline_document.h"

#include <QApplication>
#include <QGraphicsPathItem>
#include <QGraphicsSceneMouseEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QPalette>
#include <QToolTip>
#include <algorithm>
#include <cmath>
#include <optional>

namespace weir::ui {

namespace {

std::pair<QString, QString> edgeKey(const model::EdgeSpec &edge)
{
    return {edge.from.toString(), edge.to.toString()};
}

QPointF snapped(QPointF p)
{
    const qreal g = PipelineScene::gridSize;
    return {std::round(p.x() / g) * g, std::round(p.y() / g) * g};
}

QString baseIdFor(const QString &typeId)
{
    // "csv.source" -> "csv", "validate" -> "validate"
    return typeId.section(QLatin1Char('.'), 0, 0);
}

} // namespace

PipelineScene::PipelineScene(PipelineDocument *document, QObject *parent)
    : QGraphicsScene(parent), m_document(document)
{
    PipelineModel *model = document->model();
    connect(model, &PipelineModel::modelReset, this, &PipelineScene::rebuild);
    connect(model, &PipelineModel::nodeAdded, this, &PipelineScene::addNodeItem);
    connect(model, &PipelineModel::nodeRemoved, this, &PipelineScene::removeNodeItem);
    connect(model, &PipelineModel::edgeAdded, this, &PipelineScene::addEdgeItem);
    connect(model, &PipelineModel::edgeRemoved, this, &PipelineScene::removeEdgeItem);
    connect(model, &PipelineModel::nodeMoved, this, [this](const QString &id) {
        if (NodeItem *item = m_nodes.value(id)) {
            const model::NodeSpec *node = m_document->model()->node(id);
            item->setPosFromModel(QPointF(node->x, node->y));
        }
    });
    connect(model, &PipelineModel::nodeLabelChanged, this, [this](const QString &id) {
        if (NodeItem *item = m_nodes.value(id))
            item->setLabel(m_document->model()->node(id)->label);
    });
    rebuild();
}

PipelineScene::~PipelineScene()
{
    // Deleting the items deselects them; nobody should hear about that any more.
    blockSignals(true);
    clear();
}

void PipelineScene::rebuild()
{
    m_dragPort = nullptr;
    m_dragLine = nullptr;
    clear();
    m_nodes.clear();
    m_edges.clear();
    for (const model::NodeSpec &node : m_document->pipeline().nodes)
        addNodeItem(node.id);
    for (const model::EdgeSpec &edge : m_document->pipeline().edges)
        addEdgeItem(edge);
}

void PipelineScene::addNodeItem(const QString &id)
{
    const model::NodeSpec *node = m_document->model()->node(id);
    if (!node || m_nodes.contains(id))
        return;
    auto *item = new NodeItem(*node, m_document->registry().find(node->type));
    addItem(item);
    m_nodes.insert(id, item);
}

void PipelineScene::removeNodeItem(const QString &id)
{
    NodeItem *item = m_nodes.take(id);
    if (!item)
        return;
    m_pressPositions.erase(id);
    delete item; // its edges went first: the model removes edges before their node
}

void PipelineScene::addEdgeItem(const model::EdgeSpec &edge)
{
    NodeItem *from = m_nodes.value(edge.from.node);
    NodeItem *to = m_nodes.value(edge.to.node);
    PortItem *out = from ? from->port(edge.from.port, false) : nullptr;
    PortItem *in = to ? to->port(edge.to.port, true) : nullptr;
    if (!out || !in || m_edges.count(edgeKey(edge)))
        return; // an edge to a missing node or port: the problems panel reports it
    auto *item = new EdgeItem(edge, out, in);
    addItem(item);
    from->attach(item);
    to->attach(item);
    m_edges.emplace(edgeKey(edge), item);
}

void PipelineScene::removeEdgeItem(const model::EdgeSpec &edge)
{
    const auto it = m_edges.find(edgeKey(edge));
    if (it == m_edges.end())
        return;
    EdgeItem *item = it->second;
    m_edges.erase(it);
    if (NodeItem *from = m_nodes.value(edge.from.node))
        from->detach(item);
    if (NodeItem *to = m_nodes.value(edge.to.node))
        to->detach(item);
    delete item;
}

EdgeItem *PipelineScene::edgeItem(const model::EdgeSpec &edge) const
{
    const auto it = m_edges.find(edgeKey(edge));
    return it == m_edges.end() ? nullptr : it->second;
}

QStringList PipelineScene::selectedNodeIds() const
{
    QStringList ids;
    for (const model::NodeSpec &node : m_document->pipeline().nodes) {
        const NodeItem *item = m_nodes.value(node.id);
        if (item && item->isSelected())
            ids << node.id;
    }
    return ids;
}

std::vector<model::EdgeSpec> PipelineScene::selectedEdges() const
{
    std::vector<model::EdgeSpec> edges;
    for (const model::EdgeSpec &edge : m_document->pipeline().edges) {
        const EdgeItem *item = edgeItem(edge);
        if (item && item->isSelected())
            edges.push_back(edge);
    }
    return edges;
}

void PipelineScene::selectOnly(const QStringList &nodeIds)
{
    QSignalBlocker blocker(this);
    clearSelection();
    for (const QString &id : nodeIds) {
        if (NodeItem *item = m_nodes.value(id))
            item->setSelected(true);
    }
    blocker.unblock();
    emit selectionChanged();
}

void PipelineScene::addNode(const QString &typeId, QPointF scenePos)
{
    const model::NodeType *type = m_document->registry().find(typeId);
    if (!type)
        return;
    model::NodeSpec node;
    node.id = m_document->model()->uniqueNodeId(baseIdFor(typeId));
    node.type = typeId;
    node.label = type->displayName;
    // scenePos is where the card's centre should land.
    const QPointF topLeft = snapped(scenePos - QPointF(NodeItem::width / 2, NodeItem::height / 2));
    node.x = topLeft.x();
    node.y = topLeft.y();
    const QString id = node.id;
    m_document->undoStack()->push(
        new AddNodesCommand(m_document->model(), {std::move(node)}, {},
                            QApplication::translate("weir::ui", "Add %1").arg(type->displayName)));
    selectOnly({id});
}

QString PipelineScene::addNodeAfterSelection(const QString &typeId, QPointF near)
{
    const model::NodeType *type = m_document->registry().find(typeId);
    if (!type)
        return {};
    model::NodeSpec node;
    node.id = m_document->model()->uniqueNodeId(baseIdFor(typeId));
    node.type = typeId;
    node.label = type->displayName;
    // Only one selected node says which one to follow; with several it would be a guess.
    const QStringList selected = selectedNodeIds();
    const QString follow = selected.size() == 1 ? selected.front() : QString();
    const NodePlacement placement =
        placeNewNode(m_document->pipeline(), m_document->registry(), *type, node.id, follow, near);
    node.x = placement.topLeft.x();
    node.y = placement.topLeft.y();
    std::vector<model::EdgeSpec> edges;
    if (placement.edge)
        edges.push_back(*placement.edge);
    QString id = node.id;
    m_document->undoStack()->push(
        new AddNodesCommand(m_document->model(), {std::move(node)}, std::move(edges),
                            QApplication::translate("weir::ui", "Add %1").arg(type->displayName)));
    selectOnly({id});
    return id;
}

void PipelineScene::deleteSelection()
{
    auto *command = new RemoveItemsCommand(m_document->model(), selectedNodeIds(), selectedEdges());
    if (command->isEmpty()) {
        delete command;
        return;
    }
    m_document->undoStack()->push(command);
}

QByteArray PipelineScene::copySelectionData() const
{
    return copySelection(m_document->pipeline(), selectedNodeIds());
}

void PipelineScene::paste(const QByteArray &data, QPointF at)
{
    PipelineModel *model = m_document->model();
    PasteItems probe = preparePaste(data, *model, {});
    if (probe.nodes.empty())
        return;
    // Keep the pasted group's shape; put its top-left corner at `at`.
    QPointF origin(probe.nodes.front().x, probe.nodes.front().y);
    for (const model::NodeSpec &n : probe.nodes)
        origin = QPointF(std::min(origin.x(), n.x), std::min(origin.y(), n.y));
    PasteItems items = preparePaste(data, *model, snapped(at) - origin);
    const std::vector<model::NodeSpec> pasted = items.nodes;
    m_document->undoStack()->push(
        new AddNodesCommand(model, std::move(items.nodes), std::move(items.edges),
                            QApplication::translate("weir::ui", "Paste")));
    selectPasted(pasted);
}

void PipelineScene::duplicateSelection()
{
    const QStringList ids = selectedNodeIds();
    if (ids.isEmpty())
        return;
    PasteItems items = preparePaste(copySelectionData(), *m_document->model(),
                                    QPointF(2 * gridSize, 2 * gridSize));
    const std::vector<model::NodeSpec> pasted = items.nodes;
    m_document->undoStack()->push(
        new AddNodesCommand(m_document->model(), std::move(items.nodes), std::move(items.edges),
                            QApplication::translate("weir::ui", "Duplicate")));
    selectPasted(pasted);
}

void PipelineScene::selectPasted(const std::vector<model::NodeSpec> &nodes)
{
    QStringList ids;
    for (const model::NodeSpec &n : nodes)
        ids << n.id;
    selectOnly(ids);
}

void PipelineScene::autoLayout()
{
    std::map<QString, MoveNodesCommand::Move> moves;
    for (const auto &[id, to] : layeredLayout(m_document->pipeline())) {
        const model::NodeSpec *node = m_document->model()->node(id);
        const QPointF from(node->x, node->y);
        if (from != to)
            moves[id] = {from, to};
    }
    if (moves.empty())
        return;
    m_document->undoStack()->push(new MoveNodesCommand(
        m_document->model(), std::move(moves), QApplication::translate("weir::ui", "Arrange")));
}

void PipelineScene::alignSelection(Qt::Alignment alignment)
{
    const QStringList ids = selectedNodeIds();
    if (ids.size() < 2)
        return;
    std::vector<QPointF> at;
    for (const QString &id : ids) {
        const model::NodeSpec *n = m_document->model()->node(id);
        at.emplace_back(n->x, n->y);
    }
    const auto [minX, maxX] = std::minmax_element(
        at.begin(), at.end(), [](QPointF a, QPointF b) { return a.x() < b.x(); });
    const auto [minY, maxY] = std::minmax_element(
        at.begin(), at.end(), [](QPointF a, QPointF b) { return a.y() < b.y(); });
    const qreal left = minX->x(), right = maxX->x(), top = minY->y(), bottom = maxY->y();
    std::map<QString, MoveNodesCommand::Move> moves;
    for (int i = 0; i < ids.size(); ++i) {
        QPointF to = at[static_cast<std::size_t>(i)];
        if (alignment & Qt::AlignLeft)
            to.setX(left);
        else if (alignment & Qt::AlignRight)
            to.setX(right);
        else if (alignment & Qt::AlignHCenter)
            to.setX(std::round((left + right) / 2 / gridSize) * gridSize);
        if (alignment & Qt::AlignTop)
            to.setY(top);
        else if (alignment & Qt::AlignBottom)
            to.setY(bottom);
        else if (alignment & Qt::AlignVCenter)
            to.setY(std::round((top + bottom) / 2 / gridSize) * gridSize);
        if (to != at[static_cast<std::size_t>(i)])
            moves[ids.at(i)] = {at[static_cast<std::size_t>(i)], to};
    }
    if (!moves.empty())
        m_document->undoStack()->push(new MoveNodesCommand(
            m_document->model(), std::move(moves), QApplication::translate("weir::ui", "Align")));
}

void PipelineScene::nudgeSelection(QPointF delta)
{
    std::map<QString, MoveNodesCommand::Move> moves;
    for (const QString &id : selectedNodeIds()) {
        const model::NodeSpec *n = m_document->model()->node(id);
        const QPointF from(n->x, n->y);
        moves[id] = {from, from + delta};
    }
    if (!moves.empty())
        m_document->undoStack()->push(
            new MoveNodesCommand(m_document->model(), std::move(moves),
                                 QApplication::translate("weir::ui", "Nudge"), true));
}

bool PipelineScene::connectPorts(const model::PortRef &from, const model::PortRef &to)
{
    const QString refusal =
        connectionRefusal(m_document->pipeline(), m_document->registry(), from, to);
    if (!refusal.isEmpty()) {
        emit connectionRefused(refusal);
        return false;
    }
    m_document->undoStack()->push(new ConnectCommand(m_document->model(), {from, to}));
    return true;
}

void PipelineScene::setProblems(const std::vector<model::Problem> &problems)
{
    QHash<QString, QStringList> byNode;
    for (const model::Problem &p : problems) {
        if (!p.nodeId.isEmpty())
            byNode[p.nodeId] << (p.field.isEmpty() ? p.message
                                                   : p.field + QStringLiteral(": ") + p.message);
    }
    for (auto it = m_nodes.begin(); it != m_nodes.end(); ++it)
        it.value()->setProblems(byNode.value(it.key()));
}

void PipelineScene::setNodeRunState(const QString &id, NodeRunState state, qint64 recordsIn,
                                    qint64 recordsOut)
{
    if (NodeItem *item = m_nodes.value(id))
        item->setRunState(state, recordsIn, recordsOut);
}

void PipelineScene::clearRunStates()
{
    for (NodeItem *item : std::as_const(m_nodes))
        item->setRunState(NodeRunState::Idle, 0, 0);
    for (const auto &[key, edge] : m_edges)
        edge->setFlow(-1, 0);
}

void PipelineScene::setEdgeFlows(
    const std::function<std::pair<double, double>(const model::EdgeSpec &)> &flow)
{
    for (const auto &[key, edge] : m_edges) {
        const auto [rate, fill] = flow(edge->edge());
        edge->setFlow(rate, fill);
    }
}

PortItem *PipelineScene::portAt(QPointF scenePos) const
{
    for (QGraphicsItem *item : items(scenePos)) {
        if (item->type() == PortItem::Type)
            return static_cast<PortItem *>(item);
    }
    return nullptr;
}

void PipelineScene::markCandidates(PortItem *from)
{
    std::optional<ConnectionCheck> check;
    if (from)
        check.emplace(m_document->pipeline(), m_document->registry(), from->ref(),
                      !from->isInput());
    for (NodeItem *node : std::as_const(m_nodes)) {
        for (PortItem *port : node->ports())
            port->setCandidate(check && port->isInput() != from->isInput() &&
                               check->refusal(port->ref()).isEmpty());
    }
}

void PipelineScene::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    if (event->button() == Qt::LeftButton) {
        if (PortItem *port = portAt(event->scenePos())) {
            m_dragPort = port;
            m_dragLine = addPath(EdgeItem::curve(port->anchor(), event->scenePos()));
            QPen pen(QApplication::palette().color(QPalette::Highlight), 2, Qt::DashLine);
            pen.setCosmetic(true);
            m_dragLine->setPen(pen);
            m_dragLine->setZValue(10);
            markCandidates(port);
            event->accept();
            return;
        }
    }
    QGraphicsScene::mousePressEvent(event);
    m_pressPositions.clear();
    for (const QString &id : selectedNodeIds())
        m_pressPositions[id] = m_nodes.value(id)->pos();
}

void PipelineScene::mouseMoveEvent(QGraphicsSceneMouseEvent *event)
{
    if (m_dragPort) {
        const QPointF a = m_dragPort->anchor();
        const QPointF b = event->scenePos();
        m_dragLine->setPath(m_dragPort->isInput() ? EdgeItem::curve(b, a) : EdgeItem::curve(a, b));
        event->accept();
        return;
    }
    QGraphicsScene::mouseMoveEvent(event);
}

void PipelineScene::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    if (m_dragPort) {
        finishConnection(event->scenePos(), event->screenPos());
        event->accept();
        return;
    }
    QGraphicsScene::mouseReleaseEvent(event);
    commitDrag();
}

void PipelineScene::finishConnection(QPointF scenePos, QPoint screenPos)
{
    PortItem *from = m_dragPort;
    m_dragPort = nullptr;
    delete m_dragLine;
    m_dragLine = nullptr;
    markCandidates(nullptr);
    PortItem *target = portAt(scenePos);
    if (!target || target == from)
        return;
    const bool reversed = from->isInput();
    const model::PortRef a = reversed ? target->ref() : from->ref();
    const model::PortRef b = reversed ? from->ref() : target->ref();
    const QString refusal = connectionRefusal(m_document->pipeline(), m_document->registry(), a, b);
    if (!refusal.isEmpty()) {
        QToolTip::showText(screenPos, refusal);
        emit connectionRefused(refusal);
        return;
    }
    m_document->undoStack()->push(new ConnectCommand(m_document->model(), {a, b}));
}

void PipelineScene::commitDrag()
{
    std::map<QString, MoveNodesCommand::Move> moves;
    for (const auto &[id, from] : m_pressPositions) {
        const NodeItem *item = m_nodes.value(id);
        if (item && item->pos() != from)
            moves[id] = {from, item->pos()};
    }
    m_pressPositions.clear();
    if (moves.empty())
        return;
    const QString text =
        moves.size() == 1 ? QApplication::translate("weir::ui", "Move %1").arg(moves.begin()->first)
                          : QApplication::translate("weir::ui", "Move %1 nodes").arg(moves.size());
    m_document->undoStack()->push(
        new MoveNodesCommand(m_document->model(), std::move(moves), text));
}

void PipelineScene::keyPressEvent(QKeyEvent *event)
{
    const qreal step = event->modifiers() & Qt::ShiftModifier ? 5 * gridSize : gridSize;
    switch (event->key()) {
    case Qt::Key_Delete:
    case Qt::Key_Backspace:
        deleteSelection();
        return;
    case Qt::Key_Left:
        nudgeSelection({-step, 0});
        return;
    case Qt::Key_Right:
        nudgeSelection({step, 0});
        return;
    case Qt::Key_Up:
        nudgeSelection({0, -step});
        return;
    case Qt::Key_Down:
        nudgeSelection({0, step});
        return;
    default:
        QGraphicsScene::keyPressEvent(event);
    }
}

void PipelineScene::drawBackground(QPainter *painter, const QRectF &rect)
{
    const QPalette palette = QApplication::palette();
    painter->fillRect(rect, palette.color(QPalette::Window));
    // Dots every grid step, fewer when zoomed far out, so there are never too many to draw.
    const qreal scale = painter->worldTransform().m11();
    qreal step = gridSize;
    while (step * scale < 12)
        step *= 4;
    QColor dot = palette.color(QPalette::WindowText);
    dot.setAlphaF(0.3);
    // One-pixel aliased points take the raster engine's fast path: thousands per frame cost
    // next to nothing, where wider or smoothed dots go through the stroker.
    QPen pen(dot, 0);
    painter->setPen(pen);
    painter->setRenderHint(QPainter::Antialiasing, false);
    const qreal left = std::floor(rect.left() / step) * step;
    const qreal top = std::floor(rect.top() / step) * step;
    QVector<QPointF> points;
    for (qreal x = left; x < rect.right(); x += step) {
        for (qreal y = top; y < rect.bottom(); y += step)
            points.append(QPointF(x, y));
    }
    painter->drawPoints(points.data(), static_cast<int>(points.size()));
}

} // namespace weir::ui
