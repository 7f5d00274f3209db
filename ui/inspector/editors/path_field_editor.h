#pragma once

// PathFieldEditor: a file or folder (FieldKind::Path) typed or picked with "Browse…". A pick
// inside the pipeline file's folder is stored relative to it, so the pipeline moves with its
// data. GUI thread only.

#include "inspector/field_editor.h"
#include "inspector/field_editor_context.h"

class QLineEdit;
class QPushButton;

namespace weir::ui {

class PathFieldEditor final : public FieldEditor
{
    Q_OBJECT

public:
    PathFieldEditor(const model::ConfigField &field, FieldEditorContext context,
                    QWidget *parent = nullptr);

    void setValue(const QJsonValue &value) override;
    QJsonValue value() const override { return m_value; }

    QLineEdit *lineEdit() const { return m_edit; }
    QPushButton *browseButton() const { return m_browse; }
    // The field names a folder rather than a file.
    bool choosesFolder() const { return m_folder; }

    // Stores an absolute path the user picked, as if chosen in the dialog.
    void applyChosenPath(const QString &absolutePath);
    // `absolutePath` relative to `baseDirectory` when inside it, else unchanged (cleaned).
    static QString storedPath(const QString &absolutePath, const QString &baseDirectory);

private:
    void browse();

    FieldEditorContext m_context;
    bool m_folder;
    QLineEdit *m_edit;
    QPushButton *m_browse;
    QJsonValue m_value{QJsonValue::Undefined};
};

} // namespace weir::ui
