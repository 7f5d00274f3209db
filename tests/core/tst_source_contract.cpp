// The engine's side of the source contract (core/engine/node.h), driven by a small streaming
// source written for the test — the shape the PostgreSQL, Kafka and HTTP sources take — into
// the real SQLite sink: acknowledgements only after the sink committed, on the source's own
// thread; transient read errors retried and logged; a stream that appears mid-run asks for its
// committed position; records behind in the metrics; previews leave no trace; secrets masked in
// every event.

#include "engine/engine.h"
#include "engine/preview_run.h"
#include "model/pipeline_json.h"
#include "support/test_support.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <mutex>
#include <thread>

using namespace weir;

namespace {

// What the test source saw, shared with the test (the source itself lives on a worker thread).
struct Observed
{
    std::mutex mutex;
    std::vector<record::SourcePosition> acknowledged;
    std::vector<QString> ackProblems; // an ack that ran ahead of the target, or on another thread
                                      // while the source was still reading
    std::vector<std::optional<record::SourcePosition>> askedForB;
    std::vector<bool> previews;
    int transientLeft = 0;  // next() calls that fail with a transient error before a batch
    bool permanent = false; // fail for good on the first call
};

Observed g_observed;
// Set by the test once a metrics snapshot showed records behind; the source waits for it
// half-way through, so a fast machine cannot finish before the first snapshot.
std::atomic<bool> g_behindSeen{true};
QString g_target; // the sink's database, to check that acks never run ahead of it

// Stream "a" has 10 batches of 100 records; stream "b" appears after the 5th batch of "a"
// (as a partition assigned by a rebalance would) and has 3 batches of 100.
class StreamingSource final : public engine::SourceNode
{
public:
    explicit StreamingSource(QString host) : m_host(std::move(host)) {}

    Status open(const engine::NodeContext &context,
                const std::vector<record::SourcePosition> &resumeFrom) override
    {
        m_context = context;
        m_thread = std::this_thread::get_id(); // the worker thread that calls next() too
        {
            std::lock_guard lock(g_observed.mutex);
            g_observed.previews.push_back(context.preview);
        }
        for (const record::SourcePosition &p : resumeFrom) {
            if (p.stream == "a")
                m_nextA = p.offset;
        }
        return {};
    }

    Result<engine::StepStatus> next(record::Batch &batch,
                                    std::vector<engine::DeadLetter> &) override
    {
        if (std::this_thread::get_id() != m_thread) {
            std::lock_guard lock(g_observed.mutex);
            g_observed.ackProblems.push_back(QStringLiteral("next() not on open()'s thread"));
        }
        {
            std::lock_guard lock(g_observed.mutex);
            if (g_observed.permanent)
                return makeError(ErrorCode::Permanent, QStringLiteral("the stream was deleted"));
            if (g_observed.transientLeft > 0) {
                --g_observed.transientLeft;
                return makeError(ErrorCode::Transient,
                                 QStringLiteral("connection to %1 lost").arg(m_host));
            }
        }
        if (m_nextA >= 500 && !m_haveB) {
            QElapsedTimer waited;
            waited.start();
            while (!g_behindSeen.load() && waited.elapsed() < 20000 && !m_context.stopping())
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            // A new stream: where did the sinks get to with it?
            const auto committed = m_context.committedPosition
                                       ? m_context.committedPosition("b")
                                       : std::optional<record::SourcePosition>();
            m_nextB = committed ? committed->offset : 0;
            m_haveB = true;
            std::lock_guard lock(g_observed.mutex);
            g_observed.askedForB.push_back(committed);
        }
        const bool readB = m_haveB && m_nextB < 300 && (m_turn++ % 2 == 1 || m_nextA >= 1000);
        std::int64_t &next = readB ? m_nextB : m_nextA;
        const std::string stream = readB ? "b" : "a";
        if (next >= (readB ? 300 : 1000))
            return engine::StepStatus::Finished;
        batch.schema = record::makeSchema({"stream", "n"});
        batch.stream = stream;
        for (int i = 0; i < 100; ++i, ++next) {
            record::ChangeEvent &e = batch.events.emplace_back();
            e.offset = next;
            e.after = {record::Value::fromString(stream), record::Value::fromInt(next)};
        }
        batch.positions = {record::SourcePosition(m_context.nodeId.toStdString(), stream, next)};
        m_behind = (1000 - m_nextA) + (m_haveB ? 300 - m_nextB : 300);
        const bool done = m_nextA >= 1000 && (!m_haveB || m_nextB >= 300);
        m_finished = done;
        return done ? engine::StepStatus::Finished : engine::StepStatus::HaveMore;
    }

    engine::SourceProgress progress() const override
    {
        engine::SourceProgress p;
        p.recordsBehind = m_behind;
        return p;
    }

    Status acknowledge(const record::SourcePosition &position) override
    {
        std::lock_guard lock(g_observed.mutex);
        g_observed.acknowledged.push_back(position);
        // Between next() calls on the source's thread, or once it has read its last batch.
        if (std::this_thread::get_id() != m_thread && !m_finished)
            g_observed.ackProblems.push_back(QStringLiteral("acknowledged on another thread"));
        const qint64 committed = test::queryInt(
            g_target, QStringLiteral("SELECT coalesce(max(\"offset\"), -1) FROM _weir_offsets "
                                     "WHERE stream = '%1'")
                          .arg(QString::fromStdString(position.stream)));
        if (committed < position.offset)
            g_observed.ackProblems.push_back(
                QStringLiteral("acknowledged %1 up to %2, target has %3")
                    .arg(QString::fromStdString(position.stream))
                    .arg(position.offset)
                    .arg(committed));
        return {};
    }

private:
    QString m_host;
    engine::NodeContext m_context;
    std::thread::id m_thread;
    bool m_finished = false;
    std::int64_t m_nextA = 0;
    std::int64_t m_nextB = 0;
    bool m_haveB = false;
    int m_turn = 0;
    std::int64_t m_behind = -1;
};

// Three batches of 10 rows into the SQLite sink. Before each batch after the first it looks at
// what the sink has committed so far: it waits for the previous batch to be committed (up to
// 30 s) when it reports no backlog, and only 300 ms when it does (nothing should come then).
QList<qint64> g_committedBeforeBatch;

class BurstSource final : public engine::SourceNode
{
public:
    explicit BurstSource(bool backlog) : m_backlog(backlog) {}

    Status open(const engine::NodeContext &context,
                const std::vector<record::SourcePosition> &) override
    {
        m_context = context;
        return {};
    }

    Result<engine::StepStatus> next(record::Batch &batch,
                                    std::vector<engine::DeadLetter> &) override
    {
        if (m_next > 0) {
            QElapsedTimer waited;
            waited.start();
            const qint64 patience = m_backlog ? 300 : 30000;
            qint64 committed = 0;
            while (waited.elapsed() < patience && !m_context.stopping()) {
                committed = std::max<qint64>(
                    0, test::queryInt(g_target, QStringLiteral("SELECT coalesce(max(\"offset\"), "
                                                               "0) FROM _weir_offsets WHERE "
                                                               "stream = 'burst'")));
                if (committed >= m_next)
                    break;
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            }
            g_committedBeforeBatch.push_back(committed);
        }
        batch.schema = record::makeSchema({"stream", "n"});
        batch.stream = "burst";
        for (int i = 0; i < 10; ++i, ++m_next) {
            record::ChangeEvent &e = batch.events.emplace_back();
            e.offset = m_next;
            e.after = {record::Value::fromString("burst"), record::Value::fromInt(m_next)};
        }
        batch.positions = {record::SourcePosition(m_context.nodeId.toStdString(), "burst", m_next)};
        return m_next >= 30 ? engine::StepStatus::Finished : engine::StepStatus::HaveMore;
    }

    engine::SourceProgress progress() const override
    {
        engine::SourceProgress p;
        p.recordsBehind = m_backlog ? 30 - m_next : 0;
        return p;
    }

private:
    bool m_backlog;
    engine::NodeContext m_context;
    std::int64_t m_next = 0;
};

// A source with QObjects of its own and a local event loop, as an HTTP poller or a webhook
// receiver has: a TCP server on 127.0.0.1 and a client that sends it three lines.
class SocketSource final : public engine::SourceNode
{
public:
    Status open(const engine::NodeContext &context,
                const std::vector<record::SourcePosition> &) override
    {
        m_context = context;
        m_server = std::make_unique<QTcpServer>();
        if (!m_server->listen(QHostAddress::LocalHost, 0))
            return makeError(ErrorCode::Io, m_server->errorString());
        QObject::connect(m_server.get(), &QTcpServer::newConnection, m_server.get(), [this] {
            QTcpSocket *peer = m_server->nextPendingConnection();
            QObject::connect(peer, &QTcpSocket::readyRead, peer, [this, peer] {
                while (peer->canReadLine())
                    m_lines << QString::fromUtf8(peer->readLine().trimmed());
            });
        });
        m_client = std::make_unique<QTcpSocket>();
        QObject::connect(m_client.get(), &QTcpSocket::connected, m_client.get(),
                         [this] { m_client->write("one\ntwo\nthree\n"); });
        m_client->connectToHost(QHostAddress::LocalHost, m_server->serverPort());
        return {};
    }

    Result<engine::StepStatus> next(record::Batch &batch,
                                    std::vector<engine::DeadLetter> &) override
    {
        // Serve the event loop for at most a poll time, or until the lines are in.
        QEventLoop loop;
        QTimer poll;
        QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
            if (m_lines.size() >= 3 || m_context.stopping())
                loop.quit();
        });
        QTimer::singleShot(1000, &loop, &QEventLoop::quit);
        poll.start(5);
        loop.exec();
        batch.schema = record::makeSchema({"line"});
        batch.stream = "socket";
        for (; m_taken < m_lines.size(); ++m_taken) {
            record::ChangeEvent &e = batch.events.emplace_back();
            e.offset = m_taken + 1;
            e.after = {record::Value::fromString(m_lines[m_taken].toStdString())};
        }
        batch.positions = {
            record::SourcePosition(m_context.nodeId.toStdString(), "socket", m_taken)};
        return m_taken >= 3 ? engine::StepStatus::Finished : engine::StepStatus::HaveMore;
    }

private:
    engine::NodeContext m_context;
    std::unique_ptr<QTcpServer> m_server;
    std::unique_ptr<QTcpSocket> m_client;
    QStringList m_lines;
    qsizetype m_taken = 0;
};

model::NodeTypeRegistry registryWithStreamingSource()
{
    model::NodeTypeRegistry r;
    for (const model::NodeType *t : model::NodeTypeRegistry::builtin().types())
        r.registerType(*t);
    model::NodeType t;
    t.id = QStringLiteral("test.stream");
    t.displayName = QStringLiteral("Test stream");
    t.category = model::NodeCategory::Source;
    t.outputs = model::recordsOut();
    t.schema = {model::ConfigField::of(QStringLiteral("host"), model::FieldKind::String,
                                       QStringLiteral("Host"), QStringLiteral("Where it reads."))};
    t.makeSource = [](const model::NodeConfig &config) {
        return std::make_unique<StreamingSource>(config.string(QStringLiteral("host")));
    };
    model::NodeType socket = t;
    model::NodeType burst = t;
    r.registerType(std::move(t));
    burst.id = QStringLiteral("test.burst");
    burst.schema = {model::ConfigField::of(QStringLiteral("backlog"), model::FieldKind::Bool,
                                           QStringLiteral("Backlog"),
                                           QStringLiteral("Reports records behind."))};
    burst.makeSource = [](const model::NodeConfig &config) {
        return std::make_unique<BurstSource>(config.boolean(QStringLiteral("backlog")));
    };
    r.registerType(std::move(burst));
    socket.id = QStringLiteral("test.socket");
    socket.schema = {};
    socket.makeSource = [](const model::NodeConfig &) { return std::make_unique<SocketSource>(); };
    r.registerType(std::move(socket));
    return r;
}

// One source fanned out to two sinks: SQLite (group commits every 250 rows) and zone files.
QByteArray pipelineJson(const QString &target, const QString &zones)
{
    return QStringLiteral(R"({"format": 1, "name": "contract", "nodes": [
  {"id": "src", "type": "test.stream", "config": {"host": "${env:WEIR_TEST_HOST}"}},
  {"id": "dst", "type": "sqlite.sink", "config": {"path": "%1", "table": "numbers",
   "key": ["stream", "n"], "commit_rows": 250}},
  {"id": "copy", "type": "zones.sink", "config": {"root": "%2", "dataset": "numbers"}}],
 "edges": [{"from": "src.out", "to": "dst.in"}, {"from": "src.out", "to": "copy.in"}]})")
        .arg(target, zones)
        .toUtf8();
}

} // namespace

class TestSourceContract : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<state::StateStore> m_store;
    model::NodeTypeRegistry m_registry = registryWithStreamingSource();
    QString m_zones;

    engine::RunOutcome run(const QByteArray &json, std::vector<engine::MetricsSnapshot> *metrics,
                           std::chrono::milliseconds backlogLinger = std::chrono::milliseconds(100))
    {
        auto parsed = model::parsePipeline(json, QStringLiteral("contract.weir.json"));
        if (!parsed.pipeline)
            return {};
        engine::EngineOptions options;
        options.once = true;
        options.metricsIntervalMs = 20;
        options.retry.initialDelay = std::chrono::milliseconds(10);
        options.backlogLinger = backlogLinger;
        engine::Engine e(*parsed.pipeline, m_dir.filePath(QStringLiteral("contract.weir.json")),
                         m_store.get(), m_registry, options);
        QSignalSpy finished(&e, &engine::Engine::runFinished);
        if (metrics)
            connect(&e, &engine::Engine::metricsUpdated, this,
                    [metrics](const engine::MetricsSnapshot &s) {
                        metrics->push_back(s);
                        if (s.nodes.front().recordsBehind > 0)
                            g_behindSeen = true;
                    });
        e.start();
        if (!finished.wait(60000))
            return {};
        return finished.takeFirst().at(0).value<engine::RunOutcome>();
    }

    void reset()
    {
        std::lock_guard lock(g_observed.mutex);
        g_observed.acknowledged.clear();
        g_observed.ackProblems.clear();
        g_observed.askedForB.clear();
        g_observed.previews.clear();
        g_observed.transientLeft = 0;
        g_observed.permanent = false;
    }

private slots:
    void initTestCase()
    {
        auto store = state::StateStore::open(m_dir.filePath(QStringLiteral("state.db")));
        QVERIFY(store);
        m_store = std::move(store.value());
        g_target = m_dir.filePath(QStringLiteral("numbers.db"));
        m_zones = m_dir.filePath(QStringLiteral("lake"));
        qputenv("WEIR_TEST_HOST", "db-s3cr3t");
    }

    void acknowledgesOnlyWhatEverySinkCommitted()
    {
        reset();
        g_observed.transientLeft = 2;
        g_behindSeen = false;
        std::vector<engine::MetricsSnapshot> metrics;
        const engine::RunOutcome outcome = run(pipelineJson(g_target, m_zones), &metrics);
        QCOMPARE(outcome.status, QStringLiteral("finished"));
        QCOMPARE(test::queryInt(g_target, QStringLiteral("SELECT count(*) FROM numbers")),
                 qint64(1300));

        std::lock_guard lock(g_observed.mutex);
        QVERIFY2(g_observed.ackProblems.empty(),
                 qPrintable(g_observed.ackProblems.empty() ? QString()
                                                           : g_observed.ackProblems.front()));
        // Acknowledged in order, per stream, up to the end of each.
        std::map<std::string, std::int64_t> last;
        for (const record::SourcePosition &p : g_observed.acknowledged) {
            QVERIFY(p.offset > last[p.stream]);
            last[p.stream] = p.offset;
        }
        QCOMPARE(last["a"], std::int64_t(1000));
        QCOMPARE(last["b"], std::int64_t(300));
        // Stream b appeared mid-run with nothing committed for it.
        QCOMPARE(g_observed.askedForB.size(), std::size_t(1));
        QVERIFY(!g_observed.askedForB.front().has_value());

        // Two transient errors were retried and logged as warnings, the secret host masked.
        auto events = m_store->events(outcome.runId, 100);
        QVERIFY(events);
        QStringList retries;
        for (const state::EventEntry &e : events.value()) {
            QVERIFY2(!e.message.contains(QLatin1String("db-s3cr3t")), qPrintable(e.message));
            if (e.message.startsWith(QLatin1String("read attempt"))) {
                retries << e.message;
                QCOMPARE(e.level, QStringLiteral("warning"));
                QCOMPARE(e.node, QStringLiteral("src"));
            }
        }
        QCOMPARE(retries,
                 (QStringList{QStringLiteral("read attempt 2 failed, retrying: connection to *** "
                                             "lost"),
                              QStringLiteral("read attempt 1 failed, retrying: connection to *** "
                                             "lost")}));
        QCOMPARE(test::queryInt(m_store->path(),
                                QStringLiteral("SELECT count(*) FROM events WHERE message LIKE "
                                               "'%s3cr3t%'")),
                 qint64(0));

        // Records behind the head reach the snapshots and the store, down to 0 at the end.
        QVERIFY(!metrics.empty());
        QCOMPARE(metrics.back().nodes.front().recordsBehind, qint64(0));
        bool sawBehind = false;
        for (const auto &snap : metrics)
            sawBehind = sawBehind || snap.nodes.front().recordsBehind > 0;
        QVERIFY(sawBehind);
        auto stored = m_store->lastMetrics(outcome.runId);
        QVERIFY(stored);
        const auto src = std::find_if(stored->begin(), stored->end(),
                                      [](const auto &m) { return m.node == QLatin1String("src"); });
        QVERIFY(src != stored->end());
        QCOMPARE(src->recordsBehind, qint64(0));
    }

    void newStreamResumesFromItsCommittedPosition()
    {
        // The same pipeline again: stream a resumes at its end, stream b is asked for when it
        // appears and is found committed at 300 by both sinks, so nothing is read twice.
        reset();
        const engine::RunOutcome outcome = run(pipelineJson(g_target, m_zones), nullptr);
        QCOMPARE(outcome.status, QStringLiteral("finished"));
        QCOMPARE(outcome.totals.recordsIn, qint64(0));
        QCOMPARE(test::queryInt(g_target, QStringLiteral("SELECT count(*) FROM numbers")),
                 qint64(1300));
        std::lock_guard lock(g_observed.mutex);
        QCOMPARE(g_observed.askedForB.size(), std::size_t(1));
        QVERIFY(g_observed.askedForB.front().has_value());
        QCOMPARE(g_observed.askedForB.front()->offset, std::int64_t(300));
        QVERIFY(g_observed.acknowledged.empty()); // nothing new to release
    }

    void permanentErrorNamesTheSource()
    {
        reset();
        g_observed.permanent = true;
        const engine::RunOutcome outcome =
            run(pipelineJson(m_dir.filePath(QStringLiteral("other.db")),
                             m_dir.filePath(QStringLiteral("other-zones"))),
                nullptr);
        QCOMPARE(outcome.status, QStringLiteral("failed"));
        QCOMPARE(outcome.failedNode, QStringLiteral("src"));
        QCOMPARE(outcome.message, QStringLiteral("node 'src': the stream was deleted"));
        std::lock_guard lock(g_observed.mutex);
        QVERIFY(g_observed.acknowledged.empty());
    }

    void sourceWithAnEventLoopRunsOnItsThread()
    {
        // Any warning (a QObject used or deleted on the wrong thread) fails the test.
        QTest::failOnWarning(QRegularExpression(QStringLiteral(".*")));
        const QString target = m_dir.filePath(QStringLiteral("lines.db"));
        const QByteArray json = QStringLiteral(R"({"format": 1, "name": "socket", "nodes": [
  {"id": "listen", "type": "test.socket", "config": {}},
  {"id": "dst", "type": "sqlite.sink", "config": {"path": "%1", "table": "lines", "mode": "append"}}],
 "edges": [{"from": "listen.out", "to": "dst.in"}]})")
                                    .arg(target)
                                    .toUtf8();
        const engine::RunOutcome outcome = run(json, nullptr);
        QCOMPARE(outcome.status, QStringLiteral("finished"));
        QCOMPARE(
            test::queryText(target, QStringLiteral("SELECT group_concat(line, ',') FROM lines")),
            QStringLiteral("one,two,three"));
    }

    // A sink whose input runs dry commits at once when its source is caught up (latency), and
    // keeps the transaction open over a momentary gap when the source reports a backlog, so a
    // bulk load is not cut into many small commits.
    void commitsAtOnceUnlessTheSourceHasABacklog_data()
    {
        QTest::addColumn<bool>("backlog");
        QTest::addColumn<QList<qint64>>("committedBefore");
        QTest::newRow("caught up") << false << QList<qint64>{10, 20};
        QTest::newRow("backlog") << true << QList<qint64>{0, 0};
    }

    void commitsAtOnceUnlessTheSourceHasABacklog()
    {
        QFETCH(bool, backlog);
        QFETCH(QList<qint64>, committedBefore);
        reset();
        g_committedBeforeBatch.clear();
        QFile::remove(g_target);
        const QByteArray json =
            QStringLiteral(R"({"format": 1, "name": "burst", "nodes": [
  {"id": "src", "type": "test.burst", "config": {"backlog": %1}},
  {"id": "dst", "type": "sqlite.sink", "config": {"path": "%2", "table": "numbers",
   "key": ["stream", "n"]}}],
 "edges": [{"from": "src.out", "to": "dst.in"}]})")
                .arg(backlog ? QStringLiteral("true") : QStringLiteral("false"), g_target)
                .toUtf8();
        const engine::RunOutcome outcome = run(json, nullptr, std::chrono::seconds(30));
        QCOMPARE(outcome.status, QStringLiteral("finished"));
        QCOMPARE(g_committedBeforeBatch, committedBefore);
        QCOMPARE(test::queryInt(g_target, QStringLiteral("SELECT count(*) FROM numbers")),
                 qint64(30));
    }

    void previewLeavesNoTrace()
    {
        reset();
        auto parsed = model::parsePipeline(pipelineJson(g_target, m_zones),
                                           QStringLiteral("contract.weir.json"));
        QVERIFY(parsed.pipeline);
        auto table = engine::previewNode(*parsed.pipeline, m_dir.path(), QStringLiteral("src"),
                                         m_registry, 50);
        QVERIFY2(table, table ? "" : qPrintable(table.error().message));
        QCOMPARE(table->rows.size(), std::size_t(50));
        std::lock_guard lock(g_observed.mutex);
        QCOMPARE(g_observed.previews, std::vector<bool>{true});
        QVERIFY(g_observed.acknowledged.empty());
        QVERIFY(g_observed.askedForB.empty());
    }
};

QTEST_GUILESS_MAIN(TestSourceContract)
#include "tst_source_contract.moc"
