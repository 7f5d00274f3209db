#pragma once

// NumberFieldEditor: a whole or real number (FieldKind::Int, FieldKind::Double) with the
// schema's range; empty means unset, the default shows as the placeholder. GUI thread only.

#include "inspector/field_editor.h"

namespace weir::ui {

class NumberSpinBox;

class NumberFieldEditor final : public FieldEditor
{
    Q_OBJECT

public:
    explicit NumberFieldEditor(const model::ConfigField &field, QWidget *parent = nullptr);

    void setValue(const QJsonValue &value) override;
    QJsonValue value() const override { return m_value; }

    NumberSpinBox *spinBox() const { return m_spin; }
    // "a whole number from 1 to 1000000"
    QString rangeText() const;

private:
    NumberSpinBox *m_spin;
    QJsonValue m_value{QJsonValue::Undefined};
};

} // namespace weir::ui
