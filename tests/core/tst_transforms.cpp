#include "engine/node.h"
#include "model/node_type_registry.h"
#include "transforms/dedupe_transform.h"
#include "transforms/validate_transform.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace weir;
using record::Value;

namespace {

record::Batch ordersBatch(const std::vector<std::vector<const char *>> &rows)
{
    record::Batch b;
    b.schema = record::makeSchema({"order_id", "amount", "status", "updated_at"});
    b.stream = "orders.csv";
    std::int64_t offset = 0;
    for (const auto &row : rows) {
        record::ChangeEvent e;
        for (const char *v : row)
            e.after.push_back(v ? Value::fromString(v) : Value());
        e.offset = offset;
        e.line = offset + 2;
        ++offset;
        b.events.push_back(std::move(e));
    }
    b.positions = {record::SourcePosition{"read", "orders.csv", 999}};
    return b;
}

std::unique_ptr<engine::TransformNode> make(const char *type, const char *configJson)
{
    const auto *t = model::NodeTypeRegistry::builtin().find(QString::fromLatin1(type));
    const QJsonObject config = t->schema.withDefaults(QJsonDocument::fromJson(configJson).object());
    return t->makeTransform(model::NodeConfig(QStringLiteral("n"), {}, config));
}

} // namespace

class TestTransforms : public QObject
{
    Q_OBJECT

private slots:
    void validateConvertsAndRejects()
    {
        auto v = make("validate", R"({"required": ["order_id", "amount"],
            "types": {"order_id": "int", "amount": "decimal", "updated_at": "timestamp"},
            "ranges": {"amount": {"min": 0, "max": 1000}},
            "patterns": {"status": "[a-z]+"},
            "allowed": {"status": ["paid", "pending"]}})");
        auto batch = ordersBatch({
            {"1", "10.50", "paid", "2024-01-01T00:00:00.000Z"},
            {"2a", "10.50", "paid", "2024-01-01T00:00:00.000Z"},
            {"3", nullptr, "paid", "2024-01-01T00:00:00.000Z"},
            {"4", "2000", "paid", "2024-01-01T00:00:00.000Z"},
            {"5", "1.00", "Paid!", "2024-13-45T25:61:00.000Z"},
            {"6", "1.00", "lost", "2024-01-02T00:00:00.000Z"},
            {"7", "0", "pending", nullptr},
        });
        std::vector<engine::DeadLetter> dead;
        QVERIFY(v->process(batch, dead));
        QCOMPARE(batch.size(), std::size_t(2));
        QCOMPARE(batch.events[0].after[0], Value::fromInt(1));
        QCOMPARE(batch.events[0].after[1], Value::fromDecimalText("10.50"));
        QCOMPARE(batch.events[0].after[3].kind(), record::ValueKind::Timestamp);
        QCOMPARE(batch.events[1].after[0], Value::fromInt(7));
        QVERIFY(batch.events[1].after[3].isNull());
        QCOMPARE(batch.positions.size(), std::size_t(1));

        QCOMPARE(dead.size(), std::size_t(5));
        QCOMPARE(dead[0].error, QStringLiteral("order_id: '2a' is not a whole number"));
        QCOMPARE(dead[0].line, qint64(3));
        QCOMPARE(
            dead[0].payload,
            QStringLiteral(
                R"({"order_id":"2a","amount":"10.50","status":"paid","updated_at":"2024-01-01T00:00:00.000Z"})"));
        QCOMPARE(dead[1].error, QStringLiteral("amount: required value is missing"));
        QCOMPARE(dead[2].error, QStringLiteral("amount: 2000 is above the maximum 1000"));
        QCOMPARE(
            dead[3].error,
            QStringLiteral(
                "status: 'Paid!' does not match [a-z]+; status: 'Paid!' is not an allowed value; "
                "updated_at: '2024-13-45T25:61:00.000Z' is not an ISO-8601 timestamp"));
        QCOMPARE(dead[4].error, QStringLiteral("status: 'lost' is not an allowed value"));
    }

    void validateMissingColumn()
    {
        auto v = make("validate", R"({"required": ["customer_id"]})");
        auto batch = ordersBatch({{"1", "1", "paid", "2024-01-01"}});
        std::vector<engine::DeadLetter> dead;
        QVERIFY(v->process(batch, dead));
        QCOMPARE(batch.size(), std::size_t(0));
        QCOMPARE(dead.size(), std::size_t(1));
        QCOMPARE(dead[0].error, QStringLiteral("customer_id: required column is missing"));
    }

    void dedupeKeepsNewest()
    {
        auto d = make("dedupe", R"({"key": ["order_id"], "order_by": "updated_at"})");
        auto batch = ordersBatch({
            {"1", "1.00", "pending", "2024-01-01T00:00:01.000Z"},
            {"2", "2.00", "pending", "2024-01-01T00:00:02.000Z"},
            {"1", "1.50", "paid", "2024-01-01T00:00:03.000Z"},
            {"2", "9.99", "stale", "2024-01-01T00:00:00.000Z"},
            {"3", "3.00", "paid", "2024-01-01T00:00:04.000Z"},
        });
        std::vector<engine::DeadLetter> dead;
        QVERIFY(d->process(batch, dead));
        QVERIFY(dead.empty());
        QCOMPARE(batch.size(), std::size_t(3));
        // Survivors keep their arrival order.
        QCOMPARE(batch.events[0].after[1].text(), std::string("2.00"));
        QCOMPARE(batch.events[1].after[1].text(), std::string("1.50"));
        QCOMPARE(batch.events[2].after[1].text(), std::string("3.00"));
        QCOMPARE(batch.positions.size(), std::size_t(1));
    }

    void dedupeKeepFirstWithoutOrder()
    {
        auto d = make("dedupe", R"({"key": ["order_id"], "keep": "first"})");
        auto batch = ordersBatch({{"1", "a", "", ""}, {"1", "b", "", ""}, {"2", "c", "", ""}});
        std::vector<engine::DeadLetter> dead;
        QVERIFY(d->process(batch, dead));
        QCOMPARE(batch.size(), std::size_t(2));
        QCOMPARE(batch.events[0].after[1].text(), std::string("a"));
    }

    void dedupeUnknownKeyIsAnError()
    {
        auto d = make("dedupe", R"({"key": ["nope"]})");
        auto batch = ordersBatch({{"1", "a", "", ""}, {"1", "b", "", ""}});
        std::vector<engine::DeadLetter> dead;
        const Status s = d->process(batch, dead);
        QVERIFY(!s);
        QCOMPARE(s.error().message, QStringLiteral("key column 'nope' is not in the records"));
    }

    void hashAddsAFingerprint()
    {
        auto h = make("hash", R"({"columns": ["order_id", "amount"], "algorithm": "md5"})");
        auto batch = ordersBatch(
            {{"1", "10.50", "paid", "x"}, {"1", nullptr, "paid", "x"}, {"1", "", "paid", "x"}});
        std::vector<engine::DeadLetter> dead;
        QVERIFY(h->process(batch, dead));
        QCOMPARE(batch.schema->columns().back(), std::string("row_hash"));
        QCOMPARE(batch.events[0].after[4].text(), std::string("8ac453e8b73cfca32d3fcd33124353d0"));
        QCOMPARE(batch.events[1].after[4].text(), std::string("fdcb21919ef9bc39ac4de52d0d348f30"));
        // Missing and empty text are different fingerprints.
        QVERIFY(batch.events[2].after[4].text() != batch.events[1].after[4].text());
        auto sha = make("hash", R"({"target": "fp"})");
        auto again = ordersBatch({{"1", "10.50", "paid", "x"}});
        QVERIFY(sha->process(again, dead));
        QCOMPARE(again.events[0].after[4].text().size(), std::size_t(64));
    }

    void filterKeepsWhatMatches()
    {
        auto f =
            make("filter", R"({"expression": "CAST(amount AS REAL) > 5 AND status <> 'lost'"})");
        auto batch = ordersBatch({{"1", "10", "paid", ""},
                                  {"2", "1", "paid", ""},
                                  {"3", "9", "lost", ""},
                                  {"4", "7", "pending", ""},
                                  {"5", nullptr, "paid", ""}});
        std::vector<engine::DeadLetter> dead;
        QVERIFY(f->process(batch, dead));
        QCOMPARE(batch.size(), std::size_t(2));
        QCOMPARE(batch.events[0].after[0].text(), std::string("1"));
        QCOMPARE(batch.events[1].after[0].text(), std::string("4"));
        QCOMPARE(batch.events[1].line, qint64(5));
        QCOMPARE(batch.positions.size(), std::size_t(1));

        auto typo = make("filter", R"({"expression": "amout > 5"})");
        auto other = ordersBatch({{"1", "10", "paid", ""}});
        const Status s = typo->process(other, dead);
        QVERIFY(!s);
        QCOMPARE(s.error().message, QStringLiteral("SQL: prepare: no such column: amout"));
        auto sneaky = make("filter", R"({"expression": "1) ; DROP TABLE batch; SELECT (1"})");
        QVERIFY(!sneaky->process(other, dead));
    }

    void mapRenamesCastsDerivesDrops()
    {
        auto m = make("map", "{\"rename\": {\"amount\": \"total\"},"
                             " \"cast\": {\"total\": \"decimal\", \"order_id\": \"int\"},"
                             " \"derive\": {\"cents\": \"CAST(round(total * 100) AS INTEGER)\","
                             " \"status\": \"upper(status)\"}, \"drop\": [\"updated_at\"]}");
        auto batch = ordersBatch(
            {{"1", "10.50", "paid", "t"}, {"2", "x1", "paid", "t"}, {"3", "0.07", "new", "t"}});
        std::vector<engine::DeadLetter> dead;
        QVERIFY(m->process(batch, dead));
        QCOMPARE(batch.schema->columns(),
                 (std::vector<std::string>{"order_id", "total", "status", "cents"}));
        QCOMPARE(batch.size(), std::size_t(2));
        QCOMPARE(batch.events[0].after[0], Value::fromInt(1));
        QCOMPARE(batch.events[0].after[1], Value::fromDecimalText("10.50"));
        QCOMPARE(batch.events[0].after[2], Value::fromString("PAID"));
        QCOMPARE(batch.events[0].after[3], Value::fromInt(1050));
        QCOMPARE(batch.events[1].after[3], Value::fromInt(7));
        QCOMPARE(dead.size(), std::size_t(1));
        QCOMPARE(dead[0].error, QStringLiteral("total: 'x1' is not a decimal number"));
    }

    void mapRenamesTheUpstreamKey()
    {
        auto m = make("map", "{\"rename\": {\"order_id\": \"id\"}}");
        auto batch = ordersBatch({{"1", "10.50", "paid", "t"}});
        batch.key = {"order_id", "status"};
        std::vector<engine::DeadLetter> dead;
        QVERIFY(m->process(batch, dead));
        QCOMPARE(batch.key, (std::vector<std::string>{"id", "status"}));
    }

    void sqlReplacesTheBatch()
    {
        auto q = make(
            "sql",
            R"({"query": "SELECT status, count(*) AS orders, sum(CAST(amount AS REAL)) AS total FROM batch GROUP BY status ORDER BY status"})");
        auto batch =
            ordersBatch({{"1", "1.5", "paid", ""}, {"2", "2", "paid", ""}, {"3", "4", "new", ""}});
        std::vector<engine::DeadLetter> dead;
        QVERIFY(q->process(batch, dead));
        QCOMPARE(batch.schema->columns(), (std::vector<std::string>{"status", "orders", "total"}));
        QCOMPARE(batch.size(), std::size_t(2));
        QCOMPARE(batch.events[0].after[0], Value::fromString("new"));
        QCOMPARE(batch.events[1].after[1], Value::fromInt(2));
        QCOMPARE(batch.events[1].after[2], Value::fromDouble(3.5));
        QCOMPARE(batch.positions.size(), std::size_t(1));
        auto two = make("sql", R"({"query": "SELECT 1 FROM batch; DELETE FROM batch"})");
        auto other = ordersBatch({{"1", "1", "paid", ""}});
        const Status s = two->process(other, dead);
        QVERIFY(!s);
        QCOMPARE(s.error().message, QStringLiteral("SQL: only one statement is allowed"));
    }

    void compareValuesOrders()
    {
        using transforms::compareValues;
        QVERIFY(compareValues(Value::fromInt(2), Value::fromDecimalText("10.5")) < 0);
        QVERIFY(compareValues(Value::fromTimestampMicros(5), Value::fromTimestampMicros(4)) > 0);
        QVERIFY(compareValues(Value(), Value::fromInt(0)) < 0);
        QCOMPARE(compareValues(Value::fromString("b"), Value::fromString("b")), 0);
    }
};

QTEST_GUILESS_MAIN(TestTransforms)
#include "tst_transforms.moc"
