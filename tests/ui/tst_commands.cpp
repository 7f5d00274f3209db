// Undo commands: each one's undo gives back byte-identical saved JSON and redo gives the
// edited JSON again; deletes take their edges along and undo restores them in place.

#include "canvas/commands/add_nodes_command.h"
#include "canvas/commands/connect_command.h"
#include "canvas/commands/edit_config_command.h"
#include "canvas/commands/move_nodes_command.h"
#include "canvas/commands/remove_items_command.h"
#include "canvas/commands/rename_node_command.h"
#include "document/pipeline_clipboard.h"
#include "document/pipeline_document.h"
#include "model/node_type_registry.h"
#include "support/test_support.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <functional>

using namespace weir;
using weir::test::examplePath;
using namespace weir::ui;

namespace {

model::NodeSpec filterNode(const QString &id)
{
    model::NodeSpec node;
    node.id = id;
    node.type = QStringLiteral("filter");
    node.label = QStringLiteral("Only paid");
    node.config.insert(QStringLiteral("where"), QStringLiteral("status = 'paid'"));
    node.x = 100;
    node.y = 200;
    return node;
}

model::EdgeSpec edge(const QString &from, const QString &to)
{
    return {model::PortRef::parse(from), model::PortRef::parse(to)};
}

using MakeCommand = std::function<QUndoCommand *(PipelineModel *)>;

} // namespace

Q_DECLARE_METATYPE(MakeCommand)

class TestCommands : public QObject
{
    Q_OBJECT

private slots:
    void undoRedoIsByteIdentical_data();
    void undoRedoIsByteIdentical();
    void deleteTakesEdgesAndUndoRestoresThem();
    void configEditsMergePerField();
    void typingBackToTheStartLeavesNothingToUndo();
    void nudgesMergeButDragsDoNot();
    void pasteRenamesClashingIdsAndKeepsInnerEdges();
    void modifiedFollowsTheUndoStack();
    void loadRefusesAnUnknownFormat();
};

void TestCommands::undoRedoIsByteIdentical_data()
{
    QTest::addColumn<MakeCommand>("make");
    QTest::newRow("add node") << MakeCommand([](PipelineModel *m) {
        return new AddNodesCommand(m, {filterNode(QStringLiteral("paid"))}, {},
                                   QStringLiteral("Add"));
    });
    QTest::newRow("delete middle node") << MakeCommand(
        [](PipelineModel *m) { return new RemoveItemsCommand(m, {QStringLiteral("check")}, {}); });
    QTest::newRow("delete first and last") << MakeCommand([](PipelineModel *m) {
        return new RemoveItemsCommand(
            m, {QStringLiteral("orders_csv"), QStringLiteral("orders_db")}, {});
    });
    QTest::newRow("disconnect") << MakeCommand([](PipelineModel *m) {
        return new RemoveItemsCommand(m, {}, {edge("check.out", "latest.in")});
    });
    QTest::newRow("connect") << MakeCommand([](PipelineModel *m) {
        return new ConnectCommand(m, edge("orders_csv.out", "orders_db.in"));
    });
    QTest::newRow("move") << MakeCommand([](PipelineModel *m) {
        return new MoveNodesCommand(
            m, {{QStringLiteral("latest"), {QPointF(480, 0), QPointF(500, 120)}}},
            QStringLiteral("Move"));
    });
    QTest::newRow("edit config value") << MakeCommand([](PipelineModel *m) {
        return new EditConfigCommand(m, QStringLiteral("orders_db"), QStringLiteral("table"),
                                     QStringLiteral("orders_v2"));
    });
    QTest::newRow("add config key") << MakeCommand([](PipelineModel *m) {
        return new EditConfigCommand(m, QStringLiteral("orders_db"), QStringLiteral("soft_delete"),
                                     true);
    });
    QTest::newRow("remove config key") << MakeCommand([](PipelineModel *m) {
        return new EditConfigCommand(m, QStringLiteral("latest"), QStringLiteral("order_by"),
                                     QJsonValue(QJsonValue::Undefined));
    });
    QTest::newRow("rename") << MakeCommand([](PipelineModel *m) {
        return new RenameNodeCommand(m, QStringLiteral("check"), QStringLiteral("Validate"));
    });
    QTest::newRow("paste") << MakeCommand([](PipelineModel *m) {
        const QByteArray copied =
            copySelection(m->pipeline(), {QStringLiteral("check"), QStringLiteral("latest")});
        PasteItems items = preparePaste(copied, *m, QPointF(40, 40));
        return new AddNodesCommand(m, std::move(items.nodes), std::move(items.edges),
                                   QStringLiteral("Paste"));
    });
}

void TestCommands::undoRedoIsByteIdentical()
{
    QFETCH(MakeCommand, make);
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    QVERIFY(doc.load(examplePath()));
    const QByteArray before = doc.toJson();
    doc.undoStack()->push(make(doc.model()));
    const QByteArray after = doc.toJson();
    QVERIFY(after != before);
    doc.undoStack()->undo();
    QCOMPARE(doc.toJson(), before);
    doc.undoStack()->redo();
    QCOMPARE(doc.toJson(), after);
    doc.undoStack()->undo();
    QCOMPARE(doc.toJson(), before);
}

void TestCommands::deleteTakesEdgesAndUndoRestoresThem()
{
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    QVERIFY(doc.load(examplePath()));
    QSignalSpy removed(doc.model(), &PipelineModel::edgeRemoved);
    doc.undoStack()->push(new RemoveItemsCommand(doc.model(), {QStringLiteral("latest")}, {}));
    QCOMPARE(removed.count(), 2);
    QCOMPARE(doc.pipeline().nodes.size(), std::size_t(3));
    QCOMPARE(doc.pipeline().edges.size(), std::size_t(1));
    QCOMPARE(doc.pipeline().edges[0], edge("orders_csv.out", "check.in"));
    doc.undoStack()->undo();
    QCOMPARE(doc.pipeline().edges.size(), std::size_t(3));
    QCOMPARE(doc.pipeline().edges[1], edge("check.out", "latest.in"));
    QCOMPARE(doc.pipeline().edges[2], edge("latest.out", "orders_db.in"));
    QCOMPARE(doc.pipeline().nodes[2].id, QStringLiteral("latest"));
}

void TestCommands::configEditsMergePerField()
{
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    QVERIFY(doc.load(examplePath()));
    QUndoStack *stack = doc.undoStack();
    const auto edit = [&](const QString &key, const QJsonValue &v) {
        stack->push(new EditConfigCommand(doc.model(), QStringLiteral("orders_db"), key, v));
    };
    edit(QStringLiteral("table"), QStringLiteral("o"));
    edit(QStringLiteral("table"), QStringLiteral("or"));
    edit(QStringLiteral("table"), QStringLiteral("ord"));
    QCOMPARE(stack->count(), 1);
    edit(QStringLiteral("commit_rows"), 500);
    QCOMPARE(stack->count(), 2);
    stack->undo();
    QCOMPARE(
        doc.pipeline().node(QStringLiteral("orders_db"))->config.value(QStringLiteral("table")),
        QJsonValue(QStringLiteral("ord")));
    stack->undo();
    QCOMPARE(
        doc.pipeline().node(QStringLiteral("orders_db"))->config.value(QStringLiteral("table")),
        QJsonValue(QStringLiteral("orders")));
}

void TestCommands::typingBackToTheStartLeavesNothingToUndo()
{
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    QVERIFY(doc.load(examplePath()));
    QUndoStack *stack = doc.undoStack();
    stack->push(new RenameNodeCommand(doc.model(), QStringLiteral("check"), QStringLiteral("C")));
    stack->push(new RenameNodeCommand(doc.model(), QStringLiteral("check"),
                                      QStringLiteral("Check orders")));
    QCOMPARE(stack->count(), 0);
    QVERIFY(!doc.isModified());
}

void TestCommands::nudgesMergeButDragsDoNot()
{
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    QVERIFY(doc.load(examplePath()));
    QUndoStack *stack = doc.undoStack();
    const QString id = QStringLiteral("latest");
    const auto move = [&](QPointF from, QPointF to, bool nudge) {
        stack->push(
            new MoveNodesCommand(doc.model(), {{id, {from, to}}}, QStringLiteral("Move"), nudge));
    };
    move(QPointF(480, 0), QPointF(490, 0), true);
    move(QPointF(490, 0), QPointF(500, 0), true);
    QCOMPARE(stack->count(), 1);
    move(QPointF(500, 0), QPointF(600, 50), false);
    move(QPointF(600, 50), QPointF(700, 50), false);
    QCOMPARE(stack->count(), 3);
    stack->undo();
    stack->undo();
    QCOMPARE(doc.pipeline().node(id)->x, 500.0);
    stack->undo();
    QCOMPARE(doc.pipeline().node(id)->x, 480.0);
}

void TestCommands::pasteRenamesClashingIdsAndKeepsInnerEdges()
{
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    QVERIFY(doc.load(examplePath()));
    const QByteArray copied =
        copySelection(doc.pipeline(), {QStringLiteral("check"), QStringLiteral("latest")});
    for (int round = 0; round < 2; ++round) {
        PasteItems items = preparePaste(copied, *doc.model(), QPointF(40, 40));
        QCOMPARE(items.nodes.size(), std::size_t(2));
        QCOMPARE(items.edges.size(), std::size_t(1)); // check -> latest only
        doc.undoStack()->push(new AddNodesCommand(doc.model(), std::move(items.nodes),
                                                  std::move(items.edges), QStringLiteral("Paste")));
    }
    QStringList ids;
    for (const model::NodeSpec &n : doc.pipeline().nodes)
        ids << n.id;
    QCOMPARE(ids, QStringList({"orders_csv", "check", "latest", "orders_db", "check_2", "latest_2",
                               "check_3", "latest_3"}));
    QCOMPARE(doc.pipeline().edges.back(), edge("check_3.out", "latest_3.in"));
    QCOMPARE(doc.pipeline().node(QStringLiteral("check_2"))->x, 280.0);
    QVERIFY(preparePaste("not json", *doc.model(), {}).nodes.empty());
}

void TestCommands::modifiedFollowsTheUndoStack()
{
    QTemporaryDir dir;
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    QVERIFY(doc.load(examplePath()));
    QSignalSpy modified(&doc, &PipelineDocument::modifiedChanged);
    QVERIFY(!doc.isModified());
    doc.undoStack()->push(
        new RenameNodeCommand(doc.model(), QStringLiteral("check"), QStringLiteral("X")));
    QVERIFY(doc.isModified());
    const QString path = dir.filePath(QStringLiteral("copy.weir.json"));
    QVERIFY(doc.saveAs(path));
    QVERIFY(!doc.isModified());
    QCOMPARE(doc.displayName(), QStringLiteral("copy.weir.json"));
    doc.undoStack()->undo();
    QVERIFY(doc.isModified());
    QCOMPARE(modified.count(), 3);
    // Saving twice changes nothing.
    QVERIFY(doc.save());
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), doc.toJson());
}

void TestCommands::loadRefusesAnUnknownFormat()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("future.weir.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("{\"format\": 7, \"name\": \"x\", \"nodes\": [], \"edges\": []}");
    file.close();
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    const Status s = doc.load(path);
    QVERIFY(!s);
    QVERIFY2(s.error().message.contains(QStringLiteral("unsupported format 7")),
             qPrintable(s.error().message));
    QVERIFY(doc.filePath().isEmpty());
}

QTEST_MAIN(TestCommands)
#include "tst_commands.moc"
