#include "engine/preview_run.h"

#include "engine/run_plan.h"

#include <QCoreApplication>
#include <QSet>
#include <map>

namespace weir::engine {

namespace {

// Dead letters of a preview are counted, never stored: a preview must leave no trace.
class CountingDeadLetters final : public DeadLetterWriter
{
public:
    Status write(const NodeContext &, const std::vector<DeadLetter> &letters) override
    {
        count += static_cast<qint64>(letters.size());
        return {};
    }
    qint64 count = 0;
};

// The nodes whose output reaches `targets`, the targets included, and the edges among them.
model::Pipeline upstreamOf(const model::Pipeline &pipeline, const QSet<QString> &targets)
{
    QSet<QString> keep = targets;
    QStringList work(targets.begin(), targets.end());
    while (!work.isEmpty()) {
        const QString id = work.takeLast();
        for (const model::EdgeSpec *e : pipeline.edgesInto(id)) {
            if (!keep.contains(e->from.node)) {
                keep.insert(e->from.node);
                work << e->from.node;
            }
        }
    }
    model::Pipeline part;
    part.name = pipeline.name;
    part.settings = pipeline.settings;
    for (const model::NodeSpec &n : pipeline.nodes) {
        if (keep.contains(n.id))
            part.nodes.push_back(n);
    }
    for (const model::EdgeSpec &e : pipeline.edges) {
        if (keep.contains(e.from.node) && keep.contains(e.to.node) &&
            !targets.contains(e.from.node))
            part.edges.push_back(e);
    }
    return part;
}

class PreviewDriver
{
public:
    PreviewDriver(RunPlan &plan, QSet<QString> targets, int limit)
        : m_plan(plan), m_targets(std::move(targets)), m_limit(limit)
    {
    }

    Status deliver(std::size_t index, record::Batch batch)
    {
        PlannedNode &node = *m_plan.nodes[index];
        if (node.transform) {
            std::vector<DeadLetter> dead;
            if (Status s = node.transform->process(batch, dead); !s)
                return s;
            if (!dead.empty())
                (void)node.context.deadLetters->write(node.context, dead);
        }
        if (m_targets.contains(node.id)) {
            collect(batch);
            return {};
        }
        if (node.downstream.empty())
            return {};
        // Every branch but the last gets a copy; the last takes the batch itself.
        for (std::size_t i = 0; i + 1 < node.downstream.size(); ++i) {
            if (Status s = deliver(node.downstream[i], batch); !s)
                return s;
        }
        return deliver(node.downstream.back(), std::move(batch));
    }

    bool full() const { return static_cast<int>(m_table.rows.size()) >= m_limit; }
    PreviewTable take() { return std::move(m_table); }

private:
    void collect(const record::Batch &batch)
    {
        if (m_table.columns.isEmpty())
            m_table.columns << QStringLiteral("op");
        std::vector<int> at;
        for (const std::string &name : batch.schema->columns()) {
            const QString column = QString::fromStdString(name);
            auto found = m_columnIndex.find(column);
            if (found == m_columnIndex.end()) {
                found =
                    m_columnIndex.emplace(column, static_cast<int>(m_table.columns.size())).first;
                m_table.columns << column;
            }
            at.push_back(found->second);
        }
        for (const record::ChangeEvent &event : batch.events) {
            if (full()) {
                m_table.truncated = true;
                return;
            }
            QStringList row;
            row.reserve(m_table.columns.size());
            row << QString(QLatin1Char(static_cast<char>(event.op)));
            const std::vector<record::Value> &values = event.current();
            for (std::size_t c = 0; c < values.size() && c < at.size(); ++c) {
                while (row.size() <= at[c])
                    row << QString();
                row[at[c]] = QString::fromStdString(values[c].toText());
            }
            m_table.rows.push_back(std::move(row));
        }
    }

    RunPlan &m_plan;
    QSet<QString> m_targets;
    int m_limit;
    PreviewTable m_table;
    std::map<QString, int> m_columnIndex;
};

} // namespace

Result<PreviewTable> previewNode(const model::Pipeline &pipeline, const QString &pipelineDir,
                                 const QString &nodeId, const model::NodeTypeRegistry &registry,
                                 int limit, const std::atomic<bool> *stop)
{
    const model::NodeSpec *spec = pipeline.node(nodeId);
    const model::NodeType *type = spec ? registry.find(spec->type) : nullptr;
    if (!type)
        return makeError(
            ErrorCode::NotFound,
            QCoreApplication::translate("weir", "no node '%1' of a known type").arg(nodeId));
    QSet<QString> targets;
    if (type->category == model::NodeCategory::Sink) {
        for (const model::EdgeSpec *e : pipeline.edgesInto(nodeId))
            targets.insert(e->from.node);
        if (targets.isEmpty())
            return makeError(
                ErrorCode::Invalid,
                QCoreApplication::translate("weir", "nothing flows into '%1' yet").arg(nodeId),
                nodeId);
    } else {
        targets.insert(nodeId);
    }

    auto plan = buildRunPlan(upstreamOf(pipeline, targets), registry, pipelineDir);
    if (!plan)
        return plan.error();
    CountingDeadLetters deadLetters;
    std::vector<std::size_t> sources;
    for (std::size_t i = 0; i < plan->nodes.size(); ++i) {
        PlannedNode &node = *plan->nodes[i];
        node.context.pipelineName = pipeline.name;
        node.context.nodeId = node.id;
        node.context.stopRequested = stop;
        node.context.deadLetters = &deadLetters;
        node.context.once = true;
        node.context.preview = true;
        Status opened = node.source      ? node.source->open(node.context, {})
                        : node.transform ? node.transform->open(node.context)
                                         : Status{};
        if (!opened)
            return opened.error();
        if (node.source)
            sources.push_back(i);
    }

    // One batch from each source in turn, so a merge shows data from all of its inputs.
    PreviewDriver driver(*plan, targets, limit);
    std::vector<bool> finished(sources.size(), false);
    for (std::size_t live = sources.size(); live > 0 && !driver.full();) {
        for (std::size_t s = 0; s < sources.size() && !driver.full(); ++s) {
            if (finished[s] || (stop && stop->load()))
                continue;
            PlannedNode &node = *plan->nodes[sources[s]];
            record::Batch batch;
            std::vector<DeadLetter> dead;
            auto step = node.source->next(batch, dead);
            if (!step)
                return step.error();
            if (!dead.empty())
                (void)deadLetters.write(node.context, dead);
            if (!batch.empty()) {
                if (Status d = driver.deliver(sources[s], std::move(batch)); !d)
                    return d.error();
            }
            if (*step == StepStatus::Finished) {
                finished[s] = true;
                --live;
            }
        }
        if (stop && stop->load())
            break;
    }
    PreviewTable table = driver.take();
    table.deadLetters = deadLetters.count;
    return table;
}

} // namespace weir::engine
