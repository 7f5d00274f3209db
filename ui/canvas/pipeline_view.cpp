#include "canvas/pipeline_view.h"

#include "canvas/node_item.h"
#include "canvas/pipeline_scene.h"

#include <QKeyEvent>
#include <QMimeData>
#include <QMouseEvent>
#include <QNativeGestureEvent>
#include <QScrollBar>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>

namespace weir::ui {

namespace {
constexpr qreal kStep = 1.25;
}

PipelineView::PipelineView(PipelineScene *scene, QWidget *parent)
    : QGraphicsView(scene, parent), m_scene(scene)
{
    setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    setDragMode(RubberBandDrag);
    setRubberBandSelectionMode(Qt::IntersectsItemShape);
    setTransformationAnchor(NoAnchor);
    setResizeAnchor(AnchorViewCenter);
    setViewportUpdateMode(SmartViewportUpdate);
    setOptimizationFlags(DontSavePainterState);
    setAcceptDrops(true);
    setFocusPolicy(Qt::StrongFocus);
    // Panning is a drag (middle button, or Space with the left); scroll bars only take room.
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setFrameShape(QFrame::NoFrame);
    // A generous scene rect so there is always room to pan and to drop new nodes.
    setSceneRect(-20000, -20000, 40000, 40000);
    centerOn(0, 0);
}

qreal PipelineView::zoom() const
{
    return transform().m11();
}

void PipelineView::zoomAt(qreal target, QPoint viewPos)
{
    target = std::clamp(target, minZoom, maxZoom);
    const qreal factor = target / zoom();
    if (std::abs(factor - 1.0) < 1e-9)
        return;
    const QPointF before = mapToScene(viewPos);
    scale(factor, factor);
    const QPointF after = mapToScene(viewPos);
    const QPointF shift = (after - before) * zoom();
    horizontalScrollBar()->setValue(horizontalScrollBar()->value() - qRound(shift.x()));
    verticalScrollBar()->setValue(verticalScrollBar()->value() - qRound(shift.y()));
    emit zoomChanged(zoom());
}

void PipelineView::zoomIn()
{
    zoomAt(zoom() * kStep, viewport()->rect().center());
}

void PipelineView::zoomOut()
{
    zoomAt(zoom() / kStep, viewport()->rect().center());
}

void PipelineView::resetZoom()
{
    zoomAt(1.0, viewport()->rect().center());
}

void PipelineView::fitToView()
{
    QRectF bounds;
    for (QGraphicsItem *item : m_scene->items()) {
        if (item->type() == NodeItem::Type)
            bounds |= item->sceneBoundingRect();
    }
    if (bounds.isEmpty()) {
        resetZoom();
        centerOn(0, 0);
        return;
    }
    bounds.adjust(-60, -60, 60, 60);
    const qreal fit =
        std::min(viewport()->width() / bounds.width(), viewport()->height() / bounds.height());
    const qreal target = std::clamp(std::min(fit, 1.0), minZoom, maxZoom);
    setTransform(QTransform::fromScale(target, target));
    centerOn(bounds.center());
    emit zoomChanged(zoom());
}

void PipelineView::centreOnNode(const QString &id)
{
    if (const NodeItem *item = m_scene->nodeItem(id))
        centerOn(item->sceneBoundingRect().center());
}

QPointF PipelineView::visibleCentre() const
{
    return mapToScene(viewport()->rect().center());
}

void PipelineView::addNodeFromPalette(const QString &typeId)
{
    const QString id = m_scene->addNodeAfterSelection(typeId, visibleCentre());
    if (const NodeItem *item = m_scene->nodeItem(id))
        ensureVisible(item);
}

void PipelineView::wheelEvent(QWheelEvent *event)
{
    const qreal degrees = event->angleDelta().y() / 8.0;
    if (degrees == 0) {
        QGraphicsView::wheelEvent(event);
        return;
    }
    zoomAt(zoom() * std::pow(kStep, degrees / 15.0), event->position().toPoint());
    event->accept();
}

bool PipelineView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::NativeGesture) {
        auto *gesture = static_cast<QNativeGestureEvent *>(event);
        if (gesture->gestureType() == Qt::ZoomNativeGesture) {
            zoomAt(zoom() * (1.0 + gesture->value()),
                   viewport()->mapFromGlobal(gesture->globalPosition().toPoint()));
            return true;
        }
    }
    return QGraphicsView::viewportEvent(event);
}

void PipelineView::mousePressEvent(QMouseEvent *event)
{
    const bool pan =
        event->button() == Qt::MiddleButton || (event->button() == Qt::LeftButton && m_spaceHeld);
    if (pan) {
        m_panning = true;
        m_panFrom = event->position().toPoint();
        viewport()->setCursor(Qt::ClosedHandCursor);
        event->accept();
        return;
    }
    QGraphicsView::mousePressEvent(event);
}

void PipelineView::mouseMoveEvent(QMouseEvent *event)
{
    if (m_panning) {
        const QPoint now = event->position().toPoint();
        const QPoint delta = now - m_panFrom;
        m_panFrom = now;
        horizontalScrollBar()->setValue(horizontalScrollBar()->value() - delta.x());
        verticalScrollBar()->setValue(verticalScrollBar()->value() - delta.y());
        event->accept();
        return;
    }
    QGraphicsView::mouseMoveEvent(event);
}

void PipelineView::mouseReleaseEvent(QMouseEvent *event)
{
    if (m_panning) {
        m_panning = false;
        viewport()->setCursor(m_spaceHeld ? Qt::OpenHandCursor : Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::mouseReleaseEvent(event);
}

void PipelineView::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = true;
        viewport()->setCursor(Qt::OpenHandCursor);
        event->accept();
        return;
    }
    if (event->modifiers() & Qt::ControlModifier) {
        if (event->key() == Qt::Key_Plus || event->key() == Qt::Key_Equal) {
            zoomIn();
            return;
        }
        if (event->key() == Qt::Key_Minus) {
            zoomOut();
            return;
        }
    }
    QGraphicsView::keyPressEvent(event);
}

void PipelineView::keyReleaseEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_Space && !event->isAutoRepeat()) {
        m_spaceHeld = false;
        if (!m_panning)
            viewport()->setCursor(Qt::ArrowCursor);
        event->accept();
        return;
    }
    QGraphicsView::keyReleaseEvent(event);
}

void PipelineView::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasFormat(QLatin1String(nodeTypeMimeType)))
        event->acceptProposedAction();
    else
        QGraphicsView::dragEnterEvent(event);
}

void PipelineView::dragMoveEvent(QDragMoveEvent *event)
{
    if (event->mimeData()->hasFormat(QLatin1String(nodeTypeMimeType)))
        event->acceptProposedAction();
    else
        QGraphicsView::dragMoveEvent(event);
}

void PipelineView::dropEvent(QDropEvent *event)
{
    const QMimeData *mime = event->mimeData();
    if (!mime->hasFormat(QLatin1String(nodeTypeMimeType))) {
        QGraphicsView::dropEvent(event);
        return;
    }
    const QString typeId = QString::fromUtf8(mime->data(QLatin1String(nodeTypeMimeType)));
    m_scene->addNode(typeId, mapToScene(event->position().toPoint()));
    event->acceptProposedAction();
    setFocus();
}

} // namespace weir::ui
