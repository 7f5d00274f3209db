// Autosave: a modified document gets a recovery copy that a later session finds and loads;
// saving or a clean exit removes it; a copy another running Weir keeps is not offered.

#include "canvas/commands/rename_node_command.h"
#include "document/document_autosave.h"
#include "document/pipeline_document.h"
#include "model/node_type_registry.h"
#include "support/test_support.h"

#include <QCoreApplication>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cstdlib>
#include <cstring>

using namespace weir;
using weir::test::examplePath;
using namespace weir::ui;

namespace {

// Child mode: open `pipeline`, rename a node, autosave into `folder`, then die without any
// clean-up, the way a crash would.
[[noreturn]] void crashAfterAutosave(const QString &pipeline, const QString &folder)
{
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    if (!doc.load(pipeline))
        std::_Exit(3);
    doc.undoStack()->push(
        new RenameNodeCommand(doc.model(), QStringLiteral("check"), QStringLiteral("Recovered")));
    auto *autosave = new DocumentAutosave(&doc, folder, 60000);
    autosave->saveNow();
    std::_Exit(0);
}

} // namespace

class TestAutosave : public QObject
{
    Q_OBJECT

private slots:
    void copyFollowsModifiedState();
    void crashedSessionIsRecovered();
    void liveSessionIsNotOffered();
};

void TestAutosave::copyFollowsModifiedState()
{
    QTemporaryDir dir;
    const QString pipeline = dir.filePath(QStringLiteral("orders.weir.json"));
    QVERIFY(QFile::copy(examplePath(), pipeline));
    const QString folder = dir.filePath(QStringLiteral("autosave"));
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    QVERIFY(doc.load(pipeline));
    {
        DocumentAutosave autosave(&doc, folder, 60000);
        autosave.saveNow();
        QVERIFY(!QFile::exists(autosave.copyPath())); // nothing unsaved yet
        doc.undoStack()->push(
            new RenameNodeCommand(doc.model(), QStringLiteral("check"), QStringLiteral("X")));
        autosave.saveNow();
        QFile copy(autosave.copyPath());
        QVERIFY(copy.open(QIODevice::ReadOnly));
        QCOMPARE(copy.readAll(), doc.toJson());
        copy.close();
        QVERIFY(doc.save());
        QVERIFY(!QFile::exists(autosave.copyPath())); // saved: nothing to recover
        doc.undoStack()->undo();
        autosave.saveNow();
        QVERIFY(QFile::exists(autosave.copyPath()));
    }
    // A clean exit removes the copy.
    QVERIFY(DocumentAutosave::recoverable(folder).empty());
    QCOMPARE(QDir(folder).entryList({QStringLiteral("*.weir.json")}, QDir::Files).size(), 0);
}

void TestAutosave::crashedSessionIsRecovered()
{
    QTemporaryDir dir;
    const QString pipeline = dir.filePath(QStringLiteral("orders.weir.json"));
    QVERIFY(QFile::copy(examplePath(), pipeline));
    const QString folder = dir.filePath(QStringLiteral("autosave"));
    QProcess child;
    child.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("--crash-after-autosave"), pipeline, folder});
    QVERIFY(child.waitForFinished(30000));
    QCOMPARE(child.exitCode(), 0);

    const auto found = DocumentAutosave::recoverable(folder);
    QCOMPARE(found.size(), std::size_t(1));
    QCOMPARE(found.front().originalPath, QFileInfo(pipeline).absoluteFilePath());
    QVERIFY(found.front().savedAt.isValid());
    Result<model::Pipeline> recovered = DocumentAutosave::load(found.front());
    QVERIFY(recovered);
    QCOMPARE(recovered->node(QStringLiteral("check"))->label, QStringLiteral("Recovered"));

    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    doc.restore(std::move(recovered.value()), found.front().originalPath);
    QVERIFY(doc.isModified());
    QCOMPARE(doc.filePath(), QFileInfo(pipeline).absoluteFilePath());
    DocumentAutosave::remove(found.front());
    QVERIFY(DocumentAutosave::recoverable(folder).empty());
}

void TestAutosave::liveSessionIsNotOffered()
{
    QTemporaryDir dir;
    const QString folder = dir.filePath(QStringLiteral("autosave"));
    PipelineDocument doc(model::NodeTypeRegistry::builtin());
    QVERIFY(doc.load(examplePath()));
    DocumentAutosave autosave(&doc, folder, 60000);
    doc.undoStack()->push(
        new RenameNodeCommand(doc.model(), QStringLiteral("check"), QStringLiteral("X")));
    autosave.saveNow();
    QVERIFY(QFile::exists(autosave.copyPath()));
    QVERIFY(DocumentAutosave::recoverable(folder).empty());
}

int main(int argc, char *argv[])
{
    if (argc == 4 && std::strcmp(argv[1], "--crash-after-autosave") == 0) {
        QCoreApplication app(argc, argv);
        crashAfterAutosave(QString::fromLocal8Bit(argv[2]), QString::fromLocal8Bit(argv[3]));
    }
    QCoreApplication app(argc, argv);
    TestAutosave test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_autosave.moc"
