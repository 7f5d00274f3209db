#pragma once

// ConnectCommand: adds one edge from an output port to an input port.

#include "model/pipeline.h"

#include <QUndoCommand>

namespace weir::ui {

class PipelineModel;

class ConnectCommand final : public QUndoCommand
{
public:
    ConnectCommand(PipelineModel *model, model::EdgeSpec edge, QUndoCommand *parent = nullptr);

    void redo() override;
    void undo() override;

private:
    PipelineModel *m_model;
    model::EdgeSpec m_edge;
};

} // namespace weir::ui
