#pragma once

// createFieldEditor: the editor for a config field, chosen by its kind — the one place that
// maps FieldKind to an editor class, as QGIS maps parameter types to widget wrappers.

#include "inspector/field_editor.h"
#include "inspector/field_editor_context.h"

namespace weir::ui {

FieldEditor *createFieldEditor(const model::ConfigField &field, const FieldEditorContext &context,
                               QWidget *parent);

} // namespace weir::ui
