#pragma once

// PipelineView: the canvas widget — zoom to the cursor (wheel, pinch, Ctrl +/-), pan (middle
// drag, or Space held with a left drag), rubber-band selection, and drops of node types from
// the palette. GUI thread.

#include <QGraphicsView>
#include <QPointF>

namespace weir::ui {

class PipelineScene;

class PipelineView final : public QGraphicsView
{
    Q_OBJECT

public:
    static constexpr qreal minZoom = 0.1;
    static constexpr qreal maxZoom = 4.0;
    static constexpr char nodeTypeMimeType[] = "application/x-weir-node-type";

    explicit PipelineView(PipelineScene *scene, QWidget *parent = nullptr);

    void zoomIn();
    void zoomOut();
    void resetZoom();
    void fitToView();
    qreal zoom() const;
    // Sets the zoom, keeping the scene point under `viewPos` where it is.
    void zoomAt(qreal zoom, QPoint viewPos);
    void centreOnNode(const QString &id);
    QPointF visibleCentre() const;
    // A palette activation (double-click, Enter): the scene places the node after the
    // selection or in free space near the middle of the view; the view scrolls to show it.
    void addNodeFromPalette(const QString &typeId);

signals:
    void zoomChanged(qreal zoom);

protected:
    void wheelEvent(QWheelEvent *event) override;
    bool viewportEvent(QEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;
    void keyReleaseEvent(QKeyEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    PipelineScene *m_scene;
    bool m_spaceHeld = false;
    bool m_panning = false;
    QPoint m_panFrom;
};

} // namespace weir::ui
