#pragma once

// EditSettingsCommand: replaces the pipeline's "settings" object (e.g. its alert thresholds)
// as one undo step.

#include <QJsonObject>
#include <QUndoCommand>

namespace weir::ui {

class PipelineModel;

class EditSettingsCommand final : public QUndoCommand
{
public:
    EditSettingsCommand(PipelineModel *model, QJsonObject settings, QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    PipelineModel *m_model;
    QJsonObject m_before;
    QJsonObject m_after;
};

} // namespace weir::ui
