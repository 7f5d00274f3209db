// weir-run drop-slot: drops the PostgreSQL replication slots of a pipeline's postgres.cdc nodes,
// so a pipeline that is no longer run stops holding WAL on the server.

#include "cli_common.h"
#include "connectors/postgres/postgres_cdc.h"
#include "engine/run_plan.h"
#include "model/pipeline_validator.h"

#include <QFileInfo>

namespace weir::cli {

int dropSlotCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("Pipeline file (*.weir.json)."));
    const QCommandLineOption node(QStringLiteral("node"),
                                  QStringLiteral("Only this postgres.cdc node."),
                                  QStringLiteral("id"));
    parser.addOption(node);
    int exitCode = 0;
    if (!parseCommand(parser, args, QStringLiteral("drop-slot"),
                      QStringLiteral("Drops the replication slot of each postgres.cdc node of the "
                                     "pipeline (or of --node). A slot keeps the server's WAL "
                                     "until its pipeline runs again: drop the slot of a "
                                     "pipeline you no longer run. Refused while a run streams "
                                     "from the slot."),
                      &exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        err() << "weir-run drop-slot: expected one pipeline file\n";
        return ExitInvalid;
    }
    const QString file = parser.positionalArguments().first();
    const model::NodeTypeRegistry &registry = model::NodeTypeRegistry::builtin();
    const auto checked = model::loadValidPipeline(file, registry);
    for (const model::Problem &p : checked.problems)
        err() << p.toString() << "\n";
    if (!checked.problems.empty())
        return ExitInvalid;
    const model::Pipeline &pipeline = *checked.pipeline;
    int dropped = 0;
    int failed = 0;
    for (const model::NodeSpec &spec : pipeline.nodes) {
        if (spec.type != QLatin1String("postgres.cdc") ||
            (parser.isSet(node) && spec.id != parser.value(node)))
            continue;
        ++dropped;
        auto config = engine::runtimeConfig(spec, *registry.find(spec.type),
                                            QFileInfo(file).absolutePath(), nullptr);
        auto done = config ? connectors::postgres::dropPostgresCdcSlot(
                                 connectors::postgres::PostgresCdcOptions::fromConfig(*config),
                                 pipeline.name, spec.id)
                           : Result<QString>(config.error());
        if (done) {
            out() << "node '" << spec.id << "': " << *done << "\n";
        } else {
            err() << "node '" << spec.id << "': " << done.error().message << "\n";
            ++failed;
        }
    }
    if (dropped == 0) {
        err() << "weir-run drop-slot: " << file << " has no postgres.cdc node"
              << (parser.isSet(node) ? QStringLiteral(" '%1'").arg(parser.value(node)) : QString())
              << "\n";
        return ExitInvalid;
    }
    return failed ? ExitFailed : ExitOk;
}

} // namespace weir::cli
