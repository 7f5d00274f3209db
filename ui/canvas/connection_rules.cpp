#include "canvas/connection_rules.h"

#include <QCoreApplication>
#include <QSet>
#include <QStringList>

namespace weir::ui {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("weir::ui", text);
}

// True when `to` already reaches `from`, so from -> to would close a loop.
bool reaches(const model::Pipeline &pipeline, const QString &start, const QString &goal)
{
    QSet<QString> seen{start};
    QStringList work{start};
    while (!work.isEmpty()) {
        const QString id = work.takeLast();
        if (id == goal)
            return true;
        for (const model::EdgeSpec *e : pipeline.edgesFrom(id)) {
            if (!seen.contains(e->to.node)) {
                seen.insert(e->to.node);
                work << e->to.node;
            }
        }
    }
    return false;
}

} // namespace

QString connectionRefusal(const model::Pipeline &pipeline, const model::NodeTypeRegistry &registry,
                          const model::PortRef &from, const model::PortRef &to)
{
    if (from.node == to.node)
        return tr("A node cannot feed itself.");
    const model::NodeSpec *fromNode = pipeline.node(from.node);
    const model::NodeSpec *toNode = pipeline.node(to.node);
    const model::NodeType *fromType = fromNode ? registry.find(fromNode->type) : nullptr;
    const model::NodeType *toType = toNode ? registry.find(toNode->type) : nullptr;
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
    for (const model::EdgeSpec &e : pipeline.edges) {
        if (e.from == from && e.to == to)
            return tr("These ports are already connected.");
    }
    if (reaches(pipeline, to.node, from.node))
        return tr("That would make a loop: %1 already feeds %2.").arg(to.node, from.node);
    return {};
}

} // namespace weir::ui
