#include "monitor/dead_letter_browser.h"

#include "common/tone_label.h"
#include "monitor/dead_letter_detail.h"
#include "monitor/dead_letter_jobs.h"
#include "monitor/dead_letter_model.h"
#include "monitor/payload_text.h"

#include <QAction>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>

namespace weir::ui {

namespace {

constexpr qint64 kHourMs = 3600LL * 1000;

QString deadLetterCount(qint64 n)
{
    return n == 1 ? DeadLetterBrowser::tr("1 dead letter")
                  : DeadLetterBrowser::tr("%L1 dead letters").arg(n);
}

} // namespace

DeadLetterBrowser::DeadLetterBrowser(const model::NodeTypeRegistry &registry, QWidget *parent)
    : QWidget(parent), m_jobs(new DeadLetterJobs(registry, this)),
      m_model(new DeadLetterModel(this)), m_proxy(new QSortFilterProxyModel(this))
{
    m_confirm = [this](const QString &question) {
        return QMessageBox::question(this, tr("Discard dead letters"), question,
                                     QMessageBox::Discard | QMessageBox::Cancel,
                                     QMessageBox::Cancel) == QMessageBox::Discard;
    };
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(DeadLetterModel::SortRole);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(buildTable());
    m_detail = new DeadLetterDetail(splitter);
    m_detail->setObjectName(QStringLiteral("detail"));
    splitter->addWidget(m_detail);
    // The table's error column wants the room; a record reads fine in a third of it.
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({640, 340});
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(buildFilterRow());
    layout->addWidget(splitter, 1);
    layout->addWidget(buildButtonRow());

    auto *discardKey = new QAction(this);
    discardKey->setShortcut(QKeySequence::Delete);
    discardKey->setShortcutContext(Qt::WidgetShortcut);
    m_table->addAction(discardKey);
    connect(discardKey, &QAction::triggered, this, &DeadLetterBrowser::discardSelected);

    m_searchDebounce.setSingleShot(true);
    m_searchDebounce.setInterval(250);
    connect(&m_searchDebounce, &QTimer::timeout, this, &DeadLetterBrowser::applyFilters);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        updateDetail();
        updateButtons();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &DeadLetterBrowser::updateDetail);
    connect(m_detail, &DeadLetterDetail::retryEditedClicked, this, &DeadLetterBrowser::retryEdited);
    connect(m_detail, &DeadLetterDetail::cancelEditClicked, this, &DeadLetterBrowser::cancelEdit);
    connect(m_jobs, &DeadLetterJobs::retried, this, &DeadLetterBrowser::onRetried);
    connect(m_jobs, &DeadLetterJobs::discarded, this, &DeadLetterBrowser::onDiscarded);
    afterReload();
}

DeadLetterBrowser::~DeadLetterBrowser() = default;

QWidget *DeadLetterBrowser::buildTable()
{
    m_tableStack = new QStackedWidget(this);
    m_tableStack->setObjectName(QStringLiteral("tableStack"));
    m_table = new QTableView(m_tableStack);
    m_table->setObjectName(QStringLiteral("deadLetterTable"));
    m_table->setModel(m_proxy);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(DeadLetterModel::IdColumn, Qt::DescendingOrder);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    QHeaderView *header = m_table->horizontalHeader();
    const QFontMetrics metrics = m_table->fontMetrics();
    const auto widthOf = [&metrics](const char *sample) {
        return metrics.horizontalAdvance(QLatin1String(sample)) + 24;
    };
    header->resizeSection(DeadLetterModel::IdColumn, widthOf("000000"));
    header->resizeSection(DeadLetterModel::TimeColumn, widthOf("00:00:00"));
    header->resizeSection(DeadLetterModel::NodeColumn, widthOf("orders_csv"));
    header->resizeSection(DeadLetterModel::SourceColumn, widthOf("orders.csv:000"));
    header->resizeSection(DeadLetterModel::AttemptsColumn, widthOf("Attempts"));
    header->setSectionResizeMode(DeadLetterModel::ErrorColumn, QHeaderView::Stretch);
    m_table->setToolTip(tr("Records that failed. Select one to read it; Shift and Ctrl select "
                           "several to retry or discard together."));
    m_emptyLabel = new ToneLabel(ToneLabel::Tone::Muted, m_tableStack);
    m_emptyLabel->setObjectName(QStringLiteral("emptyState"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setMargin(24);
    m_tableStack->addWidget(m_table);
    m_tableStack->addWidget(m_emptyLabel);
    return m_tableStack;
}

QWidget *DeadLetterBrowser::buildFilterRow()
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);

    m_nodeCombo = new QComboBox(row);
    m_nodeCombo->setObjectName(QStringLiteral("nodeFilter"));
    m_nodeCombo->setToolTip(tr("Only the records that failed in this node"));
    m_nodeCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_nodeCombo->addItem(tr("All nodes"), QString());

    m_errorSearch = new QLineEdit(row);
    m_errorSearch->setObjectName(QStringLiteral("errorFilter"));
    m_errorSearch->setPlaceholderText(tr("Search errors…"));
    m_errorSearch->setToolTip(tr("Only the records whose error contains this text (any case)"));
    m_errorSearch->setClearButtonEnabled(true);
    m_errorSearch->setMinimumWidth(
        m_errorSearch->fontMetrics().horizontalAdvance(QLatin1Char('m')) * 18);

    m_timeCombo = new QComboBox(row);
    m_timeCombo->setObjectName(QStringLiteral("timeFilter"));
    m_timeCombo->setToolTip(tr("Only the records that first failed this recently"));
    m_timeCombo->addItem(tr("Any time"), qint64(0));
    m_timeCombo->addItem(tr("Last hour"), kHourMs);
    m_timeCombo->addItem(tr("Last 24 hours"), 24 * kHourMs);

    m_countLabel = new QLabel(row);
    m_countLabel->setObjectName(QStringLiteral("countLabel"));
    m_countLabel->setToolTip(tr("Dead letters of this pipeline, and how many the filters show"));

    layout->addWidget(m_nodeCombo);
    layout->addWidget(m_errorSearch, 1);
    layout->addWidget(m_timeCombo);
    layout->addSpacing(12);
    layout->addWidget(m_countLabel);

    connect(m_nodeCombo, &QComboBox::currentIndexChanged, this, &DeadLetterBrowser::applyFilters);
    connect(m_timeCombo, &QComboBox::currentIndexChanged, this, &DeadLetterBrowser::applyFilters);
    connect(m_errorSearch, &QLineEdit::textChanged, this, [this] { m_searchDebounce.start(); });
    connect(m_errorSearch, &QLineEdit::returnPressed, this, &DeadLetterBrowser::applyFilters);
    return row;
}

QWidget *DeadLetterBrowser::buildButtonRow()
{
    auto *row = new QWidget(this);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    const auto button = [row, layout](const QString &text, const char *name, const QString &tip) {
        auto *b = new QPushButton(text, row);
        b->setObjectName(QLatin1String(name));
        b->setToolTip(tip);
        layout->addWidget(b);
        return b;
    };
    m_retrySelectedButton =
        button(tr("Retry selected"), "retrySelected",
               tr("Put the selected records back into the node they failed in. Those that get "
                  "through leave the queue; the others stay with one more attempt."));
    m_retryAllButton = button(tr("Retry all matching"), "retryAll",
                              tr("Retry every dead letter the filters show"));
    m_editButton = button(tr("Edit and retry…"), "editAndRetry",
                          tr("Fix the selected record by hand, then retry it"));
    m_discardButton = button(tr("Discard…"), "discard",
                             tr("Delete the selected dead letters for good (asks first)"));
    m_status = new ToneLabel(ToneLabel::Tone::Muted, row);
    m_status->setObjectName(QStringLiteral("status"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addSpacing(12);
    layout->addWidget(m_status, 1);
    connect(m_retrySelectedButton, &QPushButton::clicked, this, &DeadLetterBrowser::retrySelected);
    connect(m_retryAllButton, &QPushButton::clicked, this, &DeadLetterBrowser::retryAllMatching);
    connect(m_editButton, &QPushButton::clicked, this, &DeadLetterBrowser::editSelected);
    connect(m_discardButton, &QPushButton::clicked, this, &DeadLetterBrowser::discardSelected);
    return row;
}

QSize DeadLetterBrowser::sizeHint() const
{
    return {980, 420};
}

void DeadLetterBrowser::setStore(state::StateStore *store)
{
    m_store = store;
    m_otherNodes.clear();
    m_model->setStore(store);
    afterReload();
}

void DeadLetterBrowser::setPipeline(const QString &name, const QStringList &nodeIds)
{
    const bool samePipeline = name == m_pipeline;
    m_pipeline = name;
    m_pipelineNodes = nodeIds;
    if (!samePipeline)
        m_otherNodes.clear();
    syncNodeChoices();
    applyFilters();
}

void DeadLetterBrowser::setConfirm(ConfirmFunction confirm)
{
    m_confirm = std::move(confirm);
}

bool DeadLetterBrowser::isEditing() const
{
    return m_detail->isEditing();
}

bool DeadLetterBrowser::isBusy() const
{
    return m_jobs->isBusy();
}

QString DeadLetterBrowser::countText() const
{
    return m_countLabel->text();
}

QString DeadLetterBrowser::statusText() const
{
    return m_status->text();
}

void DeadLetterBrowser::applyFilters()
{
    m_searchDebounce.stop();
    DeadLetterModel::Filter filter;
    filter.pipeline = m_pipeline;
    filter.node = m_nodeCombo->currentData().toString();
    filter.errorContains = m_errorSearch->text().trimmed();
    filter.maxAgeMs = m_timeCombo->currentData().toLongLong();
    if (filter == m_model->filter())
        return;
    m_model->setFilter(filter);
    afterReload();
}

void DeadLetterBrowser::reloadModel()
{
    m_model->reload();
    afterReload();
}

void DeadLetterBrowser::refresh()
{
    if (m_model->refreshIfChanged())
        afterReload();
    else if (!m_model->lastError().isEmpty())
        setStatus(m_model->lastError(), true);
}

void DeadLetterBrowser::afterReload()
{
    if (!m_model->lastError().isEmpty())
        setStatus(tr("Cannot read the dead letters: %1").arg(m_model->lastError()), true);
    syncNodeChoices();
    updateCounts();
    fitColumns();
    updateDetail();
    updateButtons();
}

void DeadLetterBrowser::syncNodeChoices()
{
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QString &node = m_model->entry(row).node;
        if (!m_pipelineNodes.contains(node) && !m_otherNodes.contains(node))
            m_otherNodes << node;
    }
    QStringList wanted = m_pipelineNodes;
    for (const QString &node : std::as_const(m_otherNodes)) {
        if (!wanted.contains(node))
            wanted << node;
    }
    QStringList present;
    for (int i = 1; i < m_nodeCombo->count(); ++i)
        present << m_nodeCombo->itemData(i).toString();
    if (present == wanted)
        return;
    const QString selected = m_nodeCombo->currentData().toString();
    const QSignalBlocker blocker(m_nodeCombo);
    m_nodeCombo->clear();
    m_nodeCombo->addItem(tr("All nodes"), QString());
    for (const QString &node : std::as_const(wanted)) {
        m_nodeCombo->addItem(node, node);
        if (!m_pipelineNodes.contains(node))
            m_nodeCombo->setItemData(m_nodeCombo->count() - 1,
                                     tr("Not a node of the pipeline any more"), Qt::ToolTipRole);
    }
    m_nodeCombo->setCurrentIndex(std::max(0, m_nodeCombo->findData(selected)));
}

void DeadLetterBrowser::updateCounts()
{
    const qint64 total = m_model->totalCount();
    const int shown = m_model->rowCount();
    if (!m_store) {
        m_countLabel->clear();
        m_emptyLabel->setText(tr("No run state is open yet. Run the pipeline: the records it "
                                 "cannot deliver show up here."));
    } else if (total == 0) {
        m_countLabel->setText(tr("No dead letters"));
        m_emptyLabel->setText(tr("No dead letters — everything that was read got through or "
                                 "was filtered."));
    } else {
        QString text = deadLetterCount(total);
        if (m_model->isTruncated())
            text = tr("%1, newest %L2 shown").arg(text).arg(shown);
        else if (shown != total)
            text = tr("%1, %L2 shown").arg(text).arg(shown);
        m_countLabel->setText(text);
        m_emptyLabel->setText(
            total == 1 ? tr("The one dead letter does not match these filters.")
                       : tr("None of the %1 matches these filters.").arg(deadLetterCount(total)));
    }
    m_tableStack->setCurrentWidget(shown > 0 ? static_cast<QWidget *>(m_table) : m_emptyLabel);
}

void DeadLetterBrowser::fitColumns()
{
    if (m_model->rowCount() == 0)
        return;
    QHeaderView *header = m_table->horizontalHeader();
    // Times of other days are longer than today's: that column only ever grows.
    const int time = header->sectionSize(DeadLetterModel::TimeColumn);
    m_table->resizeColumnToContents(DeadLetterModel::TimeColumn);
    if (header->sectionSize(DeadLetterModel::TimeColumn) < time)
        header->resizeSection(DeadLetterModel::TimeColumn, time);
    // The others once, when the first entries arrive: refreshes must not make columns jump.
    if (m_columnsFitted)
        return;
    m_columnsFitted = true;
    const int widest = header->fontMetrics().horizontalAdvance(QLatin1Char('m')) * 20;
    for (const int column : {DeadLetterModel::NodeColumn, DeadLetterModel::SourceColumn}) {
        m_table->resizeColumnToContents(column);
        header->resizeSection(column, std::min(header->sectionSize(column), widest));
    }
}

int DeadLetterBrowser::currentSourceRow() const
{
    const QItemSelectionModel *selection = m_table->selectionModel();
    const QModelIndex current = selection->currentIndex();
    if (current.isValid() && selection->isRowSelected(current.row(), {}))
        return m_proxy->mapToSource(current).row();
    const QModelIndexList rows = selection->selectedRows();
    return rows.isEmpty() ? -1 : m_proxy->mapToSource(rows.first()).row();
}

std::vector<state::DeadLetterEntry> DeadLetterBrowser::selectedEntries() const
{
    QModelIndexList rows = m_table->selectionModel()->selectedRows();
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    std::vector<state::DeadLetterEntry> entries;
    entries.reserve(static_cast<std::size_t>(rows.size()));
    for (const QModelIndex &row : std::as_const(rows))
        entries.push_back(m_model->entry(m_proxy->mapToSource(row).row()));
    return entries;
}

QList<qint64> DeadLetterBrowser::selectedIds() const
{
    QList<qint64> ids;
    for (const state::DeadLetterEntry &e : selectedEntries())
        ids << e.id;
    return ids;
}

void DeadLetterBrowser::selectIds(const QList<qint64> &ids)
{
    QItemSelection selection;
    QModelIndex first;
    for (const qint64 id : ids) {
        const int row = m_model->rowOfId(id);
        if (row < 0)
            continue;
        const QModelIndex index = m_proxy->mapFromSource(m_model->index(row, 0));
        if (!first.isValid())
            first = index;
        selection.select(index, index);
    }
    QItemSelectionModel *model = m_table->selectionModel();
    model->select(selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    if (first.isValid()) {
        model->setCurrentIndex(first, QItemSelectionModel::NoUpdate);
        m_table->scrollTo(first);
    }
}

void DeadLetterBrowser::updateDetail()
{
    if (m_detail->isEditing())
        return; // the pane holds the user's edits
    // With nothing to show, the empty state gets the whole width.
    m_detail->setVisible(m_model->rowCount() > 0);
    const int row = currentSourceRow();
    if (row < 0)
        m_detail->showNothing();
    else
        m_detail->showEntry(m_model->entry(row), m_table->selectionModel()->selectedRows().size());
}

void DeadLetterBrowser::updateButtons()
{
    const bool busy = m_jobs->isBusy();
    const bool editing = m_detail->isEditing();
    const bool idle = !busy && !editing && m_store;
    const qsizetype selected = m_table->selectionModel()->selectedRows().size();
    m_retrySelectedButton->setEnabled(idle && selected > 0);
    m_retrySelectedButton->setText(selected > 1 ? tr("Retry %1 selected").arg(selected)
                                                : tr("Retry selected"));
    m_retryAllButton->setEnabled(idle && m_model->rowCount() > 0);
    m_editButton->setEnabled(idle && selected == 1);
    m_discardButton->setEnabled(idle && selected > 0);
    // While editing, the table and filters stay put: the pane belongs to one entry.
    m_table->setEnabled(!editing);
    m_nodeCombo->setEnabled(!editing);
    m_errorSearch->setEnabled(!editing);
    m_timeCombo->setEnabled(!editing);
    m_detail->setEditButtonsEnabled(!busy);
}

void DeadLetterBrowser::setStatus(const QString &text, bool problem)
{
    m_status->setTone(problem ? ToneLabel::Tone::Error : ToneLabel::Tone::Muted);
    m_status->setText(text);
}

void DeadLetterBrowser::retrySelected()
{
    startRetry(selectedEntries());
}

void DeadLetterBrowser::retryAllMatching()
{
    startRetry(m_model->matchingEntries());
}

void DeadLetterBrowser::startRetry(const std::vector<state::DeadLetterEntry> &entries)
{
    if (!m_store || m_jobs->isBusy())
        return;
    if (entries.empty()) {
        setStatus(tr("Nothing to retry."));
        return;
    }
    const int count = static_cast<int>(entries.size());
    m_jobs->retry(m_store, entries);
    setStatus(tr("Retrying %L1…").arg(count));
    updateButtons();
    emit retryStarted(count);
}

void DeadLetterBrowser::onRetried(const engine::RetryReport &report)
{
    QString text =
        report.interrupted
            ? tr("Retry stopped: %L1 landed; the rest is still in the queue.").arg(report.landed)
            : tr("Retried %L1: %L2 landed, %L3 failed again.")
                  .arg(report.retried)
                  .arg(report.landed)
                  .arg(report.failedAgain);
    if (!report.problems.isEmpty())
        text += QLatin1Char(' ') + report.problems.join(QStringLiteral("; "));
    if (m_detail->isEditing())
        leaveEditMode();
    reloadModel();
    setStatus(text, !report.problems.isEmpty());
    emit retryFinished(report);
}

void DeadLetterBrowser::editSelected()
{
    if (m_detail->isEditing() || m_jobs->isBusy() || selectedEntries().size() != 1)
        return;
    updateDetail();
    m_detail->beginEdit();
    updateButtons();
}

void DeadLetterBrowser::retryEdited()
{
    if (!m_detail->isEditing() || m_jobs->isBusy())
        return;
    const int row = m_model->rowOfId(m_detail->entryId());
    if (row < 0) {
        leaveEditMode();
        setStatus(tr("That dead letter is gone (retried or discarded elsewhere)."), true);
        return;
    }
    state::DeadLetterEntry entry = m_model->entry(row);
    const QString text = m_detail->editedText();
    if (looksLikeJson(entry.payload) || looksLikeJson(text)) {
        if (const QString problem = jsonObjectProblem(text); !problem.isEmpty()) {
            const QString message = tr("Not retried — not valid JSON at %1").arg(problem);
            m_detail->showEditProblem(message);
            emit editRefused(message);
            return;
        }
        entry.payload = compactJson(text);
    } else {
        entry.payload = text.trimmed();
    }
    startRetry({entry});
}

void DeadLetterBrowser::cancelEdit()
{
    leaveEditMode();
}

void DeadLetterBrowser::leaveEditMode()
{
    m_detail->endEdit();
    updateDetail();
    updateButtons();
}

void DeadLetterBrowser::discardSelected()
{
    if (!m_store || m_jobs->isBusy() || m_detail->isEditing())
        return;
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty())
        return;
    const QString question =
        ids.size() == 1
            ? tr("Discard 1 dead letter (#%1) for good? Its record will not be retried.")
                  .arg(ids.first())
            : tr("Discard %L1 dead letters for good? Their records will not be retried.")
                  .arg(ids.size());
    if (!m_confirm || !m_confirm(question)) {
        setStatus(tr("Nothing discarded."));
        return;
    }
    m_jobs->discard(m_store, ids);
    setStatus(tr("Discarding %L1…").arg(ids.size()));
    updateButtons();
}

void DeadLetterBrowser::onDiscarded(qint64 removed, const QStringList &problems)
{
    reloadModel();
    QString text = removed == 1 ? tr("Discarded 1 dead letter.")
                                : tr("Discarded %L1 dead letters.").arg(removed);
    if (!problems.isEmpty())
        text += QLatin1Char(' ') + problems.join(QStringLiteral("; "));
    setStatus(text, !problems.isEmpty());
    emit discardFinished(removed);
}

} // namespace weir::ui
