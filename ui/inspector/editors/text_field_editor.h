#pragma once

// TextFieldEditor: a one-line text field (FieldKind::String). Empty text unsets the key so the
// default applies again. GUI thread only.

#include "inspector/field_editor.h"

class QLineEdit;

namespace weir::ui {

class TextFieldEditor final : public FieldEditor
{
    Q_OBJECT

public:
    explicit TextFieldEditor(const model::ConfigField &field, QWidget *parent = nullptr);

    void setValue(const QJsonValue &value) override;
    QJsonValue value() const override { return m_value; }

    QLineEdit *lineEdit() const { return m_edit; }

    // Replaces the text of `edit`; while it has the focus the cursor stays where it was
    // (clamped): an undo arriving while the user types must not throw it to the end.
    static void replaceText(QLineEdit *edit, const QString &text);

private:
    QLineEdit *m_edit;
    QJsonValue m_value{QJsonValue::Undefined};
};

} // namespace weir::ui
