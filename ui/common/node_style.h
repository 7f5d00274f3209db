#pragma once

// How node types look wherever they appear (palette, canvas, inspector header): one accent
// colour and one icon per category, drawn here so every view agrees. GUI thread only.

#include "model/node_type_registry.h"

#include <QColor>
#include <QIcon>

namespace weir::ui {

QColor categoryColor(model::NodeCategory category);
// A glyph for the category in its accent colour: sources a cylinder, transforms a funnel,
// sinks a tray. Cached; cheap to call per paint.
QIcon categoryIcon(model::NodeCategory category);
QString categoryTitle(model::NodeCategory category); // "Sources", "Transforms", "Targets"

} // namespace weir::ui
