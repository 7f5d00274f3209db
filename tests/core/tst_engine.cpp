#include "connectors/sqlite/sqlite_sink.h"
#include "engine/engine.h"
#include "model/pipeline_json.h"
#include "support/test_support.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <atomic>
#include <memory>
#include <mutex>
#include <thread>

using namespace weir;

namespace {

// A deliberately slow target: the real SQLite sink, pausing before every batch.
class SlowSink final : public engine::SinkNode
{
public:
    explicit SlowSink(std::unique_ptr<engine::SinkNode> inner) : m_inner(std::move(inner)) {}
    Status open(const engine::NodeContext &c) override { return m_inner->open(c); }
    Result<std::vector<record::SourcePosition>> committedPositions() override
    {
        return m_inner->committedPositions();
    }
    Result<engine::SinkWriteStats> write(const record::Batch &b) override
    {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return m_inner->write(b);
    }

    Status flush() override { return m_inner->flush(); }
    Status close() override { return m_inner->close(); }
    double lastCommitMillis() const override { return m_inner->lastCommitMillis(); }

private:
    std::unique_ptr<engine::SinkNode> m_inner;
};

// The real SQLite sink asking for batches of up to 3,000 rows, recording the size of each
// write; its first write waits until `release` is set (batches pile up behind it meanwhile).
class JoiningSink final : public engine::SinkNode
{
public:
    struct Shared
    {
        std::atomic<bool> release{false};
        std::mutex mutex;
        std::vector<std::size_t> writes;
    };
    JoiningSink(std::unique_ptr<engine::SinkNode> inner, std::shared_ptr<Shared> shared)
        : m_inner(std::move(inner)), m_shared(std::move(shared))
    {
    }
    Status open(const engine::NodeContext &c) override { return m_inner->open(c); }
    Result<std::vector<record::SourcePosition>> committedPositions() override
    {
        return m_inner->committedPositions();
    }
    Result<engine::SinkWriteStats> write(const record::Batch &b) override
    {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!m_shared->release && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5)); // polling the test's flag
        {
            std::lock_guard lock(m_shared->mutex);
            m_shared->writes.push_back(b.size());
        }
        return m_inner->write(b);
    }
    Status flush() override { return m_inner->flush(); }
    Status close() override { return m_inner->close(); }
    std::size_t preferredBatchRows() const override { return 3000; }

private:
    std::unique_ptr<engine::SinkNode> m_inner;
    std::shared_ptr<Shared> m_shared;
};

model::NodeTypeRegistry registryWithSlowSink()
{
    model::NodeTypeRegistry r;
    for (const model::NodeType *t : model::NodeTypeRegistry::builtin().types())
        r.registerType(*t);
    model::NodeType slow = *r.find(QStringLiteral("sqlite.sink"));
    slow.id = QStringLiteral("slow.sink");
    const auto makeInner = slow.makeSink;
    slow.makeSink = [makeInner](const model::NodeConfig &c) {
        return std::make_unique<SlowSink>(makeInner(c));
    };
    r.registerType(slow);
    return r;
}

model::NodeTypeRegistry registryWithJoiningSink(const std::shared_ptr<JoiningSink::Shared> &shared)
{
    model::NodeTypeRegistry r;
    for (const model::NodeType *t : model::NodeTypeRegistry::builtin().types())
        r.registerType(*t);
    model::NodeType joining = *r.find(QStringLiteral("sqlite.sink"));
    joining.id = QStringLiteral("joining.sink");
    const auto makeInner = joining.makeSink;
    joining.makeSink = [makeInner, shared](const model::NodeConfig &c) {
        return std::make_unique<JoiningSink>(makeInner(c), shared);
    };
    r.registerType(joining);
    return r;
}

model::Pipeline pipelineFrom(const QByteArray &json)
{
    auto parsed = model::parsePipeline(json, QStringLiteral("mem"));
    return parsed.pipeline.value_or(model::Pipeline{});
}

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<state::StateStore> m_store;

    engine::RunOutcome runToEnd(engine::Engine &e, int timeoutMs = 60000)
    {
        QSignalSpy finished(&e, &engine::Engine::runFinished);
        e.start();
        if (!finished.wait(timeoutMs))
            return {};
        return finished.takeFirst().at(0).value<engine::RunOutcome>();
    }

private slots:
    void initTestCase()
    {
        auto store = state::StateStore::open(m_dir.filePath(QStringLiteral("state.db")));
        QVERIFY(store);
        m_store = std::move(store.value());
    }

    void runsAndResumesExactlyOnce()
    {
        const QString prefix = test::generateOrders(m_dir.path(), 5000, 0.02);
        const QString db = m_dir.filePath(QStringLiteral("engine.db"));
        const QByteArray json =
            test::ordersPipeline(QStringLiteral("engine"), QStringLiteral("csv.source"),
                                 prefix + QStringLiteral("_bad.csv"), db, 700);
        const QJsonObject expected =
            test::readJsonFile(prefix + QStringLiteral("_bad.expected.json"));

        engine::EngineOptions options;
        options.metricsIntervalMs = 100;
        engine::Engine first(pipelineFrom(json), m_dir.filePath(QStringLiteral("p.weir.json")),
                             m_store.get(), model::NodeTypeRegistry::builtin(), options);
        QSignalSpy started(&first, &engine::Engine::runStarted);
        QSignalSpy metrics(&first, &engine::Engine::metricsUpdated);
        const engine::RunOutcome outcome = runToEnd(first);
        QCOMPARE(outcome.status, QStringLiteral("finished"));
        QCOMPARE(started.count(), 1);
        QVERIFY(metrics.count() >= 1);
        QCOMPARE(outcome.totals.recordsIn, qint64(5000));
        QCOMPARE(outcome.totals.deadLetters,
                 expected.value(QStringLiteral("bad_rows")).toInteger());
        QCOMPARE(test::queryInt(db, QStringLiteral("SELECT count(*) FROM orders")),
                 expected.value(QStringLiteral("distinct_ids")).toInteger());

        // The last snapshot's per-node counters add up.
        const auto last = metrics.last().at(0).value<engine::MetricsSnapshot>();
        QCOMPARE(last.nodes.size(), std::size_t(4));
        // Every record read is accounted for: passed validation or is a dead letter.
        QCOMPARE(last.nodes[1].recordsOut + last.nodes[0].deadLetters + last.nodes[1].deadLetters,
                 qint64(5000));
        // What a node emits is what the next one receives.
        for (std::size_t i = 0; i + 1 < last.nodes.size(); ++i)
            QCOMPARE(last.nodes[i].recordsOut, last.nodes[i + 1].recordsIn);

        // Running again reads nothing new and changes nothing.
        engine::Engine again(pipelineFrom(json), m_dir.filePath(QStringLiteral("p.weir.json")),
                             m_store.get(), model::NodeTypeRegistry::builtin(), options);
        const engine::RunOutcome second = runToEnd(again);
        QCOMPARE(second.status, QStringLiteral("finished"));
        QCOMPARE(second.totals.recordsIn, qint64(0));
        QCOMPARE(second.totals.recordsOut, qint64(0));
        auto dead =
            m_store->countDeadLetters(state::DeadLetterFilter{QStringLiteral("engine"), {}, {}});
        QCOMPARE(dead.value(), expected.value(QStringLiteral("bad_rows")).toInteger());
        auto runs = m_store->runs(QStringLiteral("engine"), 10);
        QCOMPARE(runs->size(), std::size_t(2));
        QCOMPARE(runs->front().status, QStringLiteral("finished"));
    }

    void slowSinkHoldsProducersBack()
    {
        const QString prefix = test::generateOrders(m_dir.path(), 60000);
        const QString db = m_dir.filePath(QStringLiteral("slow.db"));
        QByteArray json = test::ordersPipeline(QStringLiteral("slow"), QStringLiteral("csv.source"),
                                               prefix + QStringLiteral(".csv"), db, 1000);
        json.replace("\"sqlite.sink\"", "\"slow.sink\"");
        const auto registry = registryWithSlowSink();
        engine::EngineOptions options;
        options.metricsIntervalMs = 50;
        options.queueCapacity = 2;
        engine::Engine e(pipelineFrom(json), m_dir.filePath(QStringLiteral("slow.weir.json")),
                         m_store.get(), registry, options);
        qint64 maxInFlight = 0;
        qint64 maxQueue = 0;
        connect(&e, &engine::Engine::metricsUpdated, this, [&](const engine::MetricsSnapshot &s) {
            // Records passed along an edge but not yet taken by the next node, summed over the
            // three edges: bounded by queues x batch size. (Source out minus sink in would also
            // count the records validate and dedupe drop on the way, which grow with the run.)
            qint64 inFlight = 0;
            for (std::size_t i = 0; i + 1 < s.nodes.size(); ++i)
                inFlight += s.nodes[i].recordsOut - s.nodes[i + 1].recordsIn;
            maxInFlight = std::max(maxInFlight, inFlight);
            for (const auto &n : s.nodes)
                maxQueue = std::max(maxQueue, n.queueDepth);
        });
        const engine::RunOutcome outcome = runToEnd(e);
        QCOMPARE(outcome.status, QStringLiteral("finished"));
        QCOMPARE(outcome.totals.recordsIn, qint64(60000));
        QVERIFY2(maxQueue <= 2, qPrintable(QString::number(maxQueue)));
        // Per edge: a queue of 2 batches, one counted by a producer blocked on it, and for a
        // moment one popped by the consumer but not yet counted; 3 edges, 1000 records a
        // batch. Without backpressure this would approach all 60,000.
        QVERIFY2(maxInFlight <= 3 * 4 * 1000, qPrintable(QString::number(maxInFlight)));
        QVERIFY(maxInFlight > 0);
    }

    void waitingBatchesJoinForASinkThatAsks()
    {
        // 1,000-row batches pile up behind a sink that prefers 3,000: it gets them joined, never
        // more than 3,000 at once, and the result and the positions are those of a plain run.
        const QString prefix = test::generateOrders(m_dir.path(), 20000);
        const QString db = m_dir.filePath(QStringLiteral("joined.db"));
        QByteArray json =
            test::ordersPipeline(QStringLiteral("joined"), QStringLiteral("csv.source"),
                                 prefix + QStringLiteral(".csv"), db, 1000);
        json.replace("\"sqlite.sink\"", "\"joining.sink\"");
        auto shared = std::make_shared<JoiningSink::Shared>();
        const auto registry = registryWithJoiningSink(shared);
        engine::EngineOptions options;
        options.metricsIntervalMs = 20;
        engine::Engine e(pipelineFrom(json), m_dir.filePath(QStringLiteral("joined.weir.json")),
                         m_store.get(), registry, options);
        connect(&e, &engine::Engine::metricsUpdated, this, [&](const engine::MetricsSnapshot &s) {
            if (!s.nodes.empty() && s.nodes.back().queueDepth >= 3)
                shared->release = true; // three batches wait at the sink
        });
        const engine::RunOutcome outcome = runToEnd(e);
        QCOMPARE(outcome.status, QStringLiteral("finished"));
        const QJsonObject expected = test::readJsonFile(prefix + QStringLiteral(".expected.json"));
        QCOMPARE(test::queryInt(db, QStringLiteral("SELECT count(*) FROM orders")),
                 expected.value(QStringLiteral("distinct_ids")).toInteger());
        std::size_t biggest = 0;
        for (const std::size_t rows : shared->writes)
            biggest = std::max(biggest, rows);
        QVERIFY2(biggest > 1000 && biggest <= 3000, qPrintable(QString::number(biggest)));

        engine::Engine again(pipelineFrom(json), m_dir.filePath(QStringLiteral("joined.weir.json")),
                             m_store.get(), registry, options);
        shared->release = true;
        const engine::RunOutcome second = runToEnd(again);
        QCOMPARE(second.status, QStringLiteral("finished"));
        QCOMPARE(second.totals.recordsIn, qint64(0));
    }

    void stopIsPromptAndConsistent()
    {
        const QString prefix = test::generateOrders(m_dir.path(), 60000);
        const QString db = m_dir.filePath(QStringLiteral("stop.db"));
        QByteArray json = test::ordersPipeline(QStringLiteral("stop"), QStringLiteral("csv.source"),
                                               prefix + QStringLiteral(".csv"), db, 1000);
        json.replace("\"sqlite.sink\"", "\"slow.sink\"");
        const auto registry = registryWithSlowSink();
        engine::EngineOptions options;
        options.metricsIntervalMs = 50;
        engine::Engine e(pipelineFrom(json), m_dir.filePath(QStringLiteral("stop.weir.json")),
                         m_store.get(), registry, options);
        QSignalSpy finished(&e, &engine::Engine::runFinished);
        qint64 committed = 0;
        connect(&e, &engine::Engine::metricsUpdated, this,
                [&](const engine::MetricsSnapshot &snap) { committed = snap.nodes[3].recordsOut; });
        e.start();
        // Stop once the target holds something, so the test means the same on a busy machine.
        QTRY_VERIFY_WITH_TIMEOUT(committed > 0, 20000);
        QElapsedTimer timer;
        timer.start();
        e.stop();
        QVERIFY(finished.wait(5000));
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
        const auto outcome = finished.first().at(0).value<engine::RunOutcome>();
        QCOMPARE(outcome.status, QStringLiteral("interrupted"));
        const qint64 rows = test::queryInt(db, QStringLiteral("SELECT count(*) FROM orders"));
        QVERIFY(rows > 0);
        const qint64 distinct = test::readJsonFile(prefix + QStringLiteral(".expected.json"))
                                    .value(QStringLiteral("distinct_ids"))
                                    .toInteger();
        QVERIFY(rows < distinct);
        // The checkpoints left behind are consistent: the next run ends with exactly the data.
        engine::Engine rest(pipelineFrom(json), m_dir.filePath(QStringLiteral("stop.weir.json")),
                            m_store.get(), registry, options);
        const auto second = runToEnd(rest);
        QCOMPARE(second.status, QStringLiteral("finished"));
        QVERIFY(second.totals.recordsIn + outcome.totals.recordsIn >= 60000);
        QCOMPARE(test::queryInt(db, QStringLiteral("SELECT count(*) FROM orders")), distinct);
    }

    void missingInputFailsNamingTheNode()
    {
        const QByteArray json = test::ordersPipeline(
            QStringLiteral("missing"), QStringLiteral("csv.source"),
            m_dir.filePath(QStringLiteral("nope.csv")), m_dir.filePath(QStringLiteral("m.db")));
        engine::Engine e(pipelineFrom(json), m_dir.filePath(QStringLiteral("m.weir.json")),
                         m_store.get(), model::NodeTypeRegistry::builtin());
        const auto outcome = runToEnd(e);
        QCOMPARE(outcome.status, QStringLiteral("failed"));
        QVERIFY2(outcome.message.startsWith(QLatin1String("node 'read': ")),
                 qPrintable(outcome.message));
        QVERIFY2(outcome.message.contains(QLatin1String("nope.csv")), qPrintable(outcome.message));
    }
};

QTEST_GUILESS_MAIN(TestEngine)
#include "tst_engine.moc"
