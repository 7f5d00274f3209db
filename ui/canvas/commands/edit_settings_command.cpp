#include "canvas/commands/edit_settings_command.h"

#include "document/pipeline_model.h"

#include <QCoreApplication>

namespace weir::ui {

EditSettingsCommand::EditSettingsCommand(PipelineModel *model, QJsonObject settings,
                                         QUndoCommand *parent)
    : QUndoCommand(parent), m_model(model), m_before(model->pipeline().settings),
      m_after(std::move(settings))
{
    setText(QCoreApplication::translate("weir::ui", "Change pipeline settings"));
}

void EditSettingsCommand::redo()
{
    m_model->setSettings(m_after);
}

void EditSettingsCommand::undo()
{
    m_model->setSettings(m_before);
}

} // namespace weir::ui
