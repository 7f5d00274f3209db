// Crash safety of loads into PostgreSQL: kill -9 weir-run several times mid-load into two
// postgres.sink targets (append with small commits, upsert by order_id with last write wins and
// bigger ones), then run it to the end. Each target then holds what the file says exactly once:
// every valid row in the append table with no (order_id, updated_at) twice; one row per order
// with the final amounts in the upsert table; every bad row once in the dead-letter queue.

#include "support/orders_generator.h"
#include "support/postgres_server.h"
#include "support/test_support.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace weir::test;

class TestCrashPostgres : public QObject
{
    Q_OBJECT

private slots:
    void killNineMidLoadAndRerun()
    {
        PostgresServer server;
        QVERIFY2(server.start(), qPrintable(server.error()));
        QTemporaryDir dir;
        const OrdersDataSet set = writeOrders(dir.path(), 200000, 0.01);
        QVERIFY(!set.prefix.isEmpty());
        const QString input = set.prefix + QStringLiteral("_bad.csv");
        const QString state = dir.filePath(QStringLiteral("state.db"));
        const QString pipeline = dir.filePath(QStringLiteral("pg.weir.json"));
        qputenv("WEIR_TEST_PG", server.uri().toUtf8());
        const QString connection = QStringLiteral("${env:WEIR_TEST_PG}");
        writeFile(pipeline,
                  loadPipeline(
                      QStringLiteral("crash_postgres"), input,
                      {{QStringLiteral("log"),
                        QJsonObject{{QStringLiteral("connection"), connection},
                                    {QStringLiteral("table"), QStringLiteral("orders_log")},
                                    {QStringLiteral("mode"), QStringLiteral("append")},
                                    {QStringLiteral("commit_rows"), 4000}}},
                       {QStringLiteral("latest"),
                        QJsonObject{{QStringLiteral("connection"), connection},
                                    {QStringLiteral("table"), QStringLiteral("orders")},
                                    {QStringLiteral("key"), QJsonArray{QStringLiteral("order_id")}},
                                    {QStringLiteral("order_by"), QStringLiteral("updated_at")},
                                    {QStringLiteral("commit_rows"), 20000}}}},
                      QStringLiteral("postgres.sink")));
        const QStringList args{QStringLiteral("run"), pipeline, QStringLiteral("--once"),
                               QStringLiteral("--state"), state};
        const qint64 fileSize = QFileInfo(input).size();
        auto committed = [&](const char *sink) {
            const QString offset = server.scalar(
                QStringLiteral("SELECT coalesce(max(\"offset\"), 0) FROM _weir_offsets WHERE "
                               "sink = '%1'")
                    .arg(QLatin1String(sink)));
            return offset.startsWith(QLatin1String("error")) ? qint64(0) : offset.toLongLong();
        };

        const int rounds = 5;
        const QList<qint64> reached = killRepeatedly(
            args, [&] { return committed("log"); }, fileSize, rounds);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(reached.size(), rounds);

        const ProcessResult rest = runWeir(args);
        QVERIFY2(rest.exitCode == 0, rest.err.constData());
        QCOMPARE(committed("log"), fileSize);
        QCOMPARE(committed("latest"), fileSize);
        QCOMPARE(server.scalar(QStringLiteral("SELECT count(*) FROM orders_log")).toLongLong(),
                 set.bad.validRows);
        QCOMPARE(server.scalar(QStringLiteral("SELECT count(*) FROM (SELECT order_id, updated_at "
                                              "FROM orders_log GROUP BY 1, 2 HAVING count(*) > "
                                              "1) twice")),
                 QStringLiteral("0"));
        QCOMPARE(server.scalar(QStringLiteral("SELECT count(*) FROM orders")).toLongLong(),
                 set.bad.distinctIds);
        QCOMPARE(server.scalar(QStringLiteral("SELECT sum(amount) FROM orders")),
                 set.bad.finalAmountSum);
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")),
                 set.bad.badRows);
    }
};

QTEST_GUILESS_MAIN(TestCrashPostgres)
#include "tst_crash_postgres.moc"
