#include "monitor/monitor_panel.h"

#include "monitor/dead_letter_browser.h"
#include "monitor/metrics_charts.h"
#include "monitor/node_metrics_model.h"
#include "monitor/run_history_model.h"

#include <QDateTime>
#include <QHeaderView>
#include <QListWidget>
#include <QSortFilterProxyModel>
#include <QTableView>

namespace weir::ui {
namespace {

QTableView *makeTable(QAbstractItemModel *model, QWidget *parent)
{
    auto *t = new QTableView(parent);
    t->setModel(model);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    t->setAlternatingRowColors(true);
    t->verticalHeader()->hide();
    t->horizontalHeader()->setStretchLastSection(true);
    t->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    t->setEditTriggers(QAbstractItemView::NoEditTriggers);
    return t;
}

QString eventLine(const state::EventEntry &e)
{
    const QString time =
        QDateTime::fromMSecsSinceEpoch(e.timeMs).toString(QStringLiteral("HH:mm:ss"));
    return e.node.isEmpty()
               ? QStringLiteral("%1  %2  %3").arg(time, e.level, e.message)
               : QStringLiteral("%1  %2  [%3] %4").arg(time, e.level, e.node, e.message);
}

} // namespace

MonitorPanel::MonitorPanel(const model::NodeTypeRegistry &registry, QWidget *parent)
    : QTabWidget(parent)
{
    setDocumentMode(true);
    m_charts = new MetricsCharts(this);
    addTab(m_charts, tr("Charts"));

    m_nodeModel = new NodeMetricsModel(this);
    m_nodeProxy = new QSortFilterProxyModel(this);
    m_nodeProxy->setSourceModel(m_nodeModel);
    m_nodeProxy->setSortRole(NodeMetricsModel::SortRole);
    m_nodeTable = makeTable(m_nodeProxy, this);
    m_nodeTable->setSortingEnabled(true);
    m_nodeTable->sortByColumn(-1, Qt::AscendingOrder); // pipeline order until the user sorts
    m_nodeTable->setToolTip(tr("Click a header to sort; double-click a node to select it"));
    addTab(m_nodeTable, tr("Nodes"));
    connect(m_nodeTable, &QTableView::activated, this, [this](const QModelIndex &index) {
        emit nodeActivated(index.siblingAtColumn(NodeMetricsModel::Node).data().toString());
    });

    m_deadLetters = new DeadLetterBrowser(registry, this);
    addTab(m_deadLetters, tr("Dead letters"));

    m_history = new RunHistoryModel(this);
    m_historyTable = makeTable(m_history, this);
    m_historyTable->setToolTip(tr("Double-click a run to see its charts"));
    addTab(m_historyTable, tr("Runs"));
    connect(m_historyTable, &QTableView::activated, this, [this](const QModelIndex &index) {
        if (const qint64 id = m_history->runIdAt(index.row())) {
            m_charts->showRun(id);
            setCurrentWidget(m_charts);
        }
    });

    connect(this, &QTabWidget::currentChanged, this, [this] {
        if (currentWidget() == m_deadLetters)
            m_deadLetters->refresh();
    });

    m_events = new QListWidget(this);
    m_events->setAlternatingRowColors(true);
    addTab(m_events, tr("Events"));
}

void MonitorPanel::setPipeline(const QString &name, std::map<QString, state::NodeRole> roles)
{
    m_pipeline = name;
    QStringList nodeIds;
    for (const auto &[node, role] : roles)
        nodeIds << node;
    m_deadLetters->setPipeline(name, nodeIds);
    m_charts->setPipeline(name, std::move(roles));
    m_history->setSource(m_store, name);
}

void MonitorPanel::setStore(state::StateStore *store)
{
    m_store = store;
    m_charts->setStore(store);
    m_deadLetters->setStore(store);
    m_history->setSource(store, m_pipeline);
    reloadEvents();
}

void MonitorPanel::runStarted(qint64 runId, std::size_t queueCapacity)
{
    m_runId = runId;
    m_stats.reset(queueCapacity);
    m_deadLettersSeen = 0;
    m_nodeModel->clear();
    m_charts->runStarted(runId);
    m_charts->showLive();
    m_history->reload();
    reloadEvents();
}

void MonitorPanel::addSnapshot(const engine::MetricsSnapshot &snapshot)
{
    m_stats.update(snapshot);
    m_nodeModel->setNodes(m_stats.nodes());
    m_charts->addSnapshot(snapshot);
    // The browser reads the store (under its lock, which the engine's writers share): only when
    // new dead letters arrived and someone is looking; switching to the tab catches up.
    if (snapshot.totals.deadLetters != m_deadLettersSeen && currentWidget() == m_deadLetters) {
        m_deadLettersSeen = snapshot.totals.deadLetters;
        m_deadLetters->refresh();
    }
    emit liveStatsChanged();
}

void MonitorPanel::applyAlert(const engine::AlertEvent &event)
{
    m_stats.applyAlert(event);
    m_nodeModel->setNodes(m_stats.nodes());
    state::EventEntry e{0,          event.timeMs,
                        m_runId,    event.active ? QStringLiteral("alert") : QStringLiteral("info"),
                        event.node, event.message};
    m_events->insertItem(0, eventLine(e));
    emit liveStatsChanged();
}

void MonitorPanel::runFinished(const engine::RunOutcome &outcome)
{
    if (!outcome.failedNode.isEmpty()) {
        m_stats.markFailed(outcome.failedNode);
        m_nodeModel->setNodes(m_stats.nodes());
    }
    m_charts->runFinished(outcome.runId);
    m_history->reload();
    m_deadLetters->refresh();
    reloadEvents();
    emit liveStatsChanged();
}

void MonitorPanel::selectNode(const QString &node)
{
    m_charts->setNode(node);
}

void MonitorPanel::reloadEvents()
{
    m_events->clear();
    if (!m_store || !m_runId)
        return;
    if (auto events = m_store->events(m_runId, 500))
        for (const state::EventEntry &e : events.value())
            m_events->addItem(eventLine(e));
}

} // namespace weir::ui
