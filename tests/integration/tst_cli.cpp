// weir-run as a user meets it: help on every command, exit codes, validation messages,
// the example pipeline, idempotent reruns, and the dead-letter commands.

#include "common/sqlite_db.h"
#include "support/test_support.h"

#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace weir::test;

class TestCli : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString exampleCopy()
    {
        // A fresh folder per test: the target and its offsets must not leak between tests.
        static int copies = 0;
        const QString target = m_dir.filePath(QStringLiteral("example%1").arg(++copies));
        QDir().mkpath(target);
        const QString examples = sourceDir() + QStringLiteral("/resources/examples");
        QDirIterator it(examples, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString from = it.next();
            const QString to = target + QLatin1Char('/') + QDir(examples).relativeFilePath(from);
            QDir().mkpath(QFileInfo(to).absolutePath());
            QFile::copy(from, to);
        }
        return target;
    }

private slots:
    void helpOnEveryCommand_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("top") << QStringList{QStringLiteral("--help")} << "Exit codes";
        QTest::newRow("run") << QStringList{QStringLiteral("run"), QStringLiteral("--help")}
                             << "--once";
        QTest::newRow("validate") << QStringList{QStringLiteral("validate"),
                                                 QStringLiteral("--help")}
                                  << "Exit 0 when valid";
        QTest::newRow("list-node-types")
            << QStringList{QStringLiteral("list-node-types"), QStringLiteral("--help")} << "--json";
        QTest::newRow("dlq") << QStringList{QStringLiteral("dlq"), QStringLiteral("--help")}
                             << "purge";
    }

    void helpOnEveryCommand()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        const ProcessResult r = runWeir(args);
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(mentions.toUtf8()), r.out.constData());
    }

    void usageErrorsExitTwo()
    {
        QCOMPARE(runWeir({}).exitCode, 2);
        QCOMPARE(runWeir({QStringLiteral("frobnicate")}).exitCode, 2);
        QCOMPARE(runWeir({QStringLiteral("run")}).exitCode, 2);
        QCOMPARE(runWeir({QStringLiteral("run"), QStringLiteral("--bogus"), QStringLiteral("x")})
                     .exitCode,
                 2);
    }

    void validateReportsLocatedProblems()
    {
        const QString example = exampleCopy();
        const ProcessResult ok =
            runWeir({QStringLiteral("validate"), example + QStringLiteral("/orders.weir.json")});
        QVERIFY2(ok.exitCode == 0, ok.err.constData());
        QVERIFY(ok.out.contains("valid (4 nodes, 3 edges)"));

        const QString bad = m_dir.filePath(QStringLiteral("bad.weir.json"));
        QFile f(example + QStringLiteral("/orders.weir.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray text = f.readAll();
        text.replace("\"type\": \"dedupe\"", "\"type\": \"dedup\"");
        text.replace("\"table\": \"orders\"", "\"tabel\": \"orders\"");
        writeFile(bad, text);
        const ProcessResult r = runWeir({QStringLiteral("validate"), bad});
        QCOMPARE(r.exitCode, 2);
        const QStringList lines =
            QString::fromUtf8(r.err).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines,
                 (QStringList{
                     bad + QStringLiteral(":39: node 'latest', field 'type': unknown node type "
                                          "'dedup' (see weir-run list-node-types)"),
                     bad + QStringLiteral(":56: node 'orders_db', field 'tabel': unknown config "
                                          "field for sqlite.sink"),
                     bad + QStringLiteral(
                               ":48: node 'orders_db', field 'table': required field is missing"),
                     QStringLiteral("3 problems in ") + bad}));
        // The same problems stop a run before it starts.
        QCOMPARE(runWeir({QStringLiteral("run"), bad, QStringLiteral("--state"),
                          m_dir.filePath(QStringLiteral("s.db"))})
                     .exitCode,
                 2);
    }

    void listNodeTypesIsGeneratedFromTheSchema()
    {
        const ProcessResult text = runWeir({QStringLiteral("list-node-types")});
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains("sqlite.sink  (SQLite table, sink)"));
        const ProcessResult json =
            runWeir({QStringLiteral("list-node-types"), QStringLiteral("--json")});
        QCOMPARE(json.exitCode, 0);
        const QJsonArray types = QJsonDocument::fromJson(json.out).array();
        QStringList ids;
        for (const QJsonValue t : types)
            ids << t.toObject().value(QStringLiteral("id")).toString();
        QCOMPARE(ids, (QStringList{"csv.source", "folder.source", "jsonl.source", "kafka.source",
                                   "postgres.cdc", "postgres.source", "sqlite.source", "dedupe",
                                   "filter", "hash", "map", "sql", "validate", "postgres.sink",
                                   "sqlite.sink", "zones.sink"}));
        for (const QJsonValue t : types) {
            for (const QJsonValue field : t.toObject().value(QStringLiteral("config")).toArray())
                QVERIFY2(!field.toObject().value(QStringLiteral("help")).toString().isEmpty(),
                         qPrintable(field.toObject().value(QStringLiteral("key")).toString()));
        }
    }

    void kafkaExampleRunsOnTheExampleCluster()
    {
        // brokers "mock:": a cluster inside weir-run, its topic orders filled the same way in
        // every process, so a second run finds its positions in the target and reads nothing.
        const QString example = exampleCopy();
        const QString pipeline = example + QStringLiteral("/kafka_orders.weir.json");
        const QStringList args{
            QStringLiteral("run"),     pipeline,
            QStringLiteral("--once"),  QStringLiteral("--json"),
            QStringLiteral("--state"), m_dir.filePath(QStringLiteral("kafka-state.db"))};
        const ProcessResult first = runWeir(args);
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QJsonObject totals = QJsonDocument::fromJson(first.out.trimmed().split('\n').last())
                                       .object()
                                       .value(QStringLiteral("totals"))
                                       .toObject();
        QCOMPARE(totals.value(QStringLiteral("records_in")).toInteger(), 12012);
        QCOMPARE(totals.value(QStringLiteral("dead_letters")).toInteger(), 12);
        const QString db = example + QStringLiteral("/kafka_orders.db");
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM orders")), 10000);
        QCOMPARE(
            queryInt(db, QStringLiteral("SELECT count(*) FROM orders WHERE status = 'shipped'")),
            2000);
        const ProcessResult second = runWeir(args);
        QVERIFY2(second.exitCode == 0, second.err.constData());
        QCOMPARE(QJsonDocument::fromJson(second.out.trimmed().split('\n').last())
                     .object()
                     .value(QStringLiteral("totals"))
                     .toObject()
                     .value(QStringLiteral("records_in"))
                     .toInteger(),
                 0);
    }

    void exampleRunsAndRerunChangesNothing()
    {
        const QString example = exampleCopy();
        const QString state = m_dir.filePath(QStringLiteral("example-state.db"));
        const QStringList args{
            QStringLiteral("run"),     example + QStringLiteral("/orders.weir.json"),
            QStringLiteral("--once"),  QStringLiteral("--json"),
            QStringLiteral("--state"), state};
        const ProcessResult first = runWeir(args);
        QVERIFY2(first.exitCode == 0, first.err.constData());
        const QList<QByteArray> lines = first.out.trimmed().split('\n');
        const QJsonObject done = QJsonDocument::fromJson(lines.last()).object();
        QCOMPARE(done.value(QStringLiteral("event")).toString(), QStringLiteral("finished"));
        QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
        const QJsonObject totals = done.value(QStringLiteral("totals")).toObject();
        QCOMPARE(totals.value(QStringLiteral("records_in")).toInteger(), 200);
        QCOMPARE(totals.value(QStringLiteral("dead_letters")).toInteger(), 12);
        const QString db = example + QStringLiteral("/orders.db");
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM orders")), 182);
        QCOMPARE(queryText(db, QStringLiteral("SELECT printf('%.2f', sum(amount)) FROM orders")),
                 QStringLiteral("96284.89"));

        const ProcessResult second = runWeir(args);
        QCOMPARE(second.exitCode, 0);
        const QJsonObject again =
            QJsonDocument::fromJson(second.out.trimmed().split('\n').last()).object();
        QCOMPARE(again.value(QStringLiteral("totals"))
                     .toObject()
                     .value(QStringLiteral("records_in"))
                     .toInteger(),
                 0);
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM orders")), 182);
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")), 12);

        // Both runs in the history, newest first, with what each did.
        const ProcessResult history = runWeir({QStringLiteral("history"), QStringLiteral("--json"),
                                               QStringLiteral("--state"), state});
        QCOMPARE(history.exitCode, 0);
        const QJsonArray runs = QJsonDocument::fromJson(history.out).array();
        QCOMPARE(runs.size(), 2);
        const QJsonObject newest = runs.at(0).toObject();
        const QJsonObject oldest = runs.at(1).toObject();
        QVERIFY(newest.value(QStringLiteral("id")).toInteger() >
                oldest.value(QStringLiteral("id")).toInteger());
        QCOMPARE(newest.value(QStringLiteral("records_in")).toInteger(), 0);
        QCOMPARE(oldest.value(QStringLiteral("records_in")).toInteger(), 200);
        QCOMPARE(oldest.value(QStringLiteral("records_out")).toInteger(), 182);
        QCOMPARE(oldest.value(QStringLiteral("dead_letters")).toInteger(), 12);
        QCOMPARE(oldest.value(QStringLiteral("status")).toString(), QStringLiteral("finished"));
        const ProcessResult table =
            runWeir({QStringLiteral("history"), QStringLiteral("--state"), state,
                     QStringLiteral("--limit"), QStringLiteral("1")});
        QCOMPARE(table.exitCode, 0);
        QCOMPARE(table.out.count('\n'), 2); // header and the newest run
        QVERIFY(table.out.contains("finished"));
        const ProcessResult bad =
            runWeir({QStringLiteral("history"), QStringLiteral("--limit"), QStringLiteral("many"),
                     QStringLiteral("--state"), state});
        QCOMPARE(bad.exitCode, 2);
    }

    void watchedFolderIntoZones()
    {
        const QString example = exampleCopy();
        const QString state = m_dir.filePath(QStringLiteral("zones-state.db"));
        const QStringList args{QStringLiteral("run"), example + QStringLiteral("/zones.weir.json"),
                               QStringLiteral("--once"), QStringLiteral("--state"), state};
        const ProcessResult first = runWeir(args);
        QVERIFY2(first.exitCode == 0, first.err.constData());
        auto rowsIn = [&](const QString &zone) {
            int rows = 0;
            QDirIterator it(example + QStringLiteral("/lake/") + zone + QStringLiteral("/orders"),
                            {QStringLiteral("part-*")}, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile f(it.next());
                if (!f.open(QIODevice::ReadOnly))
                    return -1;
                const QByteArray text = f.readAll();
                rows += static_cast<int>(text.count('\n')) -
                        (f.fileName().endsWith(QLatin1String(".csv")) ? 1 : 0);
            }
            return rows;
        };
        // orders_batch_01.csv: 60 rows, 3 malformed, 56 distinct orders.
        QCOMPARE(rowsIn(QStringLiteral("raw")), 60);
        QCOMPARE(rowsIn(QStringLiteral("staging")), 57);
        QCOMPARE(rowsIn(QStringLiteral("curated")), 56);
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")), 3);

        // The folder is remembered: a rerun takes only the new file.
        writeFile(example + QStringLiteral("/inbox/orders_batch_02.csv"),
                  "order_id,customer_id,amount,status,updated_at\n"
                  "9001,1,10.00,paid,2024-02-01T00:00:00.000Z\n");
        writeFile(example + QStringLiteral("/inbox/.orders_batch_03.csv"), "still being written");
        const ProcessResult second = runWeir(args);
        QVERIFY2(second.exitCode == 0, second.err.constData());
        QVERIFY2(second.err.contains("1 read, 3 written"), second.err.constData());
        QCOMPARE(rowsIn(QStringLiteral("raw")), 61);
        QCOMPARE(rowsIn(QStringLiteral("curated")), 57);
    }

    void dlqListShowPurge()
    {
        const QString example = exampleCopy();
        const QString state = m_dir.filePath(QStringLiteral("dlq-state.db"));
        QCOMPARE(runWeir({QStringLiteral("run"), example + QStringLiteral("/orders.weir.json"),
                          QStringLiteral("--state"), state})
                     .exitCode,
                 0);
        const QStringList st{QStringLiteral("--state"), state};

        const ProcessResult list =
            runWeir(QStringList{QStringLiteral("dlq"), QStringLiteral("list")} + st);
        QCOMPARE(list.exitCode, 0);
        QVERIFY2(list.out.endsWith("12 dead letters\n"), list.out.constData());

        const ProcessResult filtered = runWeir(
            QStringList{QStringLiteral("dlq"), QStringLiteral("list"), QStringLiteral("--node"),
                        QStringLiteral("orders_csv"), QStringLiteral("--json")} +
            st);
        const QJsonArray csvErrors = QJsonDocument::fromJson(filtered.out).array();
        QCOMPARE(csvErrors.size(), 6); // the rows with a missing column
        const QJsonObject first = csvErrors.first().toObject();
        QVERIFY(first.value(QStringLiteral("error"))
                    .toString()
                    .contains(QLatin1String("expected 5 fields, found 4")));

        const ProcessResult show =
            runWeir(QStringList{QStringLiteral("dlq"), QStringLiteral("show"),
                                QString::number(first.value(QStringLiteral("id")).toInteger())} +
                    st);
        QCOMPARE(show.exitCode, 0);
        QVERIFY(show.out.contains("node:      orders_csv"));
        QVERIFY(show.out.contains("payload:"));
        QCOMPARE(runWeir(QStringList{QStringLiteral("dlq"), QStringLiteral("show"),
                                     QStringLiteral("999999")} +
                         st)
                     .exitCode,
                 1);

        // Purge refuses without a terminal or --yes, then deletes exactly the filtered entries.
        QCOMPARE(runWeir(QStringList{QStringLiteral("dlq"), QStringLiteral("purge"),
                                     QStringLiteral("--node"), QStringLiteral("orders_csv")} +
                         st)
                     .exitCode,
                 1);
        const ProcessResult purge = runWeir(
            QStringList{QStringLiteral("dlq"), QStringLiteral("purge"), QStringLiteral("--node"),
                        QStringLiteral("orders_csv"), QStringLiteral("--yes")} +
            st);
        QCOMPARE(purge.exitCode, 0);
        QCOMPARE(purge.out, QByteArray("purged 6 dead letters\n"));
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")), 6);
    }

    void dlqRetryPutsRecordsBack()
    {
        const QString example = exampleCopy();
        const QString state = m_dir.filePath(QStringLiteral("retry-state.db"));
        const QString db = example + QStringLiteral("/orders.db");
        QCOMPARE(runWeir({QStringLiteral("run"), example + QStringLiteral("/orders.weir.json"),
                          QStringLiteral("--state"), state})
                     .exitCode,
                 0);
        const QStringList st{QStringLiteral("--state"), state};
        // The bad values are still bad: every record fails again, with one more attempt.
        const ProcessResult again =
            runWeir(QStringList{QStringLiteral("dlq"), QStringLiteral("retry"),
                                QStringLiteral("--node"), QStringLiteral("check")} +
                    st);
        QCOMPARE(again.exitCode, 0);
        QCOMPARE(again.out,
                 QByteArray("retried 6: 0 went through, 6 failed again (still in the queue)\n"));
        QCOMPARE(
            queryInt(
                state,
                QStringLiteral(
                    "SELECT count(*) FROM dead_letters WHERE node = 'check' AND attempts = 2")),
            6);

        // Fixed records (as the desktop app's editor would store them) go through and leave the
        // queue: a CSV row missing its last field, and a record with an impossible timestamp.
        const qint64 row = queryInt(
            state, QStringLiteral("SELECT min(id) FROM dead_letters WHERE node = 'orders_csv'"));
        const qint64 stamp = queryInt(
            state,
            QStringLiteral("SELECT min(id) FROM dead_letters WHERE error LIKE 'updated_at:%'"));
        const QString orderId =
            queryText(state, QStringLiteral("SELECT substr(payload, 1, instr(payload, ',') - 1) "
                                            "FROM dead_letters WHERE id = %1")
                                 .arg(row));
        auto fix = weir::common::SqliteDb::open(state);
        QVERIFY(fix);
        QVERIFY(fix->exec(
            "UPDATE dead_letters SET payload = payload || ',2030-06-01T00:00:00.000Z' WHERE id = " +
            std::to_string(row) +
            "; UPDATE dead_letters SET payload = replace(payload, "
            "'2024-13-45T25:61:00.000Z', '2030-01-01T00:00:00.000Z') WHERE id = " +
            std::to_string(stamp)));
        const qint64 before = queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters"));
        const ProcessResult fixed =
            runWeir(QStringList{QStringLiteral("dlq"), QStringLiteral("retry"),
                                QString::number(row), QString::number(stamp)} +
                    st);
        QCOMPARE(fixed.exitCode, 0);
        QCOMPARE(fixed.out,
                 QByteArray("retried 2: 2 went through, 0 failed again (still in the queue)\n"));
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")), before - 2);
        QCOMPARE(queryText(db, QStringLiteral("SELECT updated_at FROM orders WHERE order_id = %1")
                                   .arg(orderId)),
                 QStringLiteral("2030-06-01T00:00:00.000Z"));
        QCOMPARE(queryInt(db, QStringLiteral(
                                  "SELECT count(*) FROM orders WHERE updated_at LIKE '2030-%'")),
                 2);
        QCOMPARE(runWeir(QStringList{QStringLiteral("dlq"), QStringLiteral("retry"),
                                     QStringLiteral("999999")} +
                         st)
                     .exitCode,
                 2);
    }

    void sigtermStopsCleanly()
    {
        QTemporaryDir dir;
        const QString prefix = generateOrders(dir.path(), 1000000);
        const QString db = dir.filePath(QStringLiteral("t.db"));
        const QString pipeline = dir.filePath(QStringLiteral("t.weir.json"));
        // Commits of 20,000 rows: the run is visibly under way long before its end.
        writeFile(pipeline, ordersPipeline(QStringLiteral("term"), QStringLiteral("csv.source"),
                                           prefix + QStringLiteral(".csv"), db, 10000, 20000));
        QProcess p;
        p.start(weirRunPath(), {QStringLiteral("run"), pipeline, QStringLiteral("--state"),
                                dir.filePath(QStringLiteral("s.db"))});
        QVERIFY(p.waitForStarted());
        // Stop once the run has visibly started: its first rows are committed to the target.
        QVERIFY2(waitWhileRunning(p, [&] { return committedOffset(db) > 0; }),
                 p.readAllStandardError().constData());
        p.terminate();
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(p.readAllStandardError().contains("interrupted"));
        const QJsonObject expected = readJsonFile(prefix + QStringLiteral(".expected.json"));
        const qint64 stoppedAt = queryInt(db, QStringLiteral("SELECT count(*) FROM orders"));
        QVERIFY2(stoppedAt > 0 &&
                     stoppedAt < expected.value(QStringLiteral("distinct_ids")).toInteger(),
                 qPrintable(QString::number(stoppedAt)));
        // Whatever was committed is consistent: offsets and rows agree on a rerun.
        const ProcessResult rest =
            runWeir({QStringLiteral("run"), pipeline, QStringLiteral("--state"),
                     dir.filePath(QStringLiteral("s.db"))});
        QCOMPARE(rest.exitCode, 0);
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM orders")),
                 expected.value(QStringLiteral("distinct_ids")).toInteger());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
