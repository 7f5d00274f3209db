// weir-run validate, weir-run list-node-types

#include "cli_common.h"
#include "model/node_type_reference.h"
#include "model/pipeline_validator.h"

#include <QJsonDocument>

namespace weir::cli {

int validateCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("file"),
                                 QStringLiteral("Pipeline file (*.weir.json)."));
    int exitCode = 0;
    if (!parseCommand(parser, args, QStringLiteral("validate"),
                      QStringLiteral("Checks a pipeline file and prints every problem with its "
                                     "file, line, node and field. Exit 0 when valid, 2 when not."),
                      &exitCode))
        return exitCode;
    if (parser.positionalArguments().size() != 1) {
        err() << "weir-run validate: expected one pipeline file\n";
        return ExitInvalid;
    }
    const QString file = parser.positionalArguments().first();
    const auto checked = model::loadValidPipeline(file, model::NodeTypeRegistry::builtin());
    for (const model::Problem &p : checked.problems)
        err() << p.toString() << "\n";
    if (!checked.problems.empty()) {
        err() << checked.problems.size()
              << (checked.problems.size() == 1 ? " problem" : " problems") << " in " << file
              << "\n";
        return ExitInvalid;
    }
    out() << file << ": valid (" << checked.pipeline->nodes.size() << " nodes, "
          << checked.pipeline->edges.size() << " edges)\n";
    return ExitOk;
}

int listNodeTypesCommand(const QStringList &args)
{
    QCommandLineParser parser;
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON for tools."));
    parser.addOption(json);
    int exitCode = 0;
    if (!parseCommand(parser, args, QStringLiteral("list-node-types"),
                      QStringLiteral("Prints every node type with its ports and config fields "
                                     "(generated from the same schema that validates pipelines)."),
                      &exitCode))
        return exitCode;
    const auto &registry = model::NodeTypeRegistry::builtin();
    if (parser.isSet(json))
        out() << QJsonDocument(model::nodeTypeReferenceJson(registry))
                     .toJson(QJsonDocument::Indented);
    else
        out() << model::nodeTypeReferenceText(registry);
    return ExitOk;
}

} // namespace weir::cli
