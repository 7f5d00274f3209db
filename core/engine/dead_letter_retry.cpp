#include "engine/dead_letter_retry.h"

#include "common/crash_point.h"
#include "connectors/file/json_line_parser.h"
#include "engine/engine.h"
#include "model/pipeline_validator.h"

#include <QEventLoop>
#include <QFileInfo>
#include <QTimer>
#include <map>
#include <set>
#include <tuple>

namespace weir::engine {
namespace {

// Positions of retried records: one stream per dead letter and its attempt count, committed by
// each sink with the data. A retry that crashed after the sink committed but before the entry
// was removed finds its position committed when it is run again, so the record is not written
// twice; the next attempt of a record that failed again has a new position. The stream names
// the entry by its id, never given again, and its store's identity (state schema 9), so no
// other entry can match it; positions from before are named "dead letter N" and match none.
constexpr const char *kRetrySource = "_weir_dead_letters";

record::SourcePosition retryPosition(const QString &storeIdentity,
                                     const state::DeadLetterEntry &entry)
{
    return record::SourcePosition(kRetrySource,
                                  "dead letter #" + std::to_string(entry.id) + " of " +
                                      storeIdentity.toStdString(),
                                  entry.attempts);
}

// The record a dead letter holds: a JSON object of its fields, or raw text that the node type
// that wrote it reads back (a CSV row).
Result<record::Batch> recordOf(const state::DeadLetterEntry &entry, const model::NodeSpec &node,
                               const QString &pipelineDir, const model::NodeTypeRegistry &registry)
{
    std::vector<std::pair<std::string, record::Value>> fields;
    connectors::file::JsonLineError error;
    if (connectors::file::parseJsonObjectLine(entry.payload.toStdString(), fields, error)) {
        std::vector<std::string> names;
        record::Batch batch;
        record::ChangeEvent &event = batch.events.emplace_back();
        for (auto &[key, value] : fields) {
            names.push_back(key);
            event.after.push_back(std::move(value));
        }
        batch.schema = record::makeSchema(std::move(names));
        batch.stream = entry.stream.toStdString();
        batch.table = entry.table;
        batch.key = entry.key;
        event.offset = entry.offset;
        event.line = entry.line;
        event.location = entry.location;
        return batch;
    }
    const model::NodeType *type = registry.find(node.type);
    if (!type || !type->readDeadLetter)
        return makeError(ErrorCode::Invalid, QStringLiteral("line %1, column %2: %3")
                                                 .arg(entry.line)
                                                 .arg(error.column)
                                                 .arg(QString::fromStdString(error.message)));
    const model::NodeConfig config(node.id, pipelineDir, type->schema.withDefaults(node.config));
    auto batch = type->readDeadLetter(config, model::DeadLetterText{entry.stream.toStdString(),
                                                                    entry.payload, entry.offset,
                                                                    entry.line, entry.location});
    if (batch) {
        batch->table = entry.table;
        batch->key = entry.key;
    }
    return batch;
}

using RecordKey = std::tuple<QString, qint64, std::string>; // stream, offset, location

RecordKey keyOf(const state::DeadLetterEntry &e)
{
    return {e.stream, e.offset, e.location};
}

// Runs the engine on the calling thread's event loop until it ends; `stop` stops it.
RunOutcome runToEnd(Engine &engine, const std::atomic<bool> *stop)
{
    RunOutcome outcome;
    QEventLoop loop;
    QObject::connect(&engine, &Engine::runFinished, &loop, [&](const RunOutcome &o) {
        outcome = o;
        loop.quit();
    });
    QTimer stopWatch;
    QObject::connect(&stopWatch, &QTimer::timeout, &engine, [&] {
        if (stop && stop->load())
            engine.stop();
    });
    stopWatch.start(50);
    engine.start();
    loop.exec();
    return outcome;
}

} // namespace

RetryReport retryDeadLetters(state::StateStore &store,
                             const std::vector<state::DeadLetterEntry> &entries,
                             const model::NodeTypeRegistry &registry, const std::atomic<bool> *stop)
{
    RetryReport report;
    const Result<QString> identity = store.identity();
    if (!identity) {
        report.problems << identity.error().message;
        return report;
    }
    // Group by the pipeline file of the run the entry came from, then by node.
    std::map<std::pair<QString, QString>, std::vector<state::DeadLetterEntry>> groups;
    for (const state::DeadLetterEntry &e : entries) {
        auto run = store.run(e.runId);
        if (!run) {
            report.problems
                << QStringLiteral("dead letter %1: the run it came from is unknown").arg(e.id);
            continue;
        }
        groups[{run->file, e.node}].push_back(e);
    }
    for (auto &[key, group] : groups) {
        if (stop && stop->load()) {
            report.interrupted = true;
            break;
        }
        const auto &[file, nodeId] = key;
        auto checked = model::loadValidPipeline(file, registry);
        if (!checked.pipeline) {
            report.problems << QStringLiteral("%1: %2").arg(
                file, checked.problems.empty() ? QStringLiteral("cannot be read")
                                               : checked.problems.front().toString());
            continue;
        }
        const model::NodeSpec *node = checked.pipeline->node(nodeId);
        if (!node) {
            report.problems
                << QStringLiteral("%1: the pipeline has no node '%2' any more").arg(file, nodeId);
            continue;
        }
        EngineOptions options;
        options.once = true;
        options.injectInto = nodeId;
        std::vector<state::DeadLetterEntry> injected;
        std::vector<DeadLetter> stillBad;
        const QString pipelineDir = QFileInfo(file).absolutePath();
        for (const state::DeadLetterEntry &e : group) {
            if (auto batch = recordOf(e, *node, pipelineDir, registry)) {
                batch->positions = {retryPosition(identity.value(), e)};
                options.injected.push_back(std::move(batch.value()));
                injected.push_back(e);
            } else {
                stillBad.push_back(DeadLetter{e.stream.toStdString(), e.offset, e.line,
                                              batch.error().message, e.payload, e.location, e.table,
                                              e.key});
            }
            ++report.retried;
        }
        // A row that is still malformed fails again where it failed before.
        const NodeContext context{checked.pipeline->name, nodeId, group.front().runId, nullptr,
                                  nullptr};
        if (!stillBad.empty() && store.write(context, stillBad))
            report.failedAgain += static_cast<qint64>(stillBad.size());
        if (injected.empty())
            continue;

        Engine engine(std::move(*checked.pipeline), file, &store, registry, std::move(options));
        const RunOutcome outcome = runToEnd(engine, stop);
        if (outcome.status == QLatin1String("interrupted")) {
            // What reached a sink is committed with its position; the next retry skips it and
            // removes its entry. Nothing is counted as failed.
            report.interrupted = true;
            break;
        }
        if (outcome.status != QLatin1String("finished")) {
            report.problems << QStringLiteral("%1: %2").arg(file, outcome.message);
            report.failedAgain += static_cast<qint64>(injected.size());
            continue;
        }
        // Which records failed during this run, at their node or further on?
        auto after = store.deadLetters(state::DeadLetterFilter{context.pipelineName, {}, {}}, 0);
        std::set<RecordKey> failedNow;
        if (after) {
            for (const state::DeadLetterEntry &d : after.value()) {
                if (d.runId == outcome.runId)
                    failedNow.insert(keyOf(d));
            }
        }
        common::crashPoint("dlq-retry-before-remove");
        for (const state::DeadLetterEntry &e : injected) {
            const bool failed = failedNow.count(keyOf(e)) > 0;
            auto current = store.deadLetter(e.id);
            // Through its node: the old entry goes (a failure further on has its own entry).
            if (current && current->runId != outcome.runId)
                (void)store.removeDeadLetter(e.id);
            (failed ? report.failedAgain : report.landed) += 1;
        }
    }
    return report;
}

} // namespace weir::engine
