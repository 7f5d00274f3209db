// The monitor's arithmetic: cumulative per-node samples into chart buckets, the run
// completeness balance, and the history queries the charts and the run list read.

#include "state/metrics_series.h"
#include "state/run_completeness.h"
#include "state/state_store.h"

#include <QTemporaryDir>
#include <QTest>

using namespace weir;
using state::MetricSample;
using state::NodeRole;

namespace {

MetricSample sample(qint64 run, const char *node, qint64 t, qint64 in, qint64 out,
                    qint64 errors = 0, qint64 dead = 0, qint64 lagMs = -1)
{
    MetricSample s;
    s.runId = run;
    s.node = QString::fromLatin1(node);
    s.timeMs = t;
    s.recordsIn = in;
    s.recordsOut = out;
    s.errors = errors;
    s.deadLetters = dead;
    s.lagMs = lagMs;
    return s;
}

std::map<QString, NodeRole> roles()
{
    return {{QStringLiteral("read"), NodeRole::Source},
            {QStringLiteral("check"), NodeRole::Transform},
            {QStringLiteral("write"), NodeRole::Sink}};
}

double sum(const std::vector<state::SeriesPoint> &points)
{
    double total = 0;
    for (const auto &p : points)
        total += p.value;
    return total;
}

} // namespace

class TestMetricsSeries : public QObject
{
    Q_OBJECT

private slots:
    void pipelineRatesFromCumulativeCounters()
    {
        // One-second buckets, a 5 minute window ending at t = 1,003,000.
        state::MetricsSeriesBuilder b(300000, 1000, {}, roles());
        b.slideTo(1000000);
        b.add({sample(1, "read", 1001000, 100, 100), sample(1, "check", 1001000, 100, 90, 10, 10),
               sample(1, "write", 1001000, 80, 80, 0, 0, 2500)});
        b.add({sample(1, "read", 1002000, 300, 300), sample(1, "check", 1002000, 300, 270, 30, 30),
               sample(1, "write", 1002000, 270, 270, 0, 0, 4000)});
        b.add({sample(1, "read", 1003000, 300, 300), sample(1, "check", 1003000, 300, 270, 30, 30),
               sample(1, "write", 1003000, 270, 270)});
        const state::MetricsSeries s = b.series();
        QCOMPARE(s.readPerSecond.size(), std::size_t(3));
        QCOMPARE(s.readPerSecond[0].timeMs, qint64(1001000));
        QCOMPARE(s.readPerSecond[0].value, 100.0);
        QCOMPARE(s.readPerSecond[1].value, 200.0);
        QCOMPARE(s.readPerSecond[2].value, 0.0);
        QCOMPARE(s.writtenPerSecond[0].value, 80.0);
        QCOMPARE(s.writtenPerSecond[1].value, 190.0);
        QCOMPARE(s.errorPercent[0].value, 10.0);
        QCOMPARE(s.errorPercent[1].value, 10.0);
        QCOMPARE(s.errorPercent.size(), std::size_t(2)); // the third second read nothing
        QCOMPARE(s.deadLetters.back().value, 30.0);
        QCOMPARE(s.lagSeconds.size(), std::size_t(2));
        QCOMPARE(s.lagSeconds[1].value, 4.0);
    }

    void nodeScopeAndBaselinesBeforeTheWindow()
    {
        state::MetricsSeriesBuilder b(60000, 10000, QStringLiteral("check"), roles());
        b.slideTo(155000);
        // Before the window (starts at 95,000): a baseline only.
        b.add(sample(4, "check", 90000, 5000, 4000, 100, 100));
        b.add(sample(4, "read", 150000, 9999, 9999)); // another node: out of scope
        b.add(sample(4, "check", 150000, 6000, 4900, 200, 200));
        b.add(sample(4, "check", 155000, 6500, 5300, 250, 250));
        const auto s = b.series();
        QCOMPARE(s.readPerSecond.size(), std::size_t(1));
        QCOMPARE(s.readPerSecond[0].timeMs, qint64(150000));
        // 1,500 records in, but the bucket is still filling: the newest sample is 5 s into it,
        // so the rate is over 6 s (a sample counts the second before it).
        QCOMPARE(s.readPerSecond[0].value, 1500.0 / 6.0);
        QCOMPARE(s.writtenPerSecond[0].value, 1300.0 / 6.0);
        QCOMPARE(s.deadLetters[0].value, 150.0);
        QCOMPARE(s.errors[0].value, 150.0);
        QCOMPARE(s.errorPercent[0].value, 10.0);
    }

    void restartedRunsAndGapsAndSliding()
    {
        state::MetricsSeriesBuilder b(10000, 1000, {}, roles());
        b.slideTo(100000);
        b.add(sample(1, "read", 95000, 50, 50));
        b.add(sample(1, "read", 96000, 80, 80));
        // A second run of the pipeline counts from zero again.
        b.add(sample(2, "read", 99000, 20, 20));
        auto s = b.series();
        QCOMPARE(s.readPerSecond.size(), std::size_t(5)); // 95..99 with two empty seconds
        QCOMPARE(s.readPerSecond[0].value, 50.0);
        QCOMPARE(s.readPerSecond[1].value, 30.0);
        QCOMPARE(s.readPerSecond[2].value, 0.0);
        QCOMPARE(s.readPerSecond[4].value, 20.0);
        QCOMPARE(sum(s.readPerSecond), 100.0);
        b.slideTo(106500); // window from 96,500: the 95 s bucket leaves, 96 s overlaps it
        s = b.series();
        QCOMPARE(s.readPerSecond.front().timeMs, qint64(96000));
        QCOMPARE(sum(s.readPerSecond), 50.0);
    }

    void bucketsPerWindow()
    {
        QCOMPARE(state::MetricsSeriesBuilder::bucketFor(qint64{5} * 60 * 1000), qint64(1000));
        QCOMPARE(state::MetricsSeriesBuilder::bucketFor(qint64{3600} * 1000), qint64(10000));
        QCOMPARE(state::MetricsSeriesBuilder::bucketFor(qint64{24} * 3600 * 1000), qint64(60000));
    }

    void completenessBalancesALinearRun()
    {
        const std::vector<state::RunNode> nodes{
            {QStringLiteral("read"), NodeRole::Source, {}},
            {QStringLiteral("check"), NodeRole::Transform, {QStringLiteral("read")}},
            {QStringLiteral("dedupe"), NodeRole::Transform, {QStringLiteral("check")}},
            {QStringLiteral("write"), NodeRole::Sink, {QStringLiteral("dedupe")}}};
        // The orders example: 200 read, 12 refused by check, 6 duplicates, 182 written.
        std::vector<MetricSample> done{
            sample(1, "read", 1, 200, 200), sample(1, "check", 1, 200, 188, 12, 12),
            sample(1, "dedupe", 1, 188, 182), sample(1, "write", 1, 182, 182)};
        auto c = state::runCompleteness(nodes, done);
        QVERIFY(c.known);
        QCOMPARE(c.read, qint64(200));
        QCOMPARE(c.written, qint64(182));
        QCOMPARE(c.deadLetters, qint64(12));
        QCOMPARE(c.filtered, qint64(6));
        QCOMPARE(c.gap, qint64(0));
        QVERIFY(c.complete());

        // Stopped mid-way: 50 records on the edge into dedupe, 30 inside the sink uncommitted.
        std::vector<MetricSample> stopped{
            sample(1, "read", 1, 200, 200), sample(1, "check", 1, 200, 188, 12, 12),
            sample(1, "dedupe", 1, 138, 132), sample(1, "write", 1, 132, 102)};
        c = state::runCompleteness(nodes, stopped);
        QCOMPARE(c.gap, qint64(80));
        QVERIFY(!c.complete());
        QCOMPARE(c.read - c.written - c.deadLetters - c.filtered, c.gap);

        QVERIFY(!state::runCompleteness({}, done).known);
    }

    void storeKeepsRunNodesAndReadsHistory()
    {
        QTemporaryDir dir;
        auto opened = state::StateStore::open(dir.filePath(QStringLiteral("state.db")));
        QVERIFY(opened.ok());
        state::StateStore &store = *opened.value();
        const qint64 a = store.beginRun(QStringLiteral("orders"), {}).value();
        const qint64 other = store.beginRun(QStringLiteral("other"), {}).value();
        QVERIFY(store
                    .recordRunNodes(a, {{QStringLiteral("read"), NodeRole::Source, {}},
                                        {QStringLiteral("write"),
                                         NodeRole::Sink,
                                         {QStringLiteral("read"), QStringLiteral("x")}}})
                    .ok());
        const auto nodes = store.runNodes(a).value();
        QCOMPARE(nodes.size(), std::size_t(2));
        QCOMPARE(nodes[1].role, NodeRole::Sink);
        QCOMPARE(nodes[1].upstream, (QStringList{QStringLiteral("read"), QStringLiteral("x")}));

        QVERIFY(store
                    .appendMetrics({sample(a, "read", 1000, 1, 1), sample(a, "read", 2000, 2, 2),
                                    sample(a, "write", 2000, 2, 1), sample(other, "z", 2000, 9, 9),
                                    sample(a, "read", 3000, 3, 3)})
                    .ok());
        const auto history = store.pipelineMetrics(QStringLiteral("orders"), 2000).value();
        QCOMPARE(history.size(), std::size_t(3));
        QCOMPARE(history[0].node, QStringLiteral("read"));
        QCOMPARE(history[0].timeMs, qint64(2000));
        QCOMPARE(history[1].timeMs, qint64(3000));
        QCOMPARE(history[2].node, QStringLiteral("write"));

        const auto last = store.lastMetrics(a).value();
        QCOMPARE(last.size(), std::size_t(2));
        QCOMPARE(last[0].node, QStringLiteral("read"));
        QCOMPARE(last[0].recordsIn, qint64(3));
        QCOMPARE(last[1].recordsOut, qint64(1));

        QVERIFY(store
                    .logEvent(a, QStringLiteral("alert"), QStringLiteral("read"),
                              QStringLiteral("first"))
                    .ok());
        QVERIFY(
            store.logEvent(other, QStringLiteral("info"), {}, QStringLiteral("elsewhere")).ok());
        QVERIFY(store.logEvent(a, QStringLiteral("info"), {}, QStringLiteral("second")).ok());
        const auto events = store.events(a, 10).value();
        QCOMPARE(events.size(), std::size_t(2));
        QCOMPARE(events[0].message, QStringLiteral("second"));
        QCOMPARE(events[1].level, QStringLiteral("alert"));
        QCOMPARE(events[1].node, QStringLiteral("read"));
        QCOMPARE(store.events(0, 10).value().size(), std::size_t(3));
    }
};

QTEST_GUILESS_MAIN(TestMetricsSeries)
#include "tst_metrics_series.moc"
