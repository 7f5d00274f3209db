// The canvas mirrors the document: one item per node and edge, updated in place; gestures
// (drag, connect, delete, paste, layout) become single undoable commands.

#include "canvas/auto_layout.h"
#include "canvas/commands/edit_config_command.h"
#include "canvas/edge_item.h"
#include "canvas/node_item.h"
#include "canvas/overview_widget.h"
#include "canvas/pipeline_scene.h"
#include "canvas/pipeline_view.h"
#include "canvas/port_item.h"
#include "document/pipeline_document.h"
#include "model/node_type_registry.h"
#include "support/test_support.h"

#include <QApplication>
#include <QDir>
#include <QLocale>
#include <QMouseEvent>
#include <QSignalSpy>
#include <QTest>

using namespace weir;
using weir::test::examplePath;
using namespace weir::ui;

namespace {

model::EdgeSpec edge(const QString &from, const QString &to)
{
    return {model::PortRef::parse(from), model::PortRef::parse(to)};
}

// Sends a mouse event to the view's viewport at a scene point, with `buttons` held.
void sendMouse(PipelineView &view, QEvent::Type type, QPointF scenePos, Qt::MouseButton button,
               Qt::MouseButtons buttons)
{
    const QPointF local = view.mapFromScene(scenePos);
    QMouseEvent event(type, local, view.viewport()->mapToGlobal(local), button, buttons,
                      Qt::NoModifier);
    QApplication::sendEvent(view.viewport(), &event);
}

void drag(PipelineView &view, QPointF from, QPointF to)
{
    sendMouse(view, QEvent::MouseButtonPress, from, Qt::LeftButton, Qt::LeftButton);
    for (int i = 1; i <= 5; ++i)
        sendMouse(view, QEvent::MouseMove, from + (to - from) * i / 5.0, Qt::NoButton,
                  Qt::LeftButton);
    sendMouse(view, QEvent::MouseButtonRelease, to, Qt::LeftButton, Qt::NoButton);
}

} // namespace

class TestPipelineScene : public QObject
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
        auto canvas = std::make_unique<Canvas>();
        if (!canvas->doc.load(examplePath()))
            return nullptr;
        canvas->view.resize(1200, 500);
        canvas->view.show();
        canvas->view.resetZoom();
        canvas->view.centerOn(480, 40);
        return canvas;
    }

    static int nodeItems(const PipelineScene &scene)
    {
        int n = 0;
        for (QGraphicsItem *item : scene.items())
            n += item->type() == NodeItem::Type ? 1 : 0;
        return n;
    }

private slots:
    void edgesShowFlowAndQueueFill()
    {
        auto c = open();
        QVERIFY(c);
        // The queue into dedupe is 3/4 full, the one into the sink full; the first edge idle.
        c->scene.setEdgeFlows([](const model::EdgeSpec &e) -> std::pair<double, double> {
            if (e.to.node == QLatin1String("latest"))
                return {1500.0, 0.75};
            if (e.to.node == QLatin1String("orders_db"))
                return {25000.0, 1.0};
            return {-1, 0};
        });
        const EdgeItem *idle = c->scene.edgeItem(edge("orders_csv.out", "check.in"));
        const EdgeItem *busy = c->scene.edgeItem(edge("check.out", "latest.in"));
        const EdgeItem *full = c->scene.edgeItem(edge("latest.out", "orders_db.in"));
        QVERIFY(idle && busy && full);
        QVERIFY(!idle->hasFlow());
        QVERIFY(busy->hasFlow());
        QCOMPARE(busy->queueFill(), 0.75);
        const QString rate = QLocale().toString(1500.0, 'f', 0); // "1,500" in English
        QVERIFY2(busy->toolTip().endsWith(rate + QStringLiteral("/s · queue 75 %")),
                 qPrintable(busy->toolTip()));
        QVERIFY2(full->toolTip().endsWith(QStringLiteral("25k/s · queue 100 %")),
                 qPrintable(full->toolTip()));
        QCOMPARE(EdgeItem::fillColor(0.2), QColor(0x2e, 0x9e, 0x6b));
        QCOMPARE(EdgeItem::fillColor(0.75), QColor(0xc7, 0x7c, 0x02));
        QCOMPARE(EdgeItem::fillColor(1.0), QColor(0xd0, 0x3b, 0x3b));
        c->scene.clearRunStates();
        QVERIFY(!busy->hasFlow() && !full->hasFlow());
        QCOMPARE(busy->toolTip(), QStringLiteral("check.out → latest.in"));
    }

    void mirrorsTheDocument()
    {
        auto c = open();
        QVERIFY(c);
        QCOMPARE(nodeItems(c->scene), 4);
        QCOMPARE(c->scene.edgeItemCount(), 3);
        for (const model::EdgeSpec &e : c->doc.pipeline().edges)
            QVERIFY(c->scene.edgeItem(e));
        QCOMPARE(c->scene.nodeItem(QStringLiteral("latest"))->pos(), QPointF(480, 0));
    }

    void deleteRemovesEdgesAndUndoRestoresThem()
    {
        auto c = open();
        QVERIFY(c);
        const QByteArray before = c->doc.toJson();
        c->scene.selectOnly({QStringLiteral("check")});
        c->scene.deleteSelection();
        QCOMPARE(nodeItems(c->scene), 3);
        QCOMPARE(c->scene.edgeItemCount(), 1);
        QVERIFY(!c->scene.nodeItem(QStringLiteral("check")));
        c->doc.undoStack()->undo();
        QCOMPARE(nodeItems(c->scene), 4);
        QCOMPARE(c->scene.edgeItemCount(), 3);
        QVERIFY(c->scene.edgeItem(edge("orders_csv.out", "check.in")));
        QCOMPARE(c->doc.toJson(), before);
    }

    void edgeDrawnByDragging()
    {
        auto c = open();
        QVERIFY(c);
        c->scene.selectOnly({QStringLiteral("check")});
        c->scene.deleteSelection(); // leaves orders_csv and latest unconnected
        QCOMPARE(c->doc.undoStack()->count(), 1);
        const QPointF out = c->scene.nodeItem(QStringLiteral("orders_csv"))
                                ->port(QStringLiteral("out"), false)
                                ->anchor();
        const QPointF in =
            c->scene.nodeItem(QStringLiteral("latest"))->port(QStringLiteral("in"), true)->anchor();
        drag(c->view, out, in);
        QCOMPARE(c->doc.undoStack()->count(), 2);
        QCOMPARE(c->doc.pipeline().edges.back(), edge("orders_csv.out", "latest.in"));
        QVERIFY(c->scene.edgeItem(edge("orders_csv.out", "latest.in")));
    }

    void refusedConnectionSaysWhy()
    {
        auto c = open();
        QVERIFY(c);
        QSignalSpy refused(&c->scene, &PipelineScene::connectionRefused);
        // latest.out -> check.in would close a loop (check already feeds latest).
        const QPointF out = c->scene.nodeItem(QStringLiteral("latest"))
                                ->port(QStringLiteral("out"), false)
                                ->anchor();
        const QPointF in =
            c->scene.nodeItem(QStringLiteral("check"))->port(QStringLiteral("in"), true)->anchor();
        drag(c->view, out, in);
        QCOMPARE(refused.count(), 1);
        QVERIFY2(refused.first().first().toString().contains(QStringLiteral("loop")),
                 qPrintable(refused.first().first().toString()));
        QCOMPARE(c->doc.pipeline().edges.size(), std::size_t(3));
        QCOMPARE(c->doc.undoStack()->count(), 0);
        // Into the same node, and a duplicate, are refused too.
        QVERIFY(!c->scene.connectPorts(model::PortRef::parse(QStringLiteral("check.out")),
                                       model::PortRef::parse(QStringLiteral("check.in"))));
        QVERIFY(!c->scene.connectPorts(model::PortRef::parse(QStringLiteral("check.out")),
                                       model::PortRef::parse(QStringLiteral("latest.in"))));
        QCOMPARE(refused.count(), 3);
    }

    void configEditDoesNotRebuild()
    {
        auto c = open();
        QVERIFY(c);
        QList<QGraphicsItem *> before = c->scene.items();
        std::sort(before.begin(), before.end());
        c->doc.undoStack()->push(new EditConfigCommand(c->doc.model(), QStringLiteral("orders_db"),
                                                       QStringLiteral("table"),
                                                       QStringLiteral("orders_v2")));
        QList<QGraphicsItem *> after = c->scene.items();
        std::sort(after.begin(), after.end());
        QCOMPARE(after, before);
    }

    void draggedNodeSnapsAndIsOneStep()
    {
        auto c = open();
        QVERIFY(c);
        NodeItem *item = c->scene.nodeItem(QStringLiteral("latest"));
        const QPointF grab = item->sceneBoundingRect().center() + QPointF(0, 10);
        drag(c->view, grab, grab + QPointF(33, 47));
        QCOMPARE(c->doc.undoStack()->count(), 1);
        const model::NodeSpec *node = c->doc.pipeline().node(QStringLiteral("latest"));
        QCOMPARE(QPointF(node->x, node->y), QPointF(520, 40)); // 480+33, 0+47 on a 20 grid
        QCOMPARE(item->pos(), QPointF(520, 40));
        // The edges followed.
        QCOMPARE(c->scene.edgeItem(edge("check.out", "latest.in"))->path().currentPosition().y(),
                 item->port(QStringLiteral("in"), true)->anchor().y());
        c->doc.undoStack()->undo();
        QCOMPARE(item->pos(), QPointF(480, 0));
    }

    void autoLayoutGoesLeftToRightAndUndoes()
    {
        auto c = open();
        QVERIFY(c);
        // Scramble, then arrange.
        c->scene.selectOnly({QStringLiteral("orders_db")});
        c->scene.nudgeSelection({-900, 300});
        const QByteArray scrambled = c->doc.toJson();
        c->scene.autoLayout();
        const model::Pipeline &p = c->doc.pipeline();
        for (const model::EdgeSpec &e : p.edges)
            QVERIFY(p.node(e.to.node)->x > p.node(e.from.node)->x);
        c->doc.undoStack()->undo();
        QCOMPARE(c->doc.toJson(), scrambled);
        // A fan-out gets one row per branch in the second column.
        model::Pipeline fan;
        for (const char *id : {"a", "b", "c"})
            fan.nodes.push_back({QLatin1String(id), QStringLiteral("filter"), {}, {}, 0, 0});
        fan.edges = {edge("a.out", "b.in"), edge("a.out", "c.in")};
        const auto at = layeredLayout(fan);
        QCOMPARE(at.at(QStringLiteral("b")).x(), at.at(QStringLiteral("c")).x());
        QVERIFY(at.at(QStringLiteral("b")).y() != at.at(QStringLiteral("c")).y());
        QVERIFY(at.at(QStringLiteral("a")).x() < at.at(QStringLiteral("b")).x());
    }

    void pasteAndDuplicateSelectNewNodes()
    {
        auto c = open();
        QVERIFY(c);
        c->scene.selectOnly({QStringLiteral("check"), QStringLiteral("latest")});
        const QByteArray copied = c->scene.copySelectionData();
        c->scene.paste(copied, QPointF(100, 300));
        QCOMPARE(c->scene.selectedNodeIds(), QStringList({"check_2", "latest_2"}));
        QVERIFY(c->scene.edgeItem(edge("check_2.out", "latest_2.in")));
        QCOMPARE(c->scene.nodeItem(QStringLiteral("check_2"))->pos(), QPointF(100, 300));
        c->scene.duplicateSelection();
        QCOMPARE(c->scene.selectedNodeIds(), QStringList({"check_3", "latest_3"}));
        QCOMPARE(nodeItems(c->scene), 8);
        c->doc.undoStack()->undo();
        c->doc.undoStack()->undo();
        QCOMPARE(nodeItems(c->scene), 4);
    }

    void addNodeFromThePalette()
    {
        auto c = open();
        QVERIFY(c);
        c->scene.addNode(QStringLiteral("csv.source"), QPointF(300, 300));
        QCOMPARE(c->scene.selectedNodeIds(), QStringList({"csv"}));
        const model::NodeSpec *node = c->doc.pipeline().node(QStringLiteral("csv"));
        QCOMPARE(node->label, QStringLiteral("CSV file"));
        QCOMPARE(std::fmod(node->x, PipelineScene::gridSize), 0.0);
    }

    void overviewClickMovesTheCanvas()
    {
        auto c = open();
        QVERIFY(c);
        OverviewWidget overview(&c->view);
        overview.resize(240, 160);
        overview.show();
        QVERIFY(QTest::qWaitForWindowExposed(&overview));
        c->view.zoomAt(2.0, c->view.viewport()->rect().center());
        const QPointF target =
            c->scene.nodeItem(QStringLiteral("orders_db"))->sceneBoundingRect().center();
        QTest::mouseClick(overview.viewport(), Qt::LeftButton, {}, overview.mapFromScene(target));
        const QPointF centre = c->view.visibleCentre();
        // Within one overview pixel (the overview shows the scene at a small scale).
        const qreal pixel = 1.0 / overview.transform().m11();
        QVERIFY2(std::abs(centre.x() - target.x()) <= pixel &&
                     std::abs(centre.y() - target.y()) <= pixel,
                 qPrintable(QStringLiteral("%1,%2").arg(centre.x()).arg(centre.y())));
        QVERIFY(overview.visibleArea().contains(target));
    }

    void followsADarkPalette()
    {
        const QPalette light = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x2b, 0x2b, 0x2b));
        dark.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
        dark.setColor(QPalette::Base, QColor(0x35, 0x35, 0x35));
        dark.setColor(QPalette::Text, QColor(0xee, 0xee, 0xee));
        dark.setColor(QPalette::Mid, QColor(0x70, 0x70, 0x70));
        dark.setColor(QPalette::Highlight, QColor(0x3d, 0x8e, 0xd9));
        QApplication::setPalette(dark);
        auto c = open();
        QVERIFY(c);
        c->scene.setNodeRunState(QStringLiteral("check"), NodeRunState::Finished, 200, 188);
        c->view.fitToView();
        const QImage image = c->view.grab().toImage();
        QApplication::setPalette(light);
        // The canvas background is the dark window colour, not a light default.
        QCOMPARE(image.pixelColor(2, 2).lightness() < 80, true);
        const QDir out(QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots"));
        QDir().mkpath(out.path());
        QVERIFY(image.save(out.filePath(QStringLiteral("canvas_dark.png"))));
    }

    void badgesCountersAndScreenshot()
    {
        auto c = open();
        QVERIFY(c);
        model::Problem a;
        a.nodeId = QStringLiteral("orders_db");
        a.field = QStringLiteral("table");
        a.message = QStringLiteral("missing");
        model::Problem b = a;
        b.field = QStringLiteral("key");
        c->scene.setProblems({a, b});
        QCOMPARE(c->scene.nodeItem(QStringLiteral("orders_db"))->problemCount(), 2);
        QCOMPARE(c->scene.nodeItem(QStringLiteral("check"))->problemCount(), 0);
        c->scene.setNodeRunState(QStringLiteral("check"), NodeRunState::Running, 1200, 1188);
        QCOMPARE(c->scene.nodeItem(QStringLiteral("check"))->countersText(),
                 QStringLiteral("in %1 · out %2")
                     .arg(QLocale().toString(1200), QLocale().toString(1188)));
        c->scene.selectOnly({QStringLiteral("latest")});
        c->view.fitToView();
        const QDir out(QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots"));
        QDir().mkpath(out.path());
        QVERIFY(c->view.grab().save(out.filePath(QStringLiteral("canvas.png"))));
    }
};

QTEST_MAIN(TestPipelineScene)
#include "tst_pipeline_scene.moc"
