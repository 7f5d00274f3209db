// The Kafka client basics the kafka nodes stand on, against librdkafka's mock cluster (the real
// protocol on loopback): a property is checked by librdkafka and a bad one named; a producer
// made from our configuration (tests/support) delivers to a mock topic, and a consumer assigned
// explicit offsets (as a source resuming from its committed positions) reads exactly what follows
// them.

#include "connectors/kafka/kafka_client.h"
#include "connectors/kafka/mock_cluster.h"
#include "support/kafka_producer.h"

#include <QTest>
#include <chrono>
#include <map>

using namespace weir;
using namespace weir::connectors::kafka;

namespace {

constexpr int kPartitions = 4;
constexpr int kMessages = 400;

// kMessages JSON orders, keyed by order id.
std::vector<test::KafkaMessage> orders()
{
    std::vector<test::KafkaMessage> out;
    for (int i = 0; i < kMessages; ++i) {
        const std::string key = std::to_string(i);
        out.push_back({key, R"({"order_id":)" + key + R"(,"amount":")" + key + ".50\"}", -1});
    }
    return out;
}

} // namespace

class TestKafkaClient : public QObject
{
    Q_OBJECT

private slots:
    void propertiesAreCheckedByLibrdkafka()
    {
        QVERIFY(makeClientConf("127.0.0.1:9092", {{"fetch.wait.max.ms", "100"}}));
        auto unknown = makeClientConf("127.0.0.1:9092", {{"fetch.wait.max.msec", "100"}});
        QVERIFY(!unknown);
        QVERIFY2(
            unknown.error().message.startsWith(QStringLiteral("property 'fetch.wait.max.msec': ")),
            qPrintable(unknown.error().message));
        auto badValue = makeClientConf("127.0.0.1:9092", {{"fetch.wait.max.ms", "soon"}});
        QVERIFY(!badValue);
        QVERIFY(
            badValue.error().message.startsWith(QStringLiteral("property 'fetch.wait.max.ms': ")));
        auto brokersTwice = makeClientConf("127.0.0.1:9092", {{"bootstrap.servers", "x:1"}});
        QCOMPARE(brokersTwice.error().message,
                 QStringLiteral("property 'bootstrap.servers': the brokers are set by `brokers`"));
        QCOMPARE(makeClientConf("", {}).error().message, QStringLiteral("brokers: none given"));
    }

    void consumerResumesAfterGivenOffsets()
    {
        auto cluster = MockCluster::start(3);
        if (!cluster)
            QFAIL(qPrintable(cluster.error().message));
        const std::string brokers = cluster.value()->bootstraps();
        QVERIFY(QString::fromStdString(brokers).startsWith(QStringLiteral("127.0.0.1:")));
        QVERIFY(cluster.value()->createTopic("orders", kPartitions));
        const QString produced = test::produceToKafka(brokers, "orders", orders());
        QVERIFY2(produced.isEmpty(), qPrintable(produced));

        // Resume partition p after offset p (the committed position is the next offset).
        auto conf = makeClientConf(brokers, {{"group.id", "weir-test"},
                                             {"enable.auto.commit", "false"},
                                             {"enable.partition.eof", "true"}});
        if (!conf)
            QFAIL(qPrintable(conf.error().message));
        auto consumer = makeClient(RD_KAFKA_CONSUMER, std::move(conf.value()));
        if (!consumer)
            QFAIL(qPrintable(consumer.error().message));
        PartitionListPtr assignment(rd_kafka_topic_partition_list_new(kPartitions));
        for (int p = 0; p < kPartitions; ++p)
            rd_kafka_topic_partition_list_add(assignment.get(), "orders", p)->offset = p;
        QCOMPARE(rd_kafka_assign(consumer->get(), assignment.get()), RD_KAFKA_RESP_ERR_NO_ERROR);

        std::map<int, std::vector<std::int64_t>> offsets; // by partition
        int atEnd = 0, read = 0;
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (atEnd < kPartitions && std::chrono::steady_clock::now() < deadline) {
            rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer->get(), 200);
            if (!m)
                continue;
            if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF)
                ++atEnd;
            if (!m->err) {
                offsets[m->partition].push_back(m->offset);
                ++read;
            }
            const QByteArray error = m->err && m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF
                                         ? QByteArray(rd_kafka_message_errstr(m))
                                         : QByteArray();
            rd_kafka_message_destroy(m);
            if (!error.isEmpty())
                QFAIL(error.constData());
        }
        QCOMPARE(atEnd, kPartitions);
        // Every message but the first p of partition p, each once and in order.
        QCOMPARE(read, kMessages - (0 + 1 + 2 + 3));
        for (const auto &[partition, seen] : offsets) {
            QCOMPARE(seen.front(), std::int64_t(partition));
            for (std::size_t i = 1; i < seen.size(); ++i)
                QCOMPARE(seen[i], seen[i - 1] + 1);
        }
        QVERIFY(offsets.size() == kPartitions); // the keys spread over every partition
        rd_kafka_consumer_close(consumer->get());
    }
};

QTEST_GUILESS_MAIN(TestKafkaClient)
#include "tst_kafka_client.moc"
