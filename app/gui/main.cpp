// weir: the designer. Opens a pipeline on the canvas; can run it at once and, for tests and
// documentation, save a screenshot of the window and quit when the run ends.

#include "main_window.h"
#include "model/node_type_registry.h"
#include "run/run_controller.h"
#include "state/state_store.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QScreen>
#include <QStandardPaths>
#include <QTimer>
#include <algorithm>
#include <cstdio>

using weir::gui::MainWindow;

namespace {

// After the window has painted its final state: grab it, then quit if asked to.
void screenshotAndMaybeQuit(QTimer &timer, MainWindow &window, const QString &path, bool quit)
{
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &window, [&window, path, quit] {
        if (!path.isEmpty()) {
            QDir().mkpath(QFileInfo(path).absolutePath());
            if (!window.grab().save(path))
                std::fprintf(stderr, "weir: cannot write screenshot %s\n", qPrintable(path));
        }
        if (quit)
            window.close();
    });
    timer.start(400);
}

// A 5 ms timer on the GUI thread: the longest gap between two of its ticks, less the 5 ms, is
// the longest time the event loop could not run (a stall the user would feel).
class StallWatch final : public QObject
{
public:
    void start()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, &StallWatch::tick);
        m_clock.start();
        m_timer.start(kIntervalMs);
    }
    void print() const
    {
        std::fprintf(stderr, "weir: gui thread: %lld ticks, longest stall %.1f ms\n",
                     static_cast<long long>(m_ticks), static_cast<double>(m_worstNs) / 1e6);
    }

private:
    static constexpr int kIntervalMs = 5;
    void tick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        if (m_ticks++ > 0)
            m_worstNs = std::max(m_worstNs, now - m_lastNs - qint64{kIntervalMs} * 1000000);
        m_lastNs = now;
    }
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    qint64 m_worstNs = 0;
    qint64 m_ticks = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("weir"));
    QApplication::setOrganizationName(QStringLiteral("weir"));
    QApplication::setApplicationDisplayName(QStringLiteral("Weir"));
    QApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QApplication::setDesktopFileName(QStringLiteral("weir"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Weir: design, run and watch data ingestion pipelines."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("Pipeline file to open (*.weir.json)."));
    const QCommandLineOption run(QStringLiteral("run"),
                                 QStringLiteral("Run the pipeline as soon as it is open."));
    const QCommandLineOption state(
        QStringLiteral("state"),
        QStringLiteral("State database (runs, metrics, dead letters). Default: %1")
            .arg(weir::state::StateStore::defaultPath()),
        QStringLiteral("path"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QStringLiteral("Save a PNG of the window once it is shown, or when the run ends."),
        QStringLiteral("png"));
    const QCommandLineOption quitAfter(
        QStringLiteral("quit-after-run"),
        QStringLiteral("Close the window when the run ends; without --run, once the "
                       "screenshot is saved."));
    const QCommandLineOption autosave(
        QStringLiteral("autosave-dir"),
        QStringLiteral("Where recovery copies of unsaved edits are kept."), QStringLiteral("dir"));
    const QCommandLineOption select(QStringLiteral("select"),
                                    QStringLiteral("Select this node once the pipeline is open."),
                                    QStringLiteral("node"));
    const QCommandLineOption shotAfter(
        QStringLiteral("screenshot-after"),
        QStringLiteral("With --run: save the screenshot this many milliseconds into the run "
                       "(the monitor mid-run) instead of at its end; with --quit-after-run the "
                       "run is then stopped cleanly and the window closes."),
        QStringLiteral("ms"));
    const QCommandLineOption stalls(
        QStringLiteral("report-stalls"),
        QStringLiteral("Measure how long the GUI thread is kept from its event loop (a 5 ms "
                       "timer) and print the longest stall on exit (benchmarks)."));
    parser.addOptions({run, state, screenshot, shotAfter, quitAfter, autosave, select, stalls});
    parser.process(app);

    weir::gui::MainWindowOptions options;
    options.statePath =
        parser.isSet(state) ? parser.value(state) : weir::state::StateStore::defaultPath();
    options.autosaveDir = parser.isSet(autosave)
                              ? parser.value(autosave)
                              : QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                                    QStringLiteral("/autosave");

    StallWatch watch;
    if (parser.isSet(stalls))
        watch.start();

    MainWindow window(weir::model::NodeTypeRegistry::builtin(), options);
    window.show();
    if (!parser.positionalArguments().isEmpty()) {
        if (!window.openFile(parser.positionalArguments().constFirst()))
            return 2;
        if (parser.isSet(select))
            window.selectNode(parser.value(select));
    } else {
        window.offerRecovery();
    }

    const QString shot = parser.value(screenshot);
    QTimer shotTimer;
    QTimer midRunTimer;
    if (parser.isSet(run) && parser.isSet(shotAfter)) {
        // Mid-run: grab the monitor while the run goes on, then (if asked) stop and close.
        midRunTimer.setSingleShot(true);
        QObject::connect(&midRunTimer, &QTimer::timeout, &window, [&] {
            if (!shot.isEmpty()) {
                QDir().mkpath(QFileInfo(shot).absolutePath());
                if (!window.grab().save(shot))
                    std::fprintf(stderr, "weir: cannot write screenshot %s\n", qPrintable(shot));
            }
            if (parser.isSet(quitAfter))
                window.runController()->stop();
        });
        midRunTimer.start(parser.value(shotAfter).toInt());
        QObject::connect(&window, &MainWindow::runFinished, &window,
                         [&](const weir::engine::RunOutcome &) {
                             if (parser.isSet(quitAfter))
                                 screenshotAndMaybeQuit(shotTimer, window, {}, true);
                         });
        QMetaObject::invokeMethod(&window, &MainWindow::startRun, Qt::QueuedConnection);
    } else if (parser.isSet(run)) {
        QObject::connect(
            &window, &MainWindow::runFinished, &window, [&](const weir::engine::RunOutcome &) {
                if (!shot.isEmpty() || parser.isSet(quitAfter))
                    screenshotAndMaybeQuit(shotTimer, window, shot, parser.isSet(quitAfter));
            });
        QMetaObject::invokeMethod(&window, &MainWindow::startRun, Qt::QueuedConnection);
    } else if (!shot.isEmpty()) {
        screenshotAndMaybeQuit(shotTimer, window, shot, parser.isSet(quitAfter));
    }
    const int code = QApplication::exec();
    if (parser.isSet(stalls))
        watch.print();
    return code;
}
