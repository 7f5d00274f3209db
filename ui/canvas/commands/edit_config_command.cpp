#include "canvas/commands/edit_config_command.h"

#include "canvas/commands/command_ids.h"
#include "document/pipeline_model.h"

#include <QCoreApplication>

namespace weir::ui {

EditConfigCommand::EditConfigCommand(PipelineModel *model, QString nodeId, QString key,
                                     QJsonValue value, QUndoCommand *parent)
    : QUndoCommand(parent), m_model(model), m_nodeId(std::move(nodeId)), m_key(std::move(key)),
      m_after(std::move(value))
{
    if (const model::NodeSpec *node = model->node(m_nodeId))
        m_before = node->config.value(m_key);
    setText(QCoreApplication::translate("weir::ui", "Edit %1 of %2").arg(m_key, m_nodeId));
}

int EditConfigCommand::id() const
{
    return EditConfigId;
}

bool EditConfigCommand::mergeWith(const QUndoCommand *other)
{
    const auto *next = dynamic_cast<const EditConfigCommand *>(other);
    if (!next || next->m_nodeId != m_nodeId || next->m_key != m_key)
        return false;
    m_after = next->m_after;
    // Typing back to where it started leaves nothing to undo.
    if (m_after == m_before)
        setObsolete(true);
    return true;
}

void EditConfigCommand::redo()
{
    m_model->setConfigValue(m_nodeId, m_key, m_after);
}

void EditConfigCommand::undo()
{
    m_model->setConfigValue(m_nodeId, m_key, m_before);
}

} // namespace weir::ui
