#include "engine/dead_letter_retry.h"

#include "connectors/file/csv_reader.h"
#include "connectors/file/json_line_parser.h"
#include "engine/engine.h"
#include "model/pipeline_validator.h"

#include <QEventLoop>
#include <QTemporaryFile>
#include <map>
#include <optional>

namespace weir::engine {
namespace {

// The record a dead letter holds: a JSON object, or for a CSV source the raw row, read with
// the header of the file it came from.
std::optional<record::Batch> recordOf(const state::DeadLetterEntry &entry,
                                      const model::NodeSpec &node, QString &why)
{
    std::vector<std::string> names;
    std::vector<record::Value> values;
    std::vector<std::pair<std::string, record::Value>> fields;
    connectors::file::JsonLineError error;
    const std::string payload = entry.payload.toStdString();
    if (connectors::file::parseJsonObjectLine(payload, fields, error)) {
        for (auto &[key, value] : fields) {
            names.push_back(key);
            values.push_back(std::move(value));
        }
    } else if (node.type == QLatin1String("csv.source") ||
               node.type == QLatin1String("folder.source")) {
        const QString delimiter =
            node.config.value(QStringLiteral("delimiter")).toString(QStringLiteral(","));
        const char sep = delimiter == QLatin1String("\\t") ? '\t' : delimiter.toLatin1().at(0);
        connectors::file::CsvReader header;
        std::vector<std::string> cells;
        std::size_t count = 0;
        connectors::file::CsvRecordInfo info;
        if (!header.open(entry.stream, sep) || !header.next(cells, count, info)) {
            why = QStringLiteral("cannot read the header of %1").arg(entry.stream);
            return std::nullopt;
        }
        names.assign(cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(count));
        QTemporaryFile row;
        if (!row.open()) {
            why = QStringLiteral("cannot write a temporary file");
            return std::nullopt;
        }
        row.write(entry.payload.toUtf8() + '\n');
        row.close();
        connectors::file::CsvReader reader;
        if (!reader.open(row.fileName(), sep) || !reader.next(cells, count, info) ||
            !info.error.empty() || count != names.size()) {
            why = QStringLiteral("line %1: expected %2 fields, found %3")
                      .arg(entry.line)
                      .arg(names.size())
                      .arg(count);
            return std::nullopt;
        }
        for (std::size_t i = 0; i < count; ++i)
            // As the CSV source reads it: only an unquoted empty field is a missing value.
            values.push_back(cells[i].empty() && !(i < info.quoted.size() && info.quoted[i])
                                 ? record::Value()
                                 : record::Value::fromString(cells[i]));
    } else {
        why = QStringLiteral("line %1, column %2: %3")
                  .arg(entry.line)
                  .arg(error.column)
                  .arg(QString::fromStdString(error.message));
        return std::nullopt;
    }
    record::Batch batch;
    batch.schema = record::makeSchema(std::move(names));
    batch.stream = entry.stream.toStdString();
    record::ChangeEvent &event = batch.events.emplace_back();
    event.after = std::move(values);
    event.offset = entry.offset;
    event.line = entry.line;
    return batch;
}

} // namespace

RetryReport retryDeadLetters(state::StateStore &store,
                             const std::vector<state::DeadLetterEntry> &entries,
                             const model::NodeTypeRegistry &registry)
{
    RetryReport report;
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
        for (const state::DeadLetterEntry &e : group) {
            QString why;
            if (auto batch = recordOf(e, *node, why)) {
                options.injected.push_back(std::move(*batch));
                injected.push_back(e);
            } else {
                stillBad.push_back(
                    DeadLetter{e.stream.toStdString(), e.offset, e.line, why, e.payload});
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
        RunOutcome outcome;
        QEventLoop loop;
        QObject::connect(&engine, &Engine::runFinished, &loop, [&](const RunOutcome &o) {
            outcome = o;
            loop.quit();
        });
        engine.start();
        loop.exec();
        if (outcome.status != QLatin1String("finished")) {
            report.problems << QStringLiteral("%1: %2").arg(file, outcome.message);
            report.failedAgain += static_cast<qint64>(injected.size());
            continue;
        }
        // Which records failed during this run, at their node or further on?
        auto after = store.deadLetters(state::DeadLetterFilter{context.pipelineName, {}, {}}, 0);
        std::map<std::pair<QString, qint64>, bool> failedNow;
        if (after) {
            for (const state::DeadLetterEntry &d : after.value()) {
                if (d.runId == outcome.runId)
                    failedNow[{d.stream, d.offset}] = true;
            }
        }
        for (const state::DeadLetterEntry &e : injected) {
            const bool failed = failedNow.count({e.stream, e.offset}) > 0;
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
