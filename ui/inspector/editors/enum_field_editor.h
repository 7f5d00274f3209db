#pragma once

// EnumFieldEditor: one of the schema's options (FieldKind::Enum) in a combo box. Unset shows
// the default option (marked as such) or, without a default, an empty "Choose…" box. A value
// the schema does not list stays visible so the file is not silently changed. GUI thread only.

#include "inspector/field_editor.h"

class QComboBox;

namespace weir::ui {

class EnumFieldEditor final : public FieldEditor
{
    Q_OBJECT

public:
    explicit EnumFieldEditor(const model::ConfigField &field, QWidget *parent = nullptr);

    void setValue(const QJsonValue &value) override;
    QJsonValue value() const override { return m_value; }

    QComboBox *comboBox() const { return m_combo; }

private:
    void fillOptions();

    QComboBox *m_combo;
    QJsonValue m_value{QJsonValue::Undefined};
};

} // namespace weir::ui
