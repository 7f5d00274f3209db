// The editors on their own: how mapping values read as cell text and back, what the SQL
// highlighter colours, that the secret editor only ever emits references, and how paths are
// stored and folder fields recognised.

#include "inspector/editors/mapping_values.h"
#include "inspector/editors/path_field_editor.h"
#include "inspector/editors/secret_field_editor.h"
#include "inspector/editors/sql_highlighter.h"
#include "model/node_type_registry.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>

using namespace weir;
using namespace weir::ui;
using model::ConfigField;
using model::FieldKind;

namespace {

QJsonValue json(const char *text)
{
    return QJsonDocument::fromJson(QByteArray("[") + text + "]").array().first();
}

} // namespace

class TestFieldEditors : public QObject
{
    Q_OBJECT

private slots:
    void mappingValues_data();
    void mappingValues();
    void secretEditorWritesOnlyReferences();
    void sqlHighlighterColoursTokens_data();
    void sqlHighlighterColoursTokens();
    void pathsAreStoredRelativeInsideTheBaseFolder();
    void folderFieldsPickFolders_data();
    void folderFieldsPickFolders();
};

void TestFieldEditors::mappingValues_data()
{
    QTest::addColumn<QJsonValue>("value");
    QTest::addColumn<QString>("text");
    QTest::newRow("text") << QJsonValue("decimal") << "decimal";
    QTest::newRow("number") << QJsonValue(42) << "42";
    QTest::newRow("real") << QJsonValue(0.5) << "0.5";
    QTest::newRow("bool") << QJsonValue(true) << "true";
    QTest::newRow("text list") << json("[\"paid\", \"shipped\"]") << "paid, shipped";
    QTest::newRow("number list") << json("[1, 2.5]") << "1, 2.5";
    QTest::newRow("list with commas") << json("[\"a, b\", \"c\"]") << "[\"a, b\", \"c\"]";
    QTest::newRow("object") << json("{\"min\": 0, \"max\": 10}") << "{\"max\": 10, \"min\": 0}";
    QTest::newRow("nested") << json("{\"in\": [1, {\"x\": null}]}")
                            << "{\"in\": [1, {\"x\": null}]}";
}

void TestFieldEditors::mappingValues()
{
    QFETCH(QJsonValue, value);
    QFETCH(QString, text);
    QCOMPARE(cellText(value), text);
    QString error;
    const auto parsed = parseCellText(text, shapeOf(value), &error);
    QVERIFY2(parsed, qPrintable(error));
    QCOMPARE(*parsed, value);
    QCOMPARE(error, QString());
}

void TestFieldEditors::secretEditorWritesOnlyReferences()
{
    const ConfigField field =
        ConfigField::of("password", FieldKind::Secret, "Password", "Database password.");
    SecretFieldEditor editor(field);
    editor.show();
    QSignalSpy edited(&editor, &FieldEditor::edited);
    QTest::keyClicks(editor.nameEdit(), "PG_PASSWORD");
    QCOMPARE(editor.value(), QJsonValue("${env:PG_PASSWORD}"));
    QCOMPARE(edited.count(), 11);

    editor.providerBox()->setFocus();
    QTest::keyClick(editor.providerBox(), Qt::Key_Down);
    QCOMPARE(editor.value(), QJsonValue("${keychain:PG_PASSWORD}"));

    // Pasting the secret itself is refused: nothing is written, the name stays, a notice says
    // why.
    const int before = static_cast<int>(edited.count());
    for (const char *secret : {"hunter2!", "ghp_4fG8kLm2Qz9XyTb7Vw1NpR3s"}) {
        QGuiApplication::clipboard()->setText(QString::fromLatin1(secret));
        editor.nameEdit()->selectAll();
        QTest::keyClick(editor.nameEdit(), Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(editor.nameEdit()->text(), QStringLiteral("PG_PASSWORD"));
        QCOMPARE(editor.value(), QJsonValue("${keychain:PG_PASSWORD}"));
        QVERIFY(editor.message().startsWith("Secrets are never stored in the pipeline."));
    }
    // Typing a character no name has is refused as well.
    QTest::keyClicks(editor.nameEdit(), "$");
    QCOMPARE(editor.nameEdit()->text(), QStringLiteral("PG_PASSWORD"));
    QCOMPARE(edited.count(), before);

    // A whole reference pasted in is taken apart.
    QGuiApplication::clipboard()->setText("${env:WAREHOUSE_TOKEN}");
    editor.nameEdit()->selectAll();
    QTest::keyClick(editor.nameEdit(), Qt::Key_V, Qt::ControlModifier);
    QCOMPARE(editor.nameEdit()->text(), QStringLiteral("WAREHOUSE_TOKEN"));
    QCOMPARE(editor.providerBox()->currentData().toString(), QStringLiteral("env"));
    QCOMPARE(editor.value(), QJsonValue("${env:WAREHOUSE_TOKEN}"));
    QCOMPARE(editor.message(), QString());

    static const QRegularExpression reference("\\A\\$\\{(env|keychain):[A-Za-z0-9_.-]+\\}\\z");
    for (const QList<QVariant> &args : edited) {
        const QJsonValue v = args.at(0).value<QJsonValue>();
        QVERIFY2(v.isUndefined() || reference.match(v.toString()).hasMatch(),
                 qPrintable(v.toString()));
    }

    // Clear text in a hand-edited file is neither shown nor lost by opening the form.
    editor.setValue(QJsonValue("s3cret"));
    QCOMPARE(editor.nameEdit()->text(), QString());
    QCOMPARE(editor.value(), QJsonValue("s3cret"));
    QVERIFY(!editor.message().isEmpty());
    for (const QLabel *label : editor.findChildren<QLabel *>())
        QVERIFY(!label->text().contains("s3cret"));
}

void TestFieldEditors::sqlHighlighterColoursTokens_data()
{
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("expected"); // per character: k s i n c or .
    QTest::newRow("keywords and string") << "select 'a''b' from t"
                                         << "kkkkkk.ssssss.kkkk..";
    QTest::newRow("number and comment") << "x > 1.5e3 -- big"
                                        << "....nnnnn.cccccc";
    QTest::newRow("identifier") << "\"Order Id\" AS id"
                                << "iiiiiiiiii.kk...";
    QTest::newRow("digits in a name") << "col1 IN (2)"
                                      << ".....kk..n.";
    QTest::newRow("block comment over lines") << "a /* one\ntwo */ WHERE"
                                              << "..cccccc\ncccccc.kkkkk";
    QTest::newRow("string over lines") << "'one\ntwo' OR"
                                       << "ssss\nssss.kk";
}

void TestFieldEditors::sqlHighlighterColoursTokens()
{
    QFETCH(QString, sql);
    QFETCH(QString, expected);
    QTextDocument document;
    SqlHighlighter highlighter(&document);
    document.setPlainText(sql);
    highlighter.rehighlight();
    QString actual;
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        if (block != document.begin())
            actual += '\n';
        QString line(block.length() - 1, '.');
        for (const QTextLayout::FormatRange &range : block.layout()->formats()) {
            const QColor color = range.format.foreground().color();
            QChar mark = '?';
            if (range.format.fontWeight() == QFont::DemiBold)
                mark = 'k';
            else if (range.format.fontItalic())
                mark = 'c';
            else if (color == QColor(0xa3, 0x15, 0x15))
                mark = 's';
            else if (color == QColor(0x79, 0x5e, 0x26))
                mark = 'i';
            else if (color == QColor(0x09, 0x86, 0x58))
                mark = 'n';
            for (int i = range.start; i < range.start + range.length; ++i)
                line[i] = mark;
        }
        actual += line;
    }
    QCOMPARE(actual, expected);
}

void TestFieldEditors::pathsAreStoredRelativeInsideTheBaseFolder()
{
    QCOMPARE(PathFieldEditor::storedPath("/data/p/orders.csv", "/data/p"),
             QStringLiteral("orders.csv"));
    QCOMPARE(PathFieldEditor::storedPath("/data/p/in/../in/a.csv", "/data/p"),
             QStringLiteral("in/a.csv"));
    QCOMPARE(PathFieldEditor::storedPath("/data/p", "/data/p"), QStringLiteral("."));
    QCOMPARE(PathFieldEditor::storedPath("/data/pp/a.csv", "/data/p"),
             QStringLiteral("/data/pp/a.csv"));
    QCOMPARE(PathFieldEditor::storedPath("/elsewhere/a.csv", "/data/p"),
             QStringLiteral("/elsewhere/a.csv"));
    QCOMPARE(PathFieldEditor::storedPath("/data/p/a.csv", QString()),
             QStringLiteral("/data/p/a.csv"));
}

void TestFieldEditors::folderFieldsPickFolders_data()
{
    QTest::addColumn<QString>("typeId");
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("folder");
    QTest::newRow("watched folder") << "folder.source"
                                    << "folder" << true;
    QTest::newRow("zone lake") << "zones.sink"
                               << "root" << true;
    QTest::newRow("csv file") << "csv.source"
                              << "path" << false;
    QTest::newRow("sqlite database") << "sqlite.sink"
                                     << "path" << false;
}

void TestFieldEditors::folderFieldsPickFolders()
{
    QFETCH(QString, typeId);
    QFETCH(QString, key);
    QFETCH(bool, folder);
    const model::NodeType *type = model::NodeTypeRegistry::builtin().find(typeId);
    PathFieldEditor editor(*type->schema.field(key), {});
    QCOMPARE(editor.choosesFolder(), folder);
}

QTEST_MAIN(TestFieldEditors)
#include "tst_field_editors.moc"
