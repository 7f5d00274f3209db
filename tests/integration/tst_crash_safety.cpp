// Crash safety: kill -9 weir-run at several points of a 1M-row load and rerun each time; the
// target ends equal to the expected result exactly and no dead letter is stored twice.

#include "support/test_support.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

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
        const QString db = dir.filePath(QStringLiteral("crash.db"));
        const QString state = dir.filePath(QStringLiteral("state.db"));
        const QString pipeline = dir.filePath(QStringLiteral("crash.weir.json"));
        writeFile(pipeline, ordersPipeline(QStringLiteral("crash"), QStringLiteral("csv.source"),
                                           prefix + QStringLiteral("_bad.csv"), db, 10000));
        const QJsonObject expected = readJsonFile(prefix + QStringLiteral("_bad.expected.json"));
        const QStringList args{QStringLiteral("run"), pipeline, QStringLiteral("--once"),
                               QStringLiteral("--state"), state};

        // Kill at growing delays; each rerun must resume, never restart from zero.
        qint64 lastOffset = 0;
        int kills = 0;
        for (int delayMs : {150, 400, 700, 1000, 1300, 1600, 2000}) {
            QProcess p;
            p.start(weirRunPath(), args);
            QVERIFY(p.waitForStarted());
            if (p.waitForFinished(delayMs))
                break; // done before we could kill it: the rest of the load was short
            ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
            QVERIFY(p.waitForFinished(10000));
            ++kills;
            const qint64 offset =
                QFileInfo::exists(db)
                    ? queryInt(db, QStringLiteral(
                                       "SELECT coalesce(max(\"offset\"), 0) FROM _weir_offsets"))
                    : 0;
            QVERIFY2(offset >= lastOffset, "committed offset went backwards");
            lastOffset = offset;
        }
        QVERIFY2(
            kills >= 5,
            qPrintable(QStringLiteral("only %1 kills landed before the load ended").arg(kills)));

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
