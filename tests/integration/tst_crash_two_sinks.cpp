// Crash safety with one source fanned out to two SQLite targets (an append log and an upsert
// table, in different database files): kill -9 weir-run mid-load several times, rerun to the
// end; each target is exact, whichever of the two was ahead when the process died.

#include "support/orders_generator.h"
#include "support/test_support.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace weir::test;

class TestCrashTwoSinks : public QObject
{
    Q_OBJECT

private slots:
    void killNineMidLoadAndRerun()
    {
        QTemporaryDir dir;
        const OrdersDataSet set = writeOrders(dir.path(), 300000, 0.01);
        QVERIFY(!set.prefix.isEmpty());
        const QString input = set.prefix + QStringLiteral("_bad.csv");
        const QString logDb = dir.filePath(QStringLiteral("log.db"));
        const QString latestDb = dir.filePath(QStringLiteral("latest.db"));
        const QString state = dir.filePath(QStringLiteral("state.db"));
        const QString pipeline = dir.filePath(QStringLiteral("two.weir.json"));
        // Different commit sizes, so the two targets commit at different positions.
        writeFile(pipeline,
                  loadPipeline(
                      QStringLiteral("crash_two_sinks"), input,
                      {{QStringLiteral("log"),
                        QJsonObject{{QStringLiteral("path"), logDb},
                                    {QStringLiteral("table"), QStringLiteral("orders_log")},
                                    {QStringLiteral("mode"), QStringLiteral("append")},
                                    {QStringLiteral("commit_rows"), 6000}}},
                       {QStringLiteral("latest"),
                        QJsonObject{{QStringLiteral("path"), latestDb},
                                    {QStringLiteral("table"), QStringLiteral("orders")},
                                    {QStringLiteral("mode"), QStringLiteral("upsert")},
                                    {QStringLiteral("key"), QJsonArray{QStringLiteral("order_id")}},
                                    {QStringLiteral("order_by"), QStringLiteral("updated_at")},
                                    {QStringLiteral("commit_rows"), 10000}}}}));
        const QStringList args{QStringLiteral("run"), pipeline, QStringLiteral("--once"),
                               QStringLiteral("--state"), state};
        const qint64 fileSize = QFileInfo(input).size();

        // Progress is where a rerun resumes: the position both targets have reached.
        int apart = 0;
        const int rounds = 6;
        const QList<qint64> reached = killRepeatedly(
            args,
            [&] {
                const qint64 log = committedOffset(logDb);
                const qint64 latest = committedOffset(latestDb);
                return log < 0 || latest < 0 ? qint64(-1) : std::min(log, latest);
            },
            fileSize, rounds,
            [&] {
                if (committedOffset(logDb) != committedOffset(latestDb))
                    ++apart;
            });
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(reached.size(), rounds);
        QStringList offsets;
        for (const qint64 offset : reached)
            offsets << QString::number(offset);
        qInfo("both targets past %s of %lld after the kills; the targets disagreed after %d of "
              "them",
              qPrintable(offsets.join(',')), fileSize, apart);

        const ProcessResult rest = runWeir(args);
        QVERIFY2(rest.exitCode == 0, rest.err.constData());
        QCOMPARE(committedOffset(logDb), fileSize);
        QCOMPARE(committedOffset(latestDb), fileSize);
        QCOMPARE(queryInt(logDb, QStringLiteral("SELECT count(*) FROM orders_log")),
                 set.bad.validRows);
        QCOMPARE(queryInt(logDb, QStringLiteral("SELECT count(*) FROM (SELECT order_id, "
                                                "updated_at FROM orders_log GROUP BY 1, 2 "
                                                "HAVING count(*) > 1)")),
                 0);
        QCOMPARE(queryInt(latestDb, QStringLiteral("SELECT count(*) FROM orders")),
                 set.bad.distinctIds);
        QCOMPARE(
            queryText(latestDb,
                      QStringLiteral(
                          "SELECT printf('%.2f', sum(round(amount * 100)) / 100.0) FROM orders")),
            set.bad.finalAmountSum);
        for (const auto &[status, count] : set.bad.finalStatusCounts)
            QCOMPARE(
                queryInt(
                    latestDb,
                    QStringLiteral("SELECT count(*) FROM orders WHERE status = '%1'").arg(status)),
                count);
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")),
                 set.bad.badRows);
    }
};

QTEST_GUILESS_MAIN(TestCrashTwoSinks)
#include "tst_crash_two_sinks.moc"
