#include "canvas/connection_rules.h"

#include <QCoreApplication>
#include <QStringList>

namespace weir::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("weir::ui", text);
}

// `start` and every node reachable from it, following edges forwards or backwards.
QSet<QString> closure(const model::Pipeline &pipeline, const QString &start, bool forwards)
{
    QSet<QString> seen{start};
    QStringList work{start};
    while (!work.isEmpty()) {
        const QString id = work.takeLast();
        const auto edges = forwards ? pipeline.edgesFrom(id) : pipeline.edgesInto(id);
        for (const model::EdgeSpec *e : edges) {
            const QString &next = forwards ? e->to.node : e->from.node;
            if (!seen.contains(next)) {
                seen.insert(next);
                work << next;
            }
        }
    }
    return seen;
}

} // namespace

ConnectionCheck::ConnectionCheck(const model::Pipeline &pipeline,
                                 const model::NodeTypeRegistry &registry, model::PortRef fixed,
                                 bool fixedIsOutput)
    : m_pipeline(pipeline), m_registry(registry), m_fixed(std::move(fixed)),
      m_fixedIsOutput(fixedIsOutput),
      m_loopNodes(closure(pipeline, m_fixed.node, /*forwards=*/!fixedIsOutput))
{
}

QString ConnectionCheck::refusal(const model::PortRef &other) const
{
    const model::PortRef &from = m_fixedIsOutput ? m_fixed : other;
    const model::PortRef &to = m_fixedIsOutput ? other : m_fixed;
    if (from.node == to.node)
        return tr("A node cannot feed itself.");
    const model::NodeSpec *fromNode = m_pipeline.node(from.node);
    const model::NodeSpec *toNode = m_pipeline.node(to.node);
    const model::NodeType *fromType = fromNode ? m_registry.find(fromNode->type) : nullptr;
    const model::NodeType *toType = toNode ? m_registry.find(toNode->type) : nullptr;
    if (!fromType || !toType)
        return tr("Only nodes of a known type can be connected.");
    const model::PortSpec *out = fromType->output(from.port);
    const model::PortSpec *in = toType->input(to.port);
    if (!out)
        return tr("%1 has no output '%2': connect from an output (right side) to an input "
                  "(left side).")
            .arg(from.node, from.port);
    if (!in)
        return tr("%1 has no input '%2': connect from an output (right side) to an input "
                  "(left side).")
            .arg(to.node, to.port);
    if (out->dataType != in->dataType)
        return tr("%1 carries %2 but %3 takes %4.")
            .arg(from.toString(), out->dataType, to.toString(), in->dataType);
    for (const model::EdgeSpec &e : m_pipeline.edges) {
        if (e.from == from && e.to == to)
            return tr("These ports are already connected.");
    }
    // from -> to closes a loop when `to` already reaches `from`.
    if (m_loopNodes.contains(other.node))
        return tr("That would make a loop: %1 already feeds %2.").arg(to.node, from.node);
    return {};
}

QString connectionRefusal(const model::Pipeline &pipeline, const model::NodeTypeRegistry &registry,
                          const model::PortRef &from, const model::PortRef &to)
{
    return ConnectionCheck(pipeline, registry, from, true).refusal(to);
}

} // namespace weir::ui
