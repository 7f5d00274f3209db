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
                                    {QStringLiteral("commit_rows"), 2000}}},
                       {QStringLiteral("latest"),
                        QJsonObject{{QStringLiteral("path"), latestDb},
                                    {QStringLiteral("table"), QStringLiteral("orders")},
                                    {QStringLiteral("mode"), QStringLiteral("upsert")},
                                    {QStringLiteral("key"), QJsonArray{QStringLiteral("order_id")}},
                                    {QStringLiteral("order_by"), QStringLiteral("updated_at")},
                                    {QStringLiteral("commit_rows"), 40000}}}}));
        const QStringList args{QStringLiteral("run"), pipeline, QStringLiteral("--once"),
                               QStringLiteral("--state"), state};
        const qint64 fileSize = QFileInfo(input).size();

        // Kill once the append target (committing every batch) has passed each mark: the
        // upsert target (bigger commits) is then usually behind, so the rerun resumes from its
        // position and the append target has to skip what it already holds.
        int appendAhead = 0, upsertAhead = 0;
        const int rounds = 6;
        const QList<qint64> reached = killRepeatedly(
            args, [&] { return committedOffset(logDb); }, fileSize, rounds,
            [&] {
                const qint64 log = committedOffset(logDb);
                const qint64 latest = committedOffset(latestDb);
                appendAhead += log > latest ? 1 : 0;
                upsertAhead += latest > log ? 1 : 0;
            });
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(reached.size(), rounds);
        QStringList offsets;
        for (const qint64 offset : reached)
            offsets << QString::number(offset);
        qInfo("append target at %s of %lld after the kills; it was ahead after %d of them, the "
              "upsert target after %d",
              qPrintable(offsets.join(',')), fileSize, appendAhead, upsertAhead);

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

        // Once more over the same file: nothing read, neither target changes.
        const QString logBefore = queryText(
            logDb, QStringLiteral("SELECT count(*) || '/' || sum(round(amount * 100)) FROM "
                                  "orders_log"));
        const QString latestBefore = queryText(
            latestDb,
            QStringLiteral("SELECT count(*) || '/' || sum(round(amount * 100)) FROM orders"));
        const ProcessResult replay = runWeir(args);
        QVERIFY2(replay.exitCode == 0, replay.err.constData());
        QVERIFY2(replay.err.contains("0 read, 0 written, 0 dead letters"), replay.err.constData());
        QCOMPARE(queryText(logDb, QStringLiteral("SELECT count(*) || '/' || "
                                                 "sum(round(amount * 100)) FROM orders_log")),
                 logBefore);
        QCOMPARE(queryText(latestDb, QStringLiteral("SELECT count(*) || '/' || "
                                                    "sum(round(amount * 100)) FROM orders")),
                 latestBefore);
    }
};

QTEST_GUILESS_MAIN(TestCrashTwoSinks)
#include "tst_crash_two_sinks.moc"
