// postgres.source against a real PostgreSQL server (tests/support/postgres_server): rows that
// share a watermark read once each across batches and restarts, column types mapped to Weir's
// values, rows with a NULL watermark, late commits inside the lookback window, text keys in
// byte order, hostile names, a lost connection, a column added while reading, and Test
// connection.

#include "connectors/postgres/postgres_source.h"
#include "engine/node.h"
#include "model/node_config.h"
#include "model/node_type_registry.h"
#include "support/postgres_server.h"

#include <QJsonObject>
#include <QTest>
#include <algorithm>
#include <numeric>

using namespace weir;
using connectors::postgres::PostgresSource;
using connectors::postgres::PostgresSourceOptions;
using record::ValueKind;

namespace {

struct ReadResult
{
    std::vector<record::ChangeEvent> events;
    std::vector<record::SourcePosition> positions; // of the last batch that had one
    record::SchemaPtr schema;
    QString error;
};

} // namespace

class TestPostgresSource : public QObject
{
    Q_OBJECT

private:
    test::PostgresServer m_server;
    std::atomic<bool> m_stop{false};

    void exec(const QString &sql)
    {
        const QString out = m_server.scalar(sql);
        QVERIFY2(!out.startsWith(QLatin1String("error")), qPrintable(sql + ": " + out));
    }

    PostgresSourceOptions options(const std::string &table, int batchSize = 1000) const
    {
        PostgresSourceOptions o;
        o.connection = m_server.uri().toStdString();
        o.table = table;
        o.watermarkColumn = "updated_at";
        o.keyColumn = "id";
        o.batchSize = batchSize;
        o.pollMs = 50;
        return o;
    }

    std::unique_ptr<PostgresSource> openSource(const PostgresSourceOptions &o,
                                               const std::vector<record::SourcePosition> &from = {},
                                               QString *error = nullptr)
    {
        auto source = std::make_unique<PostgresSource>(o);
        engine::NodeContext ctx{QStringLiteral("p"), QStringLiteral("read"), 1, &m_stop, nullptr};
        ctx.once = true;
        const Status s = source->open(ctx, from);
        if (!s) {
            if (error)
                *error = s.error().message;
            return nullptr;
        }
        return source;
    }

    // next() until Finished (or `maxBatches` batches with rows).
    static ReadResult readAll(PostgresSource &source, int maxBatches = 1000000)
    {
        ReadResult out;
        for (int batches = 0; batches < maxBatches;) {
            record::Batch batch;
            std::vector<engine::DeadLetter> dead;
            auto step = source.next(batch, dead);
            if (!step) {
                out.error = step.error().message;
                return out;
            }
            if (!batch.events.empty()) {
                ++batches;
                out.schema = batch.schema;
            }
            for (record::ChangeEvent &e : batch.events)
                out.events.push_back(std::move(e));
            if (!batch.positions.empty())
                out.positions = batch.positions;
            if (step.value() == engine::StepStatus::Finished)
                break;
        }
        return out;
    }

    static std::vector<std::int64_t> ids(const ReadResult &r, int column = 0)
    {
        std::vector<std::int64_t> out;
        for (const record::ChangeEvent &e : r.events)
            out.push_back(e.after[static_cast<std::size_t>(column)].asInt());
        return out;
    }

private slots:
    void initTestCase() { QVERIFY2(m_server.start(), qPrintable(m_server.error())); }
    void cleanupTestCase() { m_server.stop(); }

    void sharedWatermarksAcrossBatchesAndRestarts()
    {
        // 100 rows, ten to a watermark, read seven at a time: batches split ties.
        exec(QStringLiteral("CREATE TABLE ties (id int PRIMARY KEY, updated_at timestamptz, "
                            "note text); INSERT INTO ties SELECT i, timestamptz '2024-01-01' + "
                            "(i / 10) * interval '1 minute', 'n' || i FROM generate_series(0, "
                            "99) i"));
        auto first = openSource(options("ties", 7));
        QVERIFY(first);
        const ReadResult part = readAll(*first, 5); // 35 rows, then "crash"
        QVERIFY2(part.error.isEmpty(), qPrintable(part.error));
        QCOMPARE(part.events.size(), std::size_t(35));
        QCOMPARE(part.positions.size(), std::size_t(1));
        QVERIFY(part.positions.front().stream.starts_with("postgres:postgres#ties"));

        // A restart from the committed position reads exactly the rest, rows added since too.
        exec(QStringLiteral("INSERT INTO ties VALUES (100, '2024-01-01 00:03:00+00', 'tie "
                            "after cursor'), (101, '2024-01-02', 'new')"));
        auto second = openSource(options("ties", 7), part.positions);
        QVERIFY(second);
        const ReadResult rest = readAll(*second);
        QVERIFY2(rest.error.isEmpty(), qPrintable(rest.error));
        std::vector<std::int64_t> all = ids(part);
        for (std::int64_t id : ids(rest))
            all.push_back(id);
        std::vector<std::int64_t> sorted = all;
        std::sort(sorted.begin(), sorted.end());
        QVERIFY(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end()); // none twice
        QCOMPARE(sorted.size(), std::size_t(102));                                 // none lost
        QCOMPARE(sorted.back(), std::int64_t(101));
        // Each row's location is its own (watermark, key) and its event time the watermark.
        const record::ChangeEvent &e = part.events.front();
        QCOMPARE(e.location, std::string(R"({"w":"2024-01-01T00:00:00.000000Z","k":0})"));
        QCOMPARE(e.eventTimeMicros, std::int64_t(1704067200) * 1000000);
        // Positions order by the cursor, not by the offset shared by ten rows.
        QVERIFY(
            std::is_lt(second->comparePositions(part.positions.front(), rest.positions.front())));
    }

    void columnTypesMapToWeirValues()
    {
        exec(QStringLiteral(
            "CREATE TABLE typed (id bigint PRIMARY KEY, updated_at timestamp, small smallint, "
            "price numeric(12,4), ratio float8, ok boolean, day date, doc jsonb, raw bytea, "
            "tags int[], label varchar(20), nan numeric, names text[], flags boolean[], grid "
            "numeric[], docs jsonb[]); INSERT INTO typed VALUES (1, "
            "'2024-03-01 10:00:00.5', 7, 12345678.1234, 0.1, true, '2024-03-01', '{\"a\": "
            "[1, 2]}', '\\x00ff41', '{1,2,3}', 'ünï', 'NaN', ARRAY['a b', 'c\"d\\e', NULL, "
            "'NULL'], ARRAY[true, false], '[0:1][1:2]={{1.50,-2},{3e2,NaN}}', ARRAY['{\"k\": "
            "[1]}'::jsonb, 'null'])"));
        auto source = openSource(options("typed"));
        QVERIFY(source);
        const ReadResult r = readAll(*source);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(r.events.size(), std::size_t(1));
        const std::vector<record::Value> &v = r.events.front().after;
        auto at = [&](const char *name) { return v[std::size_t(r.schema->indexOf(name))]; };
        QCOMPARE(at("id").kind(), ValueKind::Int);
        QCOMPARE(at("updated_at").kind(), ValueKind::Timestamp);
        QCOMPARE(at("updated_at").toText(), std::string("2024-03-01T10:00:00.500Z"));
        QCOMPARE(at("small").asInt(), std::int64_t(7));
        QCOMPARE(at("price").kind(), ValueKind::Decimal);
        QCOMPARE(at("price").text(), std::string("12345678.1234"));
        QCOMPARE(at("ratio").asDouble(), 0.1);
        QCOMPARE(at("ok").kind(), ValueKind::Bool);
        QVERIFY(at("ok").asBool());
        QCOMPARE(at("day").toText(), std::string("2024-03-01"));
        QCOMPARE(at("doc").toText(), std::string(R"({"a": [1, 2]})"));
        QCOMPARE(at("raw").kind(), ValueKind::Bytes);
        QCOMPARE(at("raw").text(), std::string("\x00\xff\x41", 3));
        // Arrays as JSON text, whatever PostgreSQL's quoting and lower bounds.
        QCOMPARE(at("tags").toText(), std::string("[1,2,3]"));
        QCOMPARE(at("names").toText(), std::string("[\"a b\",\"c\\\"d\\\\e\",null,\"NULL\"]"));
        QCOMPARE(at("flags").toText(), std::string("[true,false]"));
        QCOMPARE(at("grid").toText(), std::string(R"([[1.50,-2],[300,"NaN"]])"));
        QCOMPARE(at("docs").toText(), std::string(R"([{"k": [1]},null])"));
        QCOMPARE(at("label").toText(), std::string("ünï"));
        QCOMPARE(at("nan").kind(), ValueKind::String);
    }

    void nullWatermarksAreReadOnceAndDoNotStall()
    {
        exec(QStringLiteral("CREATE TABLE nulls (id int PRIMARY KEY, updated_at timestamptz); "
                            "INSERT INTO nulls VALUES (1, '2024-01-01'), (2, NULL), (3, "
                            "'2024-01-02'), (4, NULL)"));
        auto source = openSource(options("nulls", 1));
        QVERIFY(source);
        ReadResult r = readAll(*source);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(ids(r), (std::vector<std::int64_t>{1, 3, 2, 4}));
        // Added later: a NULL row with a higher key, one with a lower key, and a dated row.
        exec(QStringLiteral("INSERT INTO nulls VALUES (5, NULL), (0, NULL), (6, '2024-01-03')"));
        auto again = openSource(options("nulls", 1), r.positions);
        QVERIFY(again);
        r = readAll(*again);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        // The NULL row below the NULL-key cursor is the documented exception (sqlite.source's
        // rule): read once its watermark is set.
        QCOMPARE(ids(r), (std::vector<std::int64_t>{6, 5}));
        exec(QStringLiteral("UPDATE nulls SET updated_at = '2024-01-04' WHERE id = 0"));
        auto third = openSource(options("nulls", 1), r.positions);
        QVERIFY(third);
        QCOMPARE(ids(readAll(*third)), (std::vector<std::int64_t>{0}));
    }

    void lookbackCatchesLateCommitsOnce()
    {
        exec(QStringLiteral("CREATE TABLE late (id int PRIMARY KEY, updated_at timestamptz); "
                            "INSERT INTO late VALUES (1, '2024-01-01 00:00:00'), (2, "
                            "'2024-01-01 00:10:00')"));
        PostgresSourceOptions o = options("late");
        o.lookbackSeconds = 300;
        auto source = openSource(o);
        QVERIFY(source);
        QCOMPARE(ids(readAll(*source)), (std::vector<std::int64_t>{1, 2}));
        // Committed late, behind the cursor: one inside the window, one before it.
        exec(QStringLiteral("INSERT INTO late VALUES (3, '2024-01-01 00:07:00'), (4, "
                            "'2024-01-01 00:01:00')"));
        QCOMPARE(ids(readAll(*source)), (std::vector<std::int64_t>{3}));
        QCOMPARE(ids(readAll(*source)), (std::vector<std::int64_t>{}));
        QVERIFY(source->lookbackMemory() <= 3);
    }

    void textKeysInByteOrder()
    {
        // One watermark, keys whose dictionary and byte orders differ, read one at a time.
        exec(QStringLiteral("CREATE TABLE words (id text COLLATE \"en-x-icu\" PRIMARY KEY, "
                            "updated_at int); INSERT INTO words VALUES ('b', 1), ('B', 1), "
                            "('a', 1), ('A', 1), ('_', 1)"));
        PostgresSourceOptions o = options("words", 1);
        auto source = openSource(o);
        QVERIFY(source);
        const ReadResult r = readAll(*source);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        std::vector<std::string> keys;
        for (const record::ChangeEvent &e : r.events)
            keys.push_back(e.after[0].toText());
        QCOMPARE(keys, (std::vector<std::string>{"A", "B", "_", "a", "b"}));
    }

    void hostileNamesAndAQuery()
    {
        exec(QStringLiteral("CREATE TABLE \"we\"\"ird; tab\" (\"k\"\"ey\" int, \"up dated\" "
                            "int); INSERT INTO \"we\"\"ird; tab\" VALUES (1, 10), (2, 20)"));
        PostgresSourceOptions o = options("we\"ird; tab");
        o.keyColumn = "k\"ey";
        o.watermarkColumn = "up dated";
        auto source = openSource(o);
        QVERIFY(source);
        QCOMPARE(ids(readAll(*source)), (std::vector<std::int64_t>{1, 2}));

        PostgresSourceOptions q = options("");
        q.query = "SELECT \"k\"\"ey\" * 10 AS id, \"up dated\" AS updated_at FROM \"we\"\"ird; "
                  "tab\" WHERE \"k\"\"ey\" > 1";
        auto fromQuery = openSource(q);
        QVERIFY(fromQuery);
        QCOMPARE(ids(readAll(*fromQuery)), (std::vector<std::int64_t>{20}));
    }

    void missingColumnIsNamed()
    {
        exec(QStringLiteral("CREATE TABLE plain (id int, updated_at int)"));
        PostgresSourceOptions o = options("plain");
        o.watermarkColumn = "changed";
        QString error;
        QVERIFY(!openSource(o, {}, &error));
        QVERIFY2(error.contains(QLatin1String("'changed'")), qPrintable(error));
        o = options("no_such_table");
        QVERIFY(!openSource(o, {}, &error));
        QVERIFY2(error.contains(QLatin1String("no_such_table")), qPrintable(error));
    }

    void lostConnectionIsTransientAndResumes()
    {
        exec(QStringLiteral("CREATE TABLE cut (id int PRIMARY KEY, updated_at int); INSERT INTO "
                            "cut SELECT i, i / 3 FROM generate_series(1, 50) i"));
        auto source = openSource(options("cut", 10));
        QVERIFY(source);
        ReadResult r = readAll(*source, 2);
        QCOMPARE(r.events.size(), std::size_t(20));
        exec(QStringLiteral("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            "WHERE application_name = 'weir'"));
        record::Batch batch;
        std::vector<engine::DeadLetter> dead;
        auto step = source->next(batch, dead);
        QVERIFY(!step);
        QCOMPARE(step.error().code, ErrorCode::Transient);
        QVERIFY(batch.events.empty());
        // Asked again (as the engine does after a backoff): connects and reads on.
        const ReadResult rest = readAll(*source);
        QVERIFY2(rest.error.isEmpty(), qPrintable(rest.error));
        std::vector<std::int64_t> all = ids(r);
        for (std::int64_t id : ids(rest))
            all.push_back(id);
        std::vector<std::int64_t> expected(50);
        std::iota(expected.begin(), expected.end(), 1);
        QCOMPARE(all, expected);
    }

    void columnAddedWhileReading()
    {
        exec(QStringLiteral("CREATE TABLE grows (id int PRIMARY KEY, updated_at int); INSERT "
                            "INTO grows SELECT i, i FROM generate_series(1, 6) i"));
        auto source = openSource(options("grows", 3));
        QVERIFY(source);
        ReadResult r = readAll(*source, 1);
        QCOMPARE(r.schema->size(), std::size_t(2));
        // Between two batches of the first pass.
        exec(QStringLiteral("ALTER TABLE grows ADD COLUMN note text DEFAULT 'x'"));
        r = readAll(*source);
        QVERIFY2(r.error.isEmpty(), qPrintable(r.error));
        QCOMPARE(ids(r), (std::vector<std::int64_t>{4, 5, 6}));
        QCOMPARE(r.schema->size(), std::size_t(3));
        QCOMPARE(r.events.back().after[2].toText(), std::string("x"));
    }

    void testConnectionSaysWhatItFound()
    {
        exec(QStringLiteral("CREATE TABLE probe (id int, updated_at int, a text)"));
        const model::NodeType *type =
            model::NodeTypeRegistry::builtin().find(QStringLiteral("postgres.source"));
        QVERIFY(type && type->testConnection);
        QJsonObject config{{QStringLiteral("connection"), m_server.uri()},
                           {QStringLiteral("table"), QStringLiteral("probe")},
                           {QStringLiteral("watermark_column"), QStringLiteral("updated_at")},
                           {QStringLiteral("key_column"), QStringLiteral("id")}};
        auto ok =
            type->testConnection(model::NodeConfig({}, {}, type->schema.withDefaults(config)));
        QVERIFY2(ok, ok ? "" : qPrintable(ok.error().message));
        QVERIFY2(ok->contains(QLatin1String("table probe gives 3 columns")), qPrintable(*ok));
        config[QStringLiteral("key_column")] = QStringLiteral("nope");
        auto bad =
            type->testConnection(model::NodeConfig({}, {}, type->schema.withDefaults(config)));
        QVERIFY(!bad);
        QVERIFY2(bad.error().message.contains(QLatin1String("'nope'")),
                 qPrintable(bad.error().message));
    }
};

QTEST_GUILESS_MAIN(TestPostgresSource)
#include "tst_postgres_source.moc"
