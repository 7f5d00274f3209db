#include "canvas/commands/move_nodes_command.h"

#include "canvas/commands/command_ids.h"
#include "document/pipeline_model.h"

namespace weir::ui {

MoveNodesCommand::MoveNodesCommand(PipelineModel *model, std::map<QString, Move> moves,
                                   const QString &text, bool mergeable, QUndoCommand *parent)
    : QUndoCommand(text, parent), m_model(model), m_moves(std::move(moves)), m_mergeable(mergeable)
{
}

int MoveNodesCommand::id() const
{
    return m_mergeable ? MoveNodesId : -1;
}

bool MoveNodesCommand::mergeWith(const QUndoCommand *other)
{
    const auto *next = dynamic_cast<const MoveNodesCommand *>(other);
    if (!next || !next->m_mergeable || next->m_moves.size() != m_moves.size())
        return false;
    for (const auto &[id, move] : next->m_moves) {
        if (!m_moves.count(id))
            return false;
    }
    for (const auto &[id, move] : next->m_moves)
        m_moves[id].to = move.to;
    return true;
}

void MoveNodesCommand::redo()
{
    for (const auto &[id, move] : m_moves)
        m_model->setNodePosition(id, move.to);
}

void MoveNodesCommand::undo()
{
    for (const auto &[id, move] : m_moves)
        m_model->setNodePosition(id, move.from);
}

} // namespace weir::ui
