#include "canvas/overview_widget.h"

#include "canvas/node_item.h"
#include "canvas/pipeline_view.h"

#include <QMouseEvent>
#include <QPalette>
#include <QScrollBar>

namespace weir::ui {

OverviewWidget::OverviewWidget(PipelineView *canvas, QWidget *parent)
    : QGraphicsView(canvas->scene(), parent), m_canvas(canvas)
{
    setInteractive(false); // a map, not a second canvas: no selecting or dragging items
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setRenderHint(QPainter::Antialiasing, false);
    setFrameShape(QFrame::NoFrame);
    setCursor(Qt::PointingHandCursor);
    setToolTip(tr("Click or drag to move the canvas there"));
    m_refit.setSingleShot(true);
    m_refit.setInterval(100);
    connect(&m_refit, &QTimer::timeout, this, &OverviewWidget::refit);
    connect(scene(), &QGraphicsScene::changed, this, [this] { m_refit.start(); });
    // The outline follows the canvas as it scrolls and zooms.
    const auto follow = [this] { viewport()->update(); };
    connect(canvas->horizontalScrollBar(), &QScrollBar::valueChanged, this, follow);
    connect(canvas->verticalScrollBar(), &QScrollBar::valueChanged, this, follow);
    connect(canvas, &PipelineView::zoomChanged, this, follow);
    refit();
}

QRectF OverviewWidget::visibleArea() const
{
    return m_canvas->mapToScene(m_canvas->viewport()->rect()).boundingRect();
}

void OverviewWidget::refit()
{
    QRectF bounds;
    for (QGraphicsItem *item : scene()->items()) {
        if (item->type() == NodeItem::Type)
            bounds |= item->sceneBoundingRect();
    }
    if (bounds.isEmpty())
        bounds = QRectF(-400, -300, 800, 600);
    setSceneRect(bounds.adjusted(-200, -200, 200, 200));
    fitInView(sceneRect(), Qt::KeepAspectRatio);
    viewport()->update();
}

void OverviewWidget::drawForeground(QPainter *painter, const QRectF &)
{
    QColor fill = palette().color(QPalette::Highlight);
    fill.setAlphaF(0.15);
    QPen pen(palette().color(QPalette::Highlight), 2);
    pen.setCosmetic(true);
    painter->setPen(pen);
    painter->setBrush(fill);
    painter->drawRect(visibleArea());
}

void OverviewWidget::mousePressEvent(QMouseEvent *event)
{
    m_canvas->centerOn(mapToScene(event->position().toPoint()));
    event->accept();
}

void OverviewWidget::mouseMoveEvent(QMouseEvent *event)
{
    if (event->buttons() & Qt::LeftButton)
        m_canvas->centerOn(mapToScene(event->position().toPoint()));
    event->accept();
}

void OverviewWidget::resizeEvent(QResizeEvent *event)
{
    QGraphicsView::resizeEvent(event);
    refit();
}

} // namespace weir::ui
