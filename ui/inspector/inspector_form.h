#pragma once

// InspectorForm: the form of one node, built once from its type's schema — header (icon,
// type, description, node-level problems), label and id, then one row per field with its
// editor, reset button and help. It shows values and reports edits; InspectorWidget turns
// the edits into undo commands. GUI thread only.

#include "inspector/field_editor_context.h"
#include "model/node_type_registry.h"
#include "model/pipeline.h"

#include <QHash>
#include <QJsonValue>
#include <QTimer>
#include <QWidget>
#include <map>

class QFormLayout;
class QLineEdit;
class QPushButton;
class QToolButton;
class QVBoxLayout;

namespace weir::ui {

class FieldEditor;
class ToneLabel;

class InspectorForm final : public QWidget
{
    Q_OBJECT

public:
    // `type` is null for a node whose type Weir does not know: the form then says so.
    InspectorForm(const model::NodeSpec &node, const model::NodeType *type,
                  const FieldEditorContext &context, QWidget *parent = nullptr);

    FieldEditor *editor(const QString &key) const;
    QToolButton *resetButton(const QString &key) const;
    QLineEdit *labelEdit() const { return m_labelEdit; }
    // Node-level problems as shown in the header; empty when there are none.
    QString headerProblems() const;

    // The model's value of a field (undefined: unset). Leaves the editor alone when it already
    // shows that value, so the cursor of the field being typed in stays put.
    void showValue(const QString &key, const QJsonValue &value);
    void showLabel(const QString &label);
    // Problems of this node: those with no field (or a field the form has no row for) go to
    // the header, the others under their field.
    void setProblems(const QStringList &headerProblems, const QHash<QString, QString> &byField);

    // Test connection (node types that talk to a server): the button waits while a test runs,
    // the line under it says what the test found or why it failed.
    void showConnectionTesting();
    void showConnectionResult(const Result<QString> &result);
    QPushButton *testConnectionButton() const { return m_testConnection; }
    QString connectionResult() const;

signals:
    void fieldEdited(const QString &key, const QJsonValue &value);
    void labelEdited(const QString &label);
    void testConnectionRequested();

private:
    void addHeader(QVBoxLayout *layout, const model::NodeSpec &node, const model::NodeType *type);
    void addIdentityRows(const model::NodeSpec &node, QFormLayout *form);
    void addFieldRow(const model::ConfigField &field, const QJsonValue &value,
                     const FieldEditorContext &context, QFormLayout *form);
    void addConnectionTest(QVBoxLayout *layout);

    QLineEdit *m_labelEdit = nullptr;
    QWidget *m_problemsBox = nullptr;
    ToneLabel *m_problems = nullptr;
    std::map<QString, FieldEditor *> m_editors;
    std::map<QString, QToolButton *> m_resets;
    QPushButton *m_testConnection = nullptr;
    ToneLabel *m_connectionResult = nullptr;
    QTimer m_relayout; // lays the form out again once pending layout requests are handled
};

} // namespace weir::ui
