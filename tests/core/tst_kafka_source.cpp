// kafka.source's reader against librdkafka's mock cluster (the real protocol on loopback), as a
// consumer-group member: every partition read once, each batch one partition's messages with
// the position after them; a second run from those positions reads only what came since, never
// what Kafka itself may have committed; unreadable messages go to the dead-letter queue with
// their partition and offset while the partition goes on; Debezium changes and tombstones
// arrive as updates and deletes; a preview joins no group.

#include "connectors/kafka/kafka_source.h"
#include "connectors/kafka/mock_cluster.h"
#include "support/kafka_producer.h"

#include <QTest>
#include <chrono>
#include <map>
#include <set>

using namespace weir;
using namespace weir::connectors::kafka;

namespace {

struct Drained
{
    std::vector<record::ChangeEvent> events;
    std::vector<std::string> eventStreams; // the stream of each event's batch
    std::vector<engine::DeadLetter> dead;
    std::map<std::string, std::int64_t> positions; // the last position of each stream
    QString error;
};

// Reads until the source says it is finished (`once`) or, for a preview, `limit` events.
Drained drain(KafkaSource &source, const std::vector<record::SourcePosition> &resume,
              bool preview = false, std::size_t limit = 0)
{
    Drained out;
    std::atomic<bool> stop{false};
    engine::NodeContext ctx{
        QStringLiteral("p"), QStringLiteral("src"), 1, &stop, nullptr, true, preview};
    if (Status s = source.open(ctx, resume); !s) {
        out.error = s.error().describe();
        return out;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
        record::Batch b;
        auto step = source.next(b, out.dead);
        if (!step) {
            out.error = step.error().describe();
            return out;
        }
        for (auto &e : b.events) {
            out.events.push_back(std::move(e));
            out.eventStreams.push_back(b.stream);
        }
        for (const auto &p : b.positions)
            out.positions[p.stream] = p.offset;
        if (step.value() == engine::StepStatus::Finished || (limit && out.events.size() >= limit))
            return out;
    }
    out.error = QStringLiteral("never finished");
    return out;
}

std::vector<record::SourcePosition> positionsOf(const Drained &d)
{
    std::vector<record::SourcePosition> out;
    for (const auto &[stream, offset] : d.positions)
        out.emplace_back("src", stream, offset);
    return out;
}

std::vector<test::KafkaMessage> orders(int from, int to)
{
    std::vector<test::KafkaMessage> out;
    for (int i = from; i < to; ++i) {
        const std::string id = std::to_string(i);
        out.push_back({id, R"({"order_id": )" + id + R"(, "amount": ")" + id + R"(.25"})", -1});
    }
    return out;
}

KafkaSourceOptions options(const std::string &brokers, const std::string &topic,
                           MessageFormat format = MessageFormat::Json)
{
    KafkaSourceOptions o;
    o.brokers = brokers;
    o.topics = {topic};
    o.group = "weir-" + topic;
    o.format = format;
    o.batchSize = 100;
    o.properties = {{"session.timeout.ms", "6000"}, {"log_level", "3"}};
    return o;
}

} // namespace

class TestKafkaSource : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<MockCluster> m_cluster;
    std::string m_brokers;

private slots:
    void initTestCase()
    {
        auto cluster = MockCluster::start(3);
        if (!cluster)
            QFAIL(qPrintable(cluster.error().message));
        m_cluster = std::move(cluster.value());
        m_brokers = m_cluster->bootstraps();
    }

    void everyPartitionOnceThenOnlyWhatCameSince()
    {
        QVERIFY(m_cluster->createTopic("orders", 4));
        QString produced = test::produceToKafka(m_brokers, "orders", orders(0, 1000));
        QVERIFY2(produced.isEmpty(), qPrintable(produced));

        // The first member leaves the group before the second joins.
        auto first = std::make_unique<KafkaSource>(options(m_brokers, "orders"));
        const Drained all = drain(*first, {});
        first.reset();
        QVERIFY2(all.error.isEmpty(), qPrintable(all.error));
        QCOMPARE(all.events.size(), std::size_t(1000));
        std::set<std::string> ids;
        std::map<std::string, std::int64_t> perStream;
        for (std::size_t i = 0; i < all.events.size(); ++i) {
            const record::ChangeEvent &e = all.events[i];
            ids.insert(e.after.at(0).toText());
            QCOMPARE(e.op, record::Op::Create);
            // Offsets follow each other within a partition.
            auto &expected = perStream[all.eventStreams[i]];
            QCOMPARE(e.offset, expected);
            ++expected;
        }
        QCOMPARE(ids.size(), std::size_t(1000));
        QCOMPARE(all.positions.size(), std::size_t(4)); // "orders/0" .. "orders/3"
        for (const auto &[stream, offset] : all.positions)
            QCOMPARE(offset, perStream.at(stream)); // the next offset to read

        // A new member of the same group, resumed from those positions, reads only the new
        // messages. Kafka's own committed offsets were never written (no acknowledge), so
        // they cannot be what it goes by.
        produced = test::produceToKafka(m_brokers, "orders", orders(1000, 1100));
        QVERIFY2(produced.isEmpty(), qPrintable(produced));
        KafkaSource second(options(m_brokers, "orders"));
        const Drained rest = drain(second, positionsOf(all));
        QVERIFY2(rest.error.isEmpty(), qPrintable(rest.error));
        QCOMPARE(rest.events.size(), std::size_t(100));
        for (const auto &e : rest.events)
            QVERIFY(std::stoi(e.after.at(0).toText()) >= 1000);
    }

    void unreadableMessagesAreDeadLettersAndThePartitionGoesOn()
    {
        QVERIFY(m_cluster->createTopic("messy", 1));
        const QString produced = test::produceToKafka(
            m_brokers, "messy",
            {{"1", R"({"order_id": 1})", 0}, {"2", "not json", 0}, {"3", R"({"order_id": 3})", 0}});
        QVERIFY2(produced.isEmpty(), qPrintable(produced));
        KafkaSource source(options(m_brokers, "messy"));
        const Drained d = drain(source, {});
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QCOMPARE(d.events.size(), std::size_t(2));
        QCOMPARE(d.dead.size(), std::size_t(1));
        QCOMPARE(d.dead[0].stream, std::string("messy/0"));
        QCOMPARE(d.dead[0].offset, std::int64_t(1));
        QCOMPARE(d.dead[0].payload, QStringLiteral("not json"));
        QVERIFY2(d.dead[0].error.startsWith(QStringLiteral("the value is not a JSON object")),
                 qPrintable(d.dead[0].error));
        QCOMPARE(d.positions.at("messy/0"), std::int64_t(3));
    }

    void debeziumChangesAndTombstones()
    {
        QVERIFY(m_cluster->createTopic("cdc", 1));
        const QString produced = test::produceToKafka(
            m_brokers, "cdc",
            {{R"({"id": 1})", R"({"before": null, "after": {"id": 1, "s": "a"}, "op": "c"})", 0},
             {R"({"id": 1})",
              R"({"schema": {}, "payload": {"before": {"id": 1, "s": "a"}, "after": {"id": 1, "s": "b"}, "op": "u", "ts_ms": 1700000000000}})",
              0},
             {R"({"id": 1})", R"({"before": {"id": 1, "s": "b"}, "after": null, "op": "d"})", 0},
             {R"({"id": 1})", std::nullopt, 0}});
        QVERIFY2(produced.isEmpty(), qPrintable(produced));
        KafkaSource source(options(m_brokers, "cdc", MessageFormat::Debezium));
        const Drained d = drain(source, {});
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QCOMPARE(d.events.size(), std::size_t(4));
        QCOMPARE(d.events[0].op, record::Op::Create);
        QCOMPARE(d.events[1].op, record::Op::Update);
        QCOMPARE(d.events[1].after.at(1).toText(), std::string("b"));
        QCOMPARE(d.events[1].eventTimeMicros, std::int64_t(1700000000000000));
        QCOMPARE(d.events[2].op, record::Op::Delete);
        QVERIFY(d.events[2].after.empty());
        QCOMPARE(d.events[3].op, record::Op::Delete); // the tombstone
        QCOMPARE(d.events[3].before.at(0).toText(), std::string("1"));
    }

    void previewJoinsNoGroup()
    {
        QVERIFY(m_cluster->createTopic("peek", 2));
        const QString produced = test::produceToKafka(m_brokers, "peek", orders(0, 50));
        QVERIFY2(produced.isEmpty(), qPrintable(produced));
        KafkaSourceOptions o = options(m_brokers, "peek");
        o.group.clear(); // a preview needs none
        KafkaSource source(o);
        const Drained d = drain(source, {}, true, 10);
        QVERIFY2(d.error.isEmpty(), qPrintable(d.error));
        QVERIFY(d.events.size() >= 10);
    }
};

QTEST_GUILESS_MAIN(TestKafkaSource)
#include "tst_kafka_source.moc"
