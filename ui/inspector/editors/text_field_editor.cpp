#include "inspector/editors/text_field_editor.h"

#include <QBoxLayout>
#include <QLineEdit>

namespace weir::ui {

TextFieldEditor::TextFieldEditor(const model::ConfigField &field, QWidget *parent)
    : FieldEditor(field, parent), m_edit(new QLineEdit(this))
{
    m_edit->setPlaceholderText(placeholderFor(field));
    m_edit->setToolTip(field.help);
    bodyLayout()->addWidget(m_edit);
    setFocusProxy(m_edit);
    connect(m_edit, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_value = text.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(text);
        emit edited(m_value);
    });
}

void TextFieldEditor::setValue(const QJsonValue &value)
{
    m_value = value;
    replaceText(m_edit, displayText(value));
}

void TextFieldEditor::replaceText(QLineEdit *edit, const QString &text)
{
    if (edit->text() == text)
        return;
    if (!edit->hasFocus()) {
        // Show the start of a long value rather than its end.
        edit->setText(text);
        edit->setCursorPosition(0);
        return;
    }
    const int cursor = edit->cursorPosition();
    edit->setText(text);
    edit->setCursorPosition(qMin(cursor, static_cast<int>(text.size())));
}

} // namespace weir::ui
