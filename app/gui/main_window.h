#pragma once

// MainWindow: the designer — canvas in the middle, palette, inspector and problems around it,
// file handling, undo/redo, run/stop. Owns the open document and the run controller.
// GUI thread.

#include "engine/engine.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <map>
#include <memory>
#include <utility>
#include <vector>

class QAction;
class QLabel;
class QMenu;
class QSystemTrayIcon;

namespace weir::model {
class NodeTypeRegistry;
}

namespace weir::ui {
class DocumentAutosave;
class AlertBanner;
class InspectorWidget;
class MonitorPanel;
class PaletteWidget;
class PipelineDocument;
class PipelineScene;
class PipelineView;
class PreviewPanel;
class RunController;
class ValidationPanel;
} // namespace weir::ui

namespace weir::gui {

struct MainWindowOptions
{
    QString statePath;   // state database for runs, metrics and dead letters
    QString autosaveDir; // where recovery copies of unsaved edits are kept
};

class MainWindow final : public QMainWindow
{
    Q_OBJECT

public:
    MainWindow(const model::NodeTypeRegistry &registry, MainWindowOptions options,
               QWidget *parent = nullptr);
    ~MainWindow() override;

    bool openFile(const QString &path);
    // Runs the pipeline; problems and refusals are shown to the user.
    void startRun();
    // Offers back edits a crashed session left unsaved.
    void offerRecovery();
    void selectNode(const QString &id);

    ui::PipelineDocument *document() const { return m_document; }
    ui::RunController *runController() const { return m_run; }
    ui::MonitorPanel *monitor() const { return m_monitor; }
    ui::AlertBanner *alertBanner() const { return m_alertBanner; }

signals:
    void runFinished(const weir::engine::RunOutcome &outcome);

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void createDocks();
    void createActions();
    void createMenus();
    void createToolBar();
    void connectDocument();
    void restoreSettings();

    bool maybeSave();
    bool save();
    bool saveAs();
    void newPipeline();
    void open();
    void addRecentFile(const QString &path);
    void updateRecentMenu();
    void updateTitle();
    void updateActions();
    void onSelectionChanged();
    // main_window_run.cpp: running and monitoring.
    void connectRun();
    void updateMonitorPipeline();
    void onRunStarted(qint64 runId);
    void onMetrics(const engine::MetricsSnapshot &snapshot);
    void onAlert(const engine::AlertEvent &event);
    void onRunFinished(const engine::RunOutcome &outcome);
    void showLiveStates();
    void editAlertRules();
    void showError(const QString &title, const QString &message);

    const model::NodeTypeRegistry &m_registry;
    MainWindowOptions m_options;
    ui::PipelineDocument *m_document = nullptr;
    ui::PipelineScene *m_scene = nullptr;
    ui::PipelineView *m_view = nullptr;
    ui::PaletteWidget *m_palette = nullptr;
    ui::InspectorWidget *m_inspector = nullptr;
    ui::ValidationPanel *m_problems = nullptr;
    ui::PreviewPanel *m_preview = nullptr;
    ui::RunController *m_run = nullptr;
    ui::MonitorPanel *m_monitor = nullptr;
    ui::AlertBanner *m_alertBanner = nullptr;
    QSystemTrayIcon *m_tray = nullptr; // desktop notifications, when the desktop has a tray
    ui::DocumentAutosave *m_autosave = nullptr;
    QLabel *m_runStatus = nullptr;
    QLabel *m_zoomStatus = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;

    QAction *m_newAction = nullptr;
    QAction *m_openAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_saveAsAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_undoAction = nullptr;
    QAction *m_redoAction = nullptr;
    QAction *m_cutAction = nullptr;
    QAction *m_copyAction = nullptr;
    QAction *m_pasteAction = nullptr;
    QAction *m_duplicateAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_selectAllAction = nullptr;
    QAction *m_runAction = nullptr;
    QAction *m_stopAction = nullptr;
    QAction *m_zoomInAction = nullptr;
    QAction *m_zoomOutAction = nullptr;
    QAction *m_zoomResetAction = nullptr;
    QAction *m_fitAction = nullptr;
    QAction *m_layoutAction = nullptr;
    std::vector<QAction *> m_alignActions;
    bool m_running = false;
    bool m_closeAfterRun = false;
};

} // namespace weir::gui
