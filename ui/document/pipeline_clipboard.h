#pragma once

// Copy and paste of a selection: the chosen nodes and the edges among them travel as a small
// pipeline document (the same JSON as a file, so a paste into a text editor is readable).
// Pasted nodes get fresh ids and are offset so they do not hide their originals.

#include "model/pipeline.h"

#include <QByteArray>
#include <QPointF>
#include <QStringList>
#include <vector>

namespace weir::ui {

class PipelineModel;

inline constexpr char kPipelineMimeType[] = "application/x-weir-pipeline";

// The nodes with these ids and the edges between two of them.
QByteArray copySelection(const model::Pipeline &pipeline, const QStringList &nodeIds);

struct PasteItems
{
    std::vector<model::NodeSpec> nodes;
    std::vector<model::EdgeSpec> edges;
};

// Renames clashing ids against `model` (edges follow) and moves every node by `offset`.
// Empty when `data` is not a pipeline.
PasteItems preparePaste(const QByteArray &data, const PipelineModel &model, QPointF offset);

} // namespace weir::ui
