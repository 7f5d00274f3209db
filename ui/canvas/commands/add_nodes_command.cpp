#include "canvas/commands/add_nodes_command.h"

#include "document/pipeline_model.h"

namespace weir::ui {

AddNodesCommand::AddNodesCommand(PipelineModel *model, std::vector<model::NodeSpec> nodes,
                                 std::vector<model::EdgeSpec> edges, const QString &text,
                                 QUndoCommand *parent)
    : QUndoCommand(text, parent), m_model(model), m_nodes(std::move(nodes)),
      m_edges(std::move(edges))
{
}

void AddNodesCommand::redo()
{
    for (const model::NodeSpec &node : m_nodes)
        m_model->insertNode(static_cast<int>(m_model->pipeline().nodes.size()), node);
    for (const model::EdgeSpec &edge : m_edges)
        m_model->insertEdge(static_cast<int>(m_model->pipeline().edges.size()), edge);
}

void AddNodesCommand::undo()
{
    for (auto it = m_edges.rbegin(); it != m_edges.rend(); ++it)
        m_model->removeEdge(*it);
    for (auto it = m_nodes.rbegin(); it != m_nodes.rend(); ++it)
        m_model->takeNode(it->id);
}

} // namespace weir::ui
