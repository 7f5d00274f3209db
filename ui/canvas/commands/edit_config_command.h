#pragma once

// EditConfigCommand: one config field of one node gets a new value. Successive edits of the
// same field (typing, spinning) merge into one undo step; an undefined value removes the key.

#include <QJsonValue>
#include <QString>
#include <QUndoCommand>

namespace weir::ui {

class PipelineModel;

class EditConfigCommand final : public QUndoCommand
{
public:
    EditConfigCommand(PipelineModel *model, QString nodeId, QString key, QJsonValue value,
                      QUndoCommand *parent = nullptr);

    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;
    void redo() override;
    void undo() override;

private:
    PipelineModel *m_model;
    QString m_nodeId;
    QString m_key;
    QJsonValue m_before;
    QJsonValue m_after;
};

} // namespace weir::ui
