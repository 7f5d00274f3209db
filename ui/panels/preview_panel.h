#pragma once

// PreviewPanel: the first records that reach the selected node, in a table — computed by a
// PreviewRunner off the GUI thread when a node is selected or its config changes, while the
// panel is visible. Nothing is written anywhere. GUI thread.

#include "engine/preview_run.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QTableView;

namespace weir::ui {

class PipelineDocument;
class PreviewRunner;
class PreviewTableModel;

class PreviewPanel final : public QWidget
{
    Q_OBJECT

public:
    static constexpr int rowLimit = 100;

    explicit PreviewPanel(PipelineDocument *document, QWidget *parent = nullptr);

    // The node to preview; empty shows the placeholder.
    void showNode(const QString &nodeId);
    QString nodeId() const { return m_nodeId; }
    const PreviewTableModel *tableModel() const { return m_model; }

signals:
    // After each preview lands or fails (tests wait on it).
    void previewUpdated();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void refresh();
    void onReady(const QString &nodeId, const engine::PreviewTable &table);
    void onFailed(const QString &nodeId, const QString &message);

    PipelineDocument *m_document;
    PreviewRunner *m_runner;
    PreviewTableModel *m_model;
    QLabel *m_header;
    QTableView *m_table;
    QTimer m_debounce;
    QString m_nodeId;
};

} // namespace weir::ui
