// Monitor benchmark (not a unit test): 24 hours of per-second metrics for a 50-node pipeline
// in a StateStore, then the time to switch the charts to the 24 h window (read the history,
// bucket it, redraw four charts), first with every per-second sample kept and then with the
// history folded to per-minute samples after an hour, as the engine keeps it. `--smoke` uses
// ten minutes of five nodes to check it runs.

#include "common/time_format.h"
#include "monitor/metrics_charts.h"
#include "state/state_store.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace weir;

namespace {

constexpr qint64 kSecond = 1000;
constexpr qint64 kMinute = 60 * kSecond;
constexpr qint64 kHour = 60 * kMinute;

int sourcesOf(int nodes)
{
    return std::max(1, nodes / 10);
}

std::map<QString, state::NodeRole> roles(int nodes)
{
    std::map<QString, state::NodeRole> out;
    for (int i = 0; i < nodes; ++i)
        out[QStringLiteral("n%1").arg(i, 2, 10, QLatin1Char('0'))] =
            i < sourcesOf(nodes)            ? state::NodeRole::Source
            : i >= nodes - sourcesOf(nodes) ? state::NodeRole::Sink
                                            : state::NodeRole::Transform;
    return out;
}

// One sample per node per second from `fromMs` to `toMs`: about 1,000 records a second each,
// an error now and then, a lag that wanders.
void fill(state::StateStore &store, qint64 runId, const std::map<QString, state::NodeRole> &nodes,
          qint64 fromMs, qint64 toMs)
{
    std::vector<state::MetricSample> chunk;
    chunk.reserve(50000);
    qint64 second = 0;
    for (qint64 t = fromMs; t <= toMs; t += kSecond, ++second) {
        for (const auto &[node, role] : nodes) {
            state::MetricSample s;
            s.runId = runId;
            s.node = node;
            s.timeMs = t;
            s.recordsIn = second * 1000;
            s.recordsOut = second * 995;
            s.errors = second / 200;
            s.deadLetters = second / 200;
            s.queueDepth = second % 5;
            s.lagMs = 200 + (second % 97) * 10;
            s.commitMillis = 1.5;
            chunk.push_back(s);
        }
        if (chunk.size() >= 50000) {
            (void)store.appendMetrics(chunk);
            chunk.clear();
        }
    }
    (void)store.appendMetrics(chunk);
}

// Switches from the 5 min window to `windowMs` and back, `repeats` times; returns the times.
std::vector<double> timeSwitches(ui::MetricsCharts &charts, qint64 windowMs, int repeats)
{
    std::vector<double> ms;
    for (int i = 0; i < repeats; ++i) {
        charts.setWindow(5 * kMinute);
        QApplication::processEvents();
        QElapsedTimer timer;
        timer.start();
        charts.setWindow(windowMs);
        charts.repaint(); // the charts drawn, not only computed
        QApplication::processEvents();
        ms.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    return ms;
}

void report(const char *what, const std::vector<double> &ms, const ui::MetricsCharts &charts)
{
    const std::size_t points = charts.series().readPerSecond.size();
    const auto [lo, hi] = std::minmax_element(ms.begin(), ms.end());
    std::printf("%-44s min %7.1f ms  max %7.1f ms  (%zu points per line)\n", what, *lo, *hi,
                points);
}

} // namespace

int runBenchmark(bool smoke)
{
    const int nodeCount = smoke ? 5 : 50;
    const qint64 span = smoke ? 10 * kMinute : 24 * kHour;

    QTemporaryDir dir;
    if (qEnvironmentVariableIsSet("WEIR_BENCH_KEEP")) {
        dir.setAutoRemove(false);
        std::printf("state database kept in %s\n", qPrintable(dir.path()));
    }
    auto opened = state::StateStore::open(dir.filePath(QStringLiteral("state.db")));
    if (!opened) {
        std::fprintf(stderr, "%s\n", qPrintable(opened.error().message));
        return 1;
    }
    state::StateStore &store = *opened.value();
    const auto nodes = roles(nodeCount);
    const qint64 runId = store.beginRun(QStringLiteral("bench"), {}).value();
    std::vector<state::RunNode> described;
    described.reserve(nodes.size());
    for (const auto &[node, role] : nodes)
        described.push_back({node, role, {}});
    (void)store.recordRunNodes(runId, described);

    const qint64 now = common::nowMillis();
    QElapsedTimer timer;
    timer.start();
    fill(store, runId, nodes, now - span, now);
    const qint64 rows = (span / kSecond + 1) * nodeCount;
    std::printf("history: %d nodes x %lld s = %lld samples, written in %.1f s\n", nodeCount,
                static_cast<long long>(span / kSecond), static_cast<long long>(rows),
                static_cast<double>(timer.elapsed()) / 1000.0);

    ui::MetricsCharts charts;
    charts.resize(1400, 700);
    charts.setStore(&store);
    charts.setPipeline(QStringLiteral("bench"), nodes);
    charts.show();
    QApplication::processEvents();

    const int repeats = smoke ? 1 : 3;
    const qint64 wide = smoke ? kHour : 24 * kHour;
    std::vector<double> ms = timeSwitches(charts, wide, repeats);
    report("24 h window, every per-second sample kept", ms, charts);

    timer.restart();
    const auto folded = store.downsampleMetrics(now - kHour);
    std::printf("folded %lld per-second samples older than 1 h into per-minute ones in %.1f s\n",
                static_cast<long long>(folded ? folded.value() : -1),
                static_cast<double>(timer.elapsed()) / 1000.0);
    ms = timeSwitches(charts, wide, repeats);
    report("24 h window, as the engine keeps history", ms, charts);
    {
        // Where the time goes: the history query alone.
        QElapsedTimer q;
        q.start();
        const auto bucketed = store.pipelineMetrics(QStringLiteral("bench"),
                                                    common::nowMillis() - wide - 2 * kMinute);
        std::printf("  of which the history query: %.1f ms for %zu samples\n",
                    static_cast<double>(q.nsecsElapsed()) / 1e6,
                    bucketed ? bucketed.value().size() : 0);
    }
    ms = timeSwitches(charts, kHour, repeats);
    report("1 h window", ms, charts);
    // The series must hold what was written: 1,000 records a second per source.
    const double lastRate =
        charts.series().readPerSecond.empty()
            ? 0
            : charts.series().readPerSecond[charts.series().readPerSecond.size() / 2].value;
    std::printf("check: read rate mid-window %.0f records/s (expected %d)\n", lastRate,
                1000 * sourcesOf(nodeCount));
    return lastRate == 1000.0 * sourcesOf(nodeCount) ? 0 : 1;
}

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const bool smoke = argc > 1 && std::strcmp(argv[1], "--smoke") == 0;
    try {
        return runBenchmark(smoke);
    } catch (const std::exception &e) {
        std::fprintf(stderr, "bench_monitor: %s\n", e.what());
        return 1;
    }
}
