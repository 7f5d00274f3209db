// postgres.sink against a real PostgreSQL server (tests/support/postgres_server): upsert with
// last-write-wins and deletes, soft deletes, append, hostile names and values loaded verbatim,
// refused rows to the dead-letter queue with the rest committed, positions committed with the
// data, and a whole pipeline run through the engine.

#include "common/time_format.h"
#include "connectors/postgres/postgres_sink.h"
#include "engine/engine.h"
#include "model/pipeline_json.h"
#include "state/state_store.h"
#include "support/postgres_server.h"
#include "support/sink_events.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace weir;
using record::Op;
using record::Value;
using test::sinkBatch;
using test::sinkEvent;
using test::writeAndCommit;

class TestPostgresSink : public QObject
{
    Q_OBJECT

private:
    test::PostgresServer m_server;
    QTemporaryDir m_dir;
    std::unique_ptr<state::StateStore> m_store;
    std::atomic<bool> m_stop{false};

    QString scalar(const QString &sql) const { return m_server.scalar(sql); }

    std::unique_ptr<connectors::postgres::PostgresSink>
    openSink(const std::string &table, bool softDelete = false, bool upsert = true)
    {
        connectors::postgres::PostgresSinkOptions o;
        o.connection = m_server.uri().toStdString();
        o.table = table;
        o.upsert = upsert;
        o.keyColumns = {"id"};
        o.orderBy = upsert ? "updated_at" : "";
        o.softDelete = softDelete;
        auto sink = std::make_unique<connectors::postgres::PostgresSink>(o);
        engine::NodeContext ctx{QStringLiteral("p"), QStringLiteral("sink"), 1, &m_stop,
                                m_store.get()};
        const Status s = sink->open(ctx);
        return s ? std::move(sink) : nullptr;
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.error()));
        auto store = state::StateStore::open(m_dir.filePath(QStringLiteral("state.db")));
        QVERIFY(store);
        m_store = std::move(store.value());
    }

    void cleanupTestCase() { m_server.stop(); }

    void upsertKeepsTheNewestAndAppliesDeletes()
    {
        auto sink = openSink("orders");
        QVERIFY(sink);
        auto w = writeAndCommit(
            *sink, sinkBatch({sinkEvent(Op::Create, 1, "new", "2024-01-01T00:00:01Z", 0),
                              sinkEvent(Op::Create, 2, "new", "2024-01-01T00:00:01Z", 1),
                              sinkEvent(Op::Update, 1, "paid", "2024-01-01T00:00:03Z", 2),
                              // older than the update before it, in the same batch
                              sinkEvent(Op::Update, 1, "stale", "2024-01-01T00:00:02Z", 3)},
                             4));
        QVERIFY2(w, w ? "" : qPrintable(w.error().message));
        QCOMPARE(w->written, std::int64_t(4));
        QCOMPARE(scalar(QStringLiteral("SELECT status FROM orders WHERE id = 1")),
                 QStringLiteral("paid"));
        // An older version arriving late in another batch never overwrites a newer one.
        QVERIFY(writeAndCommit(
            *sink, sinkBatch({sinkEvent(Op::Update, 1, "late", "2024-01-01T00:00:02Z", 4)}, 5)));
        QCOMPARE(scalar(QStringLiteral("SELECT status FROM orders WHERE id = 1")),
                 QStringLiteral("paid"));
        // A delete, and a key deleted then inserted again in one batch.
        QVERIFY(writeAndCommit(
            *sink, sinkBatch({sinkEvent(Op::Delete, 2, "new", "2024-01-01T00:00:05Z", 5),
                              sinkEvent(Op::Delete, 1, "paid", "2024-01-01T00:00:05Z", 6),
                              sinkEvent(Op::Create, 1, "again", "2024-01-01T00:00:01Z", 7)},
                             8)));
        QCOMPARE(scalar(QStringLiteral("SELECT string_agg(id || ':' || status, ',' ORDER BY id) "
                                       "FROM orders")),
                 QStringLiteral("1:again"));
        QCOMPARE(scalar(QStringLiteral("SELECT \"offset\" FROM _weir_offsets WHERE sink = "
                                       "'sink' AND stream = 's'")),
                 QStringLiteral("8"));
        auto positions = sink->committedPositions();
        QVERIFY(positions);
        QCOMPARE(positions->size(), std::size_t(1));
        QCOMPARE(positions->front().offset, std::int64_t(8));
        QVERIFY(sink->close());
    }

    void jsonArraysLoadIntoArrayColumns()
    {
        // Sources give PostgreSQL arrays as JSON; a target with array columns gets arrays.
        QCOMPARE(scalar(QStringLiteral("CREATE TABLE arrays (id bigint PRIMARY KEY, tags int[], "
                                       "names text[], grid numeric[], note text)")),
                 QString());
        auto sink = openSink("arrays", false, false);
        QVERIFY(sink);
        record::Batch batch = sinkBatch({}, 1);
        batch.schema = record::makeSchema({"id", "tags", "names", "grid", "note"});
        record::ChangeEvent &e = batch.events.emplace_back();
        e.op = Op::Create;
        e.after = {Value::fromInt(1), Value::fromString("[1, 2, null]"),
                   Value::fromString("[\"a b\",\"c\\\"d\\\\e\",null,\"NULL\",\"\\u00fc\"]"),
                   Value::fromString("[[1.50,-2],[300,\"NaN\"]]"),
                   Value::fromString("[1,2]")}; // a text column keeps the JSON
        auto w = writeAndCommit(*sink, batch);
        QVERIFY2(w, w ? "" : qPrintable(w.error().message));
        QCOMPARE(scalar(QStringLiteral("SELECT tags::text || ' ' || array_length(names, 1) || ' "
                                       "' || (names[2] = 'c\"d\\e' AND names[3] IS NULL AND "
                                       "names[4] = 'NULL' AND names[5] = 'ü') || ' ' || "
                                       "grid::text || ' ' || note FROM arrays")),
                 QStringLiteral("{1,2,NULL} 5 true {{1.50,-2},{300,NaN}} [1,2]"));
    }

    void typedValuesLoadExactlyInBinaryAndText()
    {
        // Values of their columns' kinds go in COPY's binary format; a batch with one that
        // does not (a decimal in exponent notation, a string for an integer) goes as text. The
        // server gives back the same either way.
        QCOMPARE(scalar(QStringLiteral("CREATE TABLE typed (id bigint PRIMARY KEY, n numeric, m "
                                       "numeric(12,2), i4 integer, i2 smallint, f float8, t "
                                       "text, v varchar(10), ts timestamp, tz timestamptz, b "
                                       "boolean)")),
                 QString());
        auto sink = openSink("typed", false, false);
        QVERIFY(sink);
        auto dec = [](const char *text) { return Value::fromDecimalText(text); };
        auto row = [](std::int64_t id, std::vector<Value> rest) {
            record::ChangeEvent e;
            e.op = Op::Create;
            e.after = {Value::fromInt(id)};
            for (Value &v : rest)
                e.after.push_back(std::move(v));
            return e;
        };
        record::Batch batch = sinkBatch({}, 1);
        batch.schema =
            record::makeSchema({"id", "n", "m", "i4", "i2", "f", "t", "v", "ts", "tz", "b"});
        batch.events = {
            row(1, {dec("0"), dec("12.5"), Value::fromInt(2147483647), Value::fromInt(-32768),
                    Value::fromDouble(1.5), Value::fromString("tab\there"),
                    Value::fromString("\u00fc"), Value::fromTimestampMicros(0),
                    Value::fromTimestampMicros(1700000000123456), Value::fromBool(true)}),
            row(2, {dec("-0.05"), dec("-99999999.99"), Value::fromInt(-1), Value::fromInt(7),
                    Value::fromInt(3), Value::fromString(""), Value::fromString("x"),
                    Value::fromTimestampMicros(-1), Value::fromTimestampMicros(-1),
                    Value::fromBool(false)}),
            row(3, {dec("12345.6789"), Value::fromInt(42)}),
            row(4, {dec("100000000"), dec("0.005")}),
            row(5, {dec("00012.50"), dec("-0")}),
            row(6, {dec("0.0001"), Value()}),
            row(7, {Value::fromInt(-9223372036854775807), dec("9999999999.99")}),
        };
        auto w = writeAndCommit(*sink, batch);
        QVERIFY2(w, w ? "" : qPrintable(w.error().message));
        record::Batch text = sinkBatch({}, 2);
        text.schema = batch.schema;
        text.events = {row(8, {dec("1e5"), Value::fromString("7.125"), Value::fromString("17")})};
        w = writeAndCommit(*sink, text);
        QVERIFY2(w, w ? "" : qPrintable(w.error().message));
        QCOMPARE(
            scalar(QStringLiteral(
                "SELECT string_agg(concat_ws('|', id, coalesce(n::text, '-'), coalesce(m::text, "
                "'-'), coalesce(i4::text, '-'), coalesce(i2::text, '-'), coalesce(f::text, "
                "'-'), coalesce(t, '-'), coalesce(v, '-'), coalesce(ts::text, '-'), "
                "coalesce((tz AT TIME ZONE 'UTC')::text, '-'), coalesce(b::text, '-')), ' / ' "
                "ORDER BY id) FROM typed")),
            QStringLiteral(
                "1|0|12.50|2147483647|-32768|1.5|tab\there|\u00fc|1970-01-01 00:00:00|2023-11-14 "
                "22:13:20.123456|true / 2|-0.05|-99999999.99|-1|7|3||x|1969-12-31 "
                "23:59:59.999999|1969-12-31 23:59:59.999999|false / 3|12345.6789|42.00|-|-|-|"
                "-|-|-|-|- / 4|100000000|0.01|-|-|-|-|-|-|-|- / 5|12.50|0.00|-|-|-|-|-|-|-|- "
                "/ 6|0.0001|-|-|-|-|-|-|-|-|- / 7|-9223372036854775807|9999999999.99|-|-|-|-"
                "|-|-|-|- / 8|100000|7.13|17|-|-|-|-|-|-|-"));

        // A timestamp before year 1 has no text form the server takes: refused, as in text.
        record::Batch early = sinkBatch({}, 3);
        early.schema = batch.schema;
        early.events = {
            row(9, {dec("1"), dec("1"), Value::fromInt(1), Value::fromInt(1), Value::fromDouble(1),
                    Value::fromString("t"), Value::fromString("v"),
                    Value::fromTimestampMicros(-62135596800000001), Value::fromTimestampMicros(0),
                    Value::fromBool(true)})};
        w = writeAndCommit(*sink, early);
        QVERIFY2(w, w ? "" : qPrintable(w.error().message));
        QCOMPARE(w->rejected, std::int64_t(1));
        QVERIFY(m_store->purgeDeadLetters({})); // the other tests count their own

        // Arrays of types that have a binary form (varchar(n)[], numeric(p,s)[]) take the
        // JSON arrays sources give, converted as text.
        QCOMPARE(scalar(QStringLiteral("CREATE TABLE typed_arrays (id bigint PRIMARY KEY, codes "
                                       "varchar(20)[], amounts numeric(10,2)[])")),
                 QString());
        auto arrays = openSink("typed_arrays", false, false);
        QVERIFY(arrays);
        record::Batch lists = sinkBatch({}, 1);
        lists.schema = record::makeSchema({"id", "codes", "amounts"});
        lists.events = {
            row(1, {Value::fromString("[\"a\",\"b c\"]"), Value::fromString("[1.5,2]")}),
            row(2, {Value::fromString("[]"), Value::fromString("[null]")})};
        w = writeAndCommit(*arrays, lists);
        QVERIFY2(w, w ? "" : qPrintable(w.error().message));
        QCOMPARE(w->rejected, std::int64_t(0));
        QCOMPARE(scalar(QStringLiteral("SELECT string_agg(codes::text || ' ' || amounts::text, "
                                       "' / ' ORDER BY id) FROM typed_arrays")),
                 QStringLiteral("{a,\"b c\"} {1.50,2.00} / {} {NULL}"));
    }

    void softDeleteKeepsTheRow()
    {
        auto sink = openSink("soft_orders", true);
        QVERIFY(sink);
        QVERIFY(writeAndCommit(
            *sink, sinkBatch({sinkEvent(Op::Create, 1, "new", "2024-01-01T00:00:01Z", 0),
                              sinkEvent(Op::Delete, 1, "new", "2024-01-01T00:00:02Z", 1)},
                             2)));
        QCOMPARE(scalar(QStringLiteral("SELECT status || ':' || _deleted FROM soft_orders")),
                 QStringLiteral("new:true"));
        QVERIFY(writeAndCommit(
            *sink, sinkBatch({sinkEvent(Op::Update, 1, "back", "2024-01-01T00:00:03Z", 2)}, 3)));
        QCOMPARE(scalar(QStringLiteral("SELECT status || ':' || _deleted FROM soft_orders")),
                 QStringLiteral("back:false"));
    }

    void appendKeepsEveryVersion()
    {
        auto sink = openSink("history", false, false);
        QVERIFY(sink);
        QVERIFY(writeAndCommit(
            *sink, sinkBatch({sinkEvent(Op::Create, 1, "new", "2024-01-01T00:00:01Z", 0),
                              sinkEvent(Op::Update, 1, "paid", "2024-01-01T00:00:02Z", 1)},
                             2)));
        QCOMPARE(scalar(QStringLiteral("SELECT string_agg(status, ',' ORDER BY updated_at) "
                                       "FROM history")),
                 QStringLiteral("new,paid"));
    }

    // Names and values that would break naive SQL or COPY text arrive exactly as they were.
    void hostileNamesAndValuesLoadVerbatim()
    {
        connectors::postgres::PostgresSinkOptions o;
        o.connection = m_server.uri().toStdString();
        o.table = "we\"ird; DROP TABLE x";
        o.keyColumns = {"key \"col\""};
        connectors::postgres::PostgresSink sink(o);
        QVERIFY(sink.open(engine::NodeContext{QStringLiteral("p"), QStringLiteral("hostile"), 1,
                                              &m_stop, m_store.get()}));
        record::Batch b;
        b.schema = record::makeSchema({"key \"col\"", "text\tcol", "blob"});
        b.stream = "h";
        const std::string nasty = "tab\there\nnew line \\N back\\slash 'quote' \"dq\" é ✓";
        record::ChangeEvent &e = b.events.emplace_back();
        e.after = {Value::fromString("k'1"), Value::fromString(nasty),
                   Value::fromBytes(std::string("\0\x01\xff\\", 4))};
        b.positions = {record::SourcePosition{"src", "h", 1}};
        auto w = writeAndCommit(sink, b);
        QVERIFY2(w, w ? "" : qPrintable(w.error().message));
        QCOMPARE(scalar(QStringLiteral("SELECT \"text\tcol\" FROM \"we\"\"ird; DROP TABLE x\" "
                                       "WHERE \"key \"\"col\"\"\" = 'k''1'")),
                 QString::fromStdString(nasty));
        QCOMPARE(scalar(QStringLiteral("SELECT encode(blob, 'hex') FROM \"we\"\"ird; DROP TABLE "
                                       "x\"")),
                 QStringLiteral("0001ff5c"));
    }

    // A row the table refuses goes to the dead-letter queue; the rest of its batch lands.
    void refusedRowsGoToTheDeadLetterQueue()
    {
        QCOMPARE(scalar(QStringLiteral("CREATE TABLE checked(id bigint PRIMARY KEY, status text "
                                       "CHECK (status <> 'bad'), updated_at timestamptz)")),
                 QString());
        auto sink = openSink("checked");
        QVERIFY(sink);
        auto w = writeAndCommit(
            *sink, sinkBatch({sinkEvent(Op::Create, 1, "good", "2024-01-01T00:00:01Z", 10),
                              sinkEvent(Op::Create, 2, "bad", "2024-01-01T00:00:01Z", 11),
                              sinkEvent(Op::Create, 3, "good", "2024-01-01T00:00:01Z", 12)},
                             13));
        QVERIFY2(w, w ? "" : qPrintable(w.error().message));
        QCOMPARE(w->written, std::int64_t(2));
        QCOMPARE(w->rejected, std::int64_t(1));
        QCOMPARE(scalar(QStringLiteral("SELECT string_agg(id::text, ',' ORDER BY id) FROM "
                                       "checked")),
                 QStringLiteral("1,3"));
        auto letters =
            m_store->deadLetters(state::DeadLetterFilter{{}, QStringLiteral("sink"), {}}, 10);
        QVERIFY(letters);
        QCOMPARE(letters->size(), std::size_t(1));
        QVERIFY2(letters->front().error.contains(QLatin1String("checked_status_check")),
                 qPrintable(letters->front().error));
        QCOMPARE(letters->front().offset, qint64(11));
    }

    // A big batch with refused rows far apart is written in halves: only those rows are dead
    // letters, and a key updated on both sides of a split still ends with its newest version.
    void refusedRowsInABigBatch()
    {
        QCOMPARE(scalar(QStringLiteral("CREATE TABLE checked_big(id bigint PRIMARY KEY, status "
                                       "text CHECK (status <> 'bad'), updated_at timestamptz)")),
                 QString());
        auto sink = openSink("checked_big");
        QVERIFY(sink);
        std::vector<record::ChangeEvent> events;
        for (std::int64_t id = 1; id <= 1000; ++id) {
            events.push_back(sinkEvent(Op::Create, id, id == 100 || id == 901 ? "bad" : "good",
                                       "2024-01-01T00:00:01Z", id));
            if (id == 500) { // the middle of the batch, where the first split falls
                events.push_back(sinkEvent(Op::Update, 5, "newest", "2024-01-01T00:00:03Z", 10001));
                events.push_back(sinkEvent(Op::Update, 5, "older", "2024-01-01T00:00:02Z", 10002));
            }
        }
        auto w = writeAndCommit(*sink, sinkBatch(std::move(events), 20000));
        QVERIFY2(w, w ? "" : qPrintable(w.error().message));
        QCOMPARE(w->rejected, std::int64_t(2));
        QCOMPARE(w->written, std::int64_t(1000));
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM checked_big")), QStringLiteral("998"));
        QCOMPARE(scalar(QStringLiteral("SELECT status FROM checked_big WHERE id = 5")),
                 QStringLiteral("newest"));
        auto letters = m_store->deadLetters(
            state::DeadLetterFilter{{}, QStringLiteral("sink"), QStringLiteral("checked_big")}, 10);
        QVERIFY(letters);
        QList<qint64> offsets;
        for (const auto &letter : letters.value())
            offsets << letter.offset;
        std::sort(offsets.begin(), offsets.end());
        QCOMPARE(offsets, (QList<qint64>{100, 901}));
    }

    // Batches share a transaction until flush(): nothing of them, positions included, is
    // visible before.
    void groupCommitIsAllOrNothing()
    {
        auto sink = openSink("grouped");
        QVERIFY(sink);
        QVERIFY(
            sink->write(sinkBatch({sinkEvent(Op::Create, 1, "a", "2024-01-01T00:00:01Z", 0)}, 1)));
        QVERIFY(
            sink->write(sinkBatch({sinkEvent(Op::Create, 2, "b", "2024-01-01T00:00:01Z", 1)}, 2)));
        QVERIFY(scalar(QStringLiteral("SELECT count(*) FROM grouped")).startsWith("error:"));
        QVERIFY(sink->flush());
        QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM grouped")), QStringLiteral("2"));
    }

    void eachUpstreamTableGoesIntoItsOwn()
    {
        // Batches of two upstream tables in turns, in one transaction: each into its own
        // target, the staging table made again at each switch.
        auto sink = openSink("routed_{schema}_{table}");
        QVERIFY(sink);
        auto fromTable = [](record::Batch batch, const char *table) {
            batch.table = table;
            return batch;
        };
        QVERIFY(sink->write(
            fromTable(sinkBatch({sinkEvent(Op::Create, 1, "new", "2024-01-01T00:00:01Z", 0),
                                 sinkEvent(Op::Create, 2, "new", "2024-01-01T00:00:01Z", 1)},
                                2),
                      "public.items")));
        QVERIFY(sink->write(
            fromTable(sinkBatch({sinkEvent(Op::Create, 1, "crm", "2024-01-01T00:00:01Z", 2)}, 3),
                      "crm.items")));
        QVERIFY(writeAndCommit(
            *sink, fromTable(sinkBatch({sinkEvent(Op::Update, 1, "paid", "2024-01-01T00:00:02Z", 3),
                                        sinkEvent(Op::Delete, 2, "new", "2024-01-01T00:00:02Z", 4)},
                                       5),
                             "public.items")));
        QCOMPARE(scalar(QStringLiteral("SELECT string_agg(id || status, ' ' ORDER BY id) FROM "
                                       "routed_public_items")),
                 QStringLiteral("1paid"));
        QCOMPARE(scalar(QStringLiteral("SELECT string_agg(id || status, ' ') FROM "
                                       "routed_crm_items")),
                 QStringLiteral("1crm"));

        // Tables in turns, a row each, in one transaction (a source transaction that touches
        // both): nothing is made again, so the server's locks stay few.
        for (int i = 0; i < 300; ++i)
            QVERIFY(sink->write(fromTable(
                sinkBatch({sinkEvent(Op::Create, 10 + i, "turn", "2024-01-01T00:00:03Z", 5 + i)},
                          6 + i),
                i % 2 ? "crm.items" : "public.items")));
        const int locks = scalar(QStringLiteral("SELECT count(*) FROM pg_locks")).toInt();
        QVERIFY2(locks < 100, qPrintable(QString::number(locks)));
        QVERIFY(sink->flush());
        QCOMPARE(scalar(QStringLiteral("SELECT (SELECT count(*) FROM routed_public_items) || ' ' "
                                       "|| (SELECT count(*) FROM routed_crm_items)")),
                 QStringLiteral("151 151"));

        // A failed write rolls its transaction back, staging tables made in it too: the next
        // batches make them again.
        QVERIFY(sink->write(fromTable(
            sinkBatch({sinkEvent(Op::Create, 600, "gone", "2024-01-01T00:00:04Z", 400)}, 401),
            "public.other")));
        record::Batch keyless;
        keyless.schema = record::makeSchema({"status"});
        keyless.events.resize(1);
        keyless.events[0].after = {Value::fromString("x")};
        keyless.table = "public.items";
        QVERIFY(!sink->write(keyless));
        QVERIFY(writeAndCommit(*sink, fromTable(sinkBatch({sinkEvent(Op::Create, 700, "again",
                                                                     "2024-01-01T00:00:05Z", 401)},
                                                          402),
                                                "public.other")));
        QCOMPARE(scalar(QStringLiteral("SELECT string_agg(id || status, ' ') FROM "
                                       "routed_public_other")),
                 QStringLiteral("700again"));
        QVERIFY(sink->close());
    }

    // A password goes into the connection only as a secret reference.
    void clearPasswordsAreRefused_data()
    {
        QTest::addColumn<QString>("connection");
        QTest::addColumn<bool>("refused");
        QTest::newRow("uri, clear")
            << QStringLiteral("postgresql://loader:hunter2@db/warehouse") << true;
        QTest::newRow("uri, reference")
            << QStringLiteral("postgresql://loader:${env:PGPASSWORD}@db/w") << false;
        QTest::newRow("uri, no password") << QStringLiteral("postgres://loader@db:5432/w") << false;
        QTest::newRow("key=value, clear")
            << QStringLiteral("host=db user=loader password=hunter2") << true;
        QTest::newRow("key=value, reference")
            << QStringLiteral("host=db password=${keychain:warehouse} user=loader") << false;
    }

    void clearPasswordsAreRefused()
    {
        QFETCH(QString, connection);
        QFETCH(bool, refused);
        const model::NodeType *type =
            model::NodeTypeRegistry::builtin().find(QStringLiteral("postgres.sink"));
        QVERIFY(type && type->checkConfig);
        QJsonObject config{{QStringLiteral("connection"), connection},
                           {QStringLiteral("table"), QStringLiteral("t")},
                           {QStringLiteral("key"), QJsonArray{QStringLiteral("id")}}};
        const auto problems = type->checkConfig(config);
        QCOMPARE(!problems.empty(), refused);
        if (refused)
            QCOMPARE(problems.front().field, QStringLiteral("connection"));
    }

    // A pipeline file with a postgres.sink runs through the engine; the connection comes from
    // an environment variable and a second run writes nothing again.
    void pipelineRunsThroughTheEngine()
    {
        const QString csv = m_dir.filePath(QStringLiteral("orders.csv"));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("order_id,status,amount\n1,new,10.50\n2,paid,3.25\n1,shipped,10.50\n");
        f.close();
        qputenv("WEIR_TEST_PG", m_server.uri().toUtf8());
        const QByteArray json = QStringLiteral(R"({"format": 1, "name": "to_pg", "nodes": [
  {"id": "read", "type": "csv.source", "config": {"path": "%1"}},
  {"id": "pg", "type": "postgres.sink", "config": {"connection": "${env:WEIR_TEST_PG}",
   "table": "pipeline_orders", "key": ["order_id"]}}],
 "edges": [{"from": "read.out", "to": "pg.in"}]})")
                                    .arg(csv)
                                    .toUtf8();
        for (int run = 0; run < 2; ++run) {
            auto parsed = model::parsePipeline(json, QStringLiteral("to_pg.weir.json"));
            QVERIFY(parsed.pipeline);
            engine::EngineOptions options;
            options.once = true;
            engine::Engine e(*parsed.pipeline, m_dir.filePath(QStringLiteral("to_pg.weir.json")),
                             m_store.get(), model::NodeTypeRegistry::builtin(), options);
            QSignalSpy finished(&e, &engine::Engine::runFinished);
            e.start();
            QVERIFY(finished.wait(60000));
            const auto outcome = finished.takeFirst().at(0).value<engine::RunOutcome>();
            QCOMPARE(outcome.status, QStringLiteral("finished"));
            QCOMPARE(outcome.totals.recordsIn, qint64(run == 0 ? 3 : 0));
        }
        QCOMPARE(scalar(QStringLiteral("SELECT string_agg(order_id || ':' || status, ',' ORDER "
                                       "BY order_id) FROM pipeline_orders")),
                 QStringLiteral("1:shipped,2:paid"));
    }
};

QTEST_GUILESS_MAIN(TestPostgresSink)
#include "tst_postgres_sink.moc"
