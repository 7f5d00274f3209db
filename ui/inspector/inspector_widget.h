#pragma once

// InspectorWidget: the settings form of the selected node. Owns the form it builds from the
// node type's schema, pushes every edit as an undo command on the document's stack, and
// follows the model (undo, other views) in place. Lives on the GUI thread.

#include "model/pipeline.h"

#include <QPointer>
#include <QString>
#include <QWidget>
#include <vector>

class QLineEdit;
class QScrollArea;

namespace weir::ui {

class FieldEditor;
class InspectorForm;
class PipelineDocument;

class InspectorWidget final : public QWidget
{
    Q_OBJECT

public:
    explicit InspectorWidget(PipelineDocument *document, QWidget *parent = nullptr);
    ~InspectorWidget() override;

    // Empty (or an id not in the pipeline): a calm "select a node" placeholder.
    void showNode(const QString &nodeId);
    QString nodeId() const { return m_nodeId; }
    // Marks the fields of the shown node's problems; keeps them for nodes shown later.
    void setProblems(const std::vector<model::Problem> &problems);

    // The editor of a field of the shown node; null when there is none.
    FieldEditor *fieldEditor(const QString &key) const;
    // The shown node's label editor; null when no node is shown.
    QLineEdit *labelEdit() const;
    // Node-level problems of the shown node as the header shows them.
    QString headerProblems() const;

private:
    void rebuild();
    void applyProblems();
    void editField(const QString &key, const QJsonValue &value);
    void editLabel(const QString &label);
    void configChanged(const QString &nodeId, const QString &key);
    // Runs the node type's connection test on a thread of its own; the form shows the outcome
    // if the same node is still shown when it ends.
    void testConnection();

    PipelineDocument *m_document;
    QString m_nodeId;
    QScrollArea *m_scroll;
    QWidget *m_placeholder;
    QPointer<InspectorForm> m_form;
    std::vector<model::Problem> m_problems;
};

} // namespace weir::ui
