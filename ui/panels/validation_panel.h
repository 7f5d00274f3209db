#pragma once

// ValidationPanel: the pipeline's problems, found by the same PipelineValidator as `weir-run
// validate`, re-run shortly after every change, and what the nodes' servers tell
// (ServerChecks), listed by node and field; activating one asks for its node. Owns its model,
// timer and checks; lives on the GUI thread.

#include "model/pipeline.h"

#include <QTimer>
#include <QWidget>
#include <vector>

class QModelIndex;
class QStackedWidget;
class QTreeView;

namespace weir::ui {

class PipelineDocument;
class ProblemListModel;
class ServerChecks;
class ToneLabel;

class ValidationPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit ValidationPanel(PipelineDocument *document, QWidget *parent = nullptr);

    const std::vector<model::Problem> &problems() const;
    // Validates at once; otherwise validation runs ~150 ms after the last change.
    void revalidateNow();

signals:
    void problemsChanged(const std::vector<weir::model::Problem> &problems);
    void problemActivated(const QString &nodeId); // click or Enter on a problem

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void activate(const QModelIndex &index);
    void showCount();

    PipelineDocument *m_document;
    ProblemListModel *m_model;
    QTreeView *m_view;
    QStackedWidget *m_stack;
    QWidget *m_empty;
    QTimer m_debounce;
    ServerChecks *m_serverChecks;
};

} // namespace weir::ui
