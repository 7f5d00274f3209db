// MainWindow, part two: running the pipeline and monitoring it — the run controller's signals
// drive the canvas (node health, edge flow), the monitor panel, the alert banner and desktop
// notifications.

#include "canvas/commands/edit_settings_command.h"
#include "canvas/pipeline_scene.h"
#include "document/pipeline_document.h"
#include "main_window.h"
#include "model/alert_rules.h"
#include "monitor/alert_banner.h"
#include "monitor/alert_rules_dialog.h"
#include "monitor/monitor_panel.h"
#include "panels/validation_panel.h"
#include "run/run_controller.h"

#include <QApplication>
#include <QDockWidget>
#include <QHash>
#include <QLabel>
#include <QStatusBar>
#include <QStyle>
#include <QSystemTrayIcon>
#include <QUndoStack>

namespace weir::gui {
namespace {

ui::NodeRunState stateFor(ui::NodeHealth health)
{
    switch (health) {
    case ui::NodeHealth::Lagging:
        return ui::NodeRunState::Lagging;
    case ui::NodeHealth::Erroring:
        return ui::NodeRunState::Erroring;
    case ui::NodeHealth::Failed:
        return ui::NodeRunState::Failed;
    case ui::NodeHealth::Ok:
        break;
    }
    return ui::NodeRunState::Running;
}

} // namespace

void MainWindow::connectRun()
{
    connect(m_run, &ui::RunController::runStarted, this, &MainWindow::onRunStarted);
    connect(m_run, &ui::RunController::metricsUpdated, this, &MainWindow::onMetrics);
    connect(m_run, &ui::RunController::alertChanged, this, &MainWindow::onAlert);
    connect(m_run, &ui::RunController::runFinished, this, &MainWindow::onRunFinished);
    connect(m_monitor, &ui::MonitorPanel::liveStatsChanged, this, &MainWindow::showLiveStates);
    connect(m_monitor, &ui::MonitorPanel::nodeActivated, this, [this](const QString &id) {
        m_scene->selectOnly({id});
        selectNode(id);
    });
    // The monitor reads history before any run: open the state database now. Failing is not
    // fatal here; starting a run reports it.
    if (m_run->ensureStore())
        m_monitor->setStore(m_run->stateStore());
}

void MainWindow::updateMonitorPipeline()
{
    const model::Pipeline &p = m_document->pipeline();
    std::map<QString, state::NodeRole> roles;
    for (const model::NodeSpec &n : p.nodes) {
        const model::NodeType *type = m_registry.find(n.type);
        const model::NodeCategory c = type ? type->category : model::NodeCategory::Transform;
        roles[n.id] = c == model::NodeCategory::Source ? state::NodeRole::Source
                      : c == model::NodeCategory::Sink ? state::NodeRole::Sink
                                                       : state::NodeRole::Transform;
    }
    m_monitor->setPipeline(p.name, std::move(roles));
    const auto rules = model::AlertRules::fromSettings(p.settings);
    m_monitor->setLagRule(rules && rules.value().lagSeconds > 0);
}

void MainWindow::editAlertRules()
{
    const QJsonObject settings = m_document->pipeline().settings;
    const auto current = model::AlertRules::fromSettings(settings);
    ui::AlertRulesDialog dialog(current ? current.value() : model::AlertRules{}, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QJsonObject changed = model::AlertRules::withRules(settings, dialog.rules());
    if (changed != settings)
        m_document->undoStack()->push(new ui::EditSettingsCommand(m_document->model(), changed));
    updateMonitorPipeline();
}

void MainWindow::startRun()
{
    if (m_run->isRunning())
        return;
    // The engine reads the document as it is now; it is saved first so a run never uses
    // a file that differs from what the canvas shows.
    if (m_document->isModified() || m_document->filePath().isEmpty()) {
        if (!save())
            return;
    }
    m_problems->revalidateNow();
    if (!m_problems->problems().empty()) {
        m_runStatus->setText(tr("Not run: the pipeline has %n problem(s); see Problems.", nullptr,
                                static_cast<int>(m_problems->problems().size())));
        return;
    }
    m_scene->clearRunStates();
    m_alertBanner->clearAll();
    updateMonitorPipeline();
    if (Status s = m_run->start(); !s) {
        showError(tr("Cannot run"), s.error().message);
        return;
    }
    m_monitor->setStore(m_run->stateStore());
    m_running = true;
    // Pressing Run brings the monitor forward (its dock may be tabbed behind another).
    if (auto *dock = findChild<QDockWidget *>(QStringLiteral("monitorDock")))
        dock->raise();
    for (const model::NodeSpec &n : m_document->pipeline().nodes)
        m_scene->setNodeRunState(n.id, ui::NodeRunState::Running, 0, 0);
    m_runStatus->setText(tr("Running…"));
}

void MainWindow::onRunStarted(qint64 runId)
{
    m_monitor->runStarted(runId, m_run->queueCapacity());
    m_runStatus->setText(tr("Run %1 started").arg(runId));
}

void MainWindow::onMetrics(const engine::MetricsSnapshot &snapshot)
{
    m_monitor->addSnapshot(snapshot);
    const state::RunTotals &t = snapshot.totals;
    if (m_running)
        m_runStatus->setText(tr("Running: %L1 read · %L2 written · %L3 errors · %L4 dead letters")
                                 .arg(t.recordsIn)
                                 .arg(t.recordsOut)
                                 .arg(t.errors)
                                 .arg(t.deadLetters));
}

void MainWindow::showLiveStates()
{
    const ui::LiveNodeStats &stats = m_monitor->liveStats();
    for (const ui::NodeLive &n : stats.nodes()) {
        const bool failed = n.health == ui::NodeHealth::Failed;
        m_scene->setNodeRunState(
            n.sample.node, m_running || failed ? stateFor(n.health) : ui::NodeRunState::Finished,
            n.sample.recordsIn, n.sample.recordsOut);
    }
    QHash<QString, const ui::NodeLive *> byId;
    for (const ui::NodeLive &n : stats.nodes())
        byId.insert(n.sample.node, &n);
    m_scene->setEdgeFlows([&](const model::EdgeSpec &e) -> std::pair<double, double> {
        const ui::NodeLive *from = byId.value(e.from.node);
        const ui::NodeLive *to = byId.value(e.to.node);
        if (!m_running || !from || !to)
            return {-1, 0};
        return {from->outPerSecond, to->queueFill};
    });
}

void MainWindow::onAlert(const engine::AlertEvent &event)
{
    m_monitor->applyAlert(event);
    m_alertBanner->apply(event);
    if (!event.active)
        return;
    statusBar()->showMessage(event.message, 10000);
    QApplication::alert(this);
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        if (!m_tray) {
            m_tray = new QSystemTrayIcon(windowIcon().isNull()
                                             ? style()->standardIcon(QStyle::SP_MessageBoxWarning)
                                             : windowIcon(),
                                         this);
            m_tray->show();
        }
        m_tray->showMessage(tr("Weir alert: %1").arg(m_document->pipeline().name), event.message,
                            QSystemTrayIcon::Warning);
    }
}

void MainWindow::onRunFinished(const engine::RunOutcome &outcome)
{
    m_running = false;
    m_monitor->runFinished(outcome);
    showLiveStates();
    // Nodes the run never reported on (it failed while opening them) still get their end state.
    for (const model::NodeSpec &n : m_document->pipeline().nodes) {
        if (m_monitor->liveStats().node(n.id))
            continue;
        m_scene->setNodeRunState(n.id,
                                 n.id == outcome.failedNode ? ui::NodeRunState::Failed
                                                            : ui::NodeRunState::Finished,
                                 0, 0);
    }
    const state::RunTotals &t = outcome.totals;
    QString text = tr("Run %1 %2: %L3 read · %L4 written · %L5 dead letters")
                       .arg(outcome.runId)
                       .arg(outcome.status)
                       .arg(t.recordsIn)
                       .arg(t.recordsOut)
                       .arg(t.deadLetters);
    if (!outcome.message.isEmpty())
        text += QStringLiteral(" — ") + outcome.message;
    m_runStatus->setText(text);
    emit runFinished(outcome);
    if (m_closeAfterRun)
        close();
}

} // namespace weir::gui
