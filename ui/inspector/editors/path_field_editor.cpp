#include "inspector/editors/path_field_editor.h"

#include "inspector/editors/text_field_editor.h"

#include <QBoxLayout>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QPushButton>

namespace weir::ui {

namespace {

// The schema has no file-or-folder flag; folder fields say so in their key or label
// ("folder", "Lake folder", "root").
bool isFolderField(const model::ConfigField &field)
{
    for (const QString &text : {field.key, field.label}) {
        if (text.contains(QLatin1String("folder"), Qt::CaseInsensitive) ||
            text.contains(QLatin1String("directory"), Qt::CaseInsensitive))
            return true;
    }
    return field.key == QLatin1String("root") || field.key.endsWith(QLatin1String("_dir"));
}

} // namespace

PathFieldEditor::PathFieldEditor(const model::ConfigField &field, FieldEditorContext context,
                                 QWidget *parent)
    : FieldEditor(field, parent), m_context(std::move(context)), m_folder(isFolderField(field)),
      m_edit(new QLineEdit(this)), m_browse(new QPushButton(tr("Browse…"), this))
{
    QString placeholder = placeholderFor(field);
    if (placeholder.isEmpty() || placeholder == tr("Required"))
        placeholder = tr("Relative to the pipeline file");
    m_edit->setPlaceholderText(placeholder);
    m_edit->setToolTip(field.help);
    m_browse->setToolTip(m_folder ? tr("Choose a folder") : tr("Choose a file"));
    m_browse->setAutoDefault(false);
    bodyLayout()->addWidget(m_edit, 1);
    bodyLayout()->addWidget(m_browse);
    setFocusProxy(m_edit);
    connect(m_edit, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_value = text.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(text);
        emit edited(m_value);
    });
    connect(m_browse, &QPushButton::clicked, this, &PathFieldEditor::browse);
}

void PathFieldEditor::setValue(const QJsonValue &value)
{
    m_value = value;
    TextFieldEditor::replaceText(m_edit, displayText(value));
}

void PathFieldEditor::applyChosenPath(const QString &absolutePath)
{
    const QString stored = storedPath(absolutePath, m_context.baseDirectory);
    m_edit->setText(stored);
    m_value = stored;
    emit edited(m_value);
}

QString PathFieldEditor::storedPath(const QString &absolutePath, const QString &baseDirectory)
{
    QString cleaned = QDir::cleanPath(absolutePath);
    if (baseDirectory.isEmpty())
        return cleaned;
    const QString relative = QDir(baseDirectory).relativeFilePath(cleaned);
    if (relative == QLatin1String("..") || relative.startsWith(QLatin1String("../")) ||
        QDir::isAbsolutePath(relative))
        return cleaned;
    return relative.isEmpty() ? QStringLiteral(".") : relative;
}

void PathFieldEditor::browse()
{
    const QString base =
        m_context.baseDirectory.isEmpty() ? QDir::homePath() : m_context.baseDirectory;
    const QString current = m_edit->text();
    const QString start = current.isEmpty() ? base : QDir(base).absoluteFilePath(current);
    const QString title = tr("Choose %1").arg(field().label);
    QString chosen;
    if (m_folder)
        chosen = QFileDialog::getExistingDirectory(this, title, start);
    else if (m_context.forOutput)
        // A target file may not exist yet; it is created, never overwritten by choosing it.
        chosen = QFileDialog::getSaveFileName(this, title, start, {}, nullptr,
                                              QFileDialog::DontConfirmOverwrite);
    else
        chosen = QFileDialog::getOpenFileName(this, title, start);
    if (!chosen.isEmpty())
        applyChosenPath(chosen);
}

} // namespace weir::ui
