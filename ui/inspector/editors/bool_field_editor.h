#pragma once

// BoolFieldEditor: a check box (FieldKind::Bool). Unset shows the default; with no default,
// unset is the third, partly-checked state. GUI thread only.

#include "inspector/field_editor.h"

class QCheckBox;

namespace weir::ui {

class BoolFieldEditor final : public FieldEditor
{
    Q_OBJECT

public:
    explicit BoolFieldEditor(const model::ConfigField &field, QWidget *parent = nullptr);

    void setValue(const QJsonValue &value) override;
    QJsonValue value() const override { return m_value; }

    QCheckBox *checkBox() const { return m_check; }

private:
    void showState();

    QCheckBox *m_check;
    QJsonValue m_value{QJsonValue::Undefined};
};

} // namespace weir::ui
