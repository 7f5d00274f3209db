// Crash safety of loads into PostgreSQL: kill -9 weir-run several times mid-load into two
// postgres.sink targets (append with small commits, upsert by order_id with last write wins and
// bigger ones), then run it to the end. Each target then holds what the file says exactly once:
// every valid row in the append table with no (order_id, updated_at) twice; one row per order
// with the final amounts in the upsert table; every bad row once in the dead-letter queue.
// And reading from PostgreSQL: kill -9 a postgres.source -> sqlite.sink append load several
// times, four rows to each watermark so batches and commits split ties, then run it to the end:
// every source row lands once.

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

    void killNineWhileReadingPostgres()
    {
        PostgresServer server;
        QVERIFY2(server.start(), qPrintable(server.error()));
        const qint64 rows = 200000;
        const QString created = server.scalar(
            QStringLiteral("CREATE TABLE events (id bigint PRIMARY KEY, seq bigint NOT NULL, "
                           "amount bigint, note text); INSERT INTO events SELECT i, i / 4, (i * "
                           "7919) % 100003, 'event ' || i FROM generate_series(1, %1) i; "
                           "CREATE INDEX ON events (seq, id); SELECT max(seq) FROM events")
                .arg(rows));
        QVERIFY2(!created.startsWith(QLatin1String("error")), qPrintable(created));
        const qint64 lastSeq = created.toLongLong();
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("copy.db"));
        const QString state = dir.filePath(QStringLiteral("state.db"));
        const QString pipeline = dir.filePath(QStringLiteral("pg_read.weir.json"));
        qputenv("WEIR_TEST_PG", server.uri().toUtf8());
        const QJsonObject source{
            {QStringLiteral("connection"), QStringLiteral("${env:WEIR_TEST_PG}")},
            {QStringLiteral("table"), QStringLiteral("events")},
            {QStringLiteral("watermark_column"), QStringLiteral("seq")},
            {QStringLiteral("key_column"), QStringLiteral("id")},
            {QStringLiteral("batch_size"), 1999}};
        const QJsonObject sink{{QStringLiteral("path"), target},
                               {QStringLiteral("table"), QStringLiteral("events")},
                               {QStringLiteral("mode"), QStringLiteral("append")},
                               {QStringLiteral("commit_rows"), 3000}};
        writeFile(pipeline, sourceToSinkPipeline(QStringLiteral("crash_postgres_source"),
                                                 QStringLiteral("postgres.source"), source,
                                                 QStringLiteral("sqlite.sink"), sink));
        const QStringList args{QStringLiteral("run"), pipeline, QStringLiteral("--once"),
                               QStringLiteral("--state"), state};

        const int rounds = 4;
        const QList<qint64> reached = killRepeatedly(
            args, [&] { return committedOffset(target); }, lastSeq, rounds);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(reached.size(), rounds);

        const ProcessResult rest = runWeir(args);
        QVERIFY2(rest.exitCode == 0, rest.err.constData());
        QCOMPARE(committedOffset(target), lastSeq);
        QCOMPARE(queryInt(target, QStringLiteral("SELECT count(*) FROM events")), rows);
        QCOMPARE(queryInt(target, QStringLiteral("SELECT count(DISTINCT id) FROM events")), rows);
        QCOMPARE(queryInt(target, QStringLiteral("SELECT sum(amount) FROM events")),
                 server.scalar(QStringLiteral("SELECT sum(amount) FROM events")).toLongLong());
        QCOMPARE(queryInt(target, QStringLiteral("SELECT count(*) FROM events WHERE note <> "
                                                 "'event ' || id")),
                 qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestCrashPostgres)
#include "tst_crash_postgres.moc"
