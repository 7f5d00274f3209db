#pragma once

// MappingFieldEditor: a column -> value object (FieldKind::Mapping) as a two-column table.
// Values keep their JSON type (see mapping_values.h); a row that does not parse is marked
// and nothing is written until it does. GUI thread only.

#include "inspector/editors/mapping_values.h"
#include "inspector/field_editor.h"

class QTableWidget;
class QTableWidgetItem;
class QToolButton;

namespace weir::ui {

class ToneLabel;

class MappingFieldEditor final : public FieldEditor
{
    Q_OBJECT

public:
    explicit MappingFieldEditor(const model::ConfigField &field, QWidget *parent = nullptr);

    void setValue(const QJsonValue &value) override;
    QJsonValue value() const override { return m_value; }

    QTableWidget *table() const { return m_table; }
    QToolButton *addButton() const { return m_add; }
    QToolButton *removeButton() const { return m_remove; }

    // Appends an empty row and starts editing its key.
    void addRow();
    void removeSelectedRows();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void appendRow(const QString &key, const QJsonValue &value, ValueShape shape);
    void rowsEdited();
    void markCell(QTableWidgetItem *item, const QString &error);
    void updateHeight();

    QTableWidget *m_table;
    QToolButton *m_add;
    QToolButton *m_remove;
    ToneLabel *m_emptyHint; // over the empty table, so it does not read as a text box
    QJsonValue m_value{QJsonValue::Undefined};
    bool m_updating = false;
};

} // namespace weir::ui
