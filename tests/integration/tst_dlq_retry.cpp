// Dead-letter retries are exactly-once and stoppable: a crash after the target committed the
// retried records but before their entries left the queue must not write them twice when the
// retry runs again (append mode, where a second write is a second row); a stop during a retry
// is reported as interrupted and leaves every entry retryable; a CSV row is read back with the
// source's own options.

#include "engine/dead_letter_retry.h"
#include "engine/engine.h"
#include "model/pipeline_validator.h"
#include "support/test_support.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <thread>

using namespace weir;
using namespace weir::test;

namespace {

// 3,000 orders; every third has the amount "x".
QByteArray ordersCsv()
{
    QByteArray csv = "order_id;amount;note\n";
    for (int i = 1; i <= 3000; ++i)
        csv += QByteArray::number(i) + ';' + (i % 3 == 0 ? "x" : QByteArray::number(i) + ".25") +
               ";'a;b'\n";
    return csv;
}

// csv (';' delimited, "'" quoted) -> validate -> sqlite.sink in append mode. With `strict` the
// amount must be a decimal; without, anything goes (the "fixed" pipeline a retry runs).
QByteArray pipeline(const QString &csv, const QString &db, bool strict,
                    const QString &sinkType = QStringLiteral("sqlite.sink"))
{
    return QStringLiteral(R"({"format": 1, "name": "retry", "nodes": [
  {"id": "read", "type": "csv.source", "config": {"path": "%1", "delimiter": ";", "quote": "\u0027",
   "batch_size": 500}},
  {"id": "check", "type": "validate", "config": {"required": ["order_id"]%3}},
  {"id": "orders", "type": "%4", "config": {"path": "%2", "table": "orders", "mode": "append"}}],
 "edges": [{"from": "read.out", "to": "check.in"}, {"from": "check.out", "to": "orders.in"}]})")
        .arg(csv, db, strict ? QStringLiteral(", \"types\": {\"amount\": \"decimal\"}") : QString(),
             sinkType)
        .toUtf8();
}

// The gate: a real SQLite sink whose writes wait while the gate is shut, so a test can stop a
// retry at a known point instead of racing it.
std::atomic<bool> g_gateShut{false};
std::atomic<bool> g_gateReached{false};

class GateSink final : public engine::SinkNode
{
public:
    explicit GateSink(std::unique_ptr<engine::SinkNode> inner) : m_inner(std::move(inner)) {}
    Status open(const engine::NodeContext &c) override
    {
        m_context = c;
        return m_inner->open(c);
    }
    Result<std::vector<record::SourcePosition>> committedPositions() override
    {
        return m_inner->committedPositions();
    }
    Result<engine::SinkWriteStats> write(const record::Batch &b) override
    {
        g_gateReached = true;
        while (g_gateShut.load() && !m_context.stopping())
            std::this_thread::yield();
        if (m_context.stopping())
            return makeError(ErrorCode::Cancelled, QStringLiteral("stopped at the gate"));
        return m_inner->write(b);
    }
    Status flush() override { return m_inner->flush(); }
    Status close() override { return m_inner->close(); }

private:
    engine::NodeContext m_context;
    std::unique_ptr<engine::SinkNode> m_inner;
};

model::NodeTypeRegistry registryWithGate()
{
    model::NodeTypeRegistry r;
    for (const model::NodeType *t : model::NodeTypeRegistry::builtin().types())
        r.registerType(*t);
    model::NodeType gate = *r.find(QStringLiteral("sqlite.sink"));
    gate.id = QStringLiteral("gate.sink");
    const auto inner = gate.makeSink;
    gate.makeSink = [inner](const model::NodeConfig &c) {
        return std::make_unique<GateSink>(inner(c));
    };
    r.registerType(gate);
    return r;
}

} // namespace

class TestDlqRetry : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    QStringList runArgs(const QString &file, const QString &state) const
    {
        return {QStringLiteral("run"), file, QStringLiteral("--once"), QStringLiteral("--state"),
                state};
    }

private slots:
    void crashBetweenCommitAndRemovalWritesOnce()
    {
        const QString csv = m_dir.filePath(QStringLiteral("orders.csv"));
        const QString db = m_dir.filePath(QStringLiteral("orders.db"));
        const QString state = m_dir.filePath(QStringLiteral("state.db"));
        const QString file = m_dir.filePath(QStringLiteral("retry.weir.json"));
        writeFile(csv, ordersCsv());
        writeFile(file, pipeline(csv, db, true));
        ProcessResult r = runWeir(runArgs(file, state));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM orders")), qint64(2000));
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")),
                 qint64(1000));

        // The pipeline is fixed, and the retry dies right after the target committed the
        // records, before a single entry left the queue.
        writeFile(file, pipeline(csv, db, false));
        QProcess crashing;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("WEIR_CRASH_AT"), QStringLiteral("dlq-retry-before-remove"));
        crashing.setProcessEnvironment(env);
        crashing.start(weirRunPath(), {QStringLiteral("dlq"), QStringLiteral("retry"),
                                       QStringLiteral("--state"), state});
        QVERIFY(crashing.waitForFinished(120000));
        QCOMPARE(crashing.exitStatus(), QProcess::CrashExit);
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM orders")), qint64(3000));
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")),
                 qint64(1000));

        // Run again: every record is found committed, nothing is appended twice, the queue
        // empties.
        r = runWeir(
            {QStringLiteral("dlq"), QStringLiteral("retry"), QStringLiteral("--state"), state});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(r.out, QByteArray("retried 1000: 1000 went through, 0 failed again (still in the "
                                   "queue)\n"));
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM orders")), qint64(3000));
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(DISTINCT order_id) FROM orders")),
                 qint64(3000));
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")), qint64(0));
        // The CSV rows came back with the source's own delimiter and quote.
        QCOMPARE(queryText(db, QStringLiteral("SELECT amount || '|' || note FROM orders WHERE "
                                              "order_id = '3000'")),
                 QStringLiteral("x|a;b"));
    }

    // A retry that emptied the queue leaves its positions in the target. Dead letters of a
    // later run must not be taken for those records: their retry writes them too.
    void laterDeadLettersAreNotTakenForRetriedOnes()
    {
        const QString first = m_dir.filePath(QStringLiteral("first.csv"));
        const QString second = m_dir.filePath(QStringLiteral("second.csv"));
        const QString db = m_dir.filePath(QStringLiteral("later.db"));
        const QString state = m_dir.filePath(QStringLiteral("later-state.db"));
        const QString file = m_dir.filePath(QStringLiteral("later.weir.json"));
        const QStringList retry{QStringLiteral("dlq"), QStringLiteral("retry"),
                                QStringLiteral("--state"), state};
        writeFile(first, "order_id;amount;note\n1;x;a\n2;2.25;b\n");
        writeFile(file, pipeline(first, db, true));
        ProcessResult r = runWeir(runArgs(file, state));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        writeFile(file, pipeline(first, db, false));
        r = runWeir(retry);
        QCOMPARE(r.out, QByteArray("retried 1: 1 went through, 0 failed again (still in the "
                                   "queue)\n"));
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM orders")), qint64(2));

        // Another file, another bad row: a new dead letter, retried once fixed.
        writeFile(second, "order_id;amount;note\n3;y;c\n");
        writeFile(file, pipeline(second, db, true));
        r = runWeir(runArgs(file, state));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(queryInt(state, QStringLiteral("SELECT count(*) FROM dead_letters")), qint64(1));
        writeFile(file, pipeline(second, db, false));
        r = runWeir(retry);
        QCOMPARE(r.out, QByteArray("retried 1: 1 went through, 0 failed again (still in the "
                                   "queue)\n"));
        QCOMPARE(queryText(db, QStringLiteral("SELECT group_concat(order_id || ':' || amount, ' ') "
                                              "FROM (SELECT * FROM orders ORDER BY order_id)")),
                 QStringLiteral("1:x 2:2.25 3:y"));

        // A second state database for the same pipeline and target numbers its dead letters
        // from 1 again: its retries are its own all the same.
        const QString third = m_dir.filePath(QStringLiteral("third.csv"));
        const QString otherState = m_dir.filePath(QStringLiteral("later-state-2.db"));
        writeFile(third, "order_id;amount;note\n4;z;d\n");
        writeFile(file, pipeline(third, db, true));
        r = runWeir(runArgs(file, otherState));
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(queryInt(otherState, QStringLiteral("SELECT min(id) FROM dead_letters")),
                 qint64(1));
        writeFile(file, pipeline(third, db, false));
        r = runWeir({QStringLiteral("dlq"), QStringLiteral("retry"), QStringLiteral("--state"),
                     otherState});
        QCOMPARE(r.out, QByteArray("retried 1: 1 went through, 0 failed again (still in the "
                                   "queue)\n"));
        QCOMPARE(queryText(db, QStringLiteral("SELECT group_concat(order_id || ':' || amount, ' ') "
                                              "FROM (SELECT * FROM orders ORDER BY order_id)")),
                 QStringLiteral("1:x 2:2.25 3:y 4:z"));
    }

    void csvRowsAreReadBackWithTheSourceOptions()
    {
        // A row the CSV source refused is raw text; edited, it is read as the source reads a
        // row: its delimiter, quote, header and empty-as-null options.
        const QString csv = m_dir.filePath(QStringLiteral("raw.csv"));
        writeFile(csv, "order_id;amount;note\n1;2.5;'x'\n");
        const model::NodeType *type =
            model::NodeTypeRegistry::builtin().find(QStringLiteral("csv.source"));
        QVERIFY(type && type->readDeadLetter);
        const QJsonObject config{{QStringLiteral("path"), csv},
                                 {QStringLiteral("delimiter"), QStringLiteral(";")},
                                 {QStringLiteral("quote"), QStringLiteral("'")}};
        const model::NodeConfig node(QStringLiteral("read"), m_dir.path(),
                                     type->schema.withDefaults(config));
        const std::string stream = QFileInfo(csv).canonicalFilePath().toStdString();
        auto batch = type->readDeadLetter(
            node, model::DeadLetterText{stream, QStringLiteral("7;;'a;b'"), 42, 9, {}});
        QVERIFY2(batch, batch ? "" : qPrintable(batch.error().message));
        QCOMPARE(batch->schema->columns(),
                 (std::vector<std::string>{"order_id", "amount", "note"}));
        const record::ChangeEvent &e = batch->events.at(0);
        QCOMPARE(e.after.at(0).toText(), std::string("7"));
        QVERIFY(e.after.at(1).isNull()); // empty and unquoted: null, as the source reads it
        QCOMPARE(e.after.at(2).toText(), std::string("a;b"));
        QCOMPARE(e.offset, std::int64_t(42));
        QCOMPARE(e.line, std::int64_t(9));
        QCOMPARE(batch->stream, stream);

        auto wrong = type->readDeadLetter(
            node, model::DeadLetterText{stream, QStringLiteral("7;1.5"), 42, 9, {}});
        QVERIFY(!wrong);
        QCOMPARE(wrong.error().message, QStringLiteral("line 9: expected 3 fields, found 2"));
    }

    void stopDuringRetryIsInterrupted()
    {
        const QString csv = m_dir.filePath(QStringLiteral("gated.csv"));
        const QString db = m_dir.filePath(QStringLiteral("gated.db"));
        const QString file = m_dir.filePath(QStringLiteral("gated.weir.json"));
        writeFile(csv, ordersCsv());
        writeFile(file, pipeline(csv, db, true, QStringLiteral("gate.sink")));
        auto opened = state::StateStore::open(m_dir.filePath(QStringLiteral("gated-state.db")));
        QVERIFY(opened);
        state::StateStore &store = *opened.value();
        const model::NodeTypeRegistry registry = registryWithGate();
        {
            auto parsed = model::loadValidPipeline(file, registry);
            QVERIFY(parsed.pipeline);
            engine::EngineOptions options;
            options.once = true;
            engine::Engine e(*parsed.pipeline, file, &store, registry, options);
            QSignalSpy finished(&e, &engine::Engine::runFinished);
            e.start();
            QVERIFY(finished.wait(60000));
        }
        auto entries = store.deadLetters({}, 0);
        QVERIFY(entries);
        QCOMPARE(entries->size(), std::size_t(1000));

        // The retry stops at the gate; a stop then ends it as interrupted, nothing failed.
        writeFile(file, pipeline(csv, db, false, QStringLiteral("gate.sink")));
        g_gateShut = true;
        g_gateReached = false;
        std::atomic<bool> stop{false};
        std::thread stopper([&] {
            while (!g_gateReached.load())
                std::this_thread::yield();
            stop = true;
        });
        const engine::RetryReport stopped =
            engine::retryDeadLetters(store, entries.value(), registry, &stop);
        stopper.join();
        QVERIFY(stopped.interrupted);
        QVERIFY2(stopped.problems.isEmpty(), qPrintable(stopped.problems.join('\n')));
        QCOMPARE(stopped.failedAgain, qint64(0));
        QCOMPARE(stopped.landed, qint64(0));
        QCOMPARE(store.countDeadLetters({}).value(), qint64(1000));
        auto runs = store.runs(QStringLiteral("retry"), 1);
        QCOMPARE(runs->front().status, QStringLiteral("interrupted"));
        for (const auto &e : store.deadLetters({}, 0).value())
            QCOMPARE(e.attempts, 1);

        // Open the gate: the same entries land, once each.
        g_gateShut = false;
        const engine::RetryReport done =
            engine::retryDeadLetters(store, store.deadLetters({}, 0).value(), registry, nullptr);
        QVERIFY(!done.interrupted);
        QCOMPARE(done.landed, qint64(1000));
        QCOMPARE(store.countDeadLetters({}).value(), qint64(0));
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(*) FROM orders")), qint64(3000));
        QCOMPARE(queryInt(db, QStringLiteral("SELECT count(DISTINCT order_id) FROM orders")),
                 qint64(3000));
    }
};

QTEST_GUILESS_MAIN(TestDlqRetry)
#include "tst_dlq_retry.moc"
