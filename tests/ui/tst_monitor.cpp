// The monitor end to end: a real run of the orders example (6 malformed rows refused at the
// source, 6 invalid ones at check, 6 duplicates dropped by dedupe) must give exact figures in
// the per-node table, the chart series (live and reloaded from history, and for the past
// run), the run history's completeness and the dead-letter count. A run over within a second
// shows its totals where the charts are, until a later run makes a series. A watched-folder
// run is photographed mid-run with errors and dead letters on screen.

#include "canvas/commands/edit_settings_command.h"
#include "common/time_format.h"
#include "document/pipeline_document.h"
#include "model/node_type_registry.h"
#include "model/pipeline_json.h"
#include "monitor/alert_banner.h"
#include "monitor/alert_rules_dialog.h"
#include "monitor/dead_letter_browser.h"
#include "monitor/dead_letter_model.h"
#include "monitor/metrics_charts.h"
#include "monitor/monitor_panel.h"
#include "monitor/node_metrics_model.h"
#include "monitor/run_history_model.h"
#include "monitor/run_totals_panel.h"
#include "run/run_controller.h"
#include "support/test_support.h"

#include <QChartView>
#include <QDateTimeAxis>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QGroupBox>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QListWidget>
#include <QLocale>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>
#include <QVBoxLayout>

using namespace weir;
using namespace weir::ui;

namespace {

double total(const std::vector<state::SeriesPoint> &points)
{
    double sum = 0;
    for (const auto &p : points)
        sum += p.value;
    return sum;
}

std::map<QString, state::NodeRole> ordersRoles(const QString &source)
{
    return {{source, state::NodeRole::Source},
            {QStringLiteral("check"), state::NodeRole::Transform},
            {QStringLiteral("latest"), state::NodeRole::Transform},
            {QStringLiteral("orders_db"), state::NodeRole::Sink}};
}

QString screenshotPath(const char *name)
{
    const QDir out(QCoreApplication::applicationDirPath() + QStringLiteral("/screenshots"));
    QDir().mkpath(out.path());
    return out.filePath(QLatin1String(name));
}

// Wires a run controller to a monitor panel the way the main window does.
void connectPanel(RunController &run, MonitorPanel &panel)
{
    QObject::connect(&run, &RunController::runStarted, &panel,
                     [&](qint64 id) { panel.runStarted(id, run.queueCapacity()); });
    QObject::connect(&run, &RunController::metricsUpdated, &panel, &MonitorPanel::addSnapshot);
    QObject::connect(&run, &RunController::alertChanged, &panel, &MonitorPanel::applyAlert);
    QObject::connect(&run, &RunController::runFinished, &panel, &MonitorPanel::runFinished);
}

QString cell(const QAbstractItemModel *model, int row, int column)
{
    return model->index(row, column).data().toString();
}

QString figure(const QWidget *totals, const char *name)
{
    const auto *label = totals->findChild<QLabel *>(QLatin1String(name));
    return label ? label->text() : QStringLiteral("(no %1)").arg(QLatin1String(name));
}

} // namespace

class TestMonitor : public QObject
{
    Q_OBJECT

private slots:
    void alertThresholdsAreEditedAsOneUndoStep()
    {
        PipelineDocument doc(model::NodeTypeRegistry::builtin());
        QVERIFY(doc.load(test::examplePath()));
        const QByteArray before = model::serializePipeline(doc.pipeline());
        AlertRulesDialog dialog(model::AlertRules{});
        QVERIFY(!dialog.lagBox()->isChecked());
        QVERIFY(!dialog.errorRateBox()->isChecked());
        dialog.lagBox()->setChecked(true);
        dialog.lagSeconds()->setValue(45);
        dialog.lagForSeconds()->setValue(120);
        dialog.errorRateBox()->setChecked(true);
        dialog.errorRatePercent()->setValue(2.5);
        QVERIFY(!dialog.behindBox()->isChecked());
        dialog.behindBox()->setChecked(true);
        dialog.recordsBehind()->setValue(50000);
        QVERIFY(dialog.grab().save(screenshotPath("alert_thresholds.png")));
        const QJsonObject settings =
            model::AlertRules::withRules(doc.pipeline().settings, dialog.rules());
        doc.undoStack()->push(new EditSettingsCommand(doc.model(), settings));
        const auto rules = model::AlertRules::fromSettings(doc.pipeline().settings);
        QVERIFY(rules.ok());
        QCOMPARE(rules.value().lagSeconds, 45.0);
        QCOMPARE(rules.value().lagForSeconds, 120.0);
        QCOMPARE(rules.value().errorRatePercent, 2.5);
        QCOMPARE(rules.value().errorRateForSeconds, 60.0);
        QCOMPARE(rules.value().recordsBehind, 50000.0);
        QCOMPARE(rules.value().recordsBehindForSeconds, 60.0);
        QVERIFY(model::serializePipeline(doc.pipeline()).contains("\"lag_seconds\": 45"));
        // Reopening the dialog shows what is set; switching both off removes the key.
        AlertRulesDialog again(rules.value());
        QVERIFY(again.lagBox()->isChecked());
        QCOMPARE(again.errorRatePercent()->value(), 2.5);
        again.lagBox()->setChecked(false);
        again.errorRateBox()->setChecked(false);
        QVERIFY(again.behindBox()->isChecked());
        again.behindBox()->setChecked(false);
        QVERIFY(!again.rules().any());
        doc.undoStack()->undo();
        QCOMPARE(model::serializePipeline(doc.pipeline()), before);
        doc.undoStack()->redo();
        QCOMPARE(model::AlertRules::fromSettings(doc.pipeline().settings).value().lagSeconds, 45.0);
    }

    void alertBannerShowsActiveAlertsAndStaysDismissed()
    {
        QWidget window; // the banner lives in a window, as above the canvas
        auto *layout = new QVBoxLayout(&window);
        auto &banner = *new AlertBanner(&window);
        layout->addWidget(&banner);
        window.show();
        QVERIFY(!banner.isVisible()); // nothing active yet
        engine::AlertEvent lag{QStringLiteral("lag:read"),
                               QStringLiteral("lag"),
                               QStringLiteral("read"),
                               true,
                               45,
                               30,
                               1000,
                               QStringLiteral("read: lag is 45 s, over 30 s for 60 s")};
        engine::AlertEvent errors{QStringLiteral("error_rate"),
                                  QStringLiteral("error_rate"),
                                  {},
                                  true,
                                  8,
                                  5,
                                  1000,
                                  QStringLiteral("error rate is 8.0 % over the last 60 s")};
        banner.apply(lag);
        banner.apply(errors);
        QVERIFY(banner.isVisible());
        QCOMPARE(banner.activeCount(), 2);
        QVERIFY(banner.text().contains(lag.message));
        QVERIFY(banner.text().contains(errors.message));
        // Dismissed: a clearing does not bring it back, a new alert does.
        banner.hide();
        errors.active = false;
        banner.apply(errors);
        QVERIFY(!banner.isVisible());
        QCOMPARE(banner.activeCount(), 1);
        QVERIFY(!banner.text().contains(errors.message));
        errors.active = true;
        banner.apply(errors);
        QVERIFY(banner.isVisible());
        // The last one cleared hides it.
        lag.active = false;
        errors.active = false;
        banner.apply(lag);
        banner.apply(errors);
        QVERIFY(!banner.isVisible());
        QCOMPARE(banner.activeCount(), 0);
    }

    void nodeHealthAndRates()
    {
        auto snap = [](qint64 t, qint64 in, qint64 errors, qint64 queue, qint64 lagMs) {
            engine::MetricsSnapshot s;
            state::MetricSample m;
            m.runId = 1;
            m.node = QStringLiteral("check");
            m.timeMs = t;
            m.recordsIn = in;
            m.recordsOut = in - errors;
            m.errors = errors;
            m.deadLetters = errors;
            m.queueDepth = queue;
            m.lagMs = lagMs;
            s.nodes = {m};
            return s;
        };
        LiveNodeStats stats;
        stats.reset(4);
        stats.update(snap(10000, 1000, 0, 1, 100));
        QCOMPARE(stats.node(QStringLiteral("check"))->health, NodeHealth::Ok);
        QCOMPARE(stats.node(QStringLiteral("check"))->queueFill, 0.25);
        stats.update(snap(12000, 5000, 10, 4, 100));
        const NodeLive *n = stats.node(QStringLiteral("check"));
        QCOMPARE(n->inPerSecond, 2000.0);
        QCOMPARE(n->outPerSecond, 1995.0);
        QCOMPARE(n->queueFill, 1.0);
        QCOMPARE(n->health, NodeHealth::Erroring);
        stats.update(snap(16000, 6000, 10, 0, 100)); // 4 s after: still erroring
        QCOMPARE(stats.node(QStringLiteral("check"))->health, NodeHealth::Erroring);
        stats.update(snap(17000, 7000, 10, 0, 100)); // 5 s after: back to ok
        QCOMPARE(stats.node(QStringLiteral("check"))->health, NodeHealth::Ok);
        // Without a lag rule, over a minute of lag is lagging; with one, its alert decides.
        stats.update(snap(18000, 7000, 10, 0, 61000));
        QCOMPARE(stats.node(QStringLiteral("check"))->health, NodeHealth::Lagging);
        stats.setLagRuleActive(true);
        stats.update(snap(19000, 7000, 10, 0, 61000));
        QCOMPARE(stats.node(QStringLiteral("check"))->health, NodeHealth::Ok);
        engine::AlertEvent lag;
        lag.kind = QStringLiteral("lag");
        lag.node = QStringLiteral("check");
        lag.active = true;
        stats.applyAlert(lag);
        QCOMPARE(stats.node(QStringLiteral("check"))->health, NodeHealth::Lagging);
        stats.markFailed(QStringLiteral("check"));
        QCOMPARE(stats.node(QStringLiteral("check"))->health, NodeHealth::Failed);
    }

    void finishedRunGivesExactFigures()
    {
        QTemporaryDir dir;
        for (const char *name : {"orders.weir.json", "orders_sample.csv"})
            QVERIFY(QFile::copy(test::examplePath(QLatin1String(name)),
                                dir.filePath(QLatin1String(name))));
        PipelineDocument doc(model::NodeTypeRegistry::builtin());
        QVERIFY(doc.load(dir.filePath(QStringLiteral("orders.weir.json"))));
        RunController run(&doc, dir.filePath(QStringLiteral("state.db")));
        QVERIFY(run.ensureStore().ok());
        MonitorPanel panel(doc.registry());
        panel.setStore(run.stateStore());
        panel.setPipeline(doc.pipeline().name, ordersRoles(QStringLiteral("orders_csv")));
        connectPanel(run, panel);
        QSignalSpy finished(&run, &RunController::runFinished);
        QVERIFY(run.start(true).ok());
        QVERIFY(finished.wait(30000));
        const auto outcome = finished.at(0).at(0).value<engine::RunOutcome>();
        QCOMPARE(outcome.status, QStringLiteral("finished"));

        // Per-node table, in pipeline order: in, out, errors, dead letters.
        const NodeMetricsModel *nodes = panel.nodeModel();
        QCOMPARE(nodes->rowCount(), 4);
        const QStringList expected{
            QStringLiteral("orders_csv 200 194 6 6"), QStringLiteral("check 194 188 6 6"),
            QStringLiteral("latest 188 182 0 0"), QStringLiteral("orders_db 182 182 0 0")};
        for (int row = 0; row < 4; ++row) {
            QStringList cells;
            for (int c : {NodeMetricsModel::Node, NodeMetricsModel::In, NodeMetricsModel::Out,
                          NodeMetricsModel::Errors, NodeMetricsModel::DeadLetters})
                cells << cell(nodes, row, c);
            QCOMPARE(cells.join(QLatin1Char(' ')), expected[row]);
        }
        // How far behind: the CSV source read its file to the end; a sink cannot tell.
        QCOMPARE(cell(nodes, 0, NodeMetricsModel::Behind), QLocale().formattedDataSize(0));
        QCOMPARE(cell(nodes, 3, NodeMetricsModel::Behind), QStringLiteral("–"));
        // A source that counts records behind (a consumer's lag) shows them instead.
        {
            NodeMetricsModel counted;
            NodeLive consumer;
            consumer.sample.node = QStringLiteral("events");
            consumer.sample.recordsBehind = 12500;
            consumer.sample.bytesBehind = 4096;
            counted.setNodes({consumer});
            QCOMPARE(cell(&counted, 0, NodeMetricsModel::Behind),
                     QLocale().toString(qint64(12500)) + QStringLiteral(" records"));
            QCOMPARE(counted.headerData(NodeMetricsModel::Behind, Qt::Horizontal).toString(),
                     QStringLiteral("Behind"));
        }
        // What a replication slot retains, with its wal_status; red once the server may
        // remove WAL the slot still needs.
        QCOMPARE(cell(nodes, 0, NodeMetricsModel::Retained), QStringLiteral("–"));
        {
            NodeMetricsModel withSlot;
            NodeLive cdc;
            cdc.sample.node = QStringLiteral("changes");
            cdc.sample.retainedBytes = 48 * 1024 * 1024;
            cdc.sample.upstreamStatus = QStringLiteral("extended");
            withSlot.setNodes({cdc});
            const QModelIndex retained = withSlot.index(0, NodeMetricsModel::Retained);
            QCOMPARE(retained.data().toString(),
                     QLocale().formattedDataSize(48 * 1024 * 1024) + QStringLiteral(" · extended"));
            QVERIFY(!retained.data(Qt::ForegroundRole).isValid());
            QVERIFY(
                retained.data(Qt::ToolTipRole).toString().contains(QLatin1String("wal_status")));
            cdc.sample.upstreamStatus = QStringLiteral("unreserved");
            withSlot.setNodes({cdc});
            QVERIFY(retained.data(Qt::ForegroundRole).isValid());
            QCOMPARE(withSlot.headerData(NodeMetricsModel::Retained, Qt::Horizontal).toString(),
                     QStringLiteral("Retained"));
        }
        // Sorting is numeric: by dead letters, descending, the two refusing nodes come first.
        QTableView *table = panel.nodeTable();
        table->sortByColumn(NodeMetricsModel::DeadLetters, Qt::DescendingOrder);
        QCOMPARE(cell(table->model(), 0, NodeMetricsModel::DeadLetters), QStringLiteral("6"));
        QCOMPARE(cell(table->model(), 2, NodeMetricsModel::DeadLetters), QStringLiteral("0"));
        table->sortByColumn(NodeMetricsModel::In, Qt::AscendingOrder);
        QCOMPARE(cell(table->model(), 0, NodeMetricsModel::Node), QStringLiteral("orders_db"));
        QCOMPARE(cell(table->model(), 3, NodeMetricsModel::Node), QStringLiteral("orders_csv"));

        // Live chart series (1 s buckets in the 5 min window): every record counted once.
        MetricsCharts *charts = panel.charts();
        auto checkSeries = [](const state::MetricsSeries &s) {
            QCOMPARE(total(s.readPerSecond), 200.0);
            QCOMPARE(total(s.writtenPerSecond), 182.0);
            QCOMPARE(total(s.errors), 12.0);
            QCOMPARE(s.deadLetters.back().value, 12.0);
        };
        checkSeries(charts->series());
        // The same figures read back from the history, and for the past run on its own.
        charts->setWindow(qint64{3600} * 1000);
        QCOMPARE(charts->windowMs(), qint64{3600} * 1000);
        QCOMPARE(total(charts->series().errors), 12.0);
        charts->setWindow(qint64{5} * 60 * 1000);
        checkSeries(charts->series());
        charts->showRun(outcome.runId);
        checkSeries(charts->series());
        // One node: check refuses 6 of 194.
        charts->showLive();
        charts->setNode(QStringLiteral("check"));
        QCOMPARE(total(charts->series().readPerSecond), 194.0);
        QCOMPARE(total(charts->series().writtenPerSecond), 188.0);
        QCOMPARE(charts->series().deadLetters.back().value, 6.0);

        // Run history with completeness: 200 = 182 + 12 + 6 filtered, no gap.
        const RunHistoryModel *history = panel.historyModel();
        QCOMPARE(history->rowCount(), 1);
        const auto &c = history->rows().front().completeness;
        QVERIFY(c.known);
        QCOMPARE(c.read, qint64(200));
        QCOMPARE(c.written, qint64(182));
        QCOMPARE(c.deadLetters, qint64(12));
        QCOMPARE(c.filtered, qint64(6));
        QCOMPARE(c.gap, qint64(0));
        QCOMPARE(cell(history, 0, RunHistoryModel::Gap), QStringLiteral("complete"));
        QCOMPARE(cell(history, 0, RunHistoryModel::Status), QStringLiteral("finished"));

        // The dead-letter tab counts the same 12.
        QCOMPARE(panel.deadLetters()->model()->totalCount(), qint64(12));
    }

    // The orders example runs in well under a second: one snapshot, a single point per line.
    // The totals stand where the charts are until a second run, a second later, adds a point.
    void shortRunShowsTotalsUntilThereIsASeries()
    {
        QTemporaryDir dir;
        for (const char *name : {"orders.weir.json", "orders_sample.csv"})
            QVERIFY(QFile::copy(test::examplePath(QLatin1String(name)),
                                dir.filePath(QLatin1String(name))));
        PipelineDocument doc(model::NodeTypeRegistry::builtin());
        QVERIFY(doc.load(dir.filePath(QStringLiteral("orders.weir.json"))));
        RunController run(&doc, dir.filePath(QStringLiteral("state.db")));
        QVERIFY(run.ensureStore().ok());
        MonitorPanel panel(doc.registry());
        panel.resize(1100, 560);
        panel.setStore(run.stateStore());
        panel.setPipeline(doc.pipeline().name, ordersRoles(QStringLiteral("orders_csv")));
        connectPanel(run, panel);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        MetricsCharts *charts = panel.charts();
        QWidget *totals = charts->totalsPanel();
        QWidget *throughput = charts->findChild<QChartView *>();
        QVERIFY(throughput);
        // No run yet: nothing to total, the empty charts.
        QVERIFY(!totals->isVisible());
        QVERIFY(throughput->isVisible());

        QSignalSpy finished(&run, &RunController::runFinished);
        QVERIFY(run.start(true).ok());
        QVERIFY(finished.wait(30000));
        const auto outcome = finished.at(0).at(0).value<engine::RunOutcome>();
        QCOMPARE(outcome.status, QStringLiteral("finished"));
        QVERIFY2(charts->series().readPerSecond.size() == 1,
                 "the run took more than a second: it published more than its final snapshot");

        const auto record = run.stateStore()->run(outcome.runId);
        QVERIFY(record.ok());
        const qint64 ms = record.value().finishedMs - record.value().startedMs;
        QVERIFY(ms > 0);
        auto checkTotals = [&] {
            QVERIFY(totals->isVisible());
            QVERIFY(!throughput->isVisible());
            QCOMPARE(figure(totals, "totalsTitle"),
                     QStringLiteral("Run %1 · finished").arg(outcome.runId));
            QCOMPARE(figure(totals, "totalsRead"), QStringLiteral("200"));
            QCOMPARE(figure(totals, "totalsWritten"), QStringLiteral("182"));
            QCOMPARE(figure(totals, "totalsDeadLetters"), QStringLiteral("12"));
            QCOMPARE(figure(totals, "totalsDuration"),
                     ms < 1000 ? QLocale().toString(ms) + QStringLiteral(" ms")
                               : QLocale().toString(static_cast<double>(ms) / 1000.0, 'f', 1) +
                                     QStringLiteral(" s"));
            QCOMPARE(figure(totals, "totalsRate"),
                     QLocale().toString(200.0 * 1000.0 / static_cast<double>(ms), 'f', 0));
        };
        checkTotals();
        QVERIFY(panel.grab().save(screenshotPath("monitor_short_run_totals.png")));
        // The same for the run opened from the history, and back live.
        charts->showRun(outcome.runId);
        checkTotals();
        charts->showLive();
        checkTotals();

        // A second run (it reads nothing new) in a later second: two points, a series.
        const qint64 firstSecond = charts->series().readPerSecond.front().timeMs / 1000;
        QTRY_VERIFY_WITH_TIMEOUT(common::nowMillis() / 1000 > firstSecond, 3000);
        QVERIFY(run.start(true).ok());
        QVERIFY(finished.wait(30000));
        QCOMPARE(finished.at(1).at(0).value<engine::RunOutcome>().totals.recordsIn, qint64(0));
        QVERIFY(charts->series().readPerSecond.size() >= 2);
        QCOMPARE(total(charts->series().readPerSecond), 200.0);
        QVERIFY(!totals->isVisible());
        QVERIFY(throughput->isVisible());
        QVERIFY(panel.grab().save(screenshotPath("monitor_short_run_charts.png")));
    }

    // A watched folder keeps the run going: a file with bad rows arrives, the monitor shows
    // errors and dead letters while the run is still on, an error-rate alert fires, and the
    // next run of the history shows a complete run once it is stopped.
    void midRunWithErrorsAndAlert()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("inbox")));
        QJsonObject root = test::readJsonFile(test::examplePath());
        QJsonArray nodes = root.value(QStringLiteral("nodes")).toArray();
        QJsonObject source = nodes[0].toObject();
        QCOMPARE(source.value(QStringLiteral("id")).toString(), QStringLiteral("orders_csv"));
        source.insert(QStringLiteral("id"), QStringLiteral("inbox"));
        source.insert(QStringLiteral("type"), QStringLiteral("folder.source"));
        source.insert(QStringLiteral("label"), QStringLiteral("Orders inbox"));
        source.insert(QStringLiteral("config"),
                      QJsonObject{{QStringLiteral("folder"), QStringLiteral("inbox")},
                                  {QStringLiteral("format"), QStringLiteral("csv")},
                                  {QStringLiteral("settle_ms"), 100},
                                  {QStringLiteral("poll_ms"), 100}});
        nodes[0] = source;
        root.insert(QStringLiteral("nodes"), nodes);
        QJsonArray edges = root.value(QStringLiteral("edges")).toArray();
        QJsonObject first = edges[0].toObject();
        first.insert(QStringLiteral("from"), QStringLiteral("inbox.out"));
        edges[0] = first;
        root.insert(QStringLiteral("edges"), edges);
        root.insert(QStringLiteral("name"), QStringLiteral("orders_live"));
        root.insert(QStringLiteral("settings"),
                    QJsonObject{{QStringLiteral("alerts"),
                                 QJsonObject{{QStringLiteral("error_rate_percent"), 1},
                                             {QStringLiteral("error_rate_for_seconds"), 0}}}});
        const QString file = dir.filePath(QStringLiteral("live.weir.json"));
        test::writeFile(file, QJsonDocument(root).toJson());

        PipelineDocument doc(model::NodeTypeRegistry::builtin());
        QVERIFY(doc.load(file));
        RunController run(&doc, dir.filePath(QStringLiteral("state.db")));
        QVERIFY(run.ensureStore().ok());
        MonitorPanel panel(doc.registry());
        panel.resize(1100, 560);
        panel.setStore(run.stateStore());
        panel.setPipeline(doc.pipeline().name, ordersRoles(QStringLiteral("inbox")));
        connectPanel(run, panel);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy alerts(&run, &RunController::alertChanged);
        QSignalSpy finished(&run, &RunController::runFinished);
        QVERIFY(run.start(false).ok());

        QVERIFY(QFile::copy(test::examplePath(QStringLiteral("orders_sample.csv")),
                            dir.filePath(QStringLiteral("inbox/orders_sample.csv"))));
        const LiveNodeStats &stats = panel.liveStats();
        QTRY_VERIFY_WITH_TIMEOUT(stats.node(QStringLiteral("orders_db")) &&
                                     stats.node(QStringLiteral("orders_db"))->sample.recordsOut ==
                                         182,
                                 30000);
        QTRY_VERIFY_WITH_TIMEOUT(alerts.count() >= 1, 10000);
        const auto alert = alerts.at(0).at(0).value<engine::AlertEvent>();
        QVERIFY(alert.active);
        QCOMPARE(alert.kind, QStringLiteral("error_rate"));
        // 12 errors among 200 read in the interval that took the file (or fewer records if the
        // file spanned two intervals: still far over 1 %).
        QVERIFY2(alert.value > 1.0, qPrintable(alert.message));
        QVERIFY(panel.eventLog()->count() >= 1);
        QVERIFY(panel.eventLog()->item(0)->text().contains(QStringLiteral("error rate is")));
        QCOMPARE(stats.node(QStringLiteral("inbox"))->sample.deadLetters, qint64(6));
        QCOMPARE(stats.node(QStringLiteral("check"))->sample.deadLetters, qint64(6));
        // The dead-letter tab reads the store when it is shown, then follows new arrivals.
        panel.setCurrentIndex(2);
        QTRY_COMPARE_WITH_TIMEOUT(panel.deadLetters()->model()->totalCount(), qint64(12), 5000);
        // Mid-run pictures: charts, the node table, dead letters.
        // A couple more snapshots on the charts (one a second, a bucket each).
        const std::size_t points = panel.charts()->series().readPerSecond.size();
        QTRY_VERIFY_WITH_TIMEOUT(panel.charts()->series().readPerSecond.size() >= points + 2,
                                 10000);
        QVERIFY(run.isRunning());
        panel.setCurrentIndex(0);
        // A run seconds old fills the charts: their time axis starts at its first points (half
        // a minute back), not five minutes back.
        const auto *chart = panel.charts()->findChild<QChartView *>()->chart();
        const auto *time = qobject_cast<QDateTimeAxis *>(chart->axes(Qt::Horizontal).constFirst());
        QVERIFY(time);
        QCOMPARE(time->min().msecsTo(time->max()), qint64(30000));
        QVERIFY(panel.grab().save(screenshotPath("monitor_charts_midrun.png")));
        panel.setCurrentIndex(1);
        QVERIFY(panel.grab().save(screenshotPath("monitor_nodes_midrun.png")));
        panel.setCurrentIndex(2);
        QVERIFY(panel.grab().save(screenshotPath("monitor_dead_letters_midrun.png")));

        // Good rows only: the error rate falls to 0 and the alert clears.
        QByteArray good("order_id,customer_id,amount,status,updated_at\n");
        for (int i = 0; i < 50; ++i)
            good += QByteArray::number(900000 + i) + ",7,10.50,paid,2026-01-01T00:00:00Z\n";
        test::writeFile(dir.filePath(QStringLiteral("inbox/more.tmp")), good);
        QVERIFY(QFile::rename(dir.filePath(QStringLiteral("inbox/more.tmp")),
                              dir.filePath(QStringLiteral("inbox/more.csv"))));
        QTRY_VERIFY_WITH_TIMEOUT(alerts.count() >= 2, 15000);
        QVERIFY(!alerts.at(1).at(0).value<engine::AlertEvent>().active);
        QTRY_COMPARE_WITH_TIMEOUT(stats.node(QStringLiteral("orders_db"))->sample.recordsOut,
                                  qint64(232), 10000);

        run.stop();
        QVERIFY(finished.wait(30000));
        panel.setCurrentIndex(3);
        const RunHistoryModel *history = panel.historyModel();
        QCOMPARE(history->rowCount(), 1);
        const auto &c = history->rows().front().completeness;
        QCOMPARE(c.read, qint64(250));
        QCOMPARE(c.written, qint64(232));
        QCOMPARE(c.deadLetters, qint64(12));
        QCOMPARE(c.filtered, qint64(6));
        QCOMPARE(c.gap, qint64(0));
        QCOMPARE(cell(history, 0, RunHistoryModel::Status), QStringLiteral("interrupted"));
        QVERIFY(panel.grab().save(screenshotPath("monitor_runs.png")));
    }
};

QTEST_MAIN(TestMonitor)
#include "tst_monitor.moc"
