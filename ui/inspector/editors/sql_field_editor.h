#pragma once

// SqlFieldEditor: an SQL text (FieldKind::Sql) in a monospace editor with SQL highlighting
// that grows with its text up to a dozen lines. Tab moves on to the next field. GUI thread.

#include "inspector/field_editor.h"

class QPlainTextEdit;

namespace weir::ui {

class SqlHighlighter;

class SqlFieldEditor final : public FieldEditor
{
    Q_OBJECT

public:
    explicit SqlFieldEditor(const model::ConfigField &field, QWidget *parent = nullptr);

    void setValue(const QJsonValue &value) override;
    QJsonValue value() const override { return m_value; }

    QPlainTextEdit *textEdit() const { return m_edit; }
    SqlHighlighter *highlighter() const { return m_highlighter; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateHeight();

    QPlainTextEdit *m_edit;
    SqlHighlighter *m_highlighter;
    QJsonValue m_value{QJsonValue::Undefined};
    bool m_updating = false;
};

} // namespace weir::ui
