#include "inspector/editors/enum_field_editor.h"

#include "common/form_style.h"

#include <QBoxLayout>
#include <QComboBox>

namespace weir::ui {

EnumFieldEditor::EnumFieldEditor(const model::ConfigField &field, QWidget *parent)
    : FieldEditor(field, parent), m_combo(new QComboBox(this))
{
    m_combo->setToolTip(field.help);
    m_combo->setPlaceholderText(field.required ? tr("Choose…") : tr("Not set"));
    m_combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    ignoreWheelUnlessFocused(m_combo);
    bodyLayout()->addWidget(m_combo, 1);
    setFocusProxy(m_combo);
    fillOptions();
    connect(m_combo, &QComboBox::activated, this, [this](int index) {
        m_value = m_combo->itemData(index).toString();
        emit edited(m_value);
    });
    setValue(QJsonValue(QJsonValue::Undefined));
}

void EnumFieldEditor::fillOptions()
{
    m_combo->clear();
    const QString defaultOption = field().defaultValue.toString();
    for (const QString &option : field().options) {
        const QString text = option == defaultOption ? tr("%1 (default)").arg(option) : option;
        m_combo->addItem(text, option);
    }
}

void EnumFieldEditor::setValue(const QJsonValue &value)
{
    m_value = value;
    if (m_combo->count() != field().options.size())
        fillOptions(); // drop the entry of an unknown value shown before
    const QString shown =
        value.isUndefined() ? field().defaultValue.toString() : displayText(value);
    int index = m_combo->findData(shown);
    if (index < 0 && !value.isUndefined()) {
        m_combo->addItem(tr("%1 (unknown)").arg(shown), shown);
        index = m_combo->count() - 1;
    }
    m_combo->setCurrentIndex(index);
}

} // namespace weir::ui
