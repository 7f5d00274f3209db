// The validation panel: the validator's problems for the document as it is now — a broken
// edit shows up located by node and field, undo clears it — re-run by itself shortly after
// a change, and activating a problem asks for its node.

#include "canvas/commands/add_nodes_command.h"
#include "canvas/commands/edit_config_command.h"
#include "document/pipeline_document.h"
#include "inspector/editors/text_field_editor.h"
#include "inspector/inspector_widget.h"
#include "model/node_type_registry.h"
#include "panels/problem_list_model.h"
#include "panels/validation_panel.h"
#include "support/test_support.h"

#include <QApplication>
#include <QDir>
#include <QLineEdit>
#include <QSignalSpy>
#include <QStyleFactory>
#include <QTest>
#include <QTreeView>
#include <memory>

using namespace weir;
using weir::test::examplePath;
using namespace weir::ui;

namespace {

struct Fixture
{
    PipelineDocument doc{model::NodeTypeRegistry::builtin()};
    std::unique_ptr<ValidationPanel> panel;
    QTreeView *view = nullptr;

    Fixture()
    {
        if (!doc.load(examplePath()))
            qFatal("cannot load the example pipeline");
        panel = std::make_unique<ValidationPanel>(&doc);
        panel->resize(720, 180);
        panel->show();
        QApplication::setActiveWindow(panel.get());
        if (!QTest::qWaitForWindowActive(panel.get()))
            qWarning("panel window did not become active");
        view = panel->findChild<QTreeView *>("problemView");
    }
};

} // namespace

class TestValidationPanel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void theExampleHasNoProblems();
    void aRemovedRequiredFieldIsLocatedAndUndoClearsIt();
    void anUnknownNodeTypeIsReported();
    void validationFollowsChangesByItself();
    void activatingAProblemAsksForItsNode();
    void problemsReachTheInspector();
    void screenshot();
};

void TestValidationPanel::initTestCase()
{
    QApplication::setStyle(QStyleFactory::create("Fusion"));
}

void TestValidationPanel::theExampleHasNoProblems()
{
    {
        // Validated at once, and the result also reaches listeners connected afterwards.
        PipelineDocument doc(model::NodeTypeRegistry::builtin());
        QVERIFY(doc.load(examplePath()));
        model::NodeSpec node;
        node.id = "stream";
        node.type = "mqtt.source";
        doc.undoStack()->push(new AddNodesCommand(doc.model(), {node}, {}, "Add"));
        ValidationPanel panel(&doc);
        QCOMPARE(panel.problems().size(), std::size_t(1));
        QSignalSpy changed(&panel, &ValidationPanel::problemsChanged);
        QVERIFY(changed.wait(1000));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<std::vector<model::Problem>>().size(), std::size_t(1));
    }
    Fixture f;
    QVERIFY(f.view);
    QCOMPARE(f.panel->problems().size(), std::size_t(0));
    QCOMPARE(f.view->model()->rowCount(), 0);
    QVERIFY(f.panel->findChild<QWidget *>("noProblems")->isVisible());
    QVERIFY(!f.view->isVisible());
}

void TestValidationPanel::aRemovedRequiredFieldIsLocatedAndUndoClearsIt()
{
    Fixture f;
    QSignalSpy changed(f.panel.get(), &ValidationPanel::problemsChanged);
    f.doc.undoStack()->push(new EditConfigCommand(f.doc.model(), "orders_db", "table",
                                                  QJsonValue(QJsonValue::Undefined)));
    f.panel->revalidateNow();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(f.panel->problems().size(), std::size_t(1));
    const model::Problem &p = f.panel->problems().front();
    QCOMPARE(p.nodeId, QStringLiteral("orders_db"));
    QCOMPARE(p.field, QStringLiteral("table"));
    QCOMPARE(p.message, QStringLiteral("required field is missing"));
    QCOMPARE(p.file, f.doc.filePath());
    QVERIFY(p.line > 0);
    const auto sent = changed.at(0).at(0).value<std::vector<model::Problem>>();
    QCOMPARE(sent.size(), std::size_t(1));
    QCOMPARE(sent.front().field, QStringLiteral("table"));

    // The row names the node as the canvas does (its label) and the field.
    QAbstractItemModel *model = f.view->model();
    QCOMPARE(model->rowCount(), 1);
    QCOMPARE(model->index(0, ProblemListModel::NodeColumn).data().toString(),
             QStringLiteral("orders table"));
    QCOMPARE(model->index(0, ProblemListModel::FieldColumn).data().toString(),
             QStringLiteral("table"));
    QCOMPARE(model->index(0, ProblemListModel::MessageColumn).data().toString(),
             QStringLiteral("required field is missing"));
    QCOMPARE(model->index(0, 0).data(Qt::ToolTipRole).toString(), p.toString());
    QVERIFY(f.view->isVisible());

    f.doc.undoStack()->undo();
    f.panel->revalidateNow();
    QCOMPARE(changed.count(), 2);
    QCOMPARE(f.panel->problems().size(), std::size_t(0));
    QVERIFY(changed.at(1).at(0).value<std::vector<model::Problem>>().empty());
    QVERIFY(f.panel->findChild<QWidget *>("noProblems")->isVisible());
}

void TestValidationPanel::anUnknownNodeTypeIsReported()
{
    Fixture f;
    model::NodeSpec node;
    node.id = "stream";
    node.type = "mqtt.source";
    f.doc.undoStack()->push(new AddNodesCommand(f.doc.model(), {node}, {}, "Add"));
    f.panel->revalidateNow();
    QCOMPARE(f.panel->problems().size(), std::size_t(1));
    QCOMPARE(f.panel->problems().front().nodeId, QStringLiteral("stream"));
    QCOMPARE(f.panel->problems().front().field, QStringLiteral("type"));
    QCOMPARE(f.panel->problems().front().message,
             QStringLiteral("unknown node type 'mqtt.source' (see weir-run list-node-types)"));
    QCOMPARE(f.view->model()->index(0, 0).data().toString(), QStringLiteral("stream"));
}

void TestValidationPanel::validationFollowsChangesByItself()
{
    Fixture f;
    QSignalSpy changed(f.panel.get(), &ValidationPanel::problemsChanged);
    f.doc.undoStack()->push(
        new EditConfigCommand(f.doc.model(), "orders_db", "commit_rows", QJsonValue(0)));
    f.doc.undoStack()->push(
        new EditConfigCommand(f.doc.model(), "orders_db", "mode", QJsonValue("merge")));
    // Debounced: nothing yet, then one validation for both edits.
    QCOMPARE(changed.count(), 0);
    QVERIFY(changed.wait(1000));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(f.panel->problems().size(), std::size_t(2));
    QStringList fields;
    for (const model::Problem &p : f.panel->problems())
        fields.append(p.field);
    fields.sort();
    QCOMPARE(fields, QStringList({"commit_rows", "mode"}));
}

void TestValidationPanel::activatingAProblemAsksForItsNode()
{
    Fixture f;
    f.doc.undoStack()->push(
        new EditConfigCommand(f.doc.model(), "check", "types", QJsonObject{{"amount", "money"}}));
    f.doc.undoStack()->push(
        new EditConfigCommand(f.doc.model(), "latest", "key", QJsonValue(QJsonValue::Undefined)));
    f.panel->revalidateNow();
    QCOMPARE(f.panel->problems().size(), std::size_t(2));
    QSignalSpy activated(f.panel.get(), &ValidationPanel::problemActivated);
    QAbstractItemModel *model = f.view->model();
    const auto rowOf = [&](const QString &nodeId) {
        for (int row = 0; row < model->rowCount(); ++row) {
            if (model->index(row, 0).data(ProblemListModel::NodeIdRole).toString() == nodeId)
                return row;
        }
        return -1;
    };
    const QModelIndex latest = model->index(rowOf("latest"), ProblemListModel::MessageColumn);
    QTest::mouseClick(f.view->viewport(), Qt::LeftButton, {}, f.view->visualRect(latest).center());
    QCOMPARE(activated.count(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("latest"));

    f.view->setFocus();
    f.view->setCurrentIndex(model->index(rowOf("check"), 0));
    QTest::keyClick(f.view, Qt::Key_Return);
    QCOMPARE(activated.count(), 2);
    QCOMPARE(activated.at(1).at(0).toString(), QStringLiteral("check"));
}

// Wired as the main window wires them: an edit in the inspector is validated and marked on
// the field that was edited.
void TestValidationPanel::problemsReachTheInspector()
{
    Fixture f;
    InspectorWidget inspector(&f.doc);
    connect(f.panel.get(), &ValidationPanel::problemsChanged, &inspector,
            &InspectorWidget::setProblems);
    inspector.showNode("orders_db");
    auto *table = qobject_cast<TextFieldEditor *>(inspector.fieldEditor("table"));
    QVERIFY(table);
    table->lineEdit()->selectAll();
    QTest::keyClick(table->lineEdit(), Qt::Key_Delete);
    QCOMPARE(table->problem(), QString());
    QTRY_COMPARE(table->problem(), QStringLiteral("required field is missing"));
    QTest::keyClicks(table->lineEdit(), "orders");
    QTRY_COMPARE(table->problem(), QString());
    QCOMPARE(f.panel->problems().size(), std::size_t(0));
}

void TestValidationPanel::screenshot()
{
    Fixture f;
    const QString dir = QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots");
    QVERIFY(QDir().mkpath(dir));
    QVERIFY(f.panel->grab().save(dir + QStringLiteral("/validation_panel_empty.png")));
    f.doc.undoStack()->push(
        new EditConfigCommand(f.doc.model(), "check", "types", QJsonObject{{"amount", "money"}}));
    f.doc.undoStack()->push(new EditConfigCommand(f.doc.model(), "orders_db", "table",
                                                  QJsonValue(QJsonValue::Undefined)));
    f.doc.undoStack()->push(
        new EditConfigCommand(f.doc.model(), "orders_db", "commit_rows", QJsonValue(0)));
    model::NodeSpec node;
    node.id = "stream";
    node.type = "mqtt.source";
    f.doc.undoStack()->push(new AddNodesCommand(f.doc.model(), {node}, {}, "Add"));
    f.panel->revalidateNow();
    f.view->setCurrentIndex(f.view->model()->index(1, 0));
    QVERIFY(f.panel->grab().save(dir + QStringLiteral("/validation_panel.png")));
}

QTEST_MAIN(TestValidationPanel)
#include "tst_validation_panel.moc"
