#include "inspector/editors/bool_field_editor.h"

#include <QBoxLayout>
#include <QCheckBox>

namespace weir::ui {

BoolFieldEditor::BoolFieldEditor(const model::ConfigField &field, QWidget *parent)
    : FieldEditor(field, parent), m_check(new QCheckBox(this))
{
    m_check->setToolTip(field.help);
    bodyLayout()->addWidget(m_check);
    bodyLayout()->addStretch();
    setFocusProxy(m_check);
    connect(m_check, &QCheckBox::clicked, this, [this](bool checked) {
        // The partly-checked "unset" state is shown, never chosen by a click.
        m_check->setTristate(false);
        m_value = checked;
        showState();
        emit edited(m_value);
    });
    showState();
}

void BoolFieldEditor::setValue(const QJsonValue &value)
{
    m_value = value;
    showState();
}

void BoolFieldEditor::showState()
{
    const QJsonValue shown = m_value.isUndefined() ? field().defaultValue : m_value;
    const bool unknown = !shown.isBool();
    m_check->setTristate(unknown);
    m_check->setCheckState(unknown          ? Qt::PartiallyChecked
                           : shown.toBool() ? Qt::Checked
                                            : Qt::Unchecked);
    if (!m_value.isUndefined())
        m_check->setText(QString());
    else
        m_check->setText(unknown ? tr("Not set") : tr("Default"));
}

} // namespace weir::ui
