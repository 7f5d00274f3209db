#pragma once

// Shared pieces of the weir-run subcommands: exit codes, output streams, option parsing.

#include "state/state_store.h"

#include <QCommandLineParser>
#include <QStringList>
#include <QTextStream>
#include <atomic>
#include <memory>

namespace weir::cli {

enum ExitCode : int
{
    ExitOk = 0,
    ExitFailed = 1,
    ExitInvalid = 2, // invalid pipeline or usage
    ExitInterrupted = 130,
};

QTextStream &out();
QTextStream &err();

// Sets up a parser for `weir-run <command>` with --help; returns false (after printing the
// error or the help) when the caller should exit with *exitCode.
bool parseCommand(QCommandLineParser &parser, const QStringList &args, const QString &command,
                  const QString &description, int *exitCode);

// SIGINT and SIGTERM set the returned flag from now on (a stop request, checked by a timer or
// the engine; never a hard exit).
const std::atomic<bool> &stopOnSignals();

QCommandLineOption stateOption();
// Opens the StateStore named by --state, or the per-user default.
std::unique_ptr<state::StateStore> openState(const QCommandLineParser &parser);

int runCommand(const QStringList &args);
int validateCommand(const QStringList &args);
int listNodeTypesCommand(const QStringList &args);
int dlqCommand(const QStringList &args);
int historyCommand(const QStringList &args);
int dropSlotCommand(const QStringList &args);

} // namespace weir::cli
