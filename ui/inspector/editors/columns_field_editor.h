#pragma once

// ColumnsFieldEditor: a list of column names (FieldKind::Columns, a JSON array of strings)
// typed as one comma-separated line — quick to type, reorder and paste. GUI thread only.

#include "inspector/field_editor.h"

#include <QStringList>

class QLineEdit;

namespace weir::ui {

class ColumnsFieldEditor final : public FieldEditor
{
    Q_OBJECT

public:
    explicit ColumnsFieldEditor(const model::ConfigField &field, QWidget *parent = nullptr);

    void setValue(const QJsonValue &value) override;
    QJsonValue value() const override { return m_value; }

    QLineEdit *lineEdit() const { return m_edit; }

    // "a, b ,,c" -> ["a", "b", "c"]
    static QStringList splitNames(const QString &text);
    static QString joinNames(const QJsonArray &names);

private:
    QLineEdit *m_edit;
    QJsonValue m_value{QJsonValue::Undefined};
};

} // namespace weir::ui
