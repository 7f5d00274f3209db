#include "engine/run_plan.h"

#include "common/secrets.h"
#include "engine/injected_source.h"

#include <QJsonArray>
#include <map>
#include <set>

namespace weir::engine {
namespace {

QJsonValue resolved(const QJsonValue &value, QStringList &secrets, QStringList &unresolved)
{
    if (value.isString()) {
        const QString text = value.toString();
        const QString out = common::resolveSecretReferences(text, &unresolved);
        if (out != text)
            secrets << out;
        return out;
    }
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue item : value.toArray())
            out.append(resolved(item, secrets, unresolved));
        return out;
    }
    if (value.isObject()) {
        QJsonObject out;
        const QJsonObject o = value.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            out.insert(it.key(), resolved(it.value(), secrets, unresolved));
        return out;
    }
    return value;
}

} // namespace

Status injectBatches(RunPlan &plan, const QString &nodeId, std::vector<record::Batch> batches)
{
    std::size_t start = plan.nodes.size();
    for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
        if (plan.nodes[i]->id == nodeId)
            start = i;
    }
    if (start == plan.nodes.size())
        return makeError(ErrorCode::NotFound,
                         QStringLiteral("the pipeline has no node '%1' any more").arg(nodeId));
    // Keep the node and everything downstream of it, in plan order.
    std::vector<bool> keep(plan.nodes.size(), false);
    std::vector<std::size_t> todo{start};
    keep[start] = true;
    while (!todo.empty()) {
        const std::size_t i = todo.back();
        todo.pop_back();
        for (std::size_t d : plan.nodes[i]->downstream) {
            if (!keep[d]) {
                keep[d] = true;
                todo.push_back(d);
            }
        }
    }
    // A feeder goes first when the node is not a source itself.
    const bool feed = !plan.nodes[start]->source;
    auto injected = std::make_unique<InjectedSource>(std::move(batches));
    std::vector<std::size_t> newIndex(plan.nodes.size(), plan.nodes.size());
    std::vector<std::unique_ptr<PlannedNode>> kept;
    if (feed) {
        auto feeder = std::make_unique<PlannedNode>();
        feeder->id = QStringLiteral("dlq-retry");
        feeder->type = plan.nodes[start]->type;
        feeder->source = std::move(injected);
        feeder->isSource = true;
        kept.push_back(std::move(feeder));
    }
    for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
        if (keep[i]) {
            newIndex[i] = kept.size();
            kept.push_back(std::move(plan.nodes[i]));
        }
    }
    for (std::size_t k = feed ? 1 : 0; k < kept.size(); ++k) {
        for (std::size_t &d : kept[k]->downstream)
            d = newIndex[d];
    }
    if (feed)
        kept.front()->downstream = {newIndex[start]};
    else
        kept[newIndex[start]]->source = std::move(injected);
    for (auto &node : kept)
        node->upstreamCount = 0;
    for (auto &node : kept) {
        for (std::size_t d : node->downstream)
            ++kept[d]->upstreamCount;
    }
    plan.nodes = std::move(kept);
    return {};
}

std::vector<std::size_t> RunPlan::sinksReachableFrom(std::size_t index) const
{
    std::vector<std::size_t> sinks;
    std::set<std::size_t> seen{index};
    std::vector<std::size_t> todo{index};
    while (!todo.empty()) {
        const std::size_t i = todo.back();
        todo.pop_back();
        if (nodes[i]->sink)
            sinks.push_back(i);
        for (std::size_t d : nodes[i]->downstream) {
            if (seen.insert(d).second)
                todo.push_back(d);
        }
    }
    return sinks;
}

Result<model::NodeConfig> runtimeConfig(const model::NodeSpec &spec, const model::NodeType &type,
                                        const QString &pipelineDir, QStringList *secretValues)
{
    QStringList unresolved;
    QStringList secrets;
    const QJsonObject config =
        resolved(type.schema.withDefaults(spec.config), secrets, unresolved).toObject();
    if (!unresolved.isEmpty())
        return makeError(
            ErrorCode::Invalid,
            QStringLiteral("unresolved ${%1}").arg(unresolved.join(QStringLiteral("}, ${"))),
            spec.id);
    if (secretValues)
        *secretValues << secrets;
    return model::NodeConfig(spec.id, pipelineDir, config);
}

Result<RunPlan> buildRunPlan(const model::Pipeline &pipeline,
                             const model::NodeTypeRegistry &registry, const QString &pipelineDir)
{
    RunPlan plan;
    std::map<QString, std::size_t> indexOf;
    for (const model::NodeSpec &spec : pipeline.nodes) {
        auto node = std::make_unique<PlannedNode>();
        node->id = spec.id;
        node->type = registry.find(spec.type);
        if (!node->type)
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("unknown node type '%1'").arg(spec.type), spec.id);
        auto config = runtimeConfig(spec, *node->type, pipelineDir, &plan.secretValues);
        if (!config)
            return config.error();
        node->config = std::move(config.value());
        switch (node->type->category) {
        case model::NodeCategory::Source:
            node->source = node->type->makeSource(node->config);
            node->isSource = true;
            break;
        case model::NodeCategory::Transform:
            node->transform = node->type->makeTransform(node->config);
            break;
        case model::NodeCategory::Sink:
            node->sink = node->type->makeSink(node->config);
            break;
        }
        if (!node->source && !node->transform && !node->sink)
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("node type '%1' cannot run").arg(spec.type), spec.id);
        indexOf[spec.id] = plan.nodes.size();
        plan.nodes.push_back(std::move(node));
    }
    for (const model::EdgeSpec &edge : pipeline.edges) {
        const auto from = indexOf.find(edge.from.node);
        const auto to = indexOf.find(edge.to.node);
        if (from == indexOf.end() || to == indexOf.end())
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("edge %1 -> %2 names a missing node")
                                 .arg(edge.from.toString(), edge.to.toString()));
        plan.nodes[from->second]->downstream.push_back(to->second);
        ++plan.nodes[to->second]->upstreamCount;
    }
    return plan;
}

std::vector<state::RunNode> RunPlan::describe() const
{
    std::vector<state::RunNode> out;
    out.reserve(nodes.size());
    for (const auto &n : nodes) {
        const state::NodeRole role = n->source ? state::NodeRole::Source
                                     : n->sink ? state::NodeRole::Sink
                                               : state::NodeRole::Transform;
        out.push_back({n->id, role, {}});
    }
    for (std::size_t i = 0; i < nodes.size(); ++i)
        for (std::size_t d : nodes[i]->downstream)
            out[d].upstream.push_back(nodes[i]->id);
    return out;
}

} // namespace weir::engine
