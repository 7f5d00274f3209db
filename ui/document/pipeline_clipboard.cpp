#include "document/pipeline_clipboard.h"

#include "document/pipeline_model.h"
#include "model/pipeline_json.h"

#include <QHash>
#include <QSet>

namespace weir::ui {

QByteArray copySelection(const model::Pipeline &pipeline, const QStringList &nodeIds)
{
    model::Pipeline part;
    part.name = pipeline.name;
    for (const model::NodeSpec &node : pipeline.nodes) {
        if (nodeIds.contains(node.id))
            part.nodes.push_back(node);
    }
    for (const model::EdgeSpec &edge : pipeline.edges) {
        if (nodeIds.contains(edge.from.node) && nodeIds.contains(edge.to.node))
            part.edges.push_back(edge);
    }
    return model::serializePipeline(part);
}

PasteItems preparePaste(const QByteArray &data, const PipelineModel &model, QPointF offset)
{
    model::PipelineParse parsed = model::parsePipeline(data, QStringLiteral("clipboard"));
    if (!parsed.pipeline)
        return {};
    PasteItems items;
    QHash<QString, QString> renamed;
    QSet<QString> taken;
    for (model::NodeSpec node : parsed.pipeline->nodes) {
        QString id = model.uniqueNodeId(node.id);
        for (int n = 2; taken.contains(id); ++n)
            id = model.uniqueNodeId(node.id + QLatin1Char('_') + QString::number(n));
        taken.insert(id);
        renamed.insert(node.id, id);
        node.id = id;
        node.x += offset.x();
        node.y += offset.y();
        items.nodes.push_back(std::move(node));
    }
    for (model::EdgeSpec edge : parsed.pipeline->edges) {
        if (!renamed.contains(edge.from.node) || !renamed.contains(edge.to.node))
            continue;
        edge.from.node = renamed.value(edge.from.node);
        edge.to.node = renamed.value(edge.to.node);
        items.edges.push_back(std::move(edge));
    }
    return items;
}

} // namespace weir::ui
