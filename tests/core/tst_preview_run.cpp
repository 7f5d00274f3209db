// Data preview: the first records reaching a node, through the transforms on the way, with
// nothing written — no target file, no committed position, dead letters only counted.

#include "engine/preview_run.h"
#include "model/pipeline_json.h"
#include "support/test_support.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace weir;

class TestPreviewRun : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    model::Pipeline m_pipeline;

    QString dir() const { return m_dir.path(); }

private slots:
    void initTestCase()
    {
        for (const char *name : {"orders.weir.json", "orders_sample.csv"})
            QVERIFY(QFile::copy(weir::test::examplePath(QLatin1String(name)),
                                m_dir.filePath(QLatin1String(name))));
        auto parsed = model::loadPipelineFile(m_dir.filePath(QStringLiteral("orders.weir.json")));
        QVERIFY(parsed.pipeline);
        m_pipeline = *parsed.pipeline;
    }

    void sourceShowsTheFileAsRead()
    {
        auto table = engine::previewNode(m_pipeline, dir(), QStringLiteral("orders_csv"),
                                         model::NodeTypeRegistry::builtin(), 5);
        QVERIFY2(table, qPrintable(table ? QString() : table.error().message));
        QCOMPARE(table->columns,
                 QStringList({"op", "order_id", "customer_id", "amount", "status", "updated_at"}));
        QCOMPARE(table->rows.size(), std::size_t(5));
        QVERIFY(table->truncated);
        QCOMPARE(table->rows[0].at(0), QStringLiteral("r"));
        QFile csv(m_dir.filePath(QStringLiteral("orders_sample.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        csv.readLine(); // header
        const QStringList first =
            QString::fromUtf8(csv.readLine().trimmed()).split(QLatin1Char(','));
        QCOMPARE(table->rows[0].mid(1), first);
    }

    void transformsOnTheWayApply()
    {
        auto table = engine::previewNode(m_pipeline, dir(), QStringLiteral("check"),
                                         model::NodeTypeRegistry::builtin(), 1000);
        QVERIFY(table);
        // 200 sample rows; the validate node refuses the 12 bad ones (see tst_cli).
        QCOMPARE(table->rows.size(), std::size_t(188));
        QCOMPARE(table->deadLetters, 12);
        QVERIFY(!table->truncated);
    }

    void sinkShowsWhatArrivesAndNothingIsWritten()
    {
        std::atomic<bool> stop{false};
        auto table = engine::previewNode(m_pipeline, dir(), QStringLiteral("orders_db"),
                                         model::NodeTypeRegistry::builtin(), 1000, &stop);
        QVERIFY(table);
        auto deduped = engine::previewNode(m_pipeline, dir(), QStringLiteral("latest"),
                                           model::NodeTypeRegistry::builtin(), 1000);
        QVERIFY(deduped);
        QCOMPARE(table->rows, deduped->rows);
        QCOMPARE(table->rows.size(), std::size_t(182)); // one per order, as the target gets
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("orders.db"))));
    }

    void unknownNodeIsAnError()
    {
        auto table = engine::previewNode(m_pipeline, dir(), QStringLiteral("nope"),
                                         model::NodeTypeRegistry::builtin(), 10);
        QVERIFY(!table);
        QVERIFY(table.error().message.contains(QStringLiteral("nope")));
    }

    void stopEndsItEarly()
    {
        std::atomic<bool> stop{true};
        auto table = engine::previewNode(m_pipeline, dir(), QStringLiteral("check"),
                                         model::NodeTypeRegistry::builtin(), 1000, &stop);
        QVERIFY(table);
        QCOMPARE(table->rows.size(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestPreviewRun)
#include "tst_preview_run.moc"
