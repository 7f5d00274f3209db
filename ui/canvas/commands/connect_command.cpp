#include "canvas/commands/connect_command.h"

#include "document/pipeline_model.h"

#include <QCoreApplication>

namespace weir::ui {

ConnectCommand::ConnectCommand(PipelineModel *model, model::EdgeSpec edge, QUndoCommand *parent)
    : QUndoCommand(parent), m_model(model), m_edge(std::move(edge))
{
    setText(QCoreApplication::translate("weir::ui", "Connect %1 to %2")
                .arg(m_edge.from.node, m_edge.to.node));
}

void ConnectCommand::redo()
{
    m_model->insertEdge(static_cast<int>(m_model->pipeline().edges.size()), m_edge);
}

void ConnectCommand::undo()
{
    m_model->removeEdge(m_edge);
}

} // namespace weir::ui
