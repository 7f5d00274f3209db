#include "common/sqlite_db.h"
#include "connectors/sqlite/sqlite_source.h"
#include "engine/node.h"
#include "model/node_type_registry.h"
#include "model/pipeline_validator.h"
#include "support/test_support.h"

#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace weir;

namespace {

std::unique_ptr<engine::SourceNode> makeSource(const QString &db, const char *extra)
{
    const auto *t = model::NodeTypeRegistry::builtin().find(QStringLiteral("sqlite.source"));
    QJsonObject config = QJsonDocument::fromJson(extra).object();
    config.insert(QStringLiteral("path"), db);
    config.insert(QStringLiteral("watermark_column"), QStringLiteral("updated_at"));
    config.insert(QStringLiteral("key_column"), QStringLiteral("id"));
    return t->makeSource(
        model::NodeConfig(QStringLiteral("src"), {}, t->schema.withDefaults(config)));
}

struct Drained
{
    QStringList ids;
    std::vector<record::SourcePosition> positions;
    QString error;
};

Drained drain(engine::SourceNode &source, const std::vector<record::SourcePosition> &resume = {})
{
    Drained out;
    std::atomic<bool> stop{false};
    engine::NodeContext ctx{QStringLiteral("p"), QStringLiteral("src"), 1, &stop, nullptr, true};
    if (Status s = source.open(ctx, resume); !s) {
        out.error = s.error().describe();
        return out;
    }
    for (int i = 0; i < 1000; ++i) {
        record::Batch b;
        std::vector<engine::DeadLetter> dead;
        auto step = source.next(b, dead);
        if (!step) {
            out.error = step.error().describe();
            return out;
        }
        for (const auto &e : b.events)
            out.ids << QString::fromStdString(e.after[0].toText());
        for (const auto &p : b.positions)
            out.positions.push_back(p);
        if (step.value() == engine::StepStatus::Finished)
            return out;
    }
    out.error = QStringLiteral("never finished");
    return out;
}

void exec(const QString &db, const char *sql)
{
    auto handle = common::SqliteDb::open(db);
    QVERIFY(handle);
    const Status s = handle->exec(sql);
    QVERIFY2(s, s ? "" : qPrintable(s.error().message));
}

} // namespace

class TestSqliteSource : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QString freshDb(const QString &name)
    {
        const QString db = m_dir.filePath(name);
        exec(db, "CREATE TABLE events(id INTEGER PRIMARY KEY, updated_at TEXT NOT NULL, v TEXT);"
                 "INSERT INTO events VALUES (1, '2024-01-01T00:00:01Z', 'a'), (2, "
                 "'2024-01-01T00:00:01Z', 'b'),"
                 " (3, '2024-01-01T00:00:01Z', 'skip'), (4, '2024-01-01T00:00:02Z', 'd');");
        return db;
    }

private slots:
    void tiesAcrossBatchesAreNeitherSkippedNorRepeated()
    {
        const QString db = freshDb(QStringLiteral("ties.db"));
        auto source = makeSource(db, R"({"table": "events", "batch_size": 2})");
        const Drained all = drain(*source);
        QVERIFY2(all.error.isEmpty(), qPrintable(all.error));
        QCOMPARE(all.ids, (QStringList{"1", "2", "3", "4"}));
        QCOMPARE(all.positions.back().cursor, std::string(R"({"w":"2024-01-01T00:00:02Z","k":4})"));
        // Resuming in the middle of a tie goes on right after the last key.
        auto rest = makeSource(db, R"({"table": "events", "batch_size": 2})");
        QCOMPARE(drain(*rest, {all.positions.front()}).ids, (QStringList{"3", "4"}));
    }

    void newRowsAndLateCommits()
    {
        const QString db = freshDb(QStringLiteral("late.db"));
        auto first = makeSource(db, R"({"table": "events"})");
        const Drained before = drain(*first);
        QCOMPARE(before.ids.size(), 4);
        // A new row at the same watermark (higher key), and a late one behind the watermark.
        exec(db, "INSERT INTO events VALUES (5, '2024-01-01T00:00:02Z', 'e'), (6, "
                 "'2024-01-01T00:00:00Z', 'late')");
        auto plain = makeSource(db, R"({"table": "events"})");
        QCOMPARE(drain(*plain, {before.positions.back()}).ids, (QStringList{"5"}));
        auto lookback = makeSource(db, R"({"table": "events", "lookback_seconds": 60})");
        const Drained withLate = drain(*lookback, {before.positions.back()});
        // Row 5 is new; the window then brings the late row 6 and the rows it had not sent in
        // this run (at-least-once inside the window after a restart).
        QVERIFY2(withLate.ids.startsWith(QStringLiteral("5")),
                 qPrintable(withLate.ids.join(QLatin1Char(','))));
        QVERIFY(withLate.ids.contains(QStringLiteral("6")));
        QCOMPARE(withLate.ids.count(QStringLiteral("5")), 1);
    }

    void queryInsteadOfTable()
    {
        const QString db = freshDb(QStringLiteral("query.db"));
        auto source =
            makeSource(db, R"({"query": "SELECT id, updated_at FROM events WHERE v <> 'skip'"})");
        QCOMPARE(drain(*source).ids, (QStringList{"1", "2", "4"}));
        auto typo = makeSource(db, R"({"table": "evnts"})");
        QVERIFY(drain(*typo).error.startsWith(QLatin1String("node 'src': cannot read evnts: ")));
    }

    void incrementalLoadThroughWeirRun()
    {
        const QString db = freshDb(QStringLiteral("source.db"));
        const QString target = m_dir.filePath(QStringLiteral("target.db"));
        const QString pipeline = m_dir.filePath(QStringLiteral("inc.weir.json"));
        test::writeFile(pipeline, QStringLiteral(R"({"format": 1, "name": "inc", "nodes": [
  {"id": "src", "type": "sqlite.source", "config": {"path": "%1", "table": "events", "watermark_column": "updated_at", "key_column": "id", "batch_size": 2}},
  {"id": "dst", "type": "sqlite.sink", "config": {"path": "%2", "table": "events_copy", "key": ["id"]}}],
 "edges": [{"from": "src.out", "to": "dst.in"}]})")
                                      .arg(db, target)
                                      .toUtf8());
        const QStringList args{QStringLiteral("run"), pipeline, QStringLiteral("--once"),
                               QStringLiteral("--state"),
                               m_dir.filePath(QStringLiteral("inc-state.db"))};
        auto r = test::runWeir(args);
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(test::queryInt(target, QStringLiteral("SELECT count(*) FROM events_copy")),
                 qint64(4));
        r = test::runWeir(args);
        QVERIFY2(r.err.contains("0 read, 0 written"), r.err.constData());
        exec(db, "INSERT INTO events VALUES (7, '2024-01-01T00:00:03Z', 'g'); UPDATE events SET v "
                 "= 'B', "
                 "updated_at = '2024-01-01T00:00:04Z' WHERE id = 2;");
        r = test::runWeir(args);
        QVERIFY2(r.err.contains("2 read, 2 written"), r.err.constData());
        QCOMPARE(test::queryInt(target, QStringLiteral("SELECT count(*) FROM events_copy")),
                 qint64(5));
        QCOMPARE(test::queryText(target, QStringLiteral("SELECT v FROM events_copy WHERE id = 2")),
                 QStringLiteral("B"));
    }

    void nullWatermarksAreReadNotSkipped()
    {
        const QString db = m_dir.filePath(QStringLiteral("nulls.db"));
        exec(db, "CREATE TABLE events(id INTEGER PRIMARY KEY, updated_at TEXT, v TEXT);"
                 "INSERT INTO events VALUES (1, NULL, 'a'), (2, '2024-01-01T00:00:01Z', 'b'),"
                 " (3, '2024-01-01T00:00:02Z', 'c');");
        // NULLs sort first, yet the ordered rows do not stall behind them, and they are read.
        auto first = makeSource(db, R"({"table": "events"})");
        const Drained before = drain(*first);
        QVERIFY2(before.error.isEmpty(), qPrintable(before.error));
        QCOMPARE(before.ids, (QStringList{"2", "3", "1"}));
        QCOMPARE(before.positions.back().cursor,
                 std::string(R"({"w":"2024-01-01T00:00:02Z","k":3,"n":1})"));

        // Three rows after the first run, two of them without a watermark: all three are read.
        exec(db, "INSERT INTO events VALUES (4, '2024-01-01T00:00:03Z', 'd'), (5, NULL, 'e'),"
                 " (6, NULL, 'f');");
        auto second = makeSource(db, R"({"table": "events"})");
        const Drained after = drain(*second, {before.positions.back()});
        QCOMPARE(after.ids, (QStringList{"4", "5", "6"}));

        // Nothing more, then a NULL watermark that is set later is read again (an update).
        auto third = makeSource(db, R"({"table": "events"})");
        QCOMPARE(drain(*third, {after.positions.back()}).ids, QStringList());
        exec(db, "UPDATE events SET updated_at = '2024-01-01T00:00:04Z' WHERE id = 5;");
        auto fourth = makeSource(db, R"({"table": "events"})");
        QCOMPARE(drain(*fourth, {after.positions.back()}).ids, (QStringList{"5"}));

        // A cursor stored before NULL watermarks had their own cursor could hold a NULL
        // watermark: the source starts over instead of stalling on it.
        auto legacy = makeSource(db, R"({"table": "events"})");
        const record::SourcePosition old("src", before.positions.back().stream, 0,
                                         R"({"w":null,"k":1})");
        QCOMPARE(drain(*legacy, {old}).ids, (QStringList{"2", "3", "4", "5", "1", "6"}));

        // A cursor of two fields, from before NULL watermarks were read, says nothing of them:
        // each is read once (here 1 again, 6 for the first time), so none it skipped is lost.
        auto upgraded = makeSource(db, R"({"table": "events"})");
        const record::SourcePosition twoFields("src", before.positions.back().stream, 0,
                                               R"({"w":"2024-01-01T00:00:02Z","k":3})");
        QCOMPARE(drain(*upgraded, {twoFields}).ids, (QStringList{"4", "5", "1", "6"}));
    }

    void positionsAreOrderedByCursorNotOffset()
    {
        const QString db = freshDb(QStringLiteral("order.db"));
        auto source = makeSource(db, R"({"table": "events", "batch_size": 1})");
        const Drained all = drain(*source);
        QCOMPARE(all.positions.size(), std::size_t(4));
        // Rows 1..3 share a watermark, so their batches share an offset.
        QCOMPARE(all.positions[0].offset, all.positions[2].offset);
        QVERIFY(source->comparePositions(all.positions[0], all.positions[1]) < 0);
        QVERIFY(source->comparePositions(all.positions[2], all.positions[1]) > 0);
        QVERIFY(source->comparePositions(all.positions[3], all.positions[3]) == 0);
    }

    void lookbackRemembersOnlyItsWindow()
    {
        // An integer watermark has no time window: nothing is remembered for it.
        const QString ints = m_dir.filePath(QStringLiteral("ints.db"));
        exec(ints, "CREATE TABLE events(id INTEGER PRIMARY KEY, updated_at INTEGER, v TEXT);"
                   "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
                   " INSERT INTO events SELECT i, i, 'x' FROM n;");
        auto counter = makeSource(ints, R"({"table": "events", "lookback_seconds": 60})");
        QCOMPARE(drain(*counter).ids.size(), 5000);
        QCOMPARE(dynamic_cast<connectors::sqlite::SqliteSource &>(*counter).lookbackMemory(),
                 std::size_t(0));

        // Timestamps one second apart over 50 minutes: only the last minute is remembered.
        const QString times = m_dir.filePath(QStringLiteral("times.db"));
        exec(times, "CREATE TABLE events(id INTEGER PRIMARY KEY, updated_at TEXT, v TEXT);"
                    "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 2999)"
                    " INSERT INTO events SELECT i, strftime('%Y-%m-%dT%H:%M:%SZ', 1700000000 + i,"
                    " 'unixepoch'), 'x' FROM n;");
        auto clock = makeSource(times, R"({"table": "events", "lookback_seconds": 60,
                                           "batch_size": 500})");
        QCOMPARE(drain(*clock).ids.size(), 3000);
        const std::size_t remembered =
            dynamic_cast<connectors::sqlite::SqliteSource &>(*clock).lookbackMemory();
        QVERIFY2(remembered >= 60 && remembered <= 61, qPrintable(QString::number(remembered)));
    }

    void distinctDeadLettersAreKeptApart()
    {
        // 1,000 rows, 30 with a bad amount, read in batches that share nothing but the source:
        // 30 dead letters reported and 30 stored, each with its own row.
        const QString db = m_dir.filePath(QStringLiteral("amounts.db"));
        exec(db, "CREATE TABLE orders(id INTEGER PRIMARY KEY, updated_at TEXT NOT NULL, amount);"
                 "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)"
                 " INSERT INTO orders SELECT i, '2024-01-01T00:00:00Z',"
                 " CASE WHEN i % 33 = 0 THEN 'bad' || i ELSE i END FROM n;");
        const QString target = m_dir.filePath(QStringLiteral("amounts_copy.db"));
        const QString state = m_dir.filePath(QStringLiteral("amounts-state.db"));
        const QString pipeline = m_dir.filePath(QStringLiteral("amounts.weir.json"));
        test::writeFile(pipeline, QStringLiteral(R"({"format": 1, "name": "amounts", "nodes": [
  {"id": "src", "type": "sqlite.source", "config": {"path": "%1", "table": "orders", "watermark_column": "updated_at", "key_column": "id", "batch_size": 250}},
  {"id": "check", "type": "validate", "config": {"types": {"amount": "decimal"}}},
  {"id": "shape", "type": "sql", "config": {"query": "SELECT id, amount FROM batch"}},
  {"id": "check_again", "type": "validate", "config": {"ranges": {"amount": {"max": 500}}}},
  {"id": "dst", "type": "sqlite.sink", "config": {"path": "%2", "table": "orders", "key": ["id"]}}],
 "edges": [{"from": "src.out", "to": "check.in"}, {"from": "check.out", "to": "shape.in"},
           {"from": "shape.out", "to": "check_again.in"}, {"from": "check_again.out", "to": "dst.in"}]})")
                                      .arg(db, target)
                                      .toUtf8());
        const auto r = test::runWeir({QStringLiteral("run"), pipeline, QStringLiteral("--once"),
                                      QStringLiteral("--state"), state});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        // 30 bad amounts at check; of the 970 good ones, 485 are over 500 after the sql node,
        // whose result rows must keep distinct locations too.
        QVERIFY2(r.err.contains("1000 read, 485 written, 515 dead letters"), r.err.constData());
        QCOMPARE(test::queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters WHERE "
                                                      "node = 'check'")),
                 qint64(30));
        QCOMPARE(test::queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters WHERE "
                                                      "node = 'check_again'")),
                 qint64(485));
        QCOMPARE(test::queryInt(state, QStringLiteral("SELECT count(DISTINCT payload) FROM "
                                                      "dead_letters")),
                 qint64(515));
        QCOMPARE(test::queryInt(target, QStringLiteral("SELECT count(*) FROM orders")),
                 qint64(485));
    }

    void tableOrQueryIsRequired()
    {
        const model::NodeType *t =
            model::NodeTypeRegistry::builtin().find(QStringLiteral("sqlite.source"));
        QCOMPARE(t->checkConfig(QJsonObject{})[0].message,
                 QStringLiteral("give either a table or a query"));
        QCOMPARE(t->checkConfig(QJsonObject{{QStringLiteral("table"), QStringLiteral("t")},
                                            {QStringLiteral("query"), QStringLiteral("SELECT 1")}})
                     .size(),
                 std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestSqliteSource)
#include "tst_sqlite_source.moc"
