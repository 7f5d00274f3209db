#include "main_window.h"

#include "canvas/overview_widget.h"
#include "canvas/pipeline_scene.h"
#include "canvas/pipeline_view.h"
#include "document/document_autosave.h"
#include "document/pipeline_document.h"
#include "inspector/inspector_widget.h"
#include "monitor/alert_banner.h"
#include "monitor/monitor_panel.h"
#include "panels/palette_widget.h"
#include "panels/preview_panel.h"
#include "panels/validation_panel.h"
#include "run/run_controller.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>
#include <algorithm>

namespace weir::gui {

namespace {

constexpr int kMaxRecentFiles = 8;
const QString kPipelineFilter = QStringLiteral("Weir pipelines (*.weir.json);;JSON (*.json)");
const QString kMimeType = QStringLiteral("application/x-weir-pipeline");

QIcon themed(const char *name, QStyle::StandardPixmap fallback)
{
    return QIcon::fromTheme(QString::fromLatin1(name),
                            QApplication::style()->standardIcon(fallback));
}

QString settingsKey(const char *key)
{
    return QString::fromLatin1(key);
}

} // namespace

MainWindow::MainWindow(const model::NodeTypeRegistry &registry, MainWindowOptions options,
                       QWidget *parent)
    : QMainWindow(parent), m_registry(registry), m_options(std::move(options))
{
    m_document = new ui::PipelineDocument(registry, this);
    m_scene = new ui::PipelineScene(m_document, this);
    m_view = new ui::PipelineView(m_scene, this);
    m_view->setObjectName(QStringLiteral("canvas"));
    m_alertBanner = new ui::AlertBanner(this);
    auto *centre = new QWidget(this);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    centreLayout->setSpacing(0);
    centreLayout->addWidget(m_alertBanner);
    centreLayout->addWidget(m_view, 1);
    setCentralWidget(centre);
    m_run = new ui::RunController(m_document, m_options.statePath, this);
    m_autosave = new ui::DocumentAutosave(m_document, m_options.autosaveDir, 30000, this);

    createDocks();
    createActions();
    createMenus();
    createToolBar();
    connectDocument();

    m_runStatus = new QLabel(tr("Ready"), this);
    m_zoomStatus = new QLabel(this);
    statusBar()->addWidget(m_runStatus, 1);
    statusBar()->addPermanentWidget(m_zoomStatus);
    connect(m_view, &ui::PipelineView::zoomChanged, this,
            [this](qreal zoom) { m_zoomStatus->setText(tr("%1%").arg(qRound(zoom * 100))); });
    m_zoomStatus->setText(tr("%1%").arg(qRound(m_view->zoom() * 100)));

    restoreSettings();
    updateTitle();
    updateActions();
}

MainWindow::~MainWindow()
{
    // The dead-letter browser may wait for a retry using the run controller's state store:
    // it goes first.
    delete m_monitor;
}

void MainWindow::createDocks()
{
    m_palette = new ui::PaletteWidget(m_registry, this);
    m_inspector = new ui::InspectorWidget(m_document, this);
    m_problems = new ui::ValidationPanel(m_document, this);
    m_preview = new ui::PreviewPanel(m_document, this);

    const auto dock = [this](QWidget *widget, const QString &title, const char *name,
                             Qt::DockWidgetArea area) {
        auto *d = new QDockWidget(title, this);
        d->setObjectName(QString::fromLatin1(name));
        d->setWidget(widget);
        addDockWidget(area, d);
        return d;
    };
    dock(m_palette, tr("Node types"), "paletteDock", Qt::LeftDockWidgetArea);
    dock(new ui::OverviewWidget(m_view, this), tr("Overview"), "overviewDock",
         Qt::LeftDockWidgetArea);
    dock(m_inspector, tr("Inspector"), "inspectorDock", Qt::RightDockWidgetArea);
    QDockWidget *problemsDock =
        dock(m_problems, tr("Problems"), "problemsDock", Qt::BottomDockWidgetArea);
    QDockWidget *preview =
        dock(m_preview, tr("Data preview"), "previewDock", Qt::BottomDockWidgetArea);
    tabifyDockWidget(problemsDock, preview);
    m_monitor = new ui::MonitorPanel(m_registry, this);
    QDockWidget *monitorDock =
        dock(m_monitor, tr("Monitor"), "monitorDock", Qt::BottomDockWidgetArea);
    tabifyDockWidget(preview, monitorDock);
    problemsDock->raise();
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);

    connect(m_palette, &ui::PaletteWidget::nodeTypeActivated, m_view,
            &ui::PipelineView::addNodeFromPalette);
    connect(m_problems, &ui::ValidationPanel::problemsChanged, this,
            [this](const std::vector<model::Problem> &problems) {
                m_scene->setProblems(problems);
                m_inspector->setProblems(problems);
            });
    connect(m_problems, &ui::ValidationPanel::problemActivated, this, [this](const QString &id) {
        if (id.isEmpty())
            return;
        m_scene->selectOnly({id});
        m_view->centreOnNode(id);
    });
    connect(m_scene, &QGraphicsScene::selectionChanged, this, &MainWindow::onSelectionChanged);
    connect(m_scene, &ui::PipelineScene::connectionRefused, this,
            [this](const QString &reason) { statusBar()->showMessage(reason, 5000); });
}

void MainWindow::createActions()
{
    QUndoStack *undo = m_document->undoStack();
    const auto make = [this](const QString &text, const QKeySequence &shortcut, auto slot) {
        auto *a = new QAction(text, this);
        a->setShortcut(shortcut);
        connect(a, &QAction::triggered, this, slot);
        return a;
    };
    m_newAction = make(tr("&New"), QKeySequence::New, [this] { newPipeline(); });
    m_newAction->setIcon(themed("document-new", QStyle::SP_FileIcon));
    m_openAction = make(tr("&Open…"), QKeySequence::Open, [this] { open(); });
    m_openAction->setIcon(themed("document-open", QStyle::SP_DialogOpenButton));
    m_saveAction = make(tr("&Save"), QKeySequence::Save, [this] { save(); });
    m_saveAction->setIcon(themed("document-save", QStyle::SP_DialogSaveButton));
    m_saveAsAction = make(tr("Save &As…"), QKeySequence::SaveAs, [this] { saveAs(); });
    m_quitAction = make(tr("&Quit"), QKeySequence::Quit, [this] { close(); });

    m_undoAction = undo->createUndoAction(this, tr("&Undo"));
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_undoAction->setIcon(themed("edit-undo", QStyle::SP_ArrowBack));
    m_redoAction = undo->createRedoAction(this, tr("&Redo"));
    m_redoAction->setShortcut(QKeySequence::Redo);
    m_redoAction->setIcon(themed("edit-redo", QStyle::SP_ArrowForward));
    m_copyAction = make(tr("&Copy"), QKeySequence::Copy, [this] {
        const QByteArray copied = m_scene->copySelectionData();
        auto *mime = new QMimeData;
        mime->setData(kMimeType, copied);
        mime->setText(QString::fromUtf8(copied));
        QApplication::clipboard()->setMimeData(mime);
    });
    m_cutAction = make(tr("Cu&t"), QKeySequence::Cut, [this] {
        m_copyAction->trigger();
        m_scene->deleteSelection();
    });
    m_pasteAction = make(tr("&Paste"), QKeySequence::Paste, [this] {
        const QMimeData *mime = QApplication::clipboard()->mimeData();
        if (!mime)
            return;
        const QByteArray bytes =
            mime->hasFormat(kMimeType) ? mime->data(kMimeType) : mime->text().toUtf8();
        m_scene->paste(bytes, m_view->visibleCentre());
    });
    m_duplicateAction = make(tr("D&uplicate"), QKeySequence(Qt::CTRL | Qt::Key_D),
                             [this] { m_scene->duplicateSelection(); });
    m_deleteAction =
        make(tr("&Delete"), QKeySequence::Delete, [this] { m_scene->deleteSelection(); });
    m_selectAllAction = make(tr("Select &All"), QKeySequence::SelectAll, [this] {
        QStringList all;
        for (const model::NodeSpec &n : m_document->pipeline().nodes)
            all << n.id;
        m_scene->selectOnly(all);
    });
    // The canvas handles Delete itself while it has focus; the menu entry serves the rest.
    m_deleteAction->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_view->addAction(m_deleteAction);

    m_runAction = make(tr("&Run"), QKeySequence(Qt::CTRL | Qt::Key_R), [this] { startRun(); });
    m_runAction->setIcon(themed("media-playback-start", QStyle::SP_MediaPlay));
    m_runAction->setToolTip(tr("Run the pipeline on the embedded engine (Ctrl+R)"));
    m_stopAction =
        make(tr("&Stop"), QKeySequence(Qt::CTRL | Qt::Key_Period), [this] { m_run->stop(); });
    m_stopAction->setIcon(themed("media-playback-stop", QStyle::SP_MediaStop));
    m_stopAction->setToolTip(tr("Stop cleanly: checkpoints stay consistent (Ctrl+.)"));

    m_zoomInAction = make(tr("Zoom &In"), QKeySequence::ZoomIn, [this] { m_view->zoomIn(); });
    m_zoomInAction->setIcon(themed("zoom-in", QStyle::SP_ArrowUp));
    m_zoomOutAction = make(tr("Zoom &Out"), QKeySequence::ZoomOut, [this] { m_view->zoomOut(); });
    m_zoomOutAction->setIcon(themed("zoom-out", QStyle::SP_ArrowDown));
    m_zoomResetAction = make(tr("&Actual Size"), QKeySequence(Qt::CTRL | Qt::Key_0),
                             [this] { m_view->resetZoom(); });
    m_fitAction = make(tr("&Fit to Window"), QKeySequence(Qt::CTRL | Qt::Key_9),
                       [this] { m_view->fitToView(); });
    m_fitAction->setIcon(themed("zoom-fit-best", QStyle::SP_TitleBarMaxButton));
    m_layoutAction = make(tr("Arrange &Layers"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L),
                          [this] { m_scene->autoLayout(); });
    m_layoutAction->setToolTip(tr("Arrange nodes left to right by their place in the flow"));

    const std::pair<QString, Qt::Alignment> aligns[] = {
        {tr("Align &Left"), Qt::AlignLeft},
        {tr("Align &Right"), Qt::AlignRight},
        {tr("Align &Top"), Qt::AlignTop},
        {tr("Align &Bottom"), Qt::AlignBottom},
        {tr("Centre &Horizontally"), Qt::AlignHCenter},
        {tr("Centre &Vertically"), Qt::AlignVCenter}};
    for (const auto &[text, alignment] : aligns) {
        const Qt::Alignment a = alignment;
        m_alignActions.push_back(
            make(text, QKeySequence(), [this, a] { m_scene->alignSelection(a); }));
    }
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_newAction);
    file->addAction(m_openAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    file->addSeparator();
    file->addAction(m_saveAction);
    file->addAction(m_saveAsAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_undoAction);
    edit->addAction(m_redoAction);
    edit->addSeparator();
    edit->addAction(m_cutAction);
    edit->addAction(m_copyAction);
    edit->addAction(m_pasteAction);
    edit->addAction(m_duplicateAction);
    edit->addAction(m_deleteAction);
    edit->addSeparator();
    edit->addAction(m_selectAllAction);
    QMenu *align = edit->addMenu(tr("Ali&gn"));
    for (QAction *a : m_alignActions)
        align->addAction(a);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    m_viewMenu->addAction(m_zoomInAction);
    m_viewMenu->addAction(m_zoomOutAction);
    m_viewMenu->addAction(m_zoomResetAction);
    m_viewMenu->addAction(m_fitAction);
    m_viewMenu->addSeparator();
    m_viewMenu->addAction(m_layoutAction);
    m_viewMenu->addSeparator();
    for (QDockWidget *d : findChildren<QDockWidget *>())
        m_viewMenu->addAction(d->toggleViewAction());

    QMenu *run = menuBar()->addMenu(tr("&Run"));
    run->addAction(m_runAction);
    run->addAction(m_stopAction);
    run->addSeparator();
    run->addAction(tr("&Alert Thresholds…"), this, &MainWindow::editAlertRules);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Weir"), this, [this] {
        QMessageBox::about(this, tr("About Weir"),
                           tr("<b>Weir %1</b><p>Design, run and watch data ingestion "
                              "pipelines.</p><p>The same pipeline file runs headless with "
                              "<code>weir-run</code>.</p>")
                               .arg(QApplication::applicationVersion()));
    });
}

void MainWindow::createToolBar()
{
    QToolBar *bar = addToolBar(tr("Main"));
    bar->setObjectName(QStringLiteral("mainToolBar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_newAction);
    bar->addAction(m_openAction);
    bar->addAction(m_saveAction);
    bar->addSeparator();
    bar->addAction(m_undoAction);
    bar->addAction(m_redoAction);
    bar->addSeparator();
    bar->addAction(m_runAction);
    bar->addAction(m_stopAction);
    bar->addSeparator();
    bar->addAction(m_fitAction);
    bar->addAction(m_layoutAction);
}

void MainWindow::connectDocument()
{
    connect(m_document, &ui::PipelineDocument::modifiedChanged, this, &MainWindow::updateTitle);
    connect(m_document, &ui::PipelineDocument::filePathChanged, this, &MainWindow::updateTitle);
    connect(m_run, &ui::RunController::runningChanged, this, &MainWindow::updateActions);
    connectRun();
}

void MainWindow::restoreSettings()
{
    QSettings settings;
    if (!restoreGeometry(settings.value(settingsKey("window/geometry")).toByteArray()))
        resize(1400, 860);
    if (!restoreState(settings.value(settingsKey("window/state")).toByteArray())) {
        // First start: most of the room for the canvas.
        const auto byName = [this](const char *name) {
            return findChild<QDockWidget *>(QLatin1String(name));
        };
        QDockWidget *palette = byName("paletteDock");
        const int paletteWidth = std::max(250, palette->widget()->sizeHint().width());
        resizeDocks({palette, byName("inspectorDock")}, {paletteWidth, 360}, Qt::Horizontal);
        resizeDocks({byName("paletteDock"), byName("overviewDock")}, {560, 150}, Qt::Vertical);
        resizeDocks({byName("problemsDock")}, {210}, Qt::Vertical);
    }
    updateRecentMenu();
}

bool MainWindow::openFile(const QString &path)
{
    if (Status s = m_document->load(path); !s) {
        showError(tr("Cannot open pipeline"), s.error().message);
        return false;
    }
    addRecentFile(m_document->filePath());
    m_scene->clearRunStates();
    m_inspector->showNode({});
    m_problems->revalidateNow();
    m_view->fitToView();
    updateMonitorPipeline();
    return true;
}

void MainWindow::offerRecovery()
{
    for (const ui::DocumentAutosave::Recovery &r :
         ui::DocumentAutosave::recoverable(m_options.autosaveDir)) {
        const QString what = r.originalPath.isEmpty() ? tr("an untitled pipeline")
                                                      : QFileInfo(r.originalPath).fileName();
        const auto answer = QMessageBox::question(
            this, tr("Recover unsaved changes"),
            tr("Weir closed without saving %1 (last autosaved %2). Recover those changes?")
                .arg(what, QLocale().toString(r.savedAt.toLocalTime(), QLocale::ShortFormat)),
            QMessageBox::Yes | QMessageBox::Discard, QMessageBox::Yes);
        Result<model::Pipeline> recovered = ui::DocumentAutosave::load(r);
        ui::DocumentAutosave::remove(r);
        if (answer != QMessageBox::Yes)
            continue;
        if (!recovered) {
            showError(tr("Cannot recover"), recovered.error().message);
            continue;
        }
        m_document->restore(std::move(recovered.value()), r.originalPath);
        m_problems->revalidateNow();
        m_view->fitToView();
        return; // one document per window
    }
}

void MainWindow::selectNode(const QString &id)
{
    m_scene->selectOnly({id});
}

bool MainWindow::maybeSave()
{
    if (!m_document->isModified())
        return true;
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"),
        tr("%1 has changes that are not saved. Save them?").arg(m_document->displayName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    return answer == QMessageBox::Discard;
}

bool MainWindow::save()
{
    if (m_document->filePath().isEmpty())
        return saveAs();
    if (Status s = m_document->save(); !s) {
        showError(tr("Cannot save"), s.error().message);
        return false;
    }
    statusBar()->showMessage(tr("Saved %1").arg(m_document->filePath()), 3000);
    return true;
}

bool MainWindow::saveAs()
{
    QSettings settings;
    QString path = QFileDialog::getSaveFileName(
        this, tr("Save pipeline"), settings.value(settingsKey("files/lastDir")).toString(),
        kPipelineFilter);
    if (path.isEmpty())
        return false;
    if (!path.endsWith(QLatin1String(".json")))
        path += QStringLiteral(".weir.json");
    if (Status s = m_document->saveAs(path); !s) {
        showError(tr("Cannot save"), s.error().message);
        return false;
    }
    settings.setValue(settingsKey("files/lastDir"), QFileInfo(path).absolutePath());
    addRecentFile(m_document->filePath());
    return true;
}

void MainWindow::newPipeline()
{
    if (!maybeSave())
        return;
    m_document->newPipeline();
    m_scene->clearRunStates();
    m_inspector->showNode({});
}

void MainWindow::open()
{
    if (!maybeSave())
        return;
    QSettings settings;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open pipeline"), settings.value(settingsKey("files/lastDir")).toString(),
        kPipelineFilter);
    if (path.isEmpty())
        return;
    settings.setValue(settingsKey("files/lastDir"), QFileInfo(path).absolutePath());
    openFile(path);
}

void MainWindow::addRecentFile(const QString &path)
{
    QSettings settings;
    QStringList files = settings.value(settingsKey("files/recent")).toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    settings.setValue(settingsKey("files/recent"), files);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList files = QSettings().value(settingsKey("files/recent")).toStringList();
    for (int i = 0; i < files.size(); ++i) {
        const QString &path = files.at(i);
        QAction *a = m_recentMenu->addAction(
            QStringLiteral("&%1 %2").arg(i + 1).arg(QFileInfo(path).fileName()), this,
            [this, path] {
                if (maybeSave())
                    openFile(path);
            });
        a->setToolTip(path);
    }
    m_recentMenu->setEnabled(!files.isEmpty());
}

void MainWindow::updateTitle()
{
    setWindowTitle(tr("%1[*] — Weir").arg(m_document->displayName()));
    setWindowModified(m_document->isModified());
    setWindowFilePath(m_document->filePath());
}

void MainWindow::updateActions()
{
    const bool running = m_run->isRunning();
    m_runAction->setEnabled(!running);
    m_stopAction->setEnabled(running);
}

void MainWindow::onSelectionChanged()
{
    const QStringList ids = m_scene->selectedNodeIds();
    m_inspector->showNode(ids.size() == 1 ? ids.first() : QString());
    // An edge previews what flows along it: the output of the node it leaves.
    const auto edges = m_scene->selectedEdges();
    m_monitor->selectNode(ids.size() == 1 ? ids.first() : QString());
    if (ids.size() == 1)
        m_preview->showNode(ids.first());
    else if (ids.isEmpty() && edges.size() == 1)
        m_preview->showNode(edges.front().from.node);
    else
        m_preview->showNode({});
}

void MainWindow::showError(const QString &title, const QString &message)
{
    QMessageBox box(QMessageBox::Warning, title, message.section(QLatin1Char('\n'), 0, 0),
                    QMessageBox::Ok, this);
    if (message.contains(QLatin1Char('\n')))
        box.setDetailedText(message);
    box.exec();
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_run->isRunning()) {
        const auto answer = QMessageBox::question(
            this, tr("A run is going on"),
            tr("Stop the run and close? It stops cleanly; the next run resumes from the last "
               "checkpoint."),
            QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_closeAfterRun = true;
        m_run->stop();
        event->ignore();
        return;
    }
    if (!maybeSave()) {
        event->ignore();
        return;
    }
    QSettings settings;
    settings.setValue(settingsKey("window/geometry"), saveGeometry());
    settings.setValue(settingsKey("window/state"), saveState());
    event->accept();
}

} // namespace weir::gui
