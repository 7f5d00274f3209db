// Preview panel: selecting a node shows the first records that reach it, computed off the
// GUI thread; a config edit upstream refreshes it; nothing is written.

#include "canvas/commands/edit_config_command.h"
#include "document/pipeline_document.h"
#include "model/node_type_registry.h"
#include "panels/preview_panel.h"
#include "panels/preview_table_model.h"
#include "support/test_support.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace weir;
using namespace weir::ui;

class TestPreviewPanel : public QObject
{
    Q_OBJECT

private slots:
    void showsRecordsAndRefreshesOnEdit()
    {
        QTemporaryDir dir;
        for (const char *name : {"orders.weir.json", "orders_sample.csv"})
            QVERIFY(QFile::copy(weir::test::examplePath(QLatin1String(name)),
                                dir.filePath(QLatin1String(name))));
        PipelineDocument doc(model::NodeTypeRegistry::builtin());
        QVERIFY(doc.load(dir.filePath(QStringLiteral("orders.weir.json"))));

        PreviewPanel panel(&doc);
        panel.resize(900, 360);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy updated(&panel, &PreviewPanel::previewUpdated);

        panel.showNode(QStringLiteral("check"));
        QVERIFY(updated.wait(10000));
        const PreviewTableModel *model = panel.tableModel();
        QCOMPARE(model->rowCount(), PreviewPanel::rowLimit);
        QCOMPARE(model->columnCount(), 6);
        QCOMPARE(model->headerData(1, Qt::Horizontal).toString(), QStringLiteral("order_id"));
        QVERIFY(model->table().truncated);
        const QDir out(QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots"));
        QDir().mkpath(out.path());
        QVERIFY(panel.grab().save(out.filePath(QStringLiteral("preview_panel.png"))));

        // Narrow the statuses the validate node allows: the preview follows the edit.
        updated.clear();
        doc.undoStack()->push(new EditConfigCommand(doc.model(), QStringLiteral("latest"),
                                                    QStringLiteral("key"),
                                                    QJsonArray{QStringLiteral("status")}));
        QVERIFY(updated.wait(10000));
        panel.showNode(QStringLiteral("orders_db"));
        QVERIFY(updated.wait(10000));
        // Deduplicated by status now: one row per status the sample holds.
        QCOMPARE(model->rowCount(), 5);
        QStringList statuses;
        for (int r = 0; r < model->rowCount(); ++r)
            statuses << model->data(model->index(r, 4)).toString();
        statuses.sort();
        QCOMPARE(statuses, QStringList({"cancelled", "paid", "pending", "refunded", "shipped"}));
        QVERIFY(!model->table().truncated);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("orders.db"))));
    }

    void unsavedPipelineAsksToSave()
    {
        PipelineDocument doc(model::NodeTypeRegistry::builtin());
        PreviewPanel panel(&doc);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy updated(&panel, &PreviewPanel::previewUpdated);
        model::NodeSpec node;
        node.id = QStringLiteral("csv");
        node.type = QStringLiteral("csv.source");
        doc.model()->insertNode(0, node);
        panel.showNode(QStringLiteral("csv"));
        QVERIFY(updated.wait(5000));
        QCOMPARE(panel.tableModel()->rowCount(), 0);
    }
};

QTEST_MAIN(TestPreviewPanel)
#include "tst_preview_panel.moc"
