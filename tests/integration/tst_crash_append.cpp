// Crash safety of an append load: kill -9 weir-run mid-load several times, rerun to the end;
// the target holds every valid row exactly once and the dead-letter queue every bad row once.

#include "support/orders_generator.h"
#include "support/test_support.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace weir::test;

namespace {

const QString duplicatePairs = QStringLiteral(
    "SELECT count(*) FROM (SELECT order_id, updated_at FROM orders_log GROUP BY 1, 2 "
    "HAVING count(*) > 1)");

} // namespace

class TestCrashAppend : public QObject
{
    Q_OBJECT

private slots:
    void killNineMidLoadAndRerun()
    {
        QTemporaryDir dir;
        const OrdersDataSet set = writeOrders(dir.path(), 400000, 0.01);
        QVERIFY(!set.prefix.isEmpty());
        const QString input = set.prefix + QStringLiteral("_bad.csv");
        const QString db = dir.filePath(QStringLiteral("append.db"));
        const QString state = dir.filePath(QStringLiteral("state.db"));
        const QString pipeline = dir.filePath(QStringLiteral("append.weir.json"));
        // Small commits, so that the kills find many committed positions to resume from.
        writeFile(
            pipeline,
            loadPipeline(QStringLiteral("crash_append"), input,
                         {{QStringLiteral("log"),
                           QJsonObject{{QStringLiteral("path"), db},
                                       {QStringLiteral("table"), QStringLiteral("orders_log")},
                                       {QStringLiteral("mode"), QStringLiteral("append")},
                                       {QStringLiteral("commit_rows"), 10000}}}}));
        const QStringList args{QStringLiteral("run"), pipeline, QStringLiteral("--once"),
                               QStringLiteral("--state"), state};
        const qint64 fileSize = QFileInfo(input).size();

        const int rounds = 8;
        const QList<qint64> reached = killRepeatedly(
            args, [&] { return committedOffset(db); }, fileSize, rounds);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(reached.size(), rounds);
        QStringList offsets;
        for (const qint64 offset : reached)
            offsets << QString::number(offset);
        qInfo("committed offsets after the kills: %s of %lld", qPrintable(offsets.join(',')),
              fileSize);

        const ProcessResult rest = runWeir(args);
        QVERIFY2(rest.exitCode == 0, rest.err.constData());
        QCOMPARE(committedOffset(db), fileSize);
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM orders_log")),
                 set.bad.validRows);
        QCOMPARE(queryInt(db, duplicatePairs), 0);
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")),
                 set.bad.badRows);

        // Once more over the same file: nothing read, nothing changed.
        const QString fingerprint = QStringLiteral(
            "SELECT count(*) || '/' || sum(order_id) || '/' || sum(round(amount * 100)) "
            "FROM orders_log");
        const QString before = queryText(db, fingerprint);
        const ProcessResult replay = runWeir(args);
        QVERIFY2(replay.exitCode == 0, replay.err.constData());
        QVERIFY2(replay.err.contains("0 read, 0 written, 0 dead letters"), replay.err.constData());
        QCOMPARE(queryText(db, fingerprint), before);
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")),
                 set.bad.badRows);
    }
};

QTEST_GUILESS_MAIN(TestCrashAppend)
#include "tst_crash_append.moc"
