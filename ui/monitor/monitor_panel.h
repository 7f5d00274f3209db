#pragma once

// MonitorPanel: the designer's monitor, one tab each — live charts, the per-node table, dead
// letters, run history (with completeness; double-click a run to chart it) and the event log
// (alerts included). It is fed by the RunController's queued signals and reads history from
// the StateStore; it never touches the engine's threads.

#include "engine/engine.h"
#include "monitor/live_node_stats.h"

#include <QTabWidget>

class QListWidget;
class QSortFilterProxyModel;
class QTableView;

namespace weir::ui {

class DeadLetterBrowser;
class MetricsCharts;
class NodeMetricsModel;
class RunHistoryModel;

class MonitorPanel final : public QTabWidget
{
    Q_OBJECT

public:
    // The registry is for retrying dead letters through their pipeline.
    explicit MonitorPanel(const model::NodeTypeRegistry &registry, QWidget *parent = nullptr);

    // The pipeline being designed: its name (history is per name) and its nodes' roles.
    void setPipeline(const QString &name, std::map<QString, state::NodeRole> roles);
    void setStore(state::StateStore *store);
    void setLagRule(bool on) { m_stats.setLagRuleActive(on); }

    void runStarted(qint64 runId, std::size_t queueCapacity);
    void addSnapshot(const engine::MetricsSnapshot &snapshot);
    void applyAlert(const engine::AlertEvent &event);
    void runFinished(const engine::RunOutcome &outcome);
    void selectNode(const QString &node);

    MetricsCharts *charts() const { return m_charts; }
    NodeMetricsModel *nodeModel() const { return m_nodeModel; }
    RunHistoryModel *historyModel() const { return m_history; }
    DeadLetterBrowser *deadLetters() const { return m_deadLetters; }
    const LiveNodeStats &liveStats() const { return m_stats; }
    QListWidget *eventLog() const { return m_events; }
    QTableView *nodeTable() const { return m_nodeTable; }

signals:
    void nodeActivated(const QString &node);
    // Node health changed; the canvas recolours.
    void liveStatsChanged();

private:
    void reloadEvents();

    state::StateStore *m_store = nullptr;
    QString m_pipeline;
    qint64 m_runId = 0;
    qint64 m_deadLettersSeen = 0; // the run's dead letters when the browser last refreshed
    LiveNodeStats m_stats;
    MetricsCharts *m_charts = nullptr;
    NodeMetricsModel *m_nodeModel = nullptr;
    QSortFilterProxyModel *m_nodeProxy = nullptr;
    QTableView *m_nodeTable = nullptr;
    DeadLetterBrowser *m_deadLetters = nullptr;
    RunHistoryModel *m_history = nullptr;
    QTableView *m_historyTable = nullptr;
    QListWidget *m_events = nullptr;
};

} // namespace weir::ui
