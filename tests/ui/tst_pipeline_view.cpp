// The canvas view: zoom keeps the point under the cursor, limits hold, panning moves the
// view and not the nodes, the rubber band selects, and palette drops add nodes.

#include "canvas/node_item.h"
#include "canvas/pipeline_scene.h"
#include "canvas/pipeline_view.h"
#include "document/pipeline_document.h"
#include "model/node_type_registry.h"
#include "support/test_support.h"

#include <QApplication>
#include <QMimeData>
#include <QMouseEvent>
#include <QTest>
#include <QWheelEvent>

using namespace weir;
using namespace weir::ui;

namespace {

void sendMouse(QWidget *target, QEvent::Type type, QPoint pos, Qt::MouseButton button,
               Qt::MouseButtons buttons, Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QMouseEvent event(type, QPointF(pos), QPointF(target->mapToGlobal(pos)), button, buttons,
                      modifiers);
    QApplication::sendEvent(target, &event);
}

} // namespace

class TestPipelineView : public QObject
{
    Q_OBJECT

private:
    struct Canvas
    {
        PipelineDocument doc{model::NodeTypeRegistry::builtin()};
        PipelineScene scene{&doc};
        PipelineView view{&scene};
    };

    std::unique_ptr<Canvas> open()
    {
        auto c = std::make_unique<Canvas>();
        if (!c->doc.load(weir::test::examplePath()))
            return nullptr;
        c->view.resize(1000, 500);
        c->view.show();
        if (!QTest::qWaitForWindowExposed(&c->view))
            return nullptr;
        c->view.resetZoom();
        c->view.centerOn(480, 40);
        return c;
    }

private slots:
    void wheelZoomsTowardsTheCursor()
    {
        auto c = open();
        QVERIFY(c);
        const QPoint cursor(200, 120);
        const QPointF before = c->view.mapToScene(cursor);
        QWheelEvent wheel(QPointF(cursor), QPointF(c->view.viewport()->mapToGlobal(cursor)),
                          QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase,
                          false);
        QApplication::sendEvent(c->view.viewport(), &wheel);
        QVERIFY(c->view.zoom() > 1.0);
        const QPointF after = c->view.mapToScene(cursor);
        QVERIFY2(QLineF(before, after).length() < 1.0,
                 qPrintable(QStringLiteral("moved %1").arg(QLineF(before, after).length())));
    }

    void zoomStaysWithinLimits()
    {
        auto c = open();
        QVERIFY(c);
        for (int i = 0; i < 40; ++i)
            c->view.zoomIn();
        QCOMPARE(c->view.zoom(), PipelineView::maxZoom);
        for (int i = 0; i < 60; ++i)
            c->view.zoomOut();
        QCOMPARE(c->view.zoom(), PipelineView::minZoom);
        c->view.resetZoom();
        QCOMPARE(c->view.zoom(), 1.0);
        c->view.fitToView();
        for (const model::NodeSpec &n : c->doc.pipeline().nodes) {
            const QRectF card = c->scene.nodeItem(n.id)->sceneBoundingRect();
            QVERIFY(c->view.mapToScene(c->view.viewport()->rect()).boundingRect().contains(card));
        }
    }

    void middleDragAndSpaceDragPanWithoutMovingNodes()
    {
        auto c = open();
        QVERIFY(c);
        QWidget *vp = c->view.viewport();
        const QPointF centre = c->view.visibleCentre();
        const QPoint on = c->view.mapFromScene(
            c->scene.nodeItem(QStringLiteral("check"))->sceneBoundingRect().center());
        sendMouse(vp, QEvent::MouseButtonPress, on, Qt::MiddleButton, Qt::MiddleButton);
        sendMouse(vp, QEvent::MouseMove, on + QPoint(-100, -50), Qt::NoButton, Qt::MiddleButton);
        sendMouse(vp, QEvent::MouseButtonRelease, on + QPoint(-100, -50), Qt::MiddleButton,
                  Qt::NoButton);
        QCOMPARE(c->view.visibleCentre(), centre + QPointF(100, 50));

        QTest::keyPress(&c->view, Qt::Key_Space);
        sendMouse(vp, QEvent::MouseButtonPress, on, Qt::LeftButton, Qt::LeftButton);
        sendMouse(vp, QEvent::MouseMove, on + QPoint(40, 0), Qt::NoButton, Qt::LeftButton);
        sendMouse(vp, QEvent::MouseButtonRelease, on + QPoint(40, 0), Qt::LeftButton, Qt::NoButton);
        QTest::keyRelease(&c->view, Qt::Key_Space);
        QCOMPARE(c->view.visibleCentre(), centre + QPointF(60, 50));
        QCOMPARE(c->doc.undoStack()->count(), 0); // nothing moved in the document
        QCOMPARE(c->scene.nodeItem(QStringLiteral("check"))->pos(), QPointF(240, 0));
    }

    void rubberBandSelects()
    {
        auto c = open();
        QVERIFY(c);
        QWidget *vp = c->view.viewport();
        // A band from empty canvas above "check" down across "check" and "latest".
        const QPoint from = c->view.mapFromScene(QPointF(230, -60));
        const QPoint to = c->view.mapFromScene(QPointF(500, 40));
        sendMouse(vp, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
        for (int i = 1; i <= 4; ++i)
            sendMouse(vp, QEvent::MouseMove, from + (to - from) * i / 4, Qt::NoButton,
                      Qt::LeftButton);
        sendMouse(vp, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
        QCOMPARE(c->scene.selectedNodeIds(), QStringList({"check", "latest"}));
    }

    void paletteDropAddsANode()
    {
        auto c = open();
        QVERIFY(c);
        QMimeData mime;
        mime.setData(QLatin1String(PipelineView::nodeTypeMimeType), "jsonl.source");
        const QPoint at(300, 400);
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(c->view.viewport(), &enter);
        QVERIFY(enter.isAccepted());
        QDragMoveEvent move(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(c->view.viewport(), &move);
        QDropEvent drop(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(c->view.viewport(), &drop);
        const model::NodeSpec *node = c->doc.pipeline().node(QStringLiteral("jsonl"));
        QVERIFY(node);
        QCOMPARE(node->type, QStringLiteral("jsonl.source"));
        // The card is centred (to the grid) on the drop point.
        const QPointF centre =
            c->scene.nodeItem(QStringLiteral("jsonl"))->sceneBoundingRect().center();
        const QPointF dropped = c->view.mapToScene(at);
        QVERIFY(std::abs(centre.x() - dropped.x()) <= PipelineScene::gridSize);
        QVERIFY(std::abs(centre.y() - dropped.y()) <= PipelineScene::gridSize);
        QCOMPARE(c->scene.selectedNodeIds(), QStringList({"jsonl"}));
    }
};

QTEST_MAIN(TestPipelineView)
#include "tst_pipeline_view.moc"
