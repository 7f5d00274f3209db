#pragma once

// DeadLetterBrowser: the records a pipeline could not deliver — filter them by node, error
// text and age, read one record pretty-printed, retry (as they are or edited) or discard them.
// Reads the StateStore on the GUI thread; retries and discards run on a worker thread.

#include "engine/dead_letter_retry.h"

#include <QList>
#include <QTimer>
#include <QWidget>
#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;

namespace weir::ui {

class DeadLetterDetail;
class DeadLetterJobs;
class DeadLetterModel;
class ToneLabel;

class DeadLetterBrowser final : public QWidget
{
    Q_OBJECT

public:
    // Asked before entries are discarded; true goes ahead. The default asks with a message box.
    using ConfirmFunction = std::function<bool(const QString &question)>;

    explicit DeadLetterBrowser(const model::NodeTypeRegistry &registry, QWidget *parent = nullptr);
    ~DeadLetterBrowser() override;

    // The store to browse (null: nothing to show). It must outlive the browser.
    void setStore(state::StateStore *store);
    // Only this pipeline's entries (empty name: every pipeline); its node ids fill the node
    // filter, with any other node that entries name.
    void setPipeline(const QString &name, const QStringList &nodeIds);
    void setConfirm(ConfirmFunction confirm);

    const DeadLetterModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    // Ids of the selected entries, in table order.
    QList<qint64> selectedIds() const;
    void selectIds(const QList<qint64> &ids);
    bool isBusy() const;
    bool isEditing() const;
    QString countText() const;
    QString statusText() const;

    QSize sizeHint() const override;

public slots:
    // Cheap when nothing changed: called once a second while a run goes on.
    void refresh();
    void retrySelected();
    void retryAllMatching();
    // Makes the selected entry's record editable in the detail pane.
    void editSelected();
    // Retries the edited record; refuses (and says where) when it is not a JSON object.
    void retryEdited();
    void cancelEdit();
    // Asks first (see setConfirm), then removes the selected entries for good.
    void discardSelected();

signals:
    void retryStarted(int count);
    void retryFinished(const weir::engine::RetryReport &report);
    void discardFinished(qint64 removed);
    // An edited record was not retried: the message says what is wrong and where.
    void editRefused(const QString &message);

private:
    QWidget *buildTable();
    QWidget *buildFilterRow();
    QWidget *buildButtonRow();
    void applyFilters();
    void reloadModel();
    void afterReload();
    void syncNodeChoices();
    void updateCounts();
    void fitColumns();
    void updateDetail();
    void updateButtons();
    void setStatus(const QString &text, bool problem = false);
    void startRetry(const std::vector<state::DeadLetterEntry> &entries);
    void onRetried(const engine::RetryReport &report);
    void onDiscarded(qint64 removed, const QStringList &problems);
    void leaveEditMode();
    int currentSourceRow() const;
    std::vector<state::DeadLetterEntry> selectedEntries() const;

    state::StateStore *m_store = nullptr;
    QString m_pipeline;
    QStringList m_pipelineNodes;
    QStringList m_otherNodes; // seen in entries, not in the pipeline (removed or renamed)
    ConfirmFunction m_confirm;
    DeadLetterJobs *m_jobs;
    DeadLetterModel *m_model;
    QSortFilterProxyModel *m_proxy;

    QComboBox *m_nodeCombo = nullptr;
    QLineEdit *m_errorSearch = nullptr;
    QComboBox *m_timeCombo = nullptr;
    QLabel *m_countLabel = nullptr;
    QStackedWidget *m_tableStack = nullptr;
    QTableView *m_table = nullptr;
    bool m_columnsFitted = false; // node and source columns fitted to the first entries
    ToneLabel *m_emptyLabel = nullptr;
    DeadLetterDetail *m_detail = nullptr;
    QPushButton *m_retrySelectedButton = nullptr;
    QPushButton *m_retryAllButton = nullptr;
    QPushButton *m_editButton = nullptr;
    QPushButton *m_discardButton = nullptr;
    ToneLabel *m_status = nullptr;
    QTimer m_searchDebounce;
};

} // namespace weir::ui
