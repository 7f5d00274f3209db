#pragma once

// AddNodesCommand: adds nodes and the edges among (or to) them in one undoable step — a node
// dropped from the palette, a paste, a duplicate. Undo removes exactly what it added.

#include "model/pipeline.h"

#include <QUndoCommand>
#include <vector>

namespace weir::ui {

class PipelineModel;

class AddNodesCommand final : public QUndoCommand
{
public:
    AddNodesCommand(PipelineModel *model, std::vector<model::NodeSpec> nodes,
                    std::vector<model::EdgeSpec> edges, const QString &text,
                    QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    PipelineModel *m_model;
    std::vector<model::NodeSpec> m_nodes;
    std::vector<model::EdgeSpec> m_edges;
};

} // namespace weir::ui
