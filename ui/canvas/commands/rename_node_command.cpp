#include "canvas/commands/rename_node_command.h"

#include "canvas/commands/command_ids.h"
#include "document/pipeline_model.h"

#include <QCoreApplication>

namespace weir::ui {

RenameNodeCommand::RenameNodeCommand(PipelineModel *model, QString nodeId, QString label,
                                     QUndoCommand *parent)
    : QUndoCommand(parent), m_model(model), m_nodeId(std::move(nodeId)), m_after(std::move(label))
{
    if (const model::NodeSpec *node = model->node(m_nodeId))
        m_before = node->label;
    setText(QCoreApplication::translate("weir::ui", "Rename %1").arg(m_nodeId));
}

int RenameNodeCommand::id() const
{
    return RenameNodeId;
}

bool RenameNodeCommand::mergeWith(const QUndoCommand *other)
{
    const auto *next = dynamic_cast<const RenameNodeCommand *>(other);
    if (!next || next->m_nodeId != m_nodeId)
        return false;
    m_after = next->m_after;
    if (m_after == m_before)
        setObsolete(true);
    return true;
}

void RenameNodeCommand::redo()
{
    m_model->setNodeLabel(m_nodeId, m_after);
}

void RenameNodeCommand::undo()
{
    m_model->setNodeLabel(m_nodeId, m_before);
}

} // namespace weir::ui
