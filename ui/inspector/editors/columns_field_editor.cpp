#include "inspector/editors/columns_field_editor.h"

#include "inspector/editors/text_field_editor.h"

#include <QBoxLayout>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLineEdit>

namespace weir::ui {

namespace {

const QString kSeparator = QStringLiteral(", ");

} // namespace

ColumnsFieldEditor::ColumnsFieldEditor(const model::ConfigField &field, QWidget *parent)
    : FieldEditor(field, parent), m_edit(new QLineEdit(this))
{
    QString placeholder;
    if (field.defaultValue.isArray()) {
        placeholder = joinNames(field.defaultValue.toArray());
    } else {
        placeholder = placeholderFor(field);
        // An example written as JSON in the help (e.g. ["*.csv"]) reads better as typed here.
        const QString example = placeholder.section(QLatin1Char(' '), 1);
        const QJsonDocument json = QJsonDocument::fromJson(example.toUtf8());
        if (json.isArray())
            placeholder = tr("e.g. %1").arg(joinNames(json.array()));
        else if (placeholder.isEmpty() || placeholder == tr("Required"))
            placeholder = field.required ? tr("Required; names separated by commas")
                                         : tr("Names separated by commas");
    }
    m_edit->setPlaceholderText(placeholder);
    m_edit->setToolTip(field.help + QLatin1Char('\n') + tr("Separate names with commas."));
    bodyLayout()->addWidget(m_edit);
    setFocusProxy(m_edit);
    connect(m_edit, &QLineEdit::textEdited, this, [this](const QString &text) {
        const QStringList names = splitNames(text);
        m_value = names.isEmpty() ? QJsonValue(QJsonValue::Undefined)
                                  : QJsonValue(QJsonArray::fromStringList(names));
        emit edited(m_value);
    });
}

void ColumnsFieldEditor::setValue(const QJsonValue &value)
{
    m_value = value;
    TextFieldEditor::replaceText(m_edit,
                                 value.isArray() ? joinNames(value.toArray()) : displayText(value));
}

QStringList ColumnsFieldEditor::splitNames(const QString &text)
{
    QStringList names;
    for (const QString &part : text.split(QLatin1Char(','))) {
        if (const QString name = part.trimmed(); !name.isEmpty())
            names.append(name);
    }
    return names;
}

QString ColumnsFieldEditor::joinNames(const QJsonArray &names)
{
    QStringList parts;
    for (const QJsonValue name : names)
        parts.append(displayText(name));
    return parts.join(kSeparator);
}

} // namespace weir::ui
