#include "state/state_store.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QStringList>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <atomic>
#include <latch>
#include <thread>

using namespace weir;
using state::DeadLetterFilter;

namespace {

template<typename T> QByteArray failureText(const Result<T> &result)
{
    return result.ok() ? QByteArray() : result.error().message.toUtf8();
}

} // namespace

// Fails with the store's own message, so a broken store says why; evaluates `expr` once.
#define VERIFY_OK(expr)                                                                            \
    do {                                                                                           \
        const auto &verified = (expr);                                                             \
        QVERIFY2(verified.ok(), failureText(verified).constData());                                \
    } while (false)

namespace {

engine::DeadLetter letter(const std::string &stream, qint64 offset, const QString &error)
{
    return engine::DeadLetter{stream, offset, offset + 1, error,
                              QStringLiteral("{\"offset\": %1}").arg(offset)};
}

engine::NodeContext node(const QString &pipeline, const QString &id, qint64 runId = 7)
{
    return engine::NodeContext{pipeline, id, runId, nullptr, nullptr};
}

DeadLetterFilter byPipeline(const QString &pipeline)
{
    return DeadLetterFilter{pipeline, {}, {}};
}

DeadLetterFilter byNode(const QString &id)
{
    return DeadLetterFilter{{}, id, {}};
}

DeadLetterFilter byError(const QString &text)
{
    return DeadLetterFilter{{}, {}, text};
}

// Reads one column of a query straight from the file, past the StateStore API.
QStringList column(const QString &path, const char *sql)
{
    QStringList out;
    auto db = common::SqliteDb::open(path);
    if (!db)
        return {QStringLiteral("open failed: ") + db.error().message};
    auto stmt = db->prepare(sql);
    if (!stmt)
        return {QStringLiteral("prepare failed: ") + stmt.error().message};
    for (auto row = stmt->step(); row && row.value(); row = stmt->step())
        out << stmt->columnQString(0);
    return out;
}

} // namespace

class TestStateStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString path(const char *name) const { return m_dir.filePath(QString::fromUtf8(name)); }

    // Three entries for pipeline p (two at node read, one at check) and one for q.
    static bool writeSampleLetters(state::StateStore &store)
    {
        return store
                   .write(
                       node(QStringLiteral("p"), QStringLiteral("read")),
                       {letter("a.csv", 10, QStringLiteral("line 2: expected 5 fields, found 4")),
                        letter("a.csv", 20, QStringLiteral("line 3: Expected 5 fields, found 6"))})
                   .ok() &&
               store
                   .write(node(QStringLiteral("p"), QStringLiteral("check")),
                          {letter("a.csv", 30, QStringLiteral("amount: 'x' is not 50% a_number"))})
                   .ok() &&
               store
                   .write(node(QStringLiteral("q"), QStringLiteral("check")),
                          {letter("b.csv", 10, QStringLiteral("name: ÉCHEC for 'Müller'"))})
                   .ok();
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void openCreatesFileAndSchema()
    {
        const QString file = path("sub/dir/state.db");
        auto store = state::StateStore::open(file);
        VERIFY_OK(store);
        QVERIFY(QFileInfo(file).isFile());
        QCOMPARE(store.value()->path(), file);
        QCOMPARE(store.value()->schemaVersion(), 9);
        QCOMPARE(column(file, "SELECT name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' "
                              "ORDER BY name"),
                 (QStringList{QStringLiteral("dead_letters"), QStringLiteral("events"),
                              QStringLiteral("events_by_run"), QStringLiteral("metrics"),
                              QStringLiteral("metrics_history"), QStringLiteral("run_nodes"),
                              QStringLiteral("runs"), QStringLiteral("runs_by_pipeline"),
                              QStringLiteral("store_identity")}));
        QCOMPARE(column(file, "PRAGMA journal_mode"), QStringList{QStringLiteral("wal")});
    }

    void reopenKeepsDataAndVersion()
    {
        const QString file = path("reopen.db");
        qint64 runId = 0;
        {
            auto store = state::StateStore::open(file);
            VERIFY_OK(store);
            auto run =
                store.value()->beginRun(QStringLiteral("p"), QStringLiteral("/x/p.weir.json"));
            VERIFY_OK(run);
            runId = run.value();
            VERIFY_OK(store.value()->write(node(QStringLiteral("p"), QStringLiteral("n")),
                                           {letter("s", 1, QStringLiteral("bad"))}));
        }
        auto again = state::StateStore::open(file);
        VERIFY_OK(again);
        QCOMPARE(again.value()->schemaVersion(), 9);
        auto runs = again.value()->runs(QStringLiteral("p"), 10);
        VERIFY_OK(runs);
        QCOMPARE(runs->size(), std::size_t(1));
        QCOMPARE(runs->front().id, runId);
        QCOMPARE(runs->front().file, QStringLiteral("/x/p.weir.json"));
        QCOMPARE(again.value()->countDeadLetters({}).value(), qint64(1));
    }

    // Version 8 gave a removed dead letter's id again; going to 9 keeps every entry as it was,
    // and ids go on above the highest one. Each store gets an identity of its own.
    void deadLettersSurviveTheMoveToVersion9()
    {
        const QString file = path("v8.db");
        {
            auto store = state::StateStore::open(file);
            VERIFY_OK(store);
            QVERIFY(writeSampleLetters(*store.value()));
        }
        const char *all = "SELECT group_concat(id || stream || \"offset\" || error || source_key, "
                          "'|') FROM dead_letters";
        const QString before = column(file, all).join(QString());
        const qint64 highest =
            column(file, "SELECT max(id) FROM dead_letters").join(QString()).toLongLong();
        {
            // Back to version 8: its table (ids without AUTOINCREMENT), no identity.
            auto db = common::SqliteDb::open(file);
            VERIFY_OK(db);
            VERIFY_OK(db->exec(R"(CREATE TABLE v8(
                id INTEGER PRIMARY KEY, pipeline TEXT NOT NULL, node TEXT NOT NULL,
                stream TEXT NOT NULL, "offset" INTEGER NOT NULL, location TEXT NOT NULL DEFAULT '',
                line INTEGER NOT NULL, error TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1,
                payload TEXT NOT NULL, created_ms INTEGER NOT NULL, run_id INTEGER,
                source_table TEXT NOT NULL DEFAULT '', source_key TEXT NOT NULL DEFAULT '',
                UNIQUE(pipeline, node, stream, "offset", location));
              INSERT INTO v8 SELECT * FROM dead_letters; DROP TABLE dead_letters;
              ALTER TABLE v8 RENAME TO dead_letters; DROP TABLE store_identity;
              PRAGMA user_version = 8)"));
        }
        auto store = state::StateStore::open(file);
        VERIFY_OK(store);
        QCOMPARE(store.value()->schemaVersion(), 9);
        QCOMPARE(column(file, all).join(QString()), before);
        VERIFY_OK(store.value()->purgeDeadLetters({}));
        VERIFY_OK(store.value()->write(node(QStringLiteral("p"), QStringLiteral("read")),
                                       {letter("c.csv", 5, QStringLiteral("late"))}));
        const auto later = store.value()->deadLetters({}, 0);
        VERIFY_OK(later);
        QCOMPARE(later->size(), std::size_t(1));
        QVERIFY(later->front().id > highest);

        const auto identity = store.value()->identity();
        VERIFY_OK(identity);
        QCOMPARE(identity->size(), 16);
        auto other = state::StateStore::open(path("other.db"));
        VERIFY_OK(other);
        QVERIFY(other.value()->identity().value() != identity.value());
    }

    void newerSchemaIsRefused()
    {
        const QString file = path("newer.db");
        {
            auto db = common::SqliteDb::open(file);
            VERIFY_OK(db);
            VERIFY_OK(db->exec("PRAGMA user_version = 10"));
        }
        auto store = state::StateStore::open(file);
        QVERIFY(!store);
        QCOMPARE(store.error().code, ErrorCode::Invalid);
        QCOMPARE(store.error().message,
                 QStringLiteral("state database %1: schema version 10 is "
                                "not one this build of Weir knows (it knows 0 to 9); was it "
                                "written by a newer Weir?")
                     .arg(file));
    }

    // The GUI and weir-run may open a fresh store at the same moment: both switch it to WAL
    // and both find it unmigrated. The race is narrow, so it is run on many fresh files.
    void oldMetricsAreKeptPerMinute()
    {
        auto opened = state::StateStore::open(path("downsample.db"));
        QVERIFY(opened);
        auto &store = opened.value();
        // Two hours of one node's per-second samples: a growing counter, a lag that peaks once.
        const qint64 start = 1700000000000 - 1700000000000 % 60000;
        std::vector<state::MetricSample> samples;
        for (qint64 s = 0; s < 7200; ++s)
            samples.push_back(state::MetricSample{1, QStringLiteral("read"), start + s * 1000,
                                                  s + 1, s, 0, 0, s % 4, s == 90 ? 5000 : 10, -1,
                                                  2.0});
        QVERIFY(store->appendMetrics(samples));
        auto folded = store->downsampleMetrics(start + 3600 * 1000 + 30 * 1000);
        QVERIFY(folded);
        QCOMPARE(folded.value(), qint64(3600)); // the first hour, in whole minutes
        auto rows = store->metrics(1, QStringLiteral("read"));
        QVERIFY(rows);
        QCOMPARE(rows->size(), std::size_t(60 + 3600));
        const state::MetricSample &minute1 = rows->at(1); // seconds 60..119
        QCOMPARE(minute1.timeMs, start + 60 * 1000);
        QCOMPARE(minute1.recordsIn, qint64(120)); // a counter keeps its last value
        QCOMPARE(minute1.lagMs, qint64(5000));    // the worst lag of the minute survives
        QCOMPARE(minute1.queueDepth, qint64(3));
        QCOMPARE(minute1.commitMillis, 2.0);
        QCOMPARE(rows->at(60).timeMs, start + 3600 * 1000); // per second from here on
        // Folding again changes nothing that is already per minute.
        QCOMPARE(store->downsampleMetrics(start + 3600 * 1000 + 30 * 1000).value(), qint64(0));
        QCOMPARE(store->metrics(1, QStringLiteral("read"))->size(), std::size_t(3660));
    }

    void concurrentOpenersMigrateOnce()
    {
        std::atomic<int> failures = 0;
        for (int round = 0; round < 25; ++round) {
            const QString file = m_dir.filePath(QStringLiteral("race-%1.db").arg(round));
            std::latch start(4);
            std::vector<std::thread> threads;
            for (int t = 0; t < 4; ++t) {
                threads.emplace_back([&] {
                    start.arrive_and_wait();
                    auto store = state::StateStore::open(file);
                    if (!store) {
                        qWarning("%s", qPrintable(store.error().message));
                        ++failures;
                    } else if (store.value()->schemaVersion() != 9) {
                        ++failures;
                    }
                });
            }
            for (auto &t : threads)
                t.join();
        }
        QCOMPARE(failures.load(), 0);
    }

    void runsRoundTrip()
    {
        auto opened = state::StateStore::open(path("runs.db"));
        VERIFY_OK(opened);
        state::StateStore &store = *opened.value();
        const qint64 a = store.beginRun(QStringLiteral("p"), QStringLiteral("f")).value();
        const qint64 b = store.beginRun(QStringLiteral("q"), QStringLiteral("g")).value();
        QCOMPARE(b, a + 1);
        VERIFY_OK(store.finishRun(a, QStringLiteral("finished"), state::RunTotals{10, 8, 3, 2},
                                  QStringLiteral("ok")));

        auto runs = store.runs(QStringLiteral("p"), 10);
        VERIFY_OK(runs);
        QCOMPARE(runs->size(), std::size_t(1));
        const state::RunRecord &r = runs->front();
        QCOMPARE(r.id, a);
        QCOMPARE(r.pipeline, QStringLiteral("p"));
        QCOMPARE(r.file, QStringLiteral("f"));
        QCOMPARE(r.status, QStringLiteral("finished"));
        QCOMPARE(r.totals.recordsIn, qint64(10));
        QCOMPARE(r.totals.recordsOut, qint64(8));
        QCOMPARE(r.totals.errors, qint64(3));
        QCOMPARE(r.totals.deadLetters, qint64(2));
        QCOMPARE(r.message, QStringLiteral("ok"));
        QVERIFY(r.startedMs > 0);
        QVERIFY(r.finishedMs >= r.startedMs);

        auto all = store.runs(QString(), 0);
        VERIFY_OK(all);
        QCOMPARE(all->size(), std::size_t(2));
        QCOMPARE(all->at(0).id, b);
        QCOMPARE(all->at(0).status, QStringLiteral("running"));
        QCOMPARE(all->at(0).finishedMs, qint64(0));
        QCOMPARE(all->at(0).totals.recordsIn, qint64(0));
        QCOMPARE(all->at(1).id, a);
        QCOMPARE(store.runs(QString(), 1)->size(), std::size_t(1));

        auto one = store.run(b);
        VERIFY_OK(one);
        QCOMPARE(one->pipeline, QStringLiteral("q"));
        QCOMPARE(store.run(b + 100).error().code, ErrorCode::NotFound);
        const Status missing = store.finishRun(b + 100, QStringLiteral("failed"), {}, {});
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
    }

    void metricsRoundTrip()
    {
        auto opened = state::StateStore::open(path("metrics.db"));
        VERIFY_OK(opened);
        state::StateStore &store = *opened.value();
        VERIFY_OK(store.appendMetrics(
            {state::MetricSample{1, QStringLiteral("a"), 2000, 9, 8, 1, 1, 0, 10, 0, 2.5},
             state::MetricSample{1, QStringLiteral("b"), 1000, 4, 4, 0, 0, 0, -1, -1, 0},
             state::MetricSample{1, QStringLiteral("a"), 1000, 5, 4, 1, 1, 2, 30, 100, 1.5, 7, 4096,
                                 QStringLiteral("extended")},
             state::MetricSample{2, QStringLiteral("a"), 1000, 1, 1, 0, 0, 0, 0, 0, 0}}));
        VERIFY_OK(store.appendMetrics({}));

        auto a = store.metrics(1, QStringLiteral("a"));
        VERIFY_OK(a);
        QCOMPARE(a->size(), std::size_t(2));
        const state::MetricSample &first = a->at(0); // ordered by time
        QCOMPARE(first.runId, qint64(1));
        QCOMPARE(first.node, QStringLiteral("a"));
        QCOMPARE(first.timeMs, qint64(1000));
        QCOMPARE(first.recordsIn, qint64(5));
        QCOMPARE(first.recordsOut, qint64(4));
        QCOMPARE(first.errors, qint64(1));
        QCOMPARE(first.deadLetters, qint64(1));
        QCOMPARE(first.queueDepth, qint64(2));
        QCOMPARE(first.lagMs, qint64(30));
        QCOMPARE(first.bytesBehind, qint64(100));
        QCOMPARE(first.commitMillis, 1.5);
        QCOMPARE(first.recordsBehind, qint64(7));
        QCOMPARE(first.retainedBytes, qint64(4096));
        QCOMPARE(first.upstreamStatus, QStringLiteral("extended"));
        QCOMPARE(a->at(1).timeMs, qint64(2000));
        QCOMPARE(a->at(1).recordsIn, qint64(9));
        QCOMPARE(a->at(1).commitMillis, 2.5);

        auto b = store.metrics(1, QStringLiteral("b"));
        VERIFY_OK(b);
        QCOMPARE(b->size(), std::size_t(1));
        QCOMPARE(b->front().lagMs, qint64(-1));
        QCOMPARE(b->front().bytesBehind, qint64(-1));
        QCOMPARE(b->front().retainedBytes, qint64(-1));
        QCOMPARE(b->front().upstreamStatus, QString());
        QCOMPARE(store.metrics(1, QString())->size(), std::size_t(3));
        QCOMPARE(store.metrics(2, QString())->size(), std::size_t(1));
        QCOMPARE(store.metrics(3, QString())->size(), std::size_t(0));
    }

    void deadLettersFilter()
    {
        auto opened = state::StateStore::open(path("filter.db"));
        VERIFY_OK(opened);
        state::StateStore &store = *opened.value();
        QVERIFY(writeSampleLetters(store));

        QCOMPARE(store.countDeadLetters({}).value(), qint64(4));
        QCOMPARE(store.countDeadLetters(byPipeline(QStringLiteral("p"))).value(), qint64(3));
        QCOMPARE(store.countDeadLetters(byPipeline(QStringLiteral("P"))).value(), qint64(0));
        QCOMPARE(store.countDeadLetters(byNode(QStringLiteral("check"))).value(), qint64(2));
        QCOMPARE(store
                     .countDeadLetters(
                         DeadLetterFilter{QStringLiteral("p"), QStringLiteral("check"), {}})
                     .value(),
                 qint64(1));
        QCOMPARE(store.countDeadLetters(byError(QStringLiteral("EXPECTED 5"))).value(), qint64(2));
        QCOMPARE(store.countDeadLetters(byError(QStringLiteral("échec"))).value(), qint64(1));
        QCOMPARE(store.countDeadLetters(byError(QStringLiteral("MÜLLER"))).value(), qint64(1));
        // Wildcards and quotes are plain text.
        QCOMPARE(store.countDeadLetters(byError(QStringLiteral("50% a_n"))).value(), qint64(1));
        QCOMPARE(store.countDeadLetters(byError(QStringLiteral("5%"))).value(), qint64(0));
        QCOMPARE(store.countDeadLetters(byError(QStringLiteral("line _"))).value(), qint64(0));
        QCOMPARE(store.countDeadLetters(byError(QStringLiteral("'x'"))).value(), qint64(1));
        QCOMPARE(store.countDeadLetters(byError(QStringLiteral("x'; DROP TABLE dead_letters; --")))
                     .value(),
                 qint64(0));

        auto p = store.deadLetters(byPipeline(QStringLiteral("p")), 0);
        VERIFY_OK(p);
        QCOMPARE(p->size(), std::size_t(3));
        // Newest first.
        QCOMPARE(p->at(0).offset, qint64(30));
        QCOMPARE(p->at(1).offset, qint64(20));
        QCOMPARE(p->at(2).offset, qint64(10));
        QVERIFY(p->at(0).id > p->at(1).id);
        const state::DeadLetterEntry &e = p->at(2);
        QCOMPARE(e.pipeline, QStringLiteral("p"));
        QCOMPARE(e.node, QStringLiteral("read"));
        QCOMPARE(e.stream, QStringLiteral("a.csv"));
        QCOMPARE(e.line, qint64(11));
        QCOMPARE(e.error, QStringLiteral("line 2: expected 5 fields, found 4"));
        QCOMPARE(e.attempts, 1);
        QCOMPARE(e.payload, QStringLiteral("{\"offset\": 10}"));
        QCOMPARE(e.runId, qint64(7));
        QVERIFY(e.createdMs > 0);
        QVERIFY(e.table.empty() && e.key.empty());
        // A change's upstream table and its key columns, names with quotes and commas too.
        engine::DeadLetter change = letter("cdc", 40, QStringLiteral("refused"));
        change.table = "crm.clients";
        change.key = {"region", "client \"id\", 2"};
        auto other = state::StateStore::open(path("keys.db"));
        VERIFY_OK(other);
        VERIFY_OK(
            other.value()->write(node(QStringLiteral("keys"), QStringLiteral("read")), {change}));
        auto keyed = other.value()->deadLetters({}, 0);
        VERIFY_OK(keyed);
        QCOMPARE(keyed->at(0).table, std::string("crm.clients"));
        QCOMPARE(keyed->at(0).key, change.key);

        auto limited = store.deadLetters({}, 2);
        VERIFY_OK(limited);
        QCOMPARE(limited->size(), std::size_t(2));
        QCOMPARE(limited->at(0).stream, QStringLiteral("b.csv"));
        QCOMPARE(store.deadLetters(byError(QStringLiteral("expected")), 0)->size(), std::size_t(2));
    }

    void sameRecordTwiceIsOneEntry()
    {
        auto opened = state::StateStore::open(path("dedupe.db"));
        VERIFY_OK(opened);
        state::StateStore &store = *opened.value();
        VERIFY_OK(store.write(node(QStringLiteral("p"), QStringLiteral("read"), 1),
                              {letter("a.csv", 10, QStringLiteral("first error"))}));
        // The rerun after a restart meets the same record and fails it again.
        VERIFY_OK(store.write(node(QStringLiteral("p"), QStringLiteral("read"), 2),
                              {letter("a.csv", 10, QStringLiteral("second error")),
                               letter("a.csv", 11, QStringLiteral("other record"))}));
        // The same offset in another stream or at another node is another record.
        VERIFY_OK(store.write(node(QStringLiteral("p"), QStringLiteral("check"), 2),
                              {letter("a.csv", 10, QStringLiteral("at check"))}));
        VERIFY_OK(store.write(node(QStringLiteral("p"), QStringLiteral("read"), 2),
                              {letter("b.csv", 10, QStringLiteral("other stream"))}));
        // Rows of a table share an offset (their watermark): their locations tell them apart.
        engine::DeadLetter row1 = letter("t", 10, QStringLiteral("row 1"));
        row1.location = R"({"w":10,"k":1})";
        engine::DeadLetter row2 = letter("t", 10, QStringLiteral("row 2"));
        row2.location = R"({"w":10,"k":2})";
        VERIFY_OK(store.write(node(QStringLiteral("p"), QStringLiteral("read"), 2), {row1, row2}));
        VERIFY_OK(store.write(node(QStringLiteral("p"), QStringLiteral("read"), 3), {row2}));
        auto rows = store.deadLetters(state::DeadLetterFilter{{}, {}, QStringLiteral("row ")}, 0);
        VERIFY_OK(rows);
        QCOMPARE(rows->size(), std::size_t(2));
        QCOMPARE(rows->at(0).location, std::string(R"({"w":10,"k":2})"));
        QCOMPARE(rows->at(0).attempts, 2);
        QCOMPARE(rows->at(1).location, std::string(R"({"w":10,"k":1})"));
        QCOMPARE(rows->at(1).attempts, 1);
        VERIFY_OK(store.purgeDeadLetters(state::DeadLetterFilter{{}, {}, QStringLiteral("row ")}));

        QCOMPARE(store.countDeadLetters({}).value(), qint64(4));
        auto all = store.deadLetters({}, 0);
        VERIFY_OK(all);
        QCOMPARE(all->size(), std::size_t(4));
        const state::DeadLetterEntry &again = all->back();
        QCOMPARE(again.stream, QStringLiteral("a.csv"));
        QCOMPARE(again.offset, qint64(10));
        QCOMPARE(again.node, QStringLiteral("read"));
        QCOMPARE(again.attempts, 2);
        QCOMPARE(again.error, QStringLiteral("second error"));
        QCOMPARE(again.runId, qint64(2));
        for (std::size_t i = 0; i + 1 < all->size(); ++i)
            QCOMPARE(all->at(i).attempts, 1);
    }

    void lookupPurgeAndRemove()
    {
        auto opened = state::StateStore::open(path("purge.db"));
        VERIFY_OK(opened);
        state::StateStore &store = *opened.value();
        QVERIFY(writeSampleLetters(store));
        qint64 highest = 0;
        for (const state::DeadLetterEntry &e : store.deadLetters({}, 0).value())
            highest = std::max(highest, e.id);

        auto missing = store.deadLetter(999999);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);
        QVERIFY2(missing.error().message.contains(QStringLiteral("999999")),
                 qPrintable(missing.error().message));

        auto read = store.deadLetters(byNode(QStringLiteral("read")), 0);
        VERIFY_OK(read);
        QCOMPARE(read->size(), std::size_t(2));
        auto one = store.deadLetter(read->front().id);
        VERIFY_OK(one);
        QCOMPARE(one->offset, qint64(20));
        QCOMPARE(one->error, QStringLiteral("line 3: Expected 5 fields, found 6"));

        auto purged = store.purgeDeadLetters(byNode(QStringLiteral("check")));
        VERIFY_OK(purged);
        QCOMPARE(purged.value(), qint64(2));
        QCOMPARE(store.countDeadLetters(byNode(QStringLiteral("check"))).value(), qint64(0));
        QCOMPARE(store.countDeadLetters({}).value(), qint64(2));
        QCOMPARE(store.purgeDeadLetters(byError(QStringLiteral("nothing like it"))).value(),
                 qint64(0));

        VERIFY_OK(store.removeDeadLetter(read->front().id));
        QCOMPARE(store.deadLetter(read->front().id).error().code, ErrorCode::NotFound);
        QCOMPARE(store.removeDeadLetter(read->front().id).error().code, ErrorCode::NotFound);
        auto left = store.deadLetters({}, 0);
        VERIFY_OK(left);
        QCOMPARE(left->size(), std::size_t(1));
        QCOMPARE(left->front().id, read->back().id);

        QCOMPARE(store.purgeDeadLetters({}).value(), qint64(1));
        QCOMPARE(store.countDeadLetters({}).value(), qint64(0));

        // An emptied queue does not give a removed entry's id again: a retried record's
        // position in its target is named after it.
        VERIFY_OK(store.write(node(QStringLiteral("p"), QStringLiteral("read")),
                              {letter("c.csv", 5, QStringLiteral("late"))}));
        auto later = store.deadLetters({}, 0);
        VERIFY_OK(later);
        QCOMPARE(later->size(), std::size_t(1));
        QVERIFY2(later->front().id > highest,
                 qPrintable(QStringLiteral("id %1 given again").arg(later->front().id)));
    }

    void eventsAreLogged()
    {
        const QString file = path("events.db");
        auto opened = state::StateStore::open(file);
        VERIFY_OK(opened);
        VERIFY_OK(opened.value()->logEvent(3, QStringLiteral("warning"), QStringLiteral("sink"),
                                           QStringLiteral("retrying in 2 s")));
        QCOMPARE(column(file, "SELECT run_id || '|' || level || '|' || node || '|' || message "
                              "FROM events"),
                 QStringList{QStringLiteral("3|warning|sink|retrying in 2 s")});
    }

    void concurrentWritersAllLand()
    {
        auto opened = state::StateStore::open(path("threads.db"));
        VERIFY_OK(opened);
        state::StateStore &store = *opened.value();
        std::atomic<int> failures = 0;
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&store, &failures, t] {
                const std::string stream = "s" + std::to_string(t);
                for (int i = 0; i < 500; ++i) {
                    if (!store.write(node(QStringLiteral("p"), QStringLiteral("n")),
                                     {letter(stream, i, QStringLiteral("e"))}))
                        ++failures;
                }
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(failures.load(), 0);
        QCOMPARE(store.countDeadLetters({}).value(), qint64(2000));
        QCOMPARE(store.deadLetters({}, 0)->size(), std::size_t(2000));
    }

    // The designer reads while the engine writes: a write stuck behind another process's lock
    // (it waits up to the 5 s busy timeout holding the writer) must not hold up any read.
    void readsDoNotWaitBehindAHeldWrite()
    {
        const QString file = path("held-writer.db");
        auto opened = state::StateStore::open(file);
        VERIFY_OK(opened);
        state::StateStore &store = *opened.value();
        QVERIFY(writeSampleLetters(store));

        auto other = common::SqliteDb::open(file);
        VERIFY_OK(other);
        VERIFY_OK(other->exec("BEGIN IMMEDIATE")); // another writer holds the database

        std::atomic<bool> writing = false;
        std::atomic<bool> written = false;
        Status writeStatus;
        std::jthread writer([&] { // joined on every way out, a failed check too
            writing = true;
            writeStatus = store.logEvent(1, QStringLiteral("info"), QStringLiteral("sink"),
                                         QStringLiteral("committed"));
            written = true;
        });
        while (!writing)
            std::this_thread::yield();

        // For a while after the write began (it is blocked for seconds), every read answers
        // at once; with one shared connection the first read after the writer took the store
        // would wait for the whole busy timeout.
        QElapsedTimer window;
        window.start();
        int reads = 0;
        while (window.elapsed() < 200) {
            QElapsedTimer read;
            read.start();
            auto count = store.countDeadLetters({});
            VERIFY_OK(count);
            QCOMPARE(count.value(), qint64(4));
            VERIFY_OK(store.runs(QString(), 10));
            QVERIFY2(read.elapsed() < 1000, "a read waited behind the held write");
            ++reads;
        }
        QVERIFY(reads > 1);
        QVERIFY2(!written, "the write did not wait for the other writer's lock");

        VERIFY_OK(other->exec("COMMIT"));
        writer.join();
        VERIFY_OK(writeStatus);
        QCOMPARE(column(file, "SELECT message FROM events"),
                 QStringList{QStringLiteral("committed")});
    }

    void pathUnderAFileIsAClearError()
    {
        const QString file = path("plain-file");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        const QString target = file + QStringLiteral("/state.db");
        auto store = state::StateStore::open(target);
        QVERIFY(!store);
        QCOMPARE(store.error().code, ErrorCode::Io);
        QCOMPARE(store.error().message,
                 QStringLiteral("state database %1: cannot create folder %2").arg(target, file));
    }

    void fileThatIsNotADatabaseIsAClearError()
    {
        const QString file = path("not-a-db.txt");
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QVERIFY(f.write(QByteArray(4096, 'x')) == 4096);
        f.close();
        auto store = state::StateStore::open(file);
        QVERIFY(!store);
        QVERIFY2(store.error().message.startsWith(QStringLiteral("state database %1: ").arg(file)),
                 qPrintable(store.error().message));
        QVERIFY2(store.error().message.endsWith(QStringLiteral("file is not a database")),
                 qPrintable(store.error().message));
    }
};

QTEST_GUILESS_MAIN(TestStateStore)
#include "tst_state_store.moc"
