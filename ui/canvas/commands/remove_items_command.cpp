#include "canvas/commands/remove_items_command.h"

#include "document/pipeline_model.h"

#include <QCoreApplication>
#include <algorithm>

namespace weir::ui {

RemoveItemsCommand::RemoveItemsCommand(PipelineModel *model, const QStringList &nodeIds,
                                       const std::vector<model::EdgeSpec> &edges,
                                       QUndoCommand *parent)
    : QUndoCommand(parent), m_model(model)
{
    const model::Pipeline &pipeline = model->pipeline();
    for (std::size_t i = 0; i < pipeline.nodes.size(); ++i) {
        if (nodeIds.contains(pipeline.nodes[i].id))
            m_nodes.push_back({static_cast<int>(i), pipeline.nodes[i]});
    }
    for (std::size_t i = 0; i < pipeline.edges.size(); ++i) {
        const model::EdgeSpec &edge = pipeline.edges[i];
        const bool touches = nodeIds.contains(edge.from.node) || nodeIds.contains(edge.to.node);
        const bool chosen = std::find(edges.begin(), edges.end(), edge) != edges.end();
        if (touches || chosen)
            m_edges.push_back({static_cast<int>(i), edge});
    }
    if (m_nodes.empty())
        setText(QCoreApplication::translate("weir::ui", "Disconnect"));
    else if (m_nodes.size() == 1)
        setText(QCoreApplication::translate("weir::ui", "Delete %1").arg(m_nodes.front().item.id));
    else
        setText(QCoreApplication::translate("weir::ui", "Delete %n node(s)", nullptr,
                                            static_cast<int>(m_nodes.size())));
}

void RemoveItemsCommand::redo()
{
    // Edges first, so no view ever sees an edge whose node is gone.
    for (auto it = m_edges.rbegin(); it != m_edges.rend(); ++it)
        m_model->removeEdge(it->item);
    for (auto it = m_nodes.rbegin(); it != m_nodes.rend(); ++it)
        m_model->takeNode(it->item.id);
}

void RemoveItemsCommand::undo()
{
    for (const auto &placed : m_nodes)
        m_model->insertNode(placed.index, placed.item);
    for (const auto &placed : m_edges)
        m_model->insertEdge(placed.index, placed.item);
}

} // namespace weir::ui
