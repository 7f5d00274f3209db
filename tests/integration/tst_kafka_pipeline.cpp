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
#include <QProcess>
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

    // weir-run without --once, printing its metrics as JSON lines, with a state database of
    // its own (as on another machine).
    static void startMember(QProcess &p, const Setup &s, const QString &state)
    {
        p.start(weirRunPath(), {QStringLiteral("run"), s.pipeline, QStringLiteral("--state"), state,
                                QStringLiteral("--json")});
    }

    // The last metrics line of `p`'s output so far, for node `node`: {} before the first.
    static QJsonObject lastMetrics(QProcess &p, QByteArray &seen, const QString &node)
    {
        p.waitForReadyRead(10);
        seen += p.readAllStandardOutput();
        const QList<QByteArray> lines = seen.split('\n');
        for (auto line = lines.rbegin(); line != lines.rend(); ++line) {
            const QJsonObject o = QJsonDocument::fromJson(*line).object();
            if (o.value(QStringLiteral("event")) != QLatin1String("metrics"))
                continue;
            for (const QJsonValue n : o.value(QStringLiteral("nodes")).toArray()) {
                if (n[QStringLiteral("node")] == node)
                    return n.toObject();
            }
        }
        return {};
    }

    static void stopMember(QProcess &p)
    {
        if (p.state() == QProcess::NotRunning)
            return;
        p.terminate(); // SIGTERM: weir-run stops cleanly
        if (!p.waitForFinished(60000)) {
            ::kill(static_cast<pid_t>(p.processId()), SIGKILL);
            p.waitForFinished();
        }
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

    void brokerDownThenFailingFetches()
    {
        QTemporaryDir dir;
        const OrderStream first = orders(1, 20000);
        Setup s;
        QVERIFY(prepare(s, dir, QStringLiteral("kafka_broker_down"), first));
        QProcess member;
        startMember(member, s, s.state);
        QVERIFY2(waitWhileRunning(member,
                                  [&] {
                                      return committedOffsetSum(s.latestDb) ==
                                             static_cast<qint64>(first.messages.size());
                                  }),
                 member.readAllStandardError().constData());
        QVERIFY(s.cluster->setBrokerDown(1));
        // The source reports the brokers down; the engine logs it in the run's events and asks
        // again after a backoff.
        QByteArray errors;
        QVERIFY2(waitWhileRunning(member,
                                  [&] {
                                      errors += member.readAllStandardError();
                                      return queryInt(s.state,
                                                      QStringLiteral(
                                                          "SELECT count(*) FROM events WHERE "
                                                          "message LIKE '%brokers are down%'")) > 0;
                                  }),
                 errors.constData());
        QVERIFY(s.cluster->setBrokerUp(1));
        // Back, but its next fetches fail (the partition's leader is elsewhere, it says).
        s.cluster->failRequests(1, 6, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
        const OrderStream second = orders(20001, 40000);
        QCOMPARE(produceToKafka(s.cluster->bootstraps(), "orders", second.messages), QString());
        OrderStream all = first;
        all.messages.insert(all.messages.end(), second.messages.begin(), second.messages.end());
        all.finalAmountSum += second.finalAmountSum;
        const auto total = static_cast<qint64>(all.messages.size());
        QVERIFY2(waitWhileRunning(member,
                                  [&] {
                                      return committedOffsetSum(s.logDb) == total &&
                                             committedOffsetSum(s.latestDb) == total;
                                  }),
                 member.readAllStandardError().constData());
        stopMember(member);
        checkExact(s, all, 40000);
    }

    void twoMembersShareThePartitionsAndOneTakesOver()
    {
        QTemporaryDir dir;
        const OrderStream first = orders(1, 20000);
        Setup s;
        QVERIFY(prepare(s, dir, QStringLiteral("kafka_scale_out"), first));
        QProcess a, b;
        QByteArray aOut, bOut;
        startMember(a, s, dir.filePath(QStringLiteral("state_a.db")));
        auto committedAll = [&](const OrderStream &stream) {
            const auto total = static_cast<qint64>(stream.messages.size());
            return committedOffsetSum(s.logDb) == total && committedOffsetSum(s.latestDb) == total;
        };
        QVERIFY2(waitWhileRunning(a, [&] { return committedAll(first); }),
                 a.readAllStandardError().constData());

        // B joins: the group splits the 8 partitions; B knows its partitions' lag once it has
        // some.
        startMember(b, s, dir.filePath(QStringLiteral("state_b.db")));
        QVERIFY2(waitWhileRunning(b,
                                  [&] {
                                      (void)lastMetrics(a, aOut, QStringLiteral("read"));
                                      return lastMetrics(b, bOut, QStringLiteral("read"))
                                                 .value(QStringLiteral("records_behind"))
                                                 .toInteger(-1) >= 0;
                                  }),
                 b.readAllStandardError().constData());
        OrderStream all = first;
        auto add = [&](const OrderStream &more) {
            QCOMPARE(produceToKafka(s.cluster->bootstraps(), "orders", more.messages), QString());
            all.messages.insert(all.messages.end(), more.messages.begin(), more.messages.end());
            all.finalAmountSum += more.finalAmountSum;
        };
        add(orders(20001, 60000));
        // Both read their share into the one target.
        QVERIFY2(waitWhileRunning(b,
                                  [&] {
                                      (void)lastMetrics(a, aOut, QStringLiteral("read"));
                                      return lastMetrics(b, bOut, QStringLiteral("read"))
                                                 .value(QStringLiteral("out"))
                                                 .toInteger() > 0;
                                  }),
                 b.readAllStandardError().constData());
        QVERIFY(a.state() == QProcess::Running);
        ::kill(static_cast<pid_t>(a.processId()), SIGKILL);
        a.waitForFinished();

        // B takes A's partitions over once the group drops A, from where the target says.
        add(orders(60001, 80000));
        QVERIFY2(waitWhileRunning(
                     b, [&] { return committedAll(all); }, 120000),
                 b.readAllStandardError().constData());
        const qint64 readByB =
            lastMetrics(b, bOut, QStringLiteral("read")).value(QStringLiteral("out")).toInteger();
        stopMember(b);
        checkExact(s, all, 80000);
        // B read a share, not everything again: A's commits counted.
        QVERIFY2(readByB > 0 && readByB < static_cast<qint64>(all.messages.size()),
                 qPrintable(QString::number(readByB)));
    }
};

QTEST_GUILESS_MAIN(TestKafkaPipeline)
#include "tst_kafka_pipeline.moc"
