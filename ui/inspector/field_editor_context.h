#pragma once

// FieldEditorContext: what an editor needs to know beyond its field — where the pipeline file
// lives (paths are stored relative to it) and whether the node writes (a path may name a file
// that does not exist yet). A plain value, built by the inspector for each form.

#include <QString>

namespace weir::ui {

struct FieldEditorContext
{
    QString baseDirectory; // folder of the pipeline file; empty while the pipeline is unsaved
    bool forOutput = false;
};

} // namespace weir::ui
