#pragma once

// MetricsCharts: the monitor's four live charts — throughput (records/s read and written),
// ingestion lag (event-time seconds, and megabytes behind the source head), error rate and dead
// letters — for the whole pipeline or one node, over a 5 min, 1 h or 24 h window. A window is
// loaded from the StateStore history once; after that each engine snapshot is added to the
// same MetricsSeriesBuilder, so a live chart never re-reads the store. Charts the user has
// zoomed keep their zoom while they update. A past run can be opened to see its charts.
// Until the charts have a series of two points to draw, the run's totals take their place.

#include "engine/metrics_snapshot.h"
#include "state/metrics_series.h"

#include <QWidget>
#include <memory>

class QChart;
class QChartView;
class QComboBox;
class QLabel;
class QLineSeries;
class QStackedWidget;
class QDateTimeAxis;
class QValueAxis;

namespace weir::ui {

class RunTotalsPanel;

class MetricsCharts final : public QWidget
{
    Q_OBJECT

public:
    explicit MetricsCharts(QWidget *parent = nullptr);
    ~MetricsCharts() override;

    void setStore(const state::StateStore *store) { m_store = store; }
    // The pipeline whose runs are charted, and which of its nodes read and write.
    void setPipeline(const QString &name, std::map<QString, state::NodeRole> roles);
    // Empty: the whole pipeline.
    void setNode(const QString &node);
    void setWindow(qint64 windowMs);
    qint64 windowMs() const { return m_windowMs; }
    QString node() const { return m_node; }

    // Follows the present: the window ends now and grows with each snapshot.
    void showLive();
    // A past run from start to end; live snapshots are ignored until showLive().
    void showRun(qint64 runId);

    void addSnapshot(const engine::MetricsSnapshot &snapshot);
    // A live run began or ended: the totals follow it (read from the store).
    void runStarted(qint64 runId);
    void runFinished(qint64 runId);

    // What the charts draw (for tests and the benchmark).
    const state::MetricsSeries &series() const { return m_series; }
    // Shown in place of the charts while they have fewer than two points.
    RunTotalsPanel *totalsPanel() const { return m_totals; }

private:
    struct Chart;
    Chart *makeChart(const QString &title, const QStringList &lines, const QString &unit,
                     const QString &rightUnit = {});
    void reload();
    void redraw();
    void updateTitle();
    void readRun(qint64 runId);
    void showChartsOrTotals();

    const state::StateStore *m_store = nullptr;
    QString m_pipeline;
    std::map<QString, state::NodeRole> m_roles;
    QString m_node;
    qint64 m_windowMs = qint64{5} * 60 * 1000;
    qint64 m_runId = 0; // 0: live
    qint64 m_rangeStartMs = 0;
    qint64 m_rangeEndMs = 0;
    std::unique_ptr<state::MetricsSeriesBuilder> m_builder;
    state::MetricsSeries m_series;
    // The run the totals show: the one opened, else the live one, else the pipeline's latest
    // (id 0: none).
    state::RunRecord m_run;
    qint64 m_liveRunId = 0; // between runStarted and runFinished

    QComboBox *m_windowBox = nullptr;
    QComboBox *m_scopeBox = nullptr;
    QLabel *m_title = nullptr;
    QStackedWidget *m_stack = nullptr;
    QWidget *m_chartsPage = nullptr;
    RunTotalsPanel *m_totals = nullptr;
    std::vector<std::unique_ptr<Chart>> m_charts;
};

} // namespace weir::ui
