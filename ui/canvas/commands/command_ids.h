#pragma once

// Ids of the undo commands that merge with their predecessor (QUndoCommand::id()).

namespace weir::ui {

enum CommandId : int
{
    MoveNodesId = 1,
    EditConfigId = 2,
    RenameNodeId = 3,
};

} // namespace weir::ui
