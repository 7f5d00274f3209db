#pragma once

// OverviewWidget: a minimap of the whole pipeline with the part the canvas shows outlined;
// clicking or dragging in it moves the canvas there. It draws the same scene at a small
// scale, so it needs no model of its own. GUI thread.

#include <QGraphicsView>
#include <QTimer>

namespace weir::ui {

class PipelineView;

class OverviewWidget final : public QGraphicsView
{
    Q_OBJECT

public:
    explicit OverviewWidget(PipelineView *canvas, QWidget *parent = nullptr);

    QSize sizeHint() const override { return {240, 160}; }
    // The canvas's visible area, in scene coordinates.
    QRectF visibleArea() const;

protected:
    void drawForeground(QPainter *painter, const QRectF &rect) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;

private:
    void refit();

    PipelineView *m_canvas;
    QTimer m_refit; // coalesces scene changes into one refit
};

} // namespace weir::ui
