#pragma once

// RemoveItemsCommand: deletes nodes together with every edge touching them, plus any other
// selected edges (a disconnect is this command with edges only). Undo puts each node and edge
// back at its old place in the document, so the saved file is byte-identical again.

#include "model/pipeline.h"

#include <QStringList>
#include <QUndoCommand>
#include <vector>

namespace weir::ui {

class PipelineModel;

class RemoveItemsCommand final : public QUndoCommand
{
public:
    RemoveItemsCommand(PipelineModel *model, const QStringList &nodeIds,
                       const std::vector<model::EdgeSpec> &edges, QUndoCommand *parent = nullptr);

    // False when there was nothing to remove (the caller need not push it).
    bool isEmpty() const { return m_nodes.empty() && m_edges.empty(); }

    void redo() override;
    void undo() override;

private:
    template<typename T> struct Placed
    {
        int index;
        T item;
    };

    PipelineModel *m_model;
    std::vector<Placed<model::NodeSpec>> m_nodes; // ascending index
    std::vector<Placed<model::EdgeSpec>> m_edges; // ascending index
};

} // namespace weir::ui
