#include "inspector/editors/number_field_editor.h"

#include "common/form_style.h"
#include "inspector/editors/number_spin_box.h"

#include <QBoxLayout>
#include <QLineEdit>

namespace weir::ui {

NumberFieldEditor::NumberFieldEditor(const model::ConfigField &field, QWidget *parent)
    : FieldEditor(field, parent), m_spin(new NumberSpinBox(field.kind == model::FieldKind::Int,
                                                           field.minimum, field.maximum, this))
{
    if (field.defaultValue.isDouble())
        m_spin->setStepOrigin(field.defaultValue.toDouble());
    m_spin->textField()->setPlaceholderText(placeholderFor(field));
    const QString range = rangeText();
    m_spin->setToolTip(field.help.isEmpty()
                           ? range
                           : field.help + QLatin1Char('\n') + tr("Expects %1.").arg(range));
    ignoreWheelUnlessFocused(m_spin);
    bodyLayout()->addWidget(m_spin);
    setFocusProxy(m_spin);
    connect(m_spin, &NumberSpinBox::numberEdited, this, [this](std::optional<double> n) {
        if (!n)
            m_value = QJsonValue(QJsonValue::Undefined);
        else if (this->field().kind == model::FieldKind::Int)
            m_value = QJsonValue(static_cast<qint64>(*n));
        else
            m_value = QJsonValue(*n);
        setNotice({});
        emit edited(m_value);
    });
    connect(m_spin, &NumberSpinBox::textTyped, this, [this] {
        setNotice(m_spin->hasUnfinishedInput() ? tr("Enter %1.").arg(rangeText()) : QString());
    });
}

void NumberFieldEditor::setValue(const QJsonValue &value)
{
    m_value = value;
    setNotice({});
    if (value.isDouble() || value.isUndefined()) {
        m_spin->setNumber(value.isDouble() ? std::optional(value.toDouble()) : std::nullopt);
    } else {
        // Not a number at all (a hand-edited file): show it as it is; validation says why.
        m_spin->textField()->setText(displayText(value));
    }
}

QString NumberFieldEditor::rangeText() const
{
    const model::ConfigField &f = field();
    QString what = f.kind == model::FieldKind::Int ? tr("a whole number") : tr("a number");
    if (f.minimum && f.maximum)
        return tr("%1 from %2 to %3")
            .arg(what, m_spin->format(*f.minimum), m_spin->format(*f.maximum));
    if (f.minimum)
        return tr("%1 of at least %2").arg(what, m_spin->format(*f.minimum));
    if (f.maximum)
        return tr("%1 of at most %2").arg(what, m_spin->format(*f.maximum));
    return what;
}

} // namespace weir::ui
