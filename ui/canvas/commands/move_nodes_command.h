#pragma once

// MoveNodesCommand: new canvas positions for one or more nodes (a drag, a nudge with the
// arrow keys, align, auto-layout). Consecutive nudges of the same nodes merge into one step.

#include <QPointF>
#include <QString>
#include <QUndoCommand>
#include <map>

namespace weir::ui {

class PipelineModel;

class MoveNodesCommand final : public QUndoCommand
{
public:
    struct Move
    {
        QPointF from;
        QPointF to;
    };

    // `mergeable`: keyboard nudges merge; a drag or a layout is a step of its own.
    MoveNodesCommand(PipelineModel *model, std::map<QString, Move> moves, const QString &text,
                     bool mergeable = false, QUndoCommand *parent = nullptr);

    int id() const override;
    bool mergeWith(const QUndoCommand *other) override;
    void redo() override;
    void undo() override;

private:
    PipelineModel *m_model;
    std::map<QString, Move> m_moves;
    bool m_mergeable;
};

} // namespace weir::ui
