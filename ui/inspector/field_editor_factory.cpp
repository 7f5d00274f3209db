#include "inspector/field_editor_factory.h"

#include "inspector/editors/bool_field_editor.h"
#include "inspector/editors/columns_field_editor.h"
#include "inspector/editors/enum_field_editor.h"
#include "inspector/editors/mapping_field_editor.h"
#include "inspector/editors/number_field_editor.h"
#include "inspector/editors/path_field_editor.h"
#include "inspector/editors/secret_field_editor.h"
#include "inspector/editors/sql_field_editor.h"
#include "inspector/editors/text_field_editor.h"

namespace weir::ui {

FieldEditor *createFieldEditor(const model::ConfigField &field, const FieldEditorContext &context,
                               QWidget *parent)
{
    FieldEditor *editor = nullptr;
    switch (field.kind) {
    case model::FieldKind::String:
        editor = new TextFieldEditor(field, parent);
        break;
    case model::FieldKind::Int:
    case model::FieldKind::Double:
        editor = new NumberFieldEditor(field, parent);
        break;
    case model::FieldKind::Bool:
        editor = new BoolFieldEditor(field, parent);
        break;
    case model::FieldKind::Enum:
        editor = new EnumFieldEditor(field, parent);
        break;
    case model::FieldKind::Secret:
        editor = new SecretFieldEditor(field, parent);
        break;
    case model::FieldKind::Path:
        editor = new PathFieldEditor(field, context, parent);
        break;
    case model::FieldKind::Sql:
        editor = new SqlFieldEditor(field, parent);
        break;
    case model::FieldKind::Columns:
        editor = new ColumnsFieldEditor(field, parent);
        break;
    case model::FieldKind::Mapping:
        editor = new MappingFieldEditor(field, parent);
        break;
    }
    if (editor)
        editor->setObjectName(QStringLiteral("field:") + field.key);
    return editor;
}

} // namespace weir::ui
