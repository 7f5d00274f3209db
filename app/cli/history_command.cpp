// weir-run history: past runs from the state database, newest first.

#include "cli_common.h"
#include "state/state_store.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace weir::cli {

namespace {

QJsonObject runJson(const state::RunRecord &r)
{
    return {{QStringLiteral("id"), r.id},
            {QStringLiteral("pipeline"), r.pipeline},
            {QStringLiteral("file"), r.file},
            {QStringLiteral("status"), r.status},
            {QStringLiteral("started_ms"), r.startedMs},
            {QStringLiteral("finished_ms"), r.finishedMs},
            {QStringLiteral("records_in"), r.totals.recordsIn},
            {QStringLiteral("records_out"), r.totals.recordsOut},
            {QStringLiteral("errors"), r.totals.errors},
            {QStringLiteral("dead_letters"), r.totals.deadLetters},
            {QStringLiteral("message"), r.message}};
}

QString duration(const state::RunRecord &r)
{
    if (r.finishedMs == 0)
        return QStringLiteral("running");
    const double seconds = static_cast<double>(r.finishedMs - r.startedMs) / 1000.0;
    return seconds < 60 ? QString::number(seconds, 'f', 1) + QLatin1Char('s')
                        : QString::number(seconds / 60.0, 'f', 1) + QLatin1Char('m');
}

} // namespace

int historyCommand(const QStringList &args)
{
    QCommandLineParser parser;
    const QCommandLineOption pipeline(QStringLiteral("pipeline"),
                                      QStringLiteral("Only runs of this pipeline (its name)."),
                                      QStringLiteral("name"));
    const QCommandLineOption limit(QStringLiteral("limit"),
                                   QStringLiteral("At most this many runs (default 20, 0 = all)."),
                                   QStringLiteral("n"), QStringLiteral("20"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON for tools."));
    parser.addOptions({pipeline, limit, json});
    parser.addOption(stateOption());
    int exitCode = 0;
    if (!parseCommand(parser, args, QStringLiteral("history"),
                      QStringLiteral("Prints past runs, newest first: status, start, duration, "
                                     "records read and written, errors and dead letters."),
                      &exitCode))
        return exitCode;
    bool numeric = false;
    const int count = parser.value(limit).toInt(&numeric);
    if (!numeric || count < 0) {
        err() << "weir-run history: --limit takes a whole number, 0 or more\n";
        return ExitInvalid;
    }
    auto store = openState(parser);
    if (!store)
        return ExitFailed;
    auto runs = store->runs(parser.value(pipeline), count);
    if (!runs) {
        err() << "weir-run history: " << runs.error().message << "\n";
        return ExitFailed;
    }
    if (parser.isSet(json)) {
        QJsonArray list;
        for (const state::RunRecord &r : runs.value())
            list.append(runJson(r));
        out() << QJsonDocument(list).toJson(QJsonDocument::Indented);
        return ExitOk;
    }
    if (runs->empty()) {
        out() << "no runs yet\n";
        return ExitOk;
    }
    const QString header = QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8  %9")
                               .arg(QStringLiteral("RUN"), 5)
                               .arg(QStringLiteral("PIPELINE"), -16)
                               .arg(QStringLiteral("STATUS"), -11)
                               .arg(QStringLiteral("STARTED"), -19)
                               .arg(QStringLiteral("TOOK"), 8)
                               .arg(QStringLiteral("READ"), 10)
                               .arg(QStringLiteral("WRITTEN"), 10)
                               .arg(QStringLiteral("ERRORS"), 7)
                               .arg(QStringLiteral("DLQ"), 7);
    out() << header << "\n";
    for (const state::RunRecord &r : runs.value()) {
        const QString started = QDateTime::fromMSecsSinceEpoch(r.startedMs)
                                    .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        out() << QStringLiteral("%1  %2  %3  %4  %5  %6  %7  %8  %9")
                     .arg(r.id, 5)
                     .arg(r.pipeline.left(16), -16)
                     .arg(r.status, -11)
                     .arg(started, -19)
                     .arg(duration(r), 8)
                     .arg(r.totals.recordsIn, 10)
                     .arg(r.totals.recordsOut, 10)
                     .arg(r.totals.errors, 7)
                     .arg(r.totals.deadLetters, 7)
              << "\n";
        if (!r.message.isEmpty() && r.status != QLatin1String("finished"))
            out() << "       " << r.message << "\n";
    }
    return ExitOk;
}

} // namespace weir::cli
