#include "panels/preview_panel.h"

#include "document/pipeline_document.h"
#include "panels/preview_table_model.h"
#include "run/preview_runner.h"

#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace weir::ui {

PreviewPanel::PreviewPanel(PipelineDocument *document, QWidget *parent)
    : QWidget(parent), m_document(document),
      m_runner(new PreviewRunner(document->registry(), this)), m_model(new PreviewTableModel(this)),
      m_header(new QLabel(this)), m_table(new QTableView(this))
{
    m_header->setWordWrap(true);
    m_header->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_table->setModel(m_model);
    m_table->setAlternatingRowColors(true);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(m_header);
    layout->addWidget(m_table, 1);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(250);
    connect(&m_debounce, &QTimer::timeout, this, &PreviewPanel::refresh);
    connect(m_runner, &PreviewRunner::previewReady, this, &PreviewPanel::onReady);
    connect(m_runner, &PreviewRunner::previewFailed, this, &PreviewPanel::onFailed);
    // A config edit anywhere upstream changes what reaches the node.
    connect(document->model(), &PipelineModel::changed, this, [this] {
        if (!m_nodeId.isEmpty())
            m_debounce.start();
    });
    showNode({});
}

void PreviewPanel::showNode(const QString &nodeId)
{
    m_nodeId = nodeId;
    m_runner->cancel();
    m_model->clear();
    if (nodeId.isEmpty()) {
        m_header->setText(tr("Select a node to see the first %1 records that reach it. "
                             "A preview reads the sources from the start and writes nothing.")
                              .arg(rowLimit));
        return;
    }
    m_header->setText(
        tr("Reading the first records that reach <b>%1</b>…").arg(nodeId.toHtmlEscaped()));
    m_debounce.start(0);
}

void PreviewPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_nodeId.isEmpty() && m_model->rowCount() == 0)
        m_debounce.start(0);
}

void PreviewPanel::refresh()
{
    if (m_nodeId.isEmpty() || !isVisible())
        return;
    if (!m_document->pipeline().node(m_nodeId)) {
        showNode({});
        return;
    }
    if (m_document->filePath().isEmpty()) {
        m_header->setText(tr("Save the pipeline to preview it: relative paths in it are relative "
                             "to the pipeline file."));
        emit previewUpdated();
        return;
    }
    m_runner->request(m_document->pipeline(), QFileInfo(m_document->filePath()).absolutePath(),
                      m_nodeId, rowLimit);
}

void PreviewPanel::onReady(const QString &nodeId, const engine::PreviewTable &table)
{
    if (nodeId != m_nodeId)
        return;
    const QString node = nodeId.toHtmlEscaped();
    const int rows = static_cast<int>(table.rows.size());
    QString text;
    if (rows == 0)
        text = tr("No records reach <b>%1</b>.").arg(node);
    else if (table.truncated)
        text = tr("The first %L1 records reaching <b>%2</b>; more follow.").arg(rows).arg(node);
    else if (rows == 1)
        text = tr("The one record reaching <b>%1</b>.").arg(node);
    else
        text = tr("All %L1 records reaching <b>%2</b>.").arg(rows).arg(node);
    if (table.deadLetters == 1)
        text += tr(" One was refused on the way (it would go to the dead-letter queue).");
    else if (table.deadLetters > 1)
        text += tr(" %L1 were refused on the way (they would go to the dead-letter queue).")
                    .arg(table.deadLetters);
    m_header->setText(text);
    m_model->setTable(table);
    m_table->resizeColumnsToContents();
    emit previewUpdated();
}

void PreviewPanel::onFailed(const QString &nodeId, const QString &message)
{
    if (nodeId != m_nodeId)
        return;
    m_model->clear();
    m_header->setText(
        tr("No preview for <b>%1</b>: %2").arg(nodeId.toHtmlEscaped(), message.toHtmlEscaped()));
    emit previewUpdated();
}

} // namespace weir::ui
