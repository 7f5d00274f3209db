// The inspector: one editor class per field kind that round-trips its value, a form with one
// editor per schema field for every built-in node type, edits that become (merged) undo
// commands, the model flowing back into the editors in place, secrets written only as
// references, problems marked on their field (on a line kept for them, so nothing moves),
// a first layout that leaves every help text its room, Tab from field to field, focus and
// wheel behaviour, and screenshots.
// The editors' own rules (value text, highlighting, secret refusal) are in tst_field_editors.

#include "canvas/commands/add_nodes_command.h"
#include "canvas/commands/edit_config_command.h"
#include "canvas/commands/remove_items_command.h"
#include "canvas/commands/rename_node_command.h"
#include "document/pipeline_document.h"
#include "inspector/editors/bool_field_editor.h"
#include "inspector/editors/columns_field_editor.h"
#include "inspector/editors/enum_field_editor.h"
#include "inspector/editors/mapping_field_editor.h"
#include "inspector/editors/number_field_editor.h"
#include "inspector/editors/number_spin_box.h"
#include "inspector/editors/path_field_editor.h"
#include "inspector/editors/secret_field_editor.h"
#include "inspector/editors/sql_field_editor.h"
#include "inspector/editors/text_field_editor.h"
#include "inspector/field_editor_factory.h"
#include "inspector/inspector_widget.h"
#include "model/node_type_registry.h"
#include "model/pipeline_validator.h"
#include "support/test_support.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QSpontaneKeyEvent>
#include <QStyleFactory>
#include <QTableWidget>
#include <QTest>
#include <QToolButton>
#include <QWheelEvent>
#include <memory>

using namespace weir;
using weir::test::examplePath;
using namespace weir::ui;
using model::ConfigField;
using model::FieldKind;

Q_DECLARE_METATYPE(weir::model::FieldKind)

namespace {

QJsonValue undefined()
{
    return QJsonValue(QJsonValue::Undefined);
}

QJsonValue json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().first();
}

const char *editorClassFor(FieldKind kind)
{
    switch (kind) {
    case FieldKind::String:
        return "weir::ui::TextFieldEditor";
    case FieldKind::Int:
    case FieldKind::Double:
        return "weir::ui::NumberFieldEditor";
    case FieldKind::Bool:
        return "weir::ui::BoolFieldEditor";
    case FieldKind::Enum:
        return "weir::ui::EnumFieldEditor";
    case FieldKind::Secret:
        return "weir::ui::SecretFieldEditor";
    case FieldKind::Path:
        return "weir::ui::PathFieldEditor";
    case FieldKind::Sql:
        return "weir::ui::SqlFieldEditor";
    case FieldKind::Columns:
        return "weir::ui::ColumnsFieldEditor";
    case FieldKind::Mapping:
        return "weir::ui::MappingFieldEditor";
    }
    return "";
}

ConfigField fieldOf(FieldKind kind)
{
    ConfigField f = ConfigField::of("f", kind, "Field", "column -> value.");
    if (kind == FieldKind::Enum)
        f = f.withOptions({"upsert", "append"}).withDefault("upsert");
    if (kind == FieldKind::Int || kind == FieldKind::Double)
        f = f.withRange(0, 1000);
    return f;
}

model::Problem problem(const QString &node, const QString &field, const QString &message)
{
    return model::Problem{"orders.weir.json", 0, 0, node, field, message};
}

QJsonValue configValue(PipelineDocument &doc, const QString &node, const QString &key)
{
    return doc.pipeline().node(node)->config.value(key);
}

// A window the size a dock would give the inspector, active so that keys reach the focus.
struct Fixture
{
    PipelineDocument doc{model::NodeTypeRegistry::builtin()};
    std::unique_ptr<InspectorWidget> inspector;

    explicit Fixture(const QString &nodeId)
    {
        if (!doc.load(examplePath()))
            qFatal("cannot load the example pipeline");
        inspector = std::make_unique<InspectorWidget>(&doc);
        inspector->resize(420, 900);
        inspector->show();
        QApplication::setActiveWindow(inspector.get());
        if (!QTest::qWaitForWindowActive(inspector.get()))
            qWarning("inspector window did not become active");
        inspector->showNode(nodeId);
    }

    template<class Editor> Editor *editor(const QString &key) const
    {
        return qobject_cast<Editor *>(inspector->fieldEditor(key));
    }
};

// Starts editing a table cell the way a user does (F2), replaces its text, commits with Enter.
// False when no cell editor opened.
bool editCell(QTableWidget *table, int row, int column, const QString &text)
{
    table->setFocus();
    table->setCurrentCell(row, column);
    QTest::keyClick(table, Qt::Key_F2);
    auto *editor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    if (!editor || editor->parentWidget() != table->viewport())
        return false;
    editor->selectAll();
    QTest::keyClicks(editor, text);
    QTest::keyClick(editor, Qt::Key_Return);
    // The delegate commits on Enter through a queued call.
    QCoreApplication::processEvents();
    return true;
}

int rowOf(QTableWidget *table, const QString &key)
{
    for (int row = 0; row < table->rowCount(); ++row) {
        if (table->item(row, 0)->text() == key)
            return row;
    }
    return -1;
}

// A node "node" of type `typeId` with the schema's defaults, alone in the document.
void addLoneNode(PipelineDocument &doc, const QString &typeId)
{
    model::NodeSpec node;
    node.id = "node";
    node.label = "New node";
    node.type = typeId;
    doc.undoStack()->push(new AddNodesCommand(doc.model(), {node}, {}, "Add"));
}

void saveScreenshot(QWidget *widget, const QString &name)
{
    const QString dir = QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots");
    QVERIFY(QDir().mkpath(QFileInfo(dir + QLatin1Char('/') + name).absolutePath()));
    QVERIFY(widget->grab().save(dir + QLatin1Char('/') + name));
}

QPalette darkPalette()
{
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
    p.setColor(QPalette::WindowText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Base, QColor(0x1e, 0x1f, 0x22));
    p.setColor(QPalette::AlternateBase, QColor(0x27, 0x29, 0x2d));
    p.setColor(QPalette::Text, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Button, QColor(0x35, 0x37, 0x3c));
    p.setColor(QPalette::ButtonText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xbf));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x8c, 0x90, 0x96));
    p.setColor(QPalette::ToolTipBase, QColor(0x35, 0x37, 0x3c));
    p.setColor(QPalette::ToolTipText, QColor(0xe6, 0xe6, 0xe6));
    p.setColor(QPalette::Light, QColor(0x45, 0x47, 0x4c));
    p.setColor(QPalette::Midlight, QColor(0x3c, 0x3e, 0x43));
    p.setColor(QPalette::Mid, QColor(0x25, 0x26, 0x29));
    p.setColor(QPalette::Dark, QColor(0x1a, 0x1b, 0x1d));
    p.setColor(QPalette::Shadow, Qt::black);
    return p;
}

// Lets posted layout requests run, as the event loop does before the next paint.
void settle()
{
    for (int i = 0; i < 5; ++i)
        QCoreApplication::processEvents();
}

QWidget *formOf(const InspectorWidget &inspector)
{
    return inspector.findChild<QScrollArea *>()->widget();
}

QRect rectIn(const QWidget *form, const QWidget *w)
{
    return QRect(w->mapTo(form, QPoint(0, 0)), w->size());
}

// The schema's field keys of a node, in form order.
QStringList fieldKeys(const PipelineDocument &doc, const QString &nodeId)
{
    QStringList keys;
    for (const ConfigField &field :
         doc.registry().find(doc.pipeline().node(nodeId)->type)->schema.fields())
        keys.append(field.key);
    return keys;
}

// Where each field's editor and help text sit in the form, in form order.
QList<QRect> fieldGeometry(const InspectorWidget &inspector, const QStringList &keys)
{
    const QWidget *form = formOf(inspector);
    QList<QRect> out;
    for (const QString &key : keys) {
        out.append(rectIn(form, inspector.fieldEditor(key)));
        if (const auto *help = form->findChild<QLabel *>("help:" + key))
            out.append(rectIn(form, help));
    }
    return out;
}

// The field a widget belongs to; empty when it is in none (a reset button, the label edit).
QString fieldOf(QWidget *w)
{
    for (; w; w = w->parentWidget()) {
        if (auto *editor = qobject_cast<FieldEditor *>(w))
            return editor->field().key;
    }
    return {};
}

} // namespace

class TestInspector : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();

    void editorForEveryKind_data();
    void editorForEveryKind();
    void formHasOneEditorPerField_data();
    void formHasOneEditorPerField();

    void typingMergesIntoOneUndoStepAndUndoUpdatesInPlace();
    void theCursorStaysWhereTheUserTypes();
    void clearingAValueRemovesTheKey();
    void numbersStayInRange();
    void enumAndBoolEditsWriteTypedValues();
    void columnsRoundTripAsAList();
    void sqlIsTypedIntoTheConfig();
    void mappingCellsKeepTheirJsonTypes();
    void mappingRowsAreAddedAndRemoved();
    void pathsInsideThePipelineFolderAreRelative();
    void secretFieldInAFormPushesAReference();

    void problemsMarkTheirField();
    void validatorProblemsReachTheField();
    void labelEditRenamesTheNode();
    void switchingAndRemovingNodes();
    void anUnknownTypeIsExplained();
    void tabFollowsTheForm_data();
    void tabFollowsTheForm();
    void tabGoesFromFieldToField_data();
    void tabGoesFromFieldToField();
    void typingAfterTabLandsInTheNextField();
    void problemMessagesDoNotMoveFields();
    void firstLayoutLeavesRoomForHelp_data();
    void firstLayoutLeavesRoomForHelp();
    void theWheelScrollsTheFormNotTheValue();

    void screenshots();
    void everyFormFitsANarrowDock_data();
    void everyFormFitsANarrowDock();
    void screenshotOfEveryType_data();
    void screenshotOfEveryType();
};

void TestInspector::initTestCase()
{
    QApplication::setStyle(QStyleFactory::create("Fusion"));
}

void TestInspector::editorForEveryKind_data()
{
    QTest::addColumn<FieldKind>("kind");
    QTest::addColumn<QJsonValue>("value");
    QTest::newRow("string") << FieldKind::String << QJsonValue("orders");
    QTest::newRow("int") << FieldKind::Int << QJsonValue(42);
    QTest::newRow("double") << FieldKind::Double << QJsonValue(2.5);
    QTest::newRow("bool") << FieldKind::Bool << QJsonValue(false);
    QTest::newRow("enum") << FieldKind::Enum << QJsonValue("append");
    QTest::newRow("enum not listed") << FieldKind::Enum << QJsonValue("merge");
    QTest::newRow("secret") << FieldKind::Secret << QJsonValue("${keychain:warehouse}");
    QTest::newRow("path") << FieldKind::Path << QJsonValue("data/orders.csv");
    QTest::newRow("sql") << FieldKind::Sql << QJsonValue("SELECT 1\nFROM batch");
    QTest::newRow("columns") << FieldKind::Columns << json("[\"order_id\", \"customer_id\"]");
    QTest::newRow("mapping") << FieldKind::Mapping
                             << json("{\"amount\": {\"min\": 0}, \"status\": [\"paid\", 2], "
                                     "\"id\": \"int\", \"n\": 3}");
}

void TestInspector::editorForEveryKind()
{
    QFETCH(FieldKind, kind);
    QFETCH(QJsonValue, value);
    QWidget parent;
    FieldEditor *editor = createFieldEditor(fieldOf(kind), {}, &parent);
    QVERIFY(editor);
    QCOMPARE(editor->parent(), &parent);
    QCOMPARE(editor->metaObject()->className(), editorClassFor(kind));
    QCOMPARE(editor->objectName(), QStringLiteral("field:f"));
    QSignalSpy edited(editor, &FieldEditor::edited);
    QVERIFY(editor->value().isUndefined());
    editor->setValue(value);
    QCOMPARE(editor->value(), value);
    editor->setValue(undefined());
    QVERIFY(editor->value().isUndefined());
    editor->setValue(value);
    QCOMPARE(editor->value(), value);
    QCOMPARE(edited.count(), 0);
}

void TestInspector::formHasOneEditorPerField_data()
{
    QTest::addColumn<QString>("typeId");
    for (const model::NodeType *type : model::NodeTypeRegistry::builtin().types())
        QTest::newRow(qPrintable(type->id)) << type->id;
}

void TestInspector::formHasOneEditorPerField()
{
    QFETCH(QString, typeId);
    const model::NodeType *type = model::NodeTypeRegistry::builtin().find(typeId);
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    model::NodeSpec node;
    node.id = "n";
    node.type = typeId;
    doc.undoStack()->push(new AddNodesCommand(doc.model(), {node}, {}, "Add"));
    InspectorWidget inspector(&doc);
    inspector.showNode("n");
    QCOMPARE(inspector.nodeId(), QStringLiteral("n"));
    const QList<FieldEditor *> editors = inspector.findChildren<FieldEditor *>();
    QCOMPARE(editors.size(), static_cast<qsizetype>(type->schema.fields().size()));
    for (const ConfigField &field : type->schema.fields()) {
        FieldEditor *editor = inspector.fieldEditor(field.key);
        QVERIFY2(editor, qPrintable(field.key));
        QCOMPARE(editor->metaObject()->className(), editorClassFor(field.kind));
        QCOMPARE(editor->field().key, field.key);
        QVERIFY(editor->value().isUndefined());
        // Nothing is written into the config just by showing the form.
        QVERIFY(doc.pipeline().node("n")->config.isEmpty());
    }
    QCOMPARE(doc.undoStack()->count(), 1);
}

void TestInspector::typingMergesIntoOneUndoStepAndUndoUpdatesInPlace()
{
    Fixture f("orders_db");
    auto *table = f.editor<TextFieldEditor>("table");
    QVERIFY(table);
    QCOMPARE(table->lineEdit()->text(), QStringLiteral("orders"));
    table->lineEdit()->setFocus();
    table->lineEdit()->end(false);
    QTest::keyClicks(table->lineEdit(), "_v2");
    QUndoStack *stack = f.doc.undoStack();
    QCOMPARE(stack->count(), 1);
    QVERIFY(dynamic_cast<const EditConfigCommand *>(stack->command(0)));
    QCOMPARE(configValue(f.doc, "orders_db", "table"), QJsonValue("orders_v2"));

    stack->undo();
    QCOMPARE(configValue(f.doc, "orders_db", "table"), QJsonValue("orders"));
    // The same editor shows the undone value: the form was not rebuilt.
    QCOMPARE(f.inspector->fieldEditor("table"), table);
    QCOMPARE(table->lineEdit()->text(), QStringLiteral("orders"));
    stack->redo();
    QCOMPARE(table->lineEdit()->text(), QStringLiteral("orders_v2"));

    // Another field is another undo step.
    auto *orderBy = f.editor<TextFieldEditor>("order_by");
    orderBy->lineEdit()->setFocus();
    orderBy->lineEdit()->end(false);
    QTest::keyClicks(orderBy->lineEdit(), "x");
    QCOMPARE(stack->count(), 2);
    QCOMPARE(configValue(f.doc, "orders_db", "order_by"), QJsonValue("updated_atx"));
}

void TestInspector::theCursorStaysWhereTheUserTypes()
{
    Fixture f("orders_db");
    QLineEdit *edit = f.editor<TextFieldEditor>("table")->lineEdit();
    edit->setFocus();
    edit->setCursorPosition(2);
    QTest::keyClicks(edit, "X");
    QCOMPARE(edit->text(), QStringLiteral("orXders"));
    QCOMPARE(edit->cursorPosition(), 3);
    // A change elsewhere in the node (another view) leaves this editor alone.
    f.doc.undoStack()->push(
        new EditConfigCommand(f.doc.model(), "orders_db", "order_by", QJsonValue("ts")));
    QCOMPARE(edit->cursorPosition(), 3);
    QCOMPARE(f.editor<TextFieldEditor>("order_by")->lineEdit()->text(), QStringLiteral("ts"));
    // Undo of the typing puts the text back; the cursor stays in place (clamped).
    f.doc.undoStack()->undo();
    f.doc.undoStack()->undo();
    QCOMPARE(edit->text(), QStringLiteral("orders"));
    QCOMPARE(edit->cursorPosition(), 3);
}

void TestInspector::clearingAValueRemovesTheKey()
{
    Fixture f("orders_db");
    QLineEdit *edit = f.editor<TextFieldEditor>("table")->lineEdit();
    QToolButton *reset = f.inspector->findChild<QToolButton *>("reset:table");
    QVERIFY(reset);
    QVERIFY(!reset->isHidden());
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QVERIFY(!f.doc.pipeline().node("orders_db")->config.contains("table"));
    QVERIFY(reset->isHidden());
    QCOMPARE(edit->placeholderText(), QStringLiteral("Required"));

    // The reset button brings an explicit choice back to the default.
    auto *mode = f.editor<EnumFieldEditor>("mode");
    QCOMPARE(mode->comboBox()->currentText(), QStringLiteral("upsert (default)"));
    mode->comboBox()->setFocus();
    QTest::keyClick(mode->comboBox(), Qt::Key_Down);
    QCOMPARE(configValue(f.doc, "orders_db", "mode"), QJsonValue("append"));
    QToolButton *resetMode = f.inspector->findChild<QToolButton *>("reset:mode");
    QVERIFY(!resetMode->isHidden());
    resetMode->click();
    QVERIFY(!f.doc.pipeline().node("orders_db")->config.contains("mode"));
    QCOMPARE(mode->comboBox()->currentText(), QStringLiteral("upsert (default)"));
    QVERIFY(mode->value().isUndefined());
    QVERIFY(resetMode->isHidden());
    // Choosing and resetting the same field merged into one step that changes nothing.
    QCOMPARE(f.doc.undoStack()->count(), 1);
}

void TestInspector::numbersStayInRange()
{
    Fixture f("orders_db");
    auto *rows = f.editor<NumberFieldEditor>("commit_rows");
    QLineEdit *edit = rows->spinBox()->textField();
    QCOMPARE(edit->text(), QString());
    QCOMPARE(edit->placeholderText(), QStringLiteral("1000000"));
    rows->spinBox()->setFocus();
    QTest::keyClicks(edit, "500");
    QCOMPARE(f.doc.undoStack()->count(), 1);
    const QJsonValue written = configValue(f.doc, "orders_db", "commit_rows");
    QVERIFY(written.isDouble());
    QCOMPARE(written.toInteger(), 500);

    // Below the minimum (1): nothing is written while typing, the range is explained, and
    // finishing the entry clamps it.
    edit->selectAll();
    QTest::keyClicks(edit, "0");
    QCOMPARE(configValue(f.doc, "orders_db", "commit_rows").toInteger(), 500);
    QCOMPARE(rows->message(), QStringLiteral("Enter a whole number from 1 to 10000000."));
    QTest::keyClick(rows->spinBox(), Qt::Key_Return);
    QCOMPARE(configValue(f.doc, "orders_db", "commit_rows").toInteger(), 1);
    QCOMPARE(edit->text(), QStringLiteral("1"));
    QCOMPARE(rows->message(), QString());

    // Letters never get in; stepping starts from the value.
    QTest::keyClicks(edit, "x");
    QCOMPARE(edit->text(), QStringLiteral("1"));
    QTest::keyClick(rows->spinBox(), Qt::Key_Up);
    QCOMPARE(configValue(f.doc, "orders_db", "commit_rows").toInteger(), 2);

    // An out-of-range value from the file is shown as it is; passing through the field
    // does not change it behind the user's back.
    f.doc.undoStack()->push(
        new EditConfigCommand(f.doc.model(), "orders_db", "commit_rows", QJsonValue(0)));
    QCOMPARE(edit->text(), QStringLiteral("0"));
    const int steps = f.doc.undoStack()->count();
    rows->spinBox()->setFocus();
    f.editor<NumberFieldEditor>("commit_interval_ms")->setFocus();
    QCOMPARE(configValue(f.doc, "orders_db", "commit_rows"), QJsonValue(0));
    QCOMPARE(f.doc.undoStack()->count(), steps);

    // Stepping an unset field starts from its default.
    auto *interval = f.editor<NumberFieldEditor>("commit_interval_ms");
    interval->spinBox()->setFocus();
    QTest::keyClick(interval->spinBox(), Qt::Key_Up);
    QCOMPARE(configValue(f.doc, "orders_db", "commit_interval_ms").toInteger(), 5001);
}

void TestInspector::enumAndBoolEditsWriteTypedValues()
{
    Fixture f("orders_db");
    auto *create = f.editor<BoolFieldEditor>("create_table");
    QCOMPARE(create->checkBox()->checkState(), Qt::Checked); // the default, true
    QCOMPARE(create->checkBox()->text(), QStringLiteral("Default"));
    QTest::mouseClick(create->checkBox(), Qt::LeftButton);
    QCOMPARE(configValue(f.doc, "orders_db", "create_table"), QJsonValue(false));
    QCOMPARE(create->checkBox()->checkState(), Qt::Unchecked);
    f.doc.undoStack()->undo();
    QCOMPARE(create->checkBox()->checkState(), Qt::Checked);
    QVERIFY(create->value().isUndefined());

    auto *sync = f.editor<EnumFieldEditor>("synchronous");
    QCOMPARE(sync->comboBox()->count(), 2);
    sync->comboBox()->setFocus();
    QTest::keyClick(sync->comboBox(), Qt::Key_Down);
    QCOMPARE(configValue(f.doc, "orders_db", "synchronous"), QJsonValue("full"));
}

void TestInspector::columnsRoundTripAsAList()
{
    Fixture f("latest");
    auto *key = f.editor<ColumnsFieldEditor>("key");
    QCOMPARE(key->lineEdit()->text(), QStringLiteral("order_id"));
    key->lineEdit()->setFocus();
    key->lineEdit()->end(false);
    QTest::keyClicks(key->lineEdit(), ", customer_id");
    QCOMPARE(configValue(f.doc, "latest", "key"), json("[\"order_id\", \"customer_id\"]"));
    QCOMPARE(f.doc.undoStack()->count(), 1);
    QCOMPARE(key->lineEdit()->text(), QStringLiteral("order_id, customer_id"));
    QCOMPARE(ColumnsFieldEditor::splitNames(" a, b ,,c ,"), QStringList({"a", "b", "c"}));
}

void TestInspector::sqlIsTypedIntoTheConfig()
{
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    model::NodeSpec node;
    node.id = "keep";
    node.type = "filter";
    doc.undoStack()->push(new AddNodesCommand(doc.model(), {node}, {}, "Add"));
    InspectorWidget inspector(&doc);
    inspector.showNode("keep");
    auto *sql = qobject_cast<SqlFieldEditor *>(inspector.fieldEditor("expression"));
    QVERIFY(sql);
    QCOMPARE(sql->textEdit()->placeholderText(),
             QStringLiteral("e.g. amount > 0 AND status <> 'cancelled'"));
    QVERIFY(sql->textEdit()->tabChangesFocus());
    QTest::keyClicks(sql->textEdit(), "amount > 0");
    QCOMPARE(doc.pipeline().node("keep")->config.value("expression"), QJsonValue("amount > 0"));
    QCOMPARE(doc.undoStack()->count(), 2);
    doc.undoStack()->undo();
    QCOMPARE(sql->textEdit()->toPlainText(), QString());
    QVERIFY(!doc.pipeline().node("keep")->config.contains("expression"));
}

void TestInspector::mappingCellsKeepTheirJsonTypes()
{
    Fixture f("check");
    auto *ranges = f.editor<MappingFieldEditor>("ranges");
    QTableWidget *table = ranges->table();
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, 1)->text(), QStringLiteral("{\"min\": 0}"));
    QVERIFY(editCell(table, 0, 1, "{\"min\": 0, \"max\": 10000}"));
    QCOMPARE(configValue(f.doc, "check", "ranges"),
             json("{\"amount\": {\"min\": 0, \"max\": 10000}}"));

    auto *allowed = f.editor<MappingFieldEditor>("allowed");
    QCOMPARE(allowed->table()->item(0, 1)->text(),
             QStringLiteral("cancelled, delivered, paid, pending, refunded, shipped"));
    QVERIFY(editCell(allowed->table(), 0, 1, "paid,shipped"));
    QCOMPARE(configValue(f.doc, "check", "allowed"), json("{\"status\": [\"paid\", \"shipped\"]}"));
    QCOMPARE(allowed->table()->item(0, 1)->text(), QStringLiteral("paid, shipped"));

    auto *types = f.editor<MappingFieldEditor>("types");
    QCOMPARE(types->table()->rowCount(), 4);
    QVERIFY(editCell(types->table(), rowOf(types->table(), "amount"), 1, "double"));
    QCOMPARE(configValue(f.doc, "check", "types").toObject().value("amount"), QJsonValue("double"));
    QCOMPARE(f.doc.undoStack()->count(), 3);

    // Text that does not fit is marked and not written.
    QVERIFY(editCell(table, 0, 1, "at least 5"));
    QCOMPARE(configValue(f.doc, "check", "ranges"),
             json("{\"amount\": {\"min\": 0, \"max\": 10000}}"));
    QCOMPARE(ranges->message(), QStringLiteral("'amount': expected an object {…}."));
    QCOMPARE(f.doc.undoStack()->count(), 3);

    // Undo reaches the table.
    f.doc.undoStack()->undo();
    QCOMPARE(rowOf(types->table(), "amount") >= 0, true);
    QCOMPARE(types->table()->item(rowOf(types->table(), "amount"), 1)->text(),
             QStringLiteral("decimal"));
}

void TestInspector::mappingRowsAreAddedAndRemoved()
{
    Fixture f("check");
    auto *ranges = f.editor<MappingFieldEditor>("ranges");
    QTableWidget *table = ranges->table();
    QTest::mouseClick(ranges->addButton(), Qt::LeftButton);
    QCOMPARE(table->rowCount(), 2);
    auto *keyEditor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    QVERIFY(keyEditor);
    QCOMPARE(keyEditor->placeholderText(), QStringLiteral("column"));
    QTest::keyClicks(keyEditor, "customer_id");
    QTest::keyClick(keyEditor, Qt::Key_Tab);
    auto *valueEditor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
    QVERIFY(valueEditor);
    QVERIFY(valueEditor != keyEditor);
    // Until it has a value the row is incomplete and nothing is written.
    QCOMPARE(ranges->message(), QStringLiteral("'customer_id': enter a value."));
    QCOMPARE(f.doc.undoStack()->count(), 0);
    QTest::keyClicks(valueEditor, "{\"min\": 1}");
    QTest::keyClick(valueEditor, Qt::Key_Return);
    QCoreApplication::processEvents();
    QCOMPARE(configValue(f.doc, "check", "ranges"),
             json("{\"amount\": {\"min\": 0}, \"customer_id\": {\"min\": 1}}"));
    QCOMPARE(ranges->message(), QString());

    table->setFocus();
    table->selectRow(rowOf(table, "amount"));
    QTest::keyClick(table, Qt::Key_Delete);
    QCOMPARE(configValue(f.doc, "check", "ranges"), json("{\"customer_id\": {\"min\": 1}}"));
    table->selectRow(0);
    QTest::mouseClick(ranges->removeButton(), Qt::LeftButton);
    QVERIFY(!f.doc.pipeline().node("check")->config.contains("ranges"));
    QCOMPARE(table->rowCount(), 0);
}

void TestInspector::pathsInsideThePipelineFolderAreRelative()
{
    Fixture f("orders_csv");
    auto *path = f.editor<PathFieldEditor>("path");
    QVERIFY(!path->choosesFolder());
    QCOMPARE(path->browseButton()->text(), QStringLiteral("Browse…"));
    const QString folder = QFileInfo(examplePath()).absolutePath();
    path->applyChosenPath(folder + "/inbox/orders_batch_01.csv");
    QCOMPARE(configValue(f.doc, "orders_csv", "path"), QJsonValue("inbox/orders_batch_01.csv"));
    QCOMPARE(path->lineEdit()->text(), QStringLiteral("inbox/orders_batch_01.csv"));
    QCOMPARE(f.doc.undoStack()->count(), 1);
}

void TestInspector::secretFieldInAFormPushesAReference()
{
    model::NodeTypeRegistry registry;
    model::NodeType type;
    type.id = "test.sink";
    type.displayName = "Test sink";
    type.category = model::NodeCategory::Sink;
    type.inputs = model::recordsIn();
    type.schema = {ConfigField::of("password", FieldKind::Secret, "Password", "Password.")};
    registry.registerType(std::move(type));
    PipelineDocument doc(registry);
    model::NodeSpec node;
    node.id = "db";
    node.type = "test.sink";
    doc.undoStack()->push(new AddNodesCommand(doc.model(), {node}, {}, "Add"));
    InspectorWidget inspector(&doc);
    inspector.showNode("db");
    auto *secret = qobject_cast<SecretFieldEditor *>(inspector.fieldEditor("password"));
    QVERIFY(secret);
    QTest::keyClicks(secret->nameEdit(), "DB_PW");
    QCOMPARE(doc.pipeline().node("db")->config.value("password"), QJsonValue("${env:DB_PW}"));
    QCOMPARE(doc.undoStack()->count(), 2);
    const auto *command = dynamic_cast<const EditConfigCommand *>(doc.undoStack()->command(1));
    QVERIFY(command);
}

void TestInspector::problemsMarkTheirField()
{
    Fixture f("check");
    f.inspector->setProblems({
        problem("check", "types", "column 'amount': unknown type 'money'"),
        problem("check", "", "no path to a target"),
        problem("check", "colour", "unknown config field for validate"),
        problem("latest", "key", "required field is missing"),
    });
    auto *types = f.inspector->fieldEditor("types");
    QCOMPARE(types->problem(), QStringLiteral("column 'amount': unknown type 'money'"));
    auto *message = types->findChild<QLabel *>("fieldMessage");
    QVERIFY(message);
    QVERIFY(!message->isHidden());
    QCOMPARE(message->text(), types->problem());
    for (const QString key : {"required", "ranges", "patterns", "allowed"})
        QCOMPARE(f.inspector->fieldEditor(key)->problem(), QString());
    QCOMPARE(f.inspector->headerProblems(),
             QStringLiteral("no path to a target\ncolour: unknown config field for validate"));

    // Problems are kept for the node shown next.
    f.inspector->showNode("latest");
    QCOMPARE(f.inspector->fieldEditor("key")->problem(),
             QStringLiteral("required field is missing"));
    QCOMPARE(f.inspector->headerProblems(), QString());
    f.inspector->setProblems({});
    QCOMPARE(f.inspector->fieldEditor("key")->problem(), QString());
    QVERIFY(f.inspector->fieldEditor("key")->findChild<QLabel *>("fieldMessage")->isHidden());
}

void TestInspector::validatorProblemsReachTheField()
{
    Fixture f("check");
    QJsonObject types = configValue(f.doc, "check", "types").toObject();
    types.insert("amount", "money");
    f.doc.undoStack()->push(new EditConfigCommand(f.doc.model(), "check", "types", types));
    f.inspector->setProblems(
        model::PipelineValidator(f.doc.registry()).validate(f.doc.pipeline(), "orders"));
    QCOMPARE(f.inspector->fieldEditor("types")->problem(),
             QStringLiteral("column 'amount': unknown type 'money' (int, double, decimal, bool, "
                            "string, timestamp)"));
    QCOMPARE(f.inspector->fieldEditor("ranges")->problem(), QString());
}

void TestInspector::labelEditRenamesTheNode()
{
    Fixture f("orders_db");
    QLineEdit *label = f.inspector->labelEdit();
    QVERIFY(label);
    QCOMPARE(label->text(), QStringLiteral("orders table"));
    QCOMPARE(f.inspector->findChild<QLabel *>("nodeId")->text(), QStringLiteral("orders_db"));
    label->setFocus();
    label->end(false);
    QTest::keyClicks(label, " (v2)");
    QCOMPARE(f.doc.undoStack()->count(), 1);
    QVERIFY(dynamic_cast<const RenameNodeCommand *>(f.doc.undoStack()->command(0)));
    QCOMPARE(f.doc.pipeline().node("orders_db")->label, QStringLiteral("orders table (v2)"));
    f.doc.undoStack()->undo();
    QCOMPARE(label->text(), QStringLiteral("orders table"));
    QCOMPARE(f.inspector->labelEdit(), label);
}

void TestInspector::switchingAndRemovingNodes()
{
    Fixture f("check");
    QPointer<FieldEditor> types = f.inspector->fieldEditor("types");
    f.inspector->showNode("latest");
    QCOMPARE(f.inspector->nodeId(), QStringLiteral("latest"));
    QVERIFY(!f.inspector->fieldEditor("types"));
    QCOMPARE(f.inspector->findChildren<FieldEditor *>().size(), 3);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    QVERIFY(types.isNull());

    f.doc.undoStack()->push(new RemoveItemsCommand(f.doc.model(), {"latest"}, {}));
    QCOMPARE(f.inspector->nodeId(), QString());
    QVERIFY(!f.inspector->fieldEditor("key"));
    QVERIFY(!f.inspector->labelEdit());
    QVERIFY(f.inspector->findChild<QWidget *>("inspectorPlaceholder")->isVisible());

    f.inspector->showNode("no_such_node");
    QCOMPARE(f.inspector->nodeId(), QString());
}

void TestInspector::anUnknownTypeIsExplained()
{
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    model::NodeSpec node;
    node.id = "stream";
    node.type = "mqtt.source";
    node.config.insert("topic", "orders");
    doc.undoStack()->push(new AddNodesCommand(doc.model(), {node}, {}, "Add"));
    InspectorWidget inspector(&doc);
    inspector.showNode("stream");
    QCOMPARE(inspector.nodeId(), QStringLiteral("stream"));
    QCOMPARE(inspector.findChildren<FieldEditor *>().size(), 0);
    QCOMPARE(inspector.findChild<QLabel *>("inspectorTitle")->text(),
             QStringLiteral("Unknown node type"));
    QVERIFY(inspector.findChild<QLabel *>("inspectorDescription")->text().contains("mqtt.source"));
    // The label can still be edited; the config is left alone.
    QVERIFY(inspector.labelEdit());
    QCOMPARE(doc.pipeline().node("stream")->config.value("topic"), QJsonValue("orders"));
}

void TestInspector::tabFollowsTheForm_data()
{
    QTest::addColumn<QString>("nodeId");
    QTest::newRow("sqlite.sink") << "orders_db";
    QTest::newRow("validate") << "check";
    QTest::newRow("csv.source") << "orders_csv";
}

void TestInspector::tabFollowsTheForm()
{
    QFETCH(QString, nodeId);
    Fixture f(nodeId);
    const model::NodeType *type = f.doc.registry().find(f.doc.pipeline().node(nodeId)->type);
    QStringList expected;
    for (const ConfigField &field : type->schema.fields())
        expected.append(field.key);
    f.inspector->labelEdit()->setFocus();
    QStringList visited;
    for (int i = 0; i < 100; ++i) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QWidget *focus = QApplication::focusWidget();
        QVERIFY(focus);
        if (focus == f.inspector->labelEdit())
            break;
        for (QWidget *w = focus; w; w = w->parentWidget()) {
            if (auto *editor = qobject_cast<FieldEditor *>(w)) {
                if (visited.isEmpty() || visited.constLast() != editor->field().key)
                    visited.append(editor->field().key);
                break;
            }
        }
    }
    QCOMPARE(visited, expected);
}

void TestInspector::tabGoesFromFieldToField_data()
{
    tabFollowsTheForm_data();
}

// Tab from field k lands in field k+1, whatever buttons field k shows: its reset button takes
// no focus (the widgets of field k itself, such as Browse, may come first).
void TestInspector::tabGoesFromFieldToField()
{
    QFETCH(QString, nodeId);
    Fixture f(nodeId);
    const QStringList keys = fieldKeys(f.doc, nodeId);
    int resetsShown = 0;
    for (const QString &key : keys)
        resetsShown += !formOf(*f.inspector)->findChild<QToolButton *>("reset:" + key)->isHidden();
    QVERIFY(resetsShown >= 1); // the example sets fields: their reset buttons are there
    for (qsizetype k = 0; k + 1 < keys.size(); ++k) {
        f.inspector->fieldEditor(keys[k])->setFocus(Qt::TabFocusReason);
        QCOMPARE(fieldOf(QApplication::focusWidget()), keys[k]);
        for (int i = 0; i < 5 && fieldOf(QApplication::focusWidget()) == keys[k]; ++i)
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(fieldOf(QApplication::focusWidget()), keys[k + 1]);
    }
}

void TestInspector::typingAfterTabLandsInTheNextField()
{
    Fixture f("orders_db");
    QVERIFY(!formOf(*f.inspector)->findChild<QToolButton *>("reset:key")->isHidden());
    f.inspector->fieldEditor("key")->setFocus(Qt::TabFocusReason);
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QTest::keyClicks(QApplication::focusWidget(), "changed_at");
    QCOMPARE(configValue(f.doc, "orders_db", "order_by"), QJsonValue("changed_at"));
    QCOMPARE(configValue(f.doc, "orders_db", "key"), json("[\"order_id\"]"));
}

void TestInspector::problemMessagesDoNotMoveFields()
{
    Fixture f("orders_db");
    settle();
    const QStringList keys = fieldKeys(f.doc, "orders_db");
    const QList<QRect> before = fieldGeometry(*f.inspector, keys);
    f.inspector->setProblems({problem("orders_db", "table", "required field is missing"),
                              problem("orders_db", "key", "column 'x' is not written")});
    settle();
    auto *message = f.inspector->fieldEditor("table")->findChild<QLabel *>("fieldMessage");
    QVERIFY(message->isVisible());
    QCOMPARE(message->text(), QStringLiteral("required field is missing"));
    QCOMPARE(fieldGeometry(*f.inspector, keys), before);
    saveScreenshot(f.inspector.get(), "inspector_problem_in_place.png");

    // A message longer than its line is cut short there, in full in its tooltip.
    const QString longer = QStringLiteral("column 'amount': unknown type 'money' (int, double, "
                                          "decimal, bool, string, timestamp) and more words");
    f.inspector->setProblems({problem("orders_db", "table", longer)});
    settle();
    QCOMPARE(fieldGeometry(*f.inspector, keys), before);
    QVERIFY(message->text().endsWith(QChar(0x2026)));
    QCOMPARE(message->toolTip(), longer);
    f.inspector->setProblems({});
    settle();
    QVERIFY(message->isHidden());
    QCOMPARE(fieldGeometry(*f.inspector, keys), before);
}

void TestInspector::firstLayoutLeavesRoomForHelp_data()
{
    formHasOneEditorPerField_data();
}

// The first form shown lays out like any later one, also when problems arrive after it is on
// screen: each help text has the height its wrapped lines need, and the next field (its
// label, its editor) starts below it.
void TestInspector::firstLayoutLeavesRoomForHelp()
{
    QFETCH(QString, typeId);
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    QVERIFY(doc.load(examplePath()));
    model::NodeSpec node;
    node.id = "fresh";
    node.type = typeId;
    doc.undoStack()->push(new AddNodesCommand(doc.model(), {node}, {}, "Add"));
    InspectorWidget inspector(&doc);
    inspector.resize(360, 700); // the dock's width; the form scrolls
    inspector.show();
    QVERIFY(QTest::qWaitForWindowExposed(&inspector));
    inspector.showNode("fresh");
    settle();
    // As in the designer: the Problems panel validates once the node is there and hands the
    // problems (a new node misses its required fields) to the form already on screen.
    const std::vector<model::Problem> problems =
        model::PipelineValidator(doc.registry()).validate(doc.pipeline(), "orders");
    inspector.setProblems(problems);
    settle();
    saveScreenshot(&inspector, "inspector_first_layout/" + typeId + ".png");
    const QStringList keys = fieldKeys(doc, "fresh");
    const QWidget *form = formOf(inspector);
    // Per field: its row label, editor and help text, in form coordinates.
    std::vector<std::vector<QRect>> rows;
    for (const QString &key : keys) {
        std::vector<QRect> row{rectIn(form, inspector.fieldEditor(key))};
        for (const QLabel *label : form->findChildren<QLabel *>()) {
            if (label->buddy() && fieldOf(label->buddy()) == key)
                row.push_back(rectIn(form, label));
        }
        if (const auto *help = form->findChild<QLabel *>("help:" + key)) {
            row.push_back(rectIn(form, help));
            QVERIFY2(help->height() >= help->heightForWidth(help->width()),
                     qPrintable(QStringLiteral("help of %1 is %2 px high, needs %3")
                                    .arg(key)
                                    .arg(help->height())
                                    .arg(help->heightForWidth(help->width()))));
        }
        rows.push_back(row);
    }
    for (std::size_t k = 0; k + 1 < rows.size(); ++k) {
        for (const QRect &a : rows[k]) {
            for (const QRect &b : rows[k + 1])
                QVERIFY2(!a.intersects(b), qPrintable(keys[k] + " runs into " + keys[k + 1]));
        }
    }
    const QList<QRect> first = fieldGeometry(inspector, keys);

    inspector.showNode("check");
    settle();
    inspector.showNode("fresh");
    settle();
    QCOMPARE(fieldGeometry(inspector, keys), first);
}

void TestInspector::theWheelScrollsTheFormNotTheValue()
{
    Fixture f("orders_db");
    f.inspector->resize(420, 400);
    settle();
    auto *rows = f.editor<NumberFieldEditor>("commit_rows");
    auto *area = f.inspector->findChild<QScrollArea *>();
    QVERIFY(area->verticalScrollBar()->maximum() > 0);
    area->ensureWidgetVisible(rows);
    const int before = area->verticalScrollBar()->value();
    // As the window system delivers it: to the widget under the pointer, spontaneous, so
    // that it travels up to the parents while ignored.
    QLineEdit *target = rows->spinBox()->textField();
    const QPointF at = target->rect().center();
    QWheelEvent wheel(at, target->mapToGlobal(at), QPoint(), QPoint(0, -120), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QSpontaneKeyEvent::setSpontaneous(&wheel);
    QApplication::instance()->notify(target, &wheel);
    QCoreApplication::processEvents();
    QCOMPARE(rows->spinBox()->textField()->text(), QString());
    QVERIFY(!f.doc.pipeline().node("orders_db")->config.contains("commit_rows"));
    QVERIFY(area->verticalScrollBar()->value() > before);
}

void TestInspector::screenshots()
{
    {
        Fixture f("orders_db");
        f.inspector->resize(420, 950);
        f.inspector->setProblems({problem("orders_db", "table", "required field is missing"),
                                  problem("orders_db", "", "has no input: connect something")});
        f.doc.undoStack()->push(
            new EditConfigCommand(f.doc.model(), "orders_db", "table", undefined()));
        settle();
        saveScreenshot(f.inspector.get(), "inspector_sqlite_sink.png");
    }
    {
        Fixture f("check");
        f.inspector->resize(420, 830);
        f.inspector->setProblems({problem(
            "check", "patterns", "column 'customer_id': invalid regular expression: missing )")});
        f.doc.undoStack()->push(new EditConfigCommand(f.doc.model(), "check", "patterns",
                                                      json("{\"customer_id\": \"(C[0-9]+\"}")));
        settle();
        saveScreenshot(f.inspector.get(), "inspector_validate.png");
        f.inspector->setPalette(darkPalette());
        QApplication::setPalette(darkPalette());
        settle();
        saveScreenshot(f.inspector.get(), "inspector_validate_dark.png");
        QApplication::setPalette(QApplication::style()->standardPalette());
    }
    {
        PipelineDocument doc(model::NodeTypeRegistry::builtin());
        InspectorWidget inspector(&doc);
        inspector.resize(420, 300);
        inspector.show();
        saveScreenshot(&inspector, "inspector_empty.png");
    }
}

void TestInspector::everyFormFitsANarrowDock_data()
{
    formHasOneEditorPerField_data();
}

// In a dock narrower than its widest label and field side by side, a form puts fields under
// their labels: nothing is cut off at the right (the horizontal scroll bar is off).
void TestInspector::everyFormFitsANarrowDock()
{
    QFETCH(QString, typeId);
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    addLoneNode(doc, typeId);
    InspectorWidget inspector(&doc);
    inspector.showNode("node");
    inspector.resize(280, 600);
    inspector.show();
    settle();
    auto *area = inspector.findChild<QScrollArea *>();
    QVERIFY(area && area->widget());
    QVERIFY2(area->widget()->width() <= area->viewport()->width(),
             qPrintable(QStringLiteral("form %1 px wide in a %2 px view")
                            .arg(area->widget()->width())
                            .arg(area->viewport()->width())));
}

void TestInspector::screenshotOfEveryType_data()
{
    formHasOneEditorPerField_data();
}

// A form per built-in type, for a person to look over (screenshots/forms/<type>.png).
void TestInspector::screenshotOfEveryType()
{
    QFETCH(QString, typeId);
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    addLoneNode(doc, typeId);
    InspectorWidget inspector(&doc);
    inspector.showNode("node");
    inspector.resize(420, 400);
    inspector.show();
    settle();
    auto *area = inspector.findChild<QScrollArea *>();
    // Tall enough to show the whole form (wrapped help lines make the height depend on width).
    for (int i = 0; i < 3 && area->verticalScrollBar()->maximum() > 0; ++i) {
        inspector.resize(420, inspector.height() + area->verticalScrollBar()->maximum());
        settle();
    }
    QCOMPARE(area->verticalScrollBar()->maximum(), 0);
    saveScreenshot(&inspector, "forms/" + typeId + ".png");
}

QTEST_MAIN(TestInspector)
#include "tst_inspector.moc"
