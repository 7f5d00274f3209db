// weir-run dlq list|show|purge: browse and manage the dead-letter queue.

#include "cli_common.h"
#include "common/time_format.h"
#include "engine/dead_letter_retry.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>
#include <unistd.h>

namespace weir::cli {
namespace {

QJsonObject entryJson(const state::DeadLetterEntry &e)
{
    return QJsonObject{{QStringLiteral("id"), e.id},
                       {QStringLiteral("pipeline"), e.pipeline},
                       {QStringLiteral("node"), e.node},
                       {QStringLiteral("stream"), e.stream},
                       {QStringLiteral("offset"), e.offset},
                       {QStringLiteral("line"), e.line},
                       {QStringLiteral("location"), QString::fromStdString(e.location)},
                       {QStringLiteral("error"), e.error},
                       {QStringLiteral("attempts"), e.attempts},
                       {QStringLiteral("payload"), e.payload},
                       {QStringLiteral("created"),
                        QString::fromStdString(common::formatIsoTimestamp(e.createdMs * 1000))},
                       {QStringLiteral("run"), e.runId}};
}

QString where(const state::DeadLetterEntry &e)
{
    return state::recordPlace(e, e.stream);
}

bool confirm(const QString &question)
{
    if (!isatty(STDIN_FILENO))
        return false;
    err() << question << " [y/N] ";
    err().flush();
    char answer[16] = {};
    if (!std::fgets(answer, sizeof answer, stdin))
        return false;
    return answer[0] == 'y' || answer[0] == 'Y';
}

} // namespace

int dlqCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("action"),
                                 QStringLiteral("list, show ID, retry [ID...] or purge."));
    const QCommandLineOption pipeline(
        QStringLiteral("pipeline"), QStringLiteral("Only this pipeline."), QStringLiteral("name"));
    const QCommandLineOption node(QStringLiteral("node"), QStringLiteral("Only this node."),
                                  QStringLiteral("id"));
    const QCommandLineOption error(QStringLiteral("error"),
                                   QStringLiteral("Only errors containing this text."),
                                   QStringLiteral("text"));
    const QCommandLineOption limit(
        QStringLiteral("limit"),
        QStringLiteral("At most this many entries (list; default 100, 0 = all)."),
        QStringLiteral("n"), QStringLiteral("100"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    const QCommandLineOption yes(QStringLiteral("yes"), QStringLiteral("Purge without asking."));
    for (const auto &o : {pipeline, node, error, limit, json, yes})
        parser.addOption(o);
    parser.addOption(stateOption());
    int exitCode = 0;
    if (!parseCommand(
            parser, args, QStringLiteral("dlq"),
            QStringLiteral(
                "Dead-letter queue: records that failed, with node, error, "
                "attempts and the original payload.\n"
                "  list          newest first, filtered by --pipeline, --node, --error\n"
                "  show ID       one entry with its payload\n"
                "  retry [ID...] put entries (or all matching the filters) back into the\n"
                "                node they failed in; those that get through leave the queue\n"
                "  purge         delete the entries matching the filters (asks first)"),
            &exitCode))
        return exitCode;
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    auto store = openState(parser);
    if (!store)
        return ExitFailed;
    const state::DeadLetterFilter filter{parser.value(pipeline), parser.value(node),
                                         parser.value(error)};

    if (action == QLatin1String("list")) {
        auto entries = store->deadLetters(filter, parser.value(limit).toInt());
        auto total = store->countDeadLetters(filter);
        if (!entries || !total) {
            err() << "weir-run dlq: "
                  << (!entries ? entries.error().message : total.error().message) << "\n";
            return ExitFailed;
        }
        if (parser.isSet(json)) {
            QJsonArray list;
            for (const auto &e : entries.value())
                list.append(entryJson(e));
            out() << QJsonDocument(list).toJson(QJsonDocument::Indented);
            return ExitOk;
        }
        for (const auto &e : entries.value())
            out() << e.id << "  " << e.pipeline << "/" << e.node << "  " << where(e) << "  ("
                  << e.attempts << (e.attempts == 1 ? " attempt" : " attempts") << ")  " << e.error
                  << "\n";
        out() << total.value() << (total.value() == 1 ? " dead letter" : " dead letters");
        if (static_cast<qint64>(entries->size()) < total.value())
            out() << " (" << entries->size() << " shown; --limit 0 shows all)";
        out() << "\n";
        return ExitOk;
    }
    if (action == QLatin1String("show")) {
        bool ok = false;
        const qint64 id = positional.value(1).toLongLong(&ok);
        if (!ok) {
            err() << "weir-run dlq show: expected an entry id (see 'weir-run dlq list')\n";
            return ExitInvalid;
        }
        auto entry = store->deadLetter(id);
        if (!entry) {
            err() << "weir-run dlq show: " << entry.error().message << "\n";
            return ExitFailed;
        }
        if (parser.isSet(json)) {
            out() << QJsonDocument(entryJson(entry.value())).toJson(QJsonDocument::Indented);
            return ExitOk;
        }
        const auto &e = entry.value();
        const QJsonDocument payload = QJsonDocument::fromJson(e.payload.toUtf8());
        out() << "id:        " << e.id << "\n"
              << "pipeline:  " << e.pipeline << "\n"
              << "node:      " << e.node << "\n"
              << "source:    " << where(e) << "\n"
              << "error:     " << e.error << "\n"
              << "attempts:  " << e.attempts << "\n"
              << "created:   "
              << QString::fromStdString(common::formatIsoTimestamp(e.createdMs * 1000)) << "\n"
              << "run:       " << e.runId << "\n"
              << "payload:\n"
              << (payload.isObject() ? QString::fromUtf8(payload.toJson(QJsonDocument::Indented))
                                     : e.payload + QLatin1Char('\n'));
        return ExitOk;
    }
    if (action == QLatin1String("retry")) {
        std::vector<state::DeadLetterEntry> entries;
        if (positional.size() > 1) {
            for (const QString &text : positional.mid(1)) {
                bool ok = false;
                auto entry = store->deadLetter(text.toLongLong(&ok));
                if (!ok || !entry) {
                    err() << "weir-run dlq retry: no dead letter with id " << text << "\n";
                    return ExitInvalid;
                }
                entries.push_back(entry.value());
            }
        } else {
            auto matching = store->deadLetters(filter, 0);
            if (!matching) {
                err() << "weir-run dlq retry: " << matching.error().message << "\n";
                return ExitFailed;
            }
            entries = std::move(matching.value());
        }
        if (entries.empty()) {
            out() << "nothing to retry\n";
            return ExitOk;
        }
        const engine::RetryReport report = engine::retryDeadLetters(
            *store, entries, model::NodeTypeRegistry::builtin(), &stopOnSignals());
        for (const QString &problem : report.problems)
            err() << "weir-run dlq retry: " << problem << "\n";
        if (parser.isSet(json)) {
            out() << QJsonDocument(QJsonObject{{QStringLiteral("retried"), report.retried},
                                               {QStringLiteral("landed"), report.landed},
                                               {QStringLiteral("failed_again"), report.failedAgain},
                                               {QStringLiteral("interrupted"), report.interrupted}})
                         .toJson(QJsonDocument::Compact)
                  << "\n";
        } else {
            out() << "retried " << report.retried << ": " << report.landed << " went through, "
                  << report.failedAgain << " failed again (still in the queue)\n";
        }
        if (report.interrupted) {
            err() << "weir-run dlq retry: interrupted; what was not retried is still in the "
                     "queue, and records a target already committed are skipped next time\n";
            return ExitInterrupted;
        }
        return report.problems.isEmpty() ? ExitOk : ExitFailed;
    }
    if (action == QLatin1String("purge")) {
        auto count = store->countDeadLetters(filter);
        if (!count) {
            err() << "weir-run dlq purge: " << count.error().message << "\n";
            return ExitFailed;
        }
        if (count.value() == 0) {
            out() << "nothing to purge\n";
            return ExitOk;
        }
        if (!parser.isSet(yes) &&
            !confirm(QStringLiteral("Delete %1 dead letters for good?").arg(count.value()))) {
            err()
                << "weir-run dlq purge: not confirmed (answer y, or pass --yes); nothing deleted\n";
            return ExitFailed;
        }
        auto purged = store->purgeDeadLetters(filter);
        if (!purged) {
            err() << "weir-run dlq purge: " << purged.error().message << "\n";
            return ExitFailed;
        }
        out() << "purged " << purged.value() << " dead letters\n";
        return ExitOk;
    }
    err() << "weir-run dlq: expected list, show ID, retry or purge (see 'weir-run dlq --help')\n";
    return ExitInvalid;
}

} // namespace weir::cli
