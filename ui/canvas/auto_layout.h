#pragma once

// Layered layout, left to right: each node goes one column right of its furthest
// predecessor (longest path), and nodes within a column are ordered by the mean row of their
// predecessors to keep edges from crossing. A pure function of the document.

#include "model/pipeline.h"

#include <QPointF>
#include <QString>
#include <map>

namespace weir::ui {

struct LayoutSpacing
{
    qreal column = 260;
    qreal row = 120;
};

std::map<QString, QPointF> layeredLayout(const model::Pipeline &pipeline,
                                         LayoutSpacing spacing = {});

} // namespace weir::ui
