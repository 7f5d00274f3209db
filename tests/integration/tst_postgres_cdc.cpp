// postgres.cdc end to end: weir-run streams a real PostgreSQL server's changes (logical
// replication, pgoutput) into a SQLite upsert target. The rows that exist are read from the
// slot's snapshot, then inserts, updates (a key changed too), deletes and a transaction rolled
// back; the target equals the source after each run, and the slot's confirmed position has
// moved past what the target committed. kill -9 during the snapshot and several times while
// streaming (rows deleted and changed before the rerun too): the target still equals the
// source. Unchanged TOASTed values are kept with REPLICA IDENTITY FULL and dead-lettered (never
// made NULL) without it. A TRUNCATE is dead-lettered, not applied. weir-run drop-slot drops a
// slot (not one a run streams from); a dropped slot stops the next run with an error that says so.
// A running pipeline whose replication connection is cut reconnects and goes on, and a column added
// mid-stream reaches the target. Tables put into a node after changes were committed join with
// a snapshot of their own, under concurrent writes and a kill -9 among their rows, and their
// changes from before that snapshot are not applied twice (an append target).

#include "connectors/postgres/postgres_cdc.h"
#include "support/postgres_server.h"
#include "support/test_support.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <thread>

using namespace weir::test;

class TestPostgresCdc : public QObject
{
    Q_OBJECT

private:
    PostgresServer m_server;
    QTemporaryDir m_dir;

    void exec(const QString &sql)
    {
        const QString out = m_server.scalar(sql);
        QVERIFY2(!out.startsWith(QLatin1String("error")), qPrintable(sql + ": " + out));
    }

    // A pipeline capturing `tables` into target.db by upsert on `key`; returns its run args.
    QStringList pipeline(const QString &name, const QStringList &tables, const QString &key,
                         int commitRows = 0, const QString &sinkTable = QStringLiteral("target"))
    {
        const QString dir = m_dir.filePath(name);
        QDir().mkpath(dir);
        QJsonObject sink{{QStringLiteral("path"), dir + QStringLiteral("/target.db")},
                         {QStringLiteral("table"), sinkTable},
                         {QStringLiteral("key"), QJsonArray{key}}};
        if (commitRows > 0)
            sink.insert(QStringLiteral("commit_rows"), commitRows);
        const QJsonObject source{
            {QStringLiteral("connection"), QStringLiteral("${env:WEIR_TEST_PG}")},
            {QStringLiteral("tables"), QJsonArray::fromStringList(tables)}};
        const QString file = dir + QStringLiteral("/cdc.weir.json");
        writeFile(file, sourceToSinkPipeline(name, QStringLiteral("postgres.cdc"), source,
                                             QStringLiteral("sqlite.sink"), sink));
        return {QStringLiteral("run"), file, QStringLiteral("--once"), QStringLiteral("--state"),
                dir + QStringLiteral("/state.db")};
    }

    static QString target(const QStringList &args)
    {
        return QFileInfo(args[1]).dir().filePath(QStringLiteral("target.db"));
    }

    // Every row as "id|…" lines in id order, from the source table and from the target. A
    // column may carry a PostgreSQL cast ("balance::float8") to read as SQLite stores it.
    QString sourceRows(const QString &table, const QStringList &columns)
    {
        QStringList parts;
        for (const QString &c : columns)
            parts << QStringLiteral("coalesce((%1)::text, '-')").arg(c);
        return m_server.scalar(QStringLiteral("SELECT coalesce(string_agg(%1, E'\\n' ORDER BY "
                                              "id), '') FROM %2")
                                   .arg(parts.join(QStringLiteral(" || '|' || ")), table));
    }
    // The rows of a target table as sourceRows() gives a source table's.
    static QString rowsIn(const QStringList &args, const QString &table, const QStringList &columns)
    {
        QStringList parts;
        for (const QString &c : columns)
            parts << QStringLiteral("coalesce(CAST(%1 AS TEXT), '-')").arg(c.section(u':', 0, 0));
        return queryText(target(args),
                         QStringLiteral("SELECT coalesce(group_concat(line, char(10)), '') FROM "
                                        "(SELECT %1 AS line FROM %2 ORDER BY id)")
                             .arg(parts.join(QStringLiteral(" || '|' || ")), table));
    }
    static QString targetRows(const QStringList &args, const QStringList &columns)
    {
        return rowsIn(args, QStringLiteral("target"), columns);
    }

    qint64 walPosition()
    {
        return m_server.scalar(QStringLiteral("SELECT pg_current_wal_lsn() - '0/0'")).toLongLong();
    }

    // Runs `sql` and waits until the running pipeline `p` has committed it to the target.
    void changeAndWait(QProcess &p, const QStringList &args, const QString &sql)
    {
        const qint64 before = walPosition();
        exec(sql);
        QVERIFY2(
            waitWhileRunning(p, [&] { return committedOffset(target(args)) > before; }),
            qPrintable(sql + QStringLiteral(": ") + QString::fromUtf8(p.readAllStandardError())));
    }

    // Starts `args` as a run that keeps streaming (no --once) and waits for its first commit.
    void startLive(QProcess &p, QStringList &args)
    {
        args.removeAll(QStringLiteral("--once"));
        p.start(weirRunPath(), args);
        QVERIFY(p.waitForStarted());
        QVERIFY2(waitWhileRunning(p, [&] { return committedOffset(target(args)) > 0; }),
                 p.readAllStandardError().constData());
    }

    void runOnce(const QStringList &args)
    {
        const ProcessResult r = runWeir(args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(m_server.start(), qPrintable(m_server.error()));
        qputenv("WEIR_TEST_PG", m_server.uri().toUtf8());
    }
    void cleanupTestCase() { m_server.stop(); }

    void snapshotThenChanges()
    {
        exec(QStringLiteral(
            "CREATE TABLE accounts (id int PRIMARY KEY, owner text, balance numeric(12,2), "
            "opened timestamptz, tags jsonb); INSERT INTO accounts SELECT i, 'owner ' || i, i * "
            "1.25, timestamptz '2024-01-01' + i * interval '1 hour', jsonb_build_object('i', i) "
            "FROM generate_series(1, 2500) i"));
        const QStringList args = pipeline(
            QStringLiteral("changes"), {QStringLiteral("public.accounts")}, QStringLiteral("id"));
        const QStringList columns{QStringLiteral("id"), QStringLiteral("owner"),
                                  QStringLiteral("balance::float8")};
        runOnce(args);
        QCOMPARE(queryInt(target(args), QStringLiteral("SELECT count(*) FROM target")), 2500);
        QCOMPARE(targetRows(args, columns), sourceRows(QStringLiteral("accounts"), columns));

        // Changes in several transactions, one rolled back, one moving a row to a new key.
        exec(QStringLiteral("INSERT INTO accounts VALUES (3000, 'new', 10.50, NULL, NULL)"));
        exec(QStringLiteral("UPDATE accounts SET balance = balance + 1, owner = NULL WHERE id % "
                            "7 = 0"));
        exec(QStringLiteral("DELETE FROM accounts WHERE id % 11 = 0"));
        exec(QStringLiteral("BEGIN; DELETE FROM accounts; ROLLBACK"));
        exec(QStringLiteral("UPDATE accounts SET id = 4000 WHERE id = 5"));
        const QString lastChange = m_server.scalar(QStringLiteral("SELECT pg_current_wal_lsn()"));
        runOnce(args);
        QCOMPARE(queryInt(target(args), QStringLiteral("SELECT count(*) FROM target")),
                 m_server.scalar(QStringLiteral("SELECT count(*) FROM accounts")).toLongLong());
        QCOMPARE(targetRows(args, columns), sourceRows(QStringLiteral("accounts"), columns));
        QCOMPARE(queryText(target(args),
                           QStringLiteral("SELECT opened || ' ' || tags FROM target WHERE id = 2")),
                 QStringLiteral("2024-01-01T02:00:00.000Z {\"i\": 2}"));
        // The slot confirmed what the target committed: the server may discard that WAL.
        QCOMPARE(m_server.scalar(QStringLiteral("SELECT confirmed_flush_lsn >= '%1' FROM "
                                                "pg_replication_slots WHERE slot_name = "
                                                "'weir_changes_read'")
                                     .arg(lastChange)),
                 QStringLiteral("t"));

        // Nothing new: a run changes nothing.
        const QString before = targetRows(args, columns);
        runOnce(args);
        QCOMPARE(targetRows(args, columns), before);
    }

    void severalTablesEachIntoTheirOwn()
    {
        // Two tables in two schemas, captured by one node, each into "{schema}_{table}"; the
        // clients' bio is stored out of line (TOAST).
        exec(QStringLiteral(
            "CREATE SCHEMA crm; CREATE TABLE items (id int PRIMARY KEY, name text); CREATE TABLE "
            "crm.clients (id int PRIMARY KEY, name text, bio text); INSERT INTO items SELECT i, "
            "'item ' || i FROM generate_series(1, 300) i; INSERT INTO crm.clients SELECT i, "
            "'client ' || i, (SELECT string_agg(md5(i::text || j::text), '') FROM "
            "generate_series(1, 300) j) FROM generate_series(1, 40) i; CREATE TABLE extra (id int "
            "PRIMARY KEY); CREATE PUBLICATION weir_tables_read FOR TABLE items"));
        // The publication Weir names after the slot, left by a first try with one table: it
        // takes the other before the snapshot.
        const QStringList args =
            pipeline(QStringLiteral("tables"),
                     {QStringLiteral("public.items"), QStringLiteral("crm.clients")},
                     QStringLiteral("id"), 0, QStringLiteral("{schema}_{table}"));
        const QStringList columns{QStringLiteral("id"), QStringLiteral("name")};
        auto same = [&] {
            QCOMPARE(rowsIn(args, QStringLiteral("public_items"), columns),
                     sourceRows(QStringLiteral("items"), columns));
            QCOMPARE(rowsIn(args, QStringLiteral("crm_clients"), columns),
                     sourceRows(QStringLiteral("crm.clients"), columns));
        };
        runOnce(args);
        QCOMPARE(queryInt(target(args), QStringLiteral("SELECT count(*) FROM public_items")), 300);
        QCOMPARE(queryInt(target(args), QStringLiteral("SELECT count(*) FROM crm_clients")), 40);
        same();

        // One transaction changing both tables, in turns, then each alone.
        exec(QStringLiteral("BEGIN; UPDATE items SET name = 'renamed' WHERE id <= 5; DELETE FROM "
                            "crm.clients WHERE id = 2; INSERT INTO items VALUES (1000, 'new'); "
                            "INSERT INTO crm.clients VALUES (100, 'joined', 'short'); DELETE FROM "
                            "items WHERE id = 7; COMMIT; DELETE FROM items WHERE id % 10 = 0; "
                            "UPDATE crm.clients SET name = 'short bio' WHERE id = 100"));
        runOnce(args);
        same();

        // An update that leaves a TOASTed bio out waits in the dead-letter queue; retried, it
        // goes back into its own table.
        exec(QStringLiteral("UPDATE crm.clients SET name = 'moved' WHERE id = 3"));
        runOnce(args);
        const QString state = args[4];
        QCOMPARE(queryText(state, QStringLiteral("SELECT source_table FROM dead_letters")),
                 QStringLiteral("crm.clients"));
        const ProcessResult retried = runWeir(
            {QStringLiteral("dlq"), QStringLiteral("retry"), QStringLiteral("--state"), state});
        QVERIFY2(retried.exitCode == 0, retried.err.constData());
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")), 0);
        same();
        QCOMPARE(queryInt(target(args),
                          QStringLiteral("SELECT count(*) FROM crm_clients WHERE length(bio) = "
                                         "9600")),
                 39);

        // The pipeline file rewritten with these tables (the slot and target stay).
        auto capturing = [&](const QStringList &tables) {
            return pipeline(QStringLiteral("tables"), tables, QStringLiteral("id"), 0,
                            QStringLiteral("{schema}_{table}"));
        };
        const QStringList itemsOnly{QStringLiteral("public.items")};
        const QStringList both{QStringLiteral("public.items"), QStringLiteral("crm.clients")};
        // Left out while nothing it captures changes, the slot keeps the changes of the table
        // left out: put back, it gets them.
        exec(QStringLiteral("INSERT INTO crm.clients VALUES (200, 'kept', 'short')"));
        runOnce(capturing(itemsOnly));
        runOnce(capturing(both));
        QCOMPARE(
            queryText(target(args), QStringLiteral("SELECT name FROM crm_clients WHERE id = 200")),
            QStringLiteral("kept"));
        // Left out while changes were committed, it missed some: put back, it joins with a
        // snapshot of its own, and so does a table never captured before.
        exec(QStringLiteral("INSERT INTO crm.clients VALUES (201, 'missed', ''); UPDATE items "
                            "SET name = 'later' WHERE id = 1; INSERT INTO extra SELECT "
                            "generate_series(1, 25)"));
        runOnce(capturing(itemsOnly));
        QCOMPARE(queryInt(target(args),
                          QStringLiteral("SELECT count(*) FROM crm_clients WHERE id = 201")),
                 0);
        runOnce(capturing(both));
        same();
        runOnce(capturing({QStringLiteral("public.items"), QStringLiteral("crm.clients"),
                           QStringLiteral("public.extra")}));
        exec(QStringLiteral("DELETE FROM extra WHERE id = 3"));
        runOnce(args);
        same();
        QCOMPARE(rowsIn(args, QStringLiteral("public_extra"), {QStringLiteral("id")}),
                 sourceRows(QStringLiteral("extra"), {QStringLiteral("id")}));
    }

    void tablesJoinWhileTheyChange()
    {
        exec(QStringLiteral(
            "CREATE TABLE steady (id int PRIMARY KEY, v int); INSERT INTO steady SELECT i, i "
            "FROM generate_series(1, 100) i; CREATE TABLE joiner (id int PRIMARY KEY, v bigint, "
            "note text); INSERT INTO joiner SELECT i, i, 'row ' || i FROM generate_series(1, "
            "300000) i; CREATE TABLE later (id int PRIMARY KEY, v bigint); INSERT INTO later "
            "SELECT i, i FROM generate_series(1, 30000) i"));
        auto capturing = [&](const QStringList &tables) {
            return pipeline(QStringLiteral("join"), tables, QStringLiteral("id"), 10000,
                            QStringLiteral("{table}"));
        };
        const QStringList columns{QStringLiteral("id"), QStringLiteral("v")};
        auto same = [&](const QStringList &args, const QString &table) {
            QCOMPARE(rowsIn(args, table, columns), sourceRows(table, columns));
        };
        QStringList args = capturing({QStringLiteral("public.steady")});
        runOnce(args);
        exec(QStringLiteral("UPDATE steady SET v = -v WHERE id <= 10; UPDATE joiner SET v = 0 "
                            "WHERE id <= 10"));
        runOnce(args); // the slot streams past the joiner's change

        // Transactions over all three tables go on while the tables join.
        std::atomic<bool> stop = false;
        std::atomic<int> written = 0;
        std::thread writer([&] {
            auto db =
                weir::connectors::postgres::PgConnection::connect(m_server.uri().toStdString());
            if (!db)
                qWarning("writer: %s", qPrintable(db.error().message));
            for (int k = 1; db && !stop; ++k) {
                const auto sql =
                    QStringLiteral(
                        "UPDATE joiner SET v = v + 1 WHERE id % 400 = %1; DELETE FROM joiner WHERE "
                        "id "
                        "= %2; INSERT INTO joiner VALUES (%3, %1, 'new'); UPDATE later SET v = -v "
                        "WHERE id = %2; DELETE FROM later WHERE id = %1 * 7; UPDATE steady SET v = "
                        "v "
                        "+ 1 WHERE id = %1 % 100 + 1")
                        .arg(k % 400)
                        .arg(k * 37 % 300000 + 1)
                        .arg(1000000 + k);
                if (weir::Status s = db->exec(sql.toStdString()); !s) {
                    qWarning("writer: %s", qPrintable(s.error().message));
                    break;
                }
                written = k;
            }
        });
        auto stopWriter = qScopeGuard([&] {
            stop = true;
            writer.join();
        });
        QVERIFY(QTest::qWaitFor([&] { return written > 10; }, 20000));

        // joiner joins, and the run is killed among its rows twice: once a third of them are
        // in, then (the next run took a new snapshot of it, after streaming its changes since
        // the first) once two thirds are. Each time the target stopped inside the join.
        args = capturing({QStringLiteral("public.steady"), QStringLiteral("public.joiner")});
        auto stoppedInJoin = [&] {
            const QString cursor =
                queryText(target(args), QStringLiteral("SELECT cursor FROM _weir_offsets"));
            QVERIFY2(cursor.startsWith(QLatin1String("{\"snapshot\":")) &&
                         cursor.contains(QLatin1String("\"join_from\":")) &&
                         !cursor.contains(QLatin1String("\"end\"")),
                     qPrintable(cursor));
        };
        const QList<qint64> killed = killRepeatedly(
            args,
            [&] {
                const bool made = queryInt(target(args), QStringLiteral("SELECT count(*) FROM "
                                                                        "sqlite_master WHERE name "
                                                                        "= 'joiner'")) > 0;
                return made ? queryInt(target(args), QStringLiteral("SELECT count(*) FROM joiner"))
                            : 0;
            },
            300000, 2, stoppedInJoin);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(killed.size(), 2);
        runOnce(args);
        // Then later joins, whole, with the writes still going on.
        args = capturing({QStringLiteral("public.steady"), QStringLiteral("public.joiner"),
                          QStringLiteral("public.later")});
        runOnce(args);
        const int before = written;
        QVERIFY(QTest::qWaitFor([&] { return written > before + 10; }, 20000));
        stopWriter.dismiss();
        stop = true;
        writer.join();
        QVERIFY(written > before);
        runOnce(args);
        same(args, QStringLiteral("steady"));
        same(args, QStringLiteral("joiner"));
        same(args, QStringLiteral("later"));
        QCOMPARE(queryText(target(args), QStringLiteral("SELECT note FROM joiner WHERE id = 20")),
                 QStringLiteral("row 20"));
    }

    void joinedTableIsReadOnceFromAnExistingPublication()
    {
        // The publication has both tables from the start, so the slot streams changes of the
        // one not captured yet: when it joins, those before its snapshot are in the snapshot
        // and not appended a second time.
        exec(QStringLiteral("CREATE TABLE pa (id int PRIMARY KEY, v int); CREATE TABLE pb (id "
                            "int PRIMARY KEY, v int); INSERT INTO pa SELECT i, i FROM "
                            "generate_series(1, 10) i; INSERT INTO pb SELECT i, i FROM "
                            "generate_series(1, 10) i; CREATE PUBLICATION shared_pub FOR TABLE "
                            "pa, pb"));
        const QString dir = m_dir.filePath(QStringLiteral("shared"));
        QDir().mkpath(dir);
        const QString file = dir + QStringLiteral("/cdc.weir.json");
        auto capturing = [&](const QStringList &tables) {
            const QJsonObject source{
                {QStringLiteral("connection"), QStringLiteral("${env:WEIR_TEST_PG}")},
                {QStringLiteral("tables"), QJsonArray::fromStringList(tables)},
                {QStringLiteral("publication"), QStringLiteral("shared_pub")}};
            const QJsonObject sink{{QStringLiteral("path"), dir + QStringLiteral("/target.db")},
                                   {QStringLiteral("table"), QStringLiteral("{table}")},
                                   {QStringLiteral("mode"), QStringLiteral("append")}};
            writeFile(file,
                      sourceToSinkPipeline(QStringLiteral("shared"), QStringLiteral("postgres.cdc"),
                                           source, QStringLiteral("sqlite.sink"), sink));
            runOnce({QStringLiteral("run"), file, QStringLiteral("--once"),
                     QStringLiteral("--state"), dir + QStringLiteral("/state.db")});
        };
        const QString db = dir + QStringLiteral("/target.db");
        capturing({QStringLiteral("public.pa")});
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM pa")), 10);
        exec(QStringLiteral("INSERT INTO pb SELECT i, i FROM generate_series(11, 15) i; UPDATE pb "
                            "SET v = 0 WHERE id = 1; INSERT INTO pa VALUES (11, 11)"));
        capturing({QStringLiteral("public.pa"), QStringLiteral("public.pb")});
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM pa")), 11);
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM pb")), 15);
        QCOMPARE(queryInt(db, QStringLiteral("SELECT v FROM pb WHERE id = 1")), 0);
        // Changes after the join are appended.
        exec(QStringLiteral("INSERT INTO pb VALUES (16, 16)"));
        capturing({QStringLiteral("public.pa"), QStringLiteral("public.pb")});
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM pb")), 16);
    }

    void eachTableUpsertedByItsOwnKey()
    {
        // Two tables keyed differently (one by two columns), captured into {table} targets
        // without a `key`: each target takes its table's primary key, in SQLite and in
        // PostgreSQL (copy_people, copy_visits). The people's bio is stored out of line (TOAST).
        exec(QStringLiteral(
            "CREATE SCHEMA club; CREATE TABLE club.people (person_id int PRIMARY KEY, name "
            "text, bio text); CREATE TABLE club.visits (person_id int, day int, note text, "
            "PRIMARY KEY (person_id, day)); INSERT INTO club.people SELECT i, 'person ' || i, "
            "(SELECT string_agg(md5(i::text || j::text), '') FROM generate_series(1, 300) j) "
            "FROM generate_series(1, 20) i; INSERT INTO club.visits SELECT i % 20 + 1, i, 'visit "
            "' || i FROM generate_series(1, 200) i"));
        const QString dir = m_dir.filePath(QStringLiteral("keys"));
        QDir().mkpath(dir);
        const QJsonObject source{
            {QStringLiteral("connection"), QStringLiteral("${env:WEIR_TEST_PG}")},
            {QStringLiteral("tables"),
             QJsonArray{QStringLiteral("club.people"), QStringLiteral("club.visits")}}};
        const QList<QPair<QString, QJsonObject>> sinks{
            {QStringLiteral("sqlite.sink"),
             {{QStringLiteral("path"), dir + QStringLiteral("/target.db")},
              {QStringLiteral("table"), QStringLiteral("{table}")}}},
            {QStringLiteral("postgres.sink"),
             {{QStringLiteral("connection"), QStringLiteral("${env:WEIR_TEST_PG}")},
              {QStringLiteral("table"), QStringLiteral("copy_{table}")}}}};
        QList<QStringList> runs;
        for (const auto &[type, config] : sinks) {
            const QString name = type.section(u'.', 0, 0) + QStringLiteral("_keys");
            const QString file = dir + u'/' + name + QStringLiteral(".weir.json");
            writeFile(file, sourceToSinkPipeline(name, QStringLiteral("postgres.cdc"), source, type,
                                                 config));
            runs << QStringList{QStringLiteral("run"), file, QStringLiteral("--once"),
                                QStringLiteral("--state"),
                                dir + u'/' + name + QStringLiteral(".db")};
        }
        // Each table's rows as "a|b|c" lines in key order: the source, and its copies in
        // SQLite and in PostgreSQL.
        struct Shape
        {
            QString table;
            QString line;
            QString order;
        };
        const QList<Shape> shapes{{QStringLiteral("people"),
                                   QStringLiteral("person_id || '|' || name || '|' || length(bio)"),
                                   QStringLiteral("person_id")},
                                  {QStringLiteral("visits"),
                                   QStringLiteral("person_id || '|' || day || '|' || note"),
                                   QStringLiteral("person_id, day")}};
        auto inPostgres = [&](const Shape &s, const QString &prefix) {
            return m_server.scalar(
                QStringLiteral("SELECT coalesce(string_agg(%1, E'\\n' ORDER BY %2), '') FROM %3%4")
                    .arg(s.line, s.order, prefix, s.table));
        };
        auto same = [&] {
            for (const Shape &s : shapes) {
                const QString inSource = inPostgres(s, QStringLiteral("club."));
                QCOMPARE(
                    queryText(dir + QStringLiteral("/target.db"),
                              QStringLiteral("SELECT coalesce(group_concat(line, char(10)), "
                                             "'') FROM (SELECT %1 AS line FROM %2 ORDER BY %3)")
                                  .arg(s.line, s.table, s.order)),
                    inSource);
                QCOMPARE(inPostgres(s, QStringLiteral("copy_")), inSource);
            }
        };
        for (const QStringList &args : runs)
            runOnce(args);
        same();
        // Updates and deletes find their rows by each table's key; a visit moves to another day
        // (its key changes).
        exec(QStringLiteral("UPDATE club.people SET bio = 'short' WHERE person_id = 4; DELETE "
                            "FROM club.people WHERE person_id = 5; UPDATE club.visits SET note = "
                            "'changed' WHERE day % 7 = 0; DELETE FROM club.visits WHERE day % 9 = "
                            "0; UPDATE club.visits SET day = 1000 WHERE day = 10"));
        // An update leaving the TOASTed bio out goes to the dead-letter queue; retried, it
        // finds its row by the key it was dead-lettered with.
        exec(QStringLiteral("UPDATE club.people SET name = 'renamed' WHERE person_id = 6"));
        for (const QStringList &args : runs) {
            runOnce(args);
            QCOMPARE(queryInt(args[4], QStringLiteral("SELECT count(*) FROM dead_letters")), 1);
            const ProcessResult retried = runWeir({QStringLiteral("dlq"), QStringLiteral("retry"),
                                                   QStringLiteral("--state"), args[4]});
            QVERIFY2(retried.exitCode == 0, retried.err.constData());
            QCOMPARE(queryInt(args[4], QStringLiteral("SELECT count(*) FROM dead_letters")), 0);
        }
        same();
    }

    void unchangedToastValues()
    {
        // A value over 2 kB compressed badly is stored out of line (TOAST): an update of another
        // column does not send it.
        exec(QStringLiteral("CREATE TABLE docs (id int PRIMARY KEY, n int, body text); CREATE "
                            "TABLE docs_full (id int PRIMARY KEY, n int, body text); ALTER TABLE "
                            "docs_full REPLICA IDENTITY FULL; INSERT INTO docs SELECT i, 0, "
                            "(SELECT string_agg(md5(i::text || j::text), '') FROM "
                            "generate_series(1, 300) j) FROM generate_series(1, 3) i; INSERT INTO "
                            "docs_full SELECT * FROM docs"));
        const QStringList plain = pipeline(QStringLiteral("toast"), {QStringLiteral("public.docs")},
                                           QStringLiteral("id"));
        const QStringList full =
            pipeline(QStringLiteral("toast_full"), {QStringLiteral("public.docs_full")},
                     QStringLiteral("id"));
        runOnce(plain);
        runOnce(full);
        exec(QStringLiteral("UPDATE docs SET n = 1 WHERE id = 1; UPDATE docs_full SET n = 1 WHERE "
                            "id = 1"));
        runOnce(plain);
        runOnce(full);
        const QString body = m_server.scalar(QStringLiteral("SELECT body FROM docs WHERE id = 1"));
        QCOMPARE(body.size(), 9600);
        QCOMPARE(queryText(target(full), QStringLiteral("SELECT n || ' ' || body FROM target WHERE "
                                                        "id = 1")),
                 QStringLiteral("1 ") + body);
        // Without the old row the update cannot be applied whole: the target keeps the old row
        // and the change waits in the dead-letter queue with the reason.
        QCOMPARE(queryText(target(plain), QStringLiteral("SELECT n || ' ' || body FROM target "
                                                         "WHERE id = 1")),
                 QStringLiteral("0 ") + body);
        const QString state = QFileInfo(plain[4]).filePath();
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")), 1);
        QVERIFY(queryText(state, QStringLiteral("SELECT error FROM dead_letters"))
                    .contains(QLatin1String("REPLICA IDENTITY FULL")));
        // Retried, the change carries the columns it has: the target takes them and keeps the
        // large value it holds, never a NULL in its place.
        const ProcessResult retried = runWeir(
            {QStringLiteral("dlq"), QStringLiteral("retry"), QStringLiteral("--state"), state});
        QVERIFY2(retried.exitCode == 0, retried.err.constData());
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")), 0);
        QCOMPARE(queryText(target(plain), QStringLiteral("SELECT n || ' ' || body FROM target "
                                                         "WHERE id = 1")),
                 QStringLiteral("1 ") + body);
    }

    void killNineDuringSnapshotAndStream()
    {
        exec(QStringLiteral("CREATE TABLE ledger (id int PRIMARY KEY, amount bigint, note text); "
                            "INSERT INTO ledger SELECT i, i, 'row ' || i FROM generate_series(1, "
                            "120000) i"));
        const QStringList args =
            pipeline(QStringLiteral("crash"), {QStringLiteral("public.ledger")},
                     QStringLiteral("id"), 10000);
        const QStringList columns{QStringLiteral("id"), QStringLiteral("amount"),
                                  QStringLiteral("note")};
        // Killed once the first snapshot batch is committed: the next run snapshots again.
        const QList<qint64> snapshotKill = killRepeatedly(
            args, [&] { return committedOffset(target(args)) > 0 ? qint64(2) : qint64(0); }, 3, 1);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(snapshotKill.size(), 1);
        // Rows deleted and changed before the rerun: the slot kept those changes.
        exec(QStringLiteral("DELETE FROM ledger WHERE id % 1000 = 0; UPDATE ledger SET amount = "
                            "-amount WHERE id % 777 = 0; INSERT INTO ledger VALUES (150000, 1, "
                            "'late')"));
        runOnce(args);
        QCOMPARE(targetRows(args, columns), sourceRows(QStringLiteral("ledger"), columns));

        // 150 transactions of changes, then kill -9 three times while they stream.
        const qint64 base =
            m_server.scalar(QStringLiteral("SELECT pg_current_wal_lsn() - '0/0'")).toLongLong();
        for (int t = 0; t < 150; ++t)
            exec(QStringLiteral("UPDATE ledger SET amount = amount + %1 WHERE id % 150 = %2; "
                                "DELETE FROM ledger WHERE id = %3; INSERT INTO ledger VALUES "
                                "(%4, %1, 'new')")
                     .arg(t + 1)
                     .arg(t)
                     .arg(t * 7 + 1)
                     .arg(200000 + t));
        const qint64 end =
            m_server.scalar(QStringLiteral("SELECT pg_current_wal_lsn() - '0/0'")).toLongLong();
        const QList<qint64> reached = killRepeatedly(
            args, [&] { return std::max<qint64>(committedOffset(target(args)) - base, 0); },
            end - base, 3);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(reached.size(), 3);
        runOnce(args);
        QCOMPARE(queryInt(target(args), QStringLiteral("SELECT count(*) FROM target")),
                 m_server.scalar(QStringLiteral("SELECT count(*) FROM ledger")).toLongLong());
        QCOMPARE(targetRows(args, columns), sourceRows(QStringLiteral("ledger"), columns));
    }

    void connectionCutAndColumnAddedWhileRunning()
    {
        exec(QStringLiteral("CREATE TABLE live (id int PRIMARY KEY, v int); INSERT INTO live "
                            "SELECT i, i FROM generate_series(1, 10) i"));
        QStringList args =
            pipeline(QStringLiteral("live"), {QStringLiteral("public.live")}, QStringLiteral("id"));
        QProcess p;
        startLive(p, args);
        if (QTest::currentTestFailed())
            return;
        changeAndWait(p, args,
                      QStringLiteral("INSERT INTO live SELECT i, i FROM "
                                     "generate_series(11, 110) i"));
        // The slot's health reaches the run's metrics (the monitor's Retained column and
        // /metrics): the WAL it retains and its wal_status.
        QVERIFY2(waitWhileRunning(p,
                                  [&] {
                                      return queryInt(args.last(),
                                                      QStringLiteral(
                                                          "SELECT count(*) FROM metrics WHERE "
                                                          "node = 'read' AND retained_bytes >= 0 "
                                                          "AND upstream_status = 'reserved'")) > 0;
                                  }),
                 p.readAllStandardError().constData());

        // The server ends the stream's connection: the run reconnects and resumes.
        QCOMPARE(m_server.scalar(QStringLiteral("SELECT pg_terminate_backend(active_pid) FROM "
                                                "pg_replication_slots WHERE slot_name = "
                                                "'weir_live_read'")),
                 QStringLiteral("t"));
        changeAndWait(p, args, QStringLiteral("UPDATE live SET v = -v WHERE id % 2 = 0"));
        // A slot a run streams from is not dropped under it.
        const ProcessResult busy = runWeir({QStringLiteral("drop-slot"), args[1]});
        QCOMPARE(busy.exitCode, 1);
        QVERIFY2(busy.err.contains("replication slot weir_live_read is in use"),
                 busy.err.constData());
        changeAndWait(p, args,
                      QStringLiteral("ALTER TABLE live ADD COLUMN note text; INSERT "
                                     "INTO live VALUES (500, 1, 'with a note')"));
        p.terminate();
        QVERIFY(p.waitForFinished(20000));
        // The cut was retried, and said so in the run's event log.
        QVERIFY(queryInt(args.last(),
                         QStringLiteral("SELECT count(*) FROM events WHERE node = "
                                        "'read' AND message LIKE '%replication stream%'")) > 0);
        const QStringList columns{QStringLiteral("id"), QStringLiteral("v"),
                                  QStringLiteral("note")};
        QCOMPARE(targetRows(args, columns), sourceRows(QStringLiteral("live"), columns));
    }

    void serverRestartedMidStream()
    {
        exec(QStringLiteral("CREATE TABLE restarted (id int PRIMARY KEY, v int); INSERT INTO "
                            "restarted SELECT i, i FROM generate_series(1, 50) i"));
        QStringList args = pipeline(QStringLiteral("restarted"),
                                    {QStringLiteral("public.restarted")}, QStringLiteral("id"));
        QProcess p;
        startLive(p, args);
        if (QTest::currentTestFailed())
            return;
        changeAndWait(p, args, QStringLiteral("UPDATE restarted SET v = v + 100 WHERE id <= 25"));

        // PostgreSQL shuts down and starts again under the running pipeline: the stream and
        // the heartbeat session end; the run retries and resumes from the slot.
        QVERIFY2(m_server.restart(), qPrintable(m_server.error()));
        changeAndWait(p, args,
                      QStringLiteral("DELETE FROM restarted WHERE id > 40; UPDATE restarted SET "
                                     "v = 0 WHERE id = 1; INSERT INTO restarted VALUES (51, 51)"));
        p.terminate();
        QVERIFY(p.waitForFinished(20000));
        QVERIFY(queryInt(args.last(),
                         QStringLiteral("SELECT count(*) FROM events WHERE node = 'read' AND "
                                        "level = 'warning'")) > 0);
        const QStringList columns{QStringLiteral("id"), QStringLiteral("v")};
        QCOMPARE(targetRows(args, columns), sourceRows(QStringLiteral("restarted"), columns));
    }

    void examplePipelines()
    {
        // resources/examples/pg_batch.weir.json and pg_cdc.weir.json, as a user runs them.
        exec(QStringLiteral("CREATE TABLE orders (order_id int PRIMARY KEY, customer_id int, "
                            "amount numeric(10,2), status text, updated_at timestamptz NOT NULL); "
                            "INSERT INTO orders SELECT i, i % 40, i * 2.5, 'paid', now() - "
                            "interval '1 hour' FROM generate_series(1, 400) i"));
        const QString dir = m_dir.filePath(QStringLiteral("examples"));
        QVERIFY(QDir().mkpath(dir));
        QStringList batch;
        QStringList cdc;
        for (const QString &name : {QStringLiteral("pg_batch"), QStringLiteral("pg_cdc")}) {
            const QString file = dir + u'/' + name + QStringLiteral(".weir.json");
            QVERIFY(QFile::copy(examplePath(name + QStringLiteral(".weir.json")), file));
            (name == QLatin1String("pg_cdc") ? cdc : batch) =
                QStringList{QStringLiteral("run"), file, QStringLiteral("--once"),
                            QStringLiteral("--state"), dir + QStringLiteral("/state.db")};
        }
        qputenv("WEIR_PG", m_server.uri().toUtf8());
        const QString copy = dir + QStringLiteral("/orders_copy.db");
        const QString replica = dir + QStringLiteral("/orders_replica.db");
        runOnce(batch);
        runOnce(cdc);
        QCOMPARE(queryInt(copy, QStringLiteral("SELECT count(*) FROM orders")), 400);
        QCOMPARE(queryInt(replica, QStringLiteral("SELECT count(*) FROM orders")), 400);

        // Batches see the update but not the deletes; change data capture sees both.
        exec(QStringLiteral("UPDATE orders SET status = 'refunded', updated_at = now() WHERE "
                            "order_id <= 10; DELETE FROM orders WHERE order_id > 397"));
        runOnce(batch);
        runOnce(cdc);
        QCOMPARE(queryInt(copy, QStringLiteral("SELECT count(*) FROM orders")), 400);
        QCOMPARE(queryInt(replica, QStringLiteral("SELECT count(*) FROM orders")), 397);
        for (const QString &db : {copy, replica})
            QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM orders WHERE status = "
                                                 "'refunded'")),
                     10);
    }

    void heartbeatsMoveAQuietSlot()
    {
        exec(
            QStringLiteral("CREATE TABLE quiet (id int PRIMARY KEY); CREATE TABLE noisy (id int)"));
        const QStringList args = pipeline(QStringLiteral("quiet"), {QStringLiteral("public.quiet")},
                                          QStringLiteral("id"));
        runOnce(args);
        // WAL written by a table the slot does not watch: only a heartbeat lets it go.
        exec(QStringLiteral("INSERT INTO noisy SELECT generate_series(1, 20000)"));
        const QString written = m_server.scalar(QStringLiteral("SELECT pg_current_wal_lsn()"));
        const QString confirmed = QStringLiteral(
            "SELECT confirmed_flush_lsn >= '%1' FROM pg_replication_slots WHERE slot_name = "
            "'weir_quiet_read'");
        QCOMPARE(m_server.scalar(confirmed.arg(written)), QStringLiteral("f"));
        runOnce(args);
        QCOMPARE(m_server.scalar(confirmed.arg(written)), QStringLiteral("t"));
    }

    void testConnection()
    {
        using weir::connectors::postgres::PostgresCdcOptions;
        using weir::connectors::postgres::testPostgresCdcConnection;
        exec(QStringLiteral("CREATE TABLE IF NOT EXISTS probe (id int PRIMARY KEY); CREATE ROLE "
                            "plain LOGIN"));
        PostgresCdcOptions options;
        options.connection = m_server.uri().toStdString();
        options.tables = {"public.probe"};
        const auto ok = testPostgresCdcConnection(options);
        QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message));
        QVERIFY2(ok->contains(QLatin1String("wal_level is logical, replication allowed")),
                 qPrintable(ok.value()));
        options.tables = {"public.nowhere"};
        const auto missing = testPostgresCdcConnection(options);
        QVERIFY(!missing);
        QCOMPARE(missing.error().message, QStringLiteral("table public.nowhere does not exist"));
        options.tables = {"public.probe"};
        options.connection = QStringLiteral("host=127.0.0.1 port=%1 dbname=postgres user=plain")
                                 .arg(m_server.port())
                                 .toStdString();
        const auto refused = testPostgresCdcConnection(options);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(QLatin1String("may not use replication")),
                 qPrintable(refused.error().message));
    }

    void droppedSlotStopsTheRun()
    {
        exec(QStringLiteral("CREATE TABLE gone (id int PRIMARY KEY); INSERT INTO gone VALUES (1)"));
        const QStringList args =
            pipeline(QStringLiteral("gone"), {QStringLiteral("public.gone")}, QStringLiteral("id"));
        runOnce(args);
        exec(QStringLiteral("INSERT INTO gone VALUES (2)"));
        runOnce(args);
        exec(QStringLiteral("TRUNCATE gone"));
        runOnce(args);
        QCOMPARE(queryInt(target(args), QStringLiteral("SELECT count(*) FROM target")), 2);
        QCOMPARE(queryText(args[4], QStringLiteral("SELECT error FROM dead_letters")),
                 QStringLiteral("TRUNCATE of public.gone in PostgreSQL is not applied to the "
                                "target"));
        // weir-run drop-slot, as a user whose pipeline is retired.
        const ProcessResult drop = runWeir({QStringLiteral("drop-slot"), args[1]});
        QVERIFY2(drop.exitCode == 0, drop.err.constData());
        QVERIFY2(drop.out.contains("node 'read': dropped replication slot weir_gone_read"),
                 drop.out.constData());
        const ProcessResult again = runWeir({QStringLiteral("drop-slot"), args[1]});
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.out.contains("no replication slot weir_gone_read"), again.out.constData());
        const ProcessResult r = runWeir(args);
        QVERIFY(r.exitCode != 0);
        QVERIFY2(r.err.contains("replication slot weir_gone_read is gone"), r.err.constData());
        // Weir did not quietly make a new one.
        QCOMPARE(m_server.scalar(QStringLiteral("SELECT count(*) FROM pg_replication_slots WHERE "
                                                "slot_name = 'weir_gone_read'")),
                 QStringLiteral("0"));
    }
};

QTEST_GUILESS_MAIN(TestPostgresCdc)
#include "tst_postgres_cdc.moc"
