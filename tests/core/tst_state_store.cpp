#include "state/state_store.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <thread>

using namespace weir;
using state::DeadLetterFilter;

namespace {

engine::DeadLetter letter(const char *stream, qint64 offset, const char *error)
{
    return engine::DeadLetter{stream, offset, offset + 1, QString::fromUtf8(error),
                              QStringLiteral("{}")};
}

engine::NodeContext node(const char *pipeline, const char *id)
{
    return engine::NodeContext{QString::fromUtf8(pipeline), QString::fromUtf8(id), 7, nullptr,
                               nullptr};
}

} // namespace

class TestStateStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;

    std::unique_ptr<state::StateStore> open(const QString &name)
    {
        auto store = state::StateStore::open(m_dir.filePath(name));
        if (!store)
            qWarning("%s", qPrintable(store.error().message));
        return store ? std::move(store.value()) : nullptr;
    }

private slots:
    void createsAndReopens()
    {
        auto store = open(QStringLiteral("sub/dir/a.db"));
        QVERIFY(store);
        QCOMPARE(store->schemaVersion(), 1);
        auto run = store->beginRun(QStringLiteral("p"), QStringLiteral("/x/p.weir.json"));
        QVERIFY(run);
        store.reset();
        auto again = open(QStringLiteral("sub/dir/a.db"));
        QCOMPARE(again->schemaVersion(), 1);
        QCOMPARE(again->runs(QStringLiteral("p"), 10)->size(), std::size_t(1));
    }

    void runsRoundTrip()
    {
        auto store = open(QStringLiteral("runs.db"));
        const qint64 a = store->beginRun(QStringLiteral("p"), QStringLiteral("f")).value();
        const qint64 b = store->beginRun(QStringLiteral("q"), QStringLiteral("g")).value();
        QVERIFY(store->finishRun(a, QStringLiteral("finished"), state::RunTotals{10, 8, 2, 2},
                                 QStringLiteral("ok")));
        auto runs = store->runs(QStringLiteral("p"), 10);
        QCOMPARE(runs->size(), std::size_t(1));
        const state::RunRecord &r = runs->front();
        QCOMPARE(r.id, a);
        QCOMPARE(r.status, QStringLiteral("finished"));
        QCOMPARE(r.totals.recordsIn, qint64(10));
        QCOMPARE(r.totals.recordsOut, qint64(8));
        QCOMPARE(r.totals.deadLetters, qint64(2));
        QCOMPARE(r.message, QStringLiteral("ok"));
        QVERIFY(r.finishedMs >= r.startedMs);
        auto all = store->runs(QString(), 0);
        QCOMPARE(all->size(), std::size_t(2));
        QCOMPARE(all->front().id, b);
        QCOMPARE(all->front().status, QStringLiteral("running"));
    }

    void metricsRoundTrip()
    {
        auto store = open(QStringLiteral("metrics.db"));
        QVERIFY(store->appendMetrics(
            {state::MetricSample{1, QStringLiteral("a"), 1000, 5, 4, 1, 1, 2, 30, 100, 1.5},
             state::MetricSample{1, QStringLiteral("b"), 1000, 4, 4, 0, 0, 0, -1, -1, 0},
             state::MetricSample{1, QStringLiteral("a"), 2000, 9, 8, 1, 1, 0, 10, 0, 2.5}}));
        auto a = store->metrics(1, QStringLiteral("a"));
        QCOMPARE(a->size(), std::size_t(2));
        QCOMPARE(a->at(1).recordsIn, qint64(9));
        QCOMPARE(a->at(0).commitMillis, 1.5);
        QCOMPARE(store->metrics(1, QString())->size(), std::size_t(3));
    }

    void deadLettersFilterAndDedupe()
    {
        auto store = open(QStringLiteral("dlq.db"));
        QVERIFY(store->write(node("p", "read"),
                             {letter("a.csv", 10, "line 2: expected 5 fields, found 4"),
                              letter("a.csv", 20, "line 3: Expected 5 fields, found 6")}));
        QVERIFY(store->write(node("p", "check"),
                             {letter("a.csv", 30, "amount: 'x' is not a decimal number")}));
        QVERIFY(store->write(node("q", "check"), {letter("b.csv", 10, "amount: missing")}));
        QCOMPARE(store->countDeadLetters({}).value(), qint64(4));
        QCOMPARE(store->countDeadLetters(DeadLetterFilter{QStringLiteral("p"), {}, {}}).value(),
                 qint64(3));
        QCOMPARE(store->countDeadLetters(DeadLetterFilter{{}, QStringLiteral("check"), {}}).value(),
                 qint64(2));
        QCOMPARE(
            store->countDeadLetters(DeadLetterFilter{{}, {}, QStringLiteral("EXPECTED 5")}).value(),
            qint64(2));
        QCOMPARE(store->countDeadLetters(DeadLetterFilter{{}, {}, QStringLiteral("50% off'; --")})
                     .value(),
                 qint64(0));

        // The same record failing again is one entry with two attempts.
        QVERIFY(store->write(node("p", "read"), {letter("a.csv", 10, "line 2: still wrong")}));
        QCOMPARE(store->countDeadLetters({}).value(), qint64(4));
        auto read = store->deadLetters(
            DeadLetterFilter{QStringLiteral("p"), QStringLiteral("read"), {}}, 0);
        QCOMPARE(read->size(), std::size_t(2));
        const state::DeadLetterEntry &first =
            read->back(); // newest first: offset 10 was inserted first
        QCOMPARE(first.offset, qint64(10));
        QCOMPARE(first.attempts, 2);
        QCOMPARE(first.error, QStringLiteral("line 2: still wrong"));
        QCOMPARE(first.runId, qint64(7));
        QCOMPARE(store->deadLetters({}, 1)->size(), std::size_t(1));

        auto one = store->deadLetter(first.id);
        QVERIFY(one);
        QCOMPARE(one->line, qint64(11));
        auto missing = store->deadLetter(999999);
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, ErrorCode::NotFound);

        QCOMPARE(store->purgeDeadLetters(DeadLetterFilter{{}, QStringLiteral("check"), {}}).value(),
                 qint64(2));
        QVERIFY(store->removeDeadLetter(first.id));
        QCOMPARE(store->countDeadLetters({}).value(), qint64(1));
    }

    void concurrentWritersAllLand()
    {
        auto store = open(QStringLiteral("threads.db"));
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t) {
            threads.emplace_back([&store, t] {
                for (int i = 0; i < 500; ++i) {
                    const std::string stream = "s" + std::to_string(t);
                    (void)store->write(node("p", "n"), {letter(stream.c_str(), i, "e")});
                }
            });
        }
        for (auto &t : threads)
            t.join();
        QCOMPARE(store->countDeadLetters({}).value(), qint64(2000));
    }

    void unwritablePathIsAClearError()
    {
        const QString file = m_dir.filePath(QStringLiteral("plain-file"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        auto store = state::StateStore::open(file + QStringLiteral("/state.db"));
        QVERIFY(!store);
        QVERIFY2(store.error().message.startsWith(QStringLiteral("state database ") + file),
                 qPrintable(store.error().message));
    }
};

QTEST_GUILESS_MAIN(TestStateStore)
#include "tst_state_store.moc"
