// weir-run: runs Weir pipeline files headless, and manages their state (dead letters).

#include "cli_common.h"

#include <QCoreApplication>
#include <cstring>

namespace {

const char *kUsage =
    "Usage: weir-run <command> [options]\n"
    "\n"
    "Commands:\n"
    "  run FILE              run a pipeline (Ctrl+C stops it cleanly)\n"
    "  validate FILE         check a pipeline file and print every problem\n"
    "  list-node-types       print the reference of every node type\n"
    "  dlq list|show|retry|purge\n"
    "                        browse the dead-letter queue, retry or purge entries\n"
    "  history               past runs: status, duration, records, errors, dead letters\n"
    "  drop-slot FILE        drop the PostgreSQL replication slots of its postgres.cdc nodes\n"
    "\n"
    "Exit codes: 0 done, 1 failed, 2 invalid pipeline or usage, 130 interrupted.\n"
    "'weir-run <command> --help' describes each command.\n";

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("weir"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty() || args.first() == QLatin1String("--help") ||
        args.first() == QLatin1String("-h") || args.first() == QLatin1String("help")) {
        weir::cli::out() << kUsage;
        return args.isEmpty() ? weir::cli::ExitInvalid : weir::cli::ExitOk;
    }
    if (args.first() == QLatin1String("--version")) {
        weir::cli::out() << "weir-run " << QCoreApplication::applicationVersion() << "\n";
        return weir::cli::ExitOk;
    }
    const QString command = args.takeFirst();
    if (command == QLatin1String("run"))
        return weir::cli::runCommand(args);
    if (command == QLatin1String("validate"))
        return weir::cli::validateCommand(args);
    if (command == QLatin1String("list-node-types"))
        return weir::cli::listNodeTypesCommand(args);
    if (command == QLatin1String("dlq"))
        return weir::cli::dlqCommand(args);
    if (command == QLatin1String("history"))
        return weir::cli::historyCommand(args);
    if (command == QLatin1String("drop-slot"))
        return weir::cli::dropSlotCommand(args);
    weir::cli::err() << "weir-run: unknown command '" << command << "'\n\n" << kUsage;
    return weir::cli::ExitInvalid;
}
