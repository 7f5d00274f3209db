// Crash safety: kill -9 weir-run at several points of a 1M-row load and rerun each time; the
// target ends equal to the expected result exactly and no dead letter is stored twice.

#include "support/test_support.h"

#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using namespace weir::test;

class TestCrashSafety : public QObject
{
    Q_OBJECT

private slots:
    void killNineAndRerun()
    {
        QTemporaryDir dir;
        const int rows = 1000000;
        const QString prefix = generateOrders(dir.path(), rows, 0.001);
        const QString input = prefix + QStringLiteral("_bad.csv");
        const QString db = dir.filePath(QStringLiteral("crash.db"));
        const QString state = dir.filePath(QStringLiteral("state.db"));
        const QString pipeline = dir.filePath(QStringLiteral("crash.weir.json"));
        // Commits of 20,000 rows: many positions for the kills to land between.
        writeFile(pipeline, ordersPipeline(QStringLiteral("crash"), QStringLiteral("csv.source"),
                                           input, db, 10000, 20000));
        const QJsonObject expected = readJsonFile(prefix + QStringLiteral("_bad.expected.json"));
        const QStringList args{QStringLiteral("run"), pipeline, QStringLiteral("--once"),
                               QStringLiteral("--state"), state};

        // Each kill waits until the committed offset has passed a growing share of the file
        // (and the previous kill's), so it lands mid-load on fast and slow machines alike, and
        // each rerun must resume rather than restart from zero.
        const int rounds = 6;
        const QList<qint64> reached = killRepeatedly(
            args, [&] { return committedOffset(db); }, QFileInfo(input).size(), rounds);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(reached.size(), rounds);
        QStringList offsets;
        for (const qint64 offset : reached)
            offsets << QString::number(offset);
        qInfo("committed offsets after the kills: %s of %lld", qPrintable(offsets.join(',')),
              QFileInfo(input).size());

        const ProcessResult last = runWeir(args, 300000);
        QVERIFY2(last.exitCode == 0, last.err.constData());
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM orders")),
                 expected.value(QStringLiteral("distinct_ids")).toInteger());
        QCOMPARE(
            queryText(db,
                      QStringLiteral(
                          "SELECT printf('%.2f', sum(round(amount * 100)) / 100.0) FROM orders")),
            expected.value(QStringLiteral("final_amount_sum")).toString());
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")),
                 expected.value(QStringLiteral("bad_rows")).toInteger());

        // And the same file once more changes nothing.
        const QString before = queryText(
            db, QStringLiteral("SELECT count(*) || '/' || sum(round(amount * 100)) FROM orders"));
        const ProcessResult replay = runWeir(args, 300000);
        QCOMPARE(replay.exitCode, 0);
        QCOMPARE(
            queryText(db, QStringLiteral(
                              "SELECT count(*) || '/' || sum(round(amount * 100)) FROM orders")),
            before);
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")),
                 expected.value(QStringLiteral("bad_rows")).toInteger());
        QVERIFY2(replay.err.contains("0 read, 0 written"), replay.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crash_safety.moc"
