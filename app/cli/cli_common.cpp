#include "cli_common.h"

#include <csignal>
#include <cstdio>

namespace weir::cli {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream &err()
{
    static QTextStream stream(stderr);
    return stream;
}

bool parseCommand(QCommandLineParser &parser, const QStringList &args, const QString &command,
                  const QString &description, int *exitCode)
{
    parser.setApplicationDescription(description);
    const QCommandLineOption help({QStringLiteral("h"), QStringLiteral("help")},
                                  QStringLiteral("Show this help."));
    parser.addOption(help);
    QStringList withProgram = args;
    withProgram.prepend(QStringLiteral("weir-run ") + command);
    if (!parser.parse(withProgram)) {
        err() << "weir-run " << command << ": " << parser.errorText() << "\n"
              << "Try 'weir-run " << command << " --help'.\n";
        err().flush();
        *exitCode = ExitInvalid;
        return false;
    }
    if (parser.isSet(help)) {
        out() << parser.helpText().replace(QStringLiteral("Usage: weir-run ") + command,
                                           QStringLiteral("Usage: weir-run ") + command);
        out().flush();
        *exitCode = ExitOk;
        return false;
    }
    return true;
}

QCommandLineOption stateOption()
{
    return QCommandLineOption(
        QStringLiteral("state"),
        QStringLiteral("State database (runs, metrics, dead letters). Default: %1")
            .arg(state::StateStore::defaultPath()),
        QStringLiteral("path"));
}

std::unique_ptr<state::StateStore> openState(const QCommandLineParser &parser)
{
    const QString path = parser.isSet(QStringLiteral("state"))
                             ? parser.value(QStringLiteral("state"))
                             : state::StateStore::defaultPath();
    auto store = state::StateStore::open(path);
    if (!store) {
        err() << "weir-run: " << store.error().message << "\n";
        err().flush();
        return nullptr;
    }
    return std::move(store.value());
}

namespace {
std::atomic<bool> g_stopRequested{false};

void requestStop(int)
{
    g_stopRequested = true;
}
} // namespace

const std::atomic<bool> &stopOnSignals()
{
    std::signal(SIGINT, requestStop);
    std::signal(SIGTERM, requestStop);
    return g_stopRequested;
}

} // namespace weir::cli
