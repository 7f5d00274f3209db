#pragma once

// RenameNodeCommand: a node's label (its id stays: edges and checkpoints refer to the id).
// Successive edits of the same label merge.

#include <QString>
#include <QUndoCommand>

namespace weir::ui {

class PipelineModel;

class RenameNodeCommand final : public QUndoCommand
{
public:
    RenameNodeCommand(PipelineModel *model, QString nodeId, QString label,
                      QUndoCommand *parent = nullptr);

    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;
    void redo() override;
    void undo() override;

private:
    PipelineModel *m_model;
    QString m_nodeId;
    QString m_before;
    QString m_after;
};

} // namespace weir::ui
