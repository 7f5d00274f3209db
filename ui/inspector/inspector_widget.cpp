#include "inspector/inspector_widget.h"

#include "canvas/commands/edit_config_command.h"
#include "canvas/commands/rename_node_command.h"
#include "common/secrets.h"
#include "common/tone_label.h"
#include "document/pipeline_document.h"
#include "engine/run_plan.h"
#include "inspector/inspector_form.h"

#include <QBoxLayout>
#include <QFileInfo>
#include <QHash>
#include <QLabel>
#include <QScrollArea>
#include <QThread>
#include <memory>

namespace weir::ui {

namespace {

QWidget *makePlaceholder(QWidget *parent)
{
    auto *placeholder = new QWidget(parent);
    placeholder->setObjectName(QStringLiteral("inspectorPlaceholder"));
    auto *layout = new QVBoxLayout(placeholder);
    layout->setContentsMargins(24, 24, 24, 24);
    layout->addStretch(1);
    auto *title =
        new ToneLabel(InspectorWidget::tr("No node selected"), ToneLabel::Tone::Muted, placeholder);
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.15);
    title->setFont(f);
    title->setAlignment(Qt::AlignCenter);
    auto *text = new ToneLabel(
        InspectorWidget::tr("Select a node on the canvas to see and change its settings."),
        ToneLabel::Tone::Muted, placeholder);
    text->setAlignment(Qt::AlignCenter);
    text->setWordWrap(true);
    layout->addWidget(title);
    layout->addWidget(text);
    layout->addStretch(2);
    return placeholder;
}

} // namespace

InspectorWidget::InspectorWidget(PipelineDocument *document, QWidget *parent)
    : QWidget(parent), m_document(document), m_scroll(new QScrollArea(this)),
      m_placeholder(makePlaceholder(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_placeholder);
    layout->addWidget(m_scroll);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->hide();

    PipelineModel *model = document->model();
    connect(model, &PipelineModel::nodeConfigChanged, this, &InspectorWidget::configChanged);
    connect(model, &PipelineModel::nodeLabelChanged, this, [this](const QString &id) {
        if (id == m_nodeId && m_form)
            m_form->showLabel(m_document->model()->node(id)->label);
    });
    connect(model, &PipelineModel::nodeRemoved, this, [this](const QString &id) {
        if (id == m_nodeId)
            showNode({});
    });
    // A reset (open, reload) may bring the node back with other settings, or not at all.
    connect(model, &PipelineModel::modelReset, this, &InspectorWidget::rebuild);
    // Path editors store paths relative to the file's folder, which just moved.
    connect(document, &PipelineDocument::filePathChanged, this, &InspectorWidget::rebuild);
}

InspectorWidget::~InspectorWidget()
{
    // Closing commits an open cell editor, whose edit must not reach a half-destroyed widget.
    if (m_form)
        m_form->disconnect(this);
}

void InspectorWidget::showNode(const QString &nodeId)
{
    if (nodeId == m_nodeId && (m_form || nodeId.isEmpty()))
        return;
    m_nodeId = nodeId;
    rebuild();
}

void InspectorWidget::rebuild()
{
    if (m_form) {
        // Hiding the old form commits an open cell editor: that edit belongs to a form that is
        // going away (after a reload, the node may be another one), so it is dropped.
        m_form->disconnect(this);
        // Not deleted at once: a rebuild can run inside a signal the old form sent.
        m_scroll->takeWidget();
        m_form->hide();
        m_form->setParent(nullptr);
        m_form->deleteLater();
        m_form = nullptr;
    }
    const model::NodeSpec *node = m_document->model()->node(m_nodeId);
    if (!node) {
        m_nodeId.clear();
        m_scroll->hide();
        m_placeholder->show();
        return;
    }
    FieldEditorContext context;
    if (!m_document->filePath().isEmpty())
        context.baseDirectory = QFileInfo(m_document->filePath()).absolutePath();
    const model::NodeType *type = m_document->registry().find(node->type);
    context.forOutput = type && type->category == model::NodeCategory::Sink;
    m_form = new InspectorForm(*node, type, context);
    connect(m_form, &InspectorForm::fieldEdited, this, &InspectorWidget::editField);
    connect(m_form, &InspectorForm::labelEdited, this, &InspectorWidget::editLabel);
    connect(m_form, &InspectorForm::testConnectionRequested, this,
            &InspectorWidget::testConnection);
    m_scroll->setWidget(m_form);
    m_placeholder->hide();
    m_scroll->show();
    applyProblems();
}

void InspectorWidget::testConnection()
{
    const model::NodeSpec *node = m_document->model()->node(m_nodeId);
    const model::NodeType *type = node ? m_document->registry().find(node->type) : nullptr;
    if (!m_form || !type || !type->testConnection)
        return;
    const QString pipelineDir = m_document->filePath().isEmpty()
                                    ? QString()
                                    : QFileInfo(m_document->filePath()).absolutePath();
    QStringList secrets;
    auto config = engine::runtimeConfig(*node, *type, pipelineDir, &secrets);
    if (!config) {
        m_form->showConnectionResult(config.error());
        return;
    }
    m_form->showConnectionTesting();
    // The test blocks (a server that does not answer takes seconds): never on this thread.
    auto outcome = std::make_shared<Result<QString>>(QString());
    QThread *worker =
        QThread::create([test = type->testConnection, config = std::move(config.value()), outcome] {
            *outcome = test(config);
        });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    connect(worker, &QThread::finished, this, [this, outcome, nodeId = m_nodeId, secrets] {
        if (!m_form || nodeId != m_nodeId)
            return;
        Result<QString> shown = *outcome;
        if (!shown) {
            Error error = shown.error();
            error.message = common::maskSecrets(error.message, secrets);
            shown = error;
        }
        m_form->showConnectionResult(shown);
    });
    worker->start();
}

void InspectorWidget::setProblems(const std::vector<model::Problem> &problems)
{
    m_problems = problems;
    applyProblems();
}

void InspectorWidget::applyProblems()
{
    if (!m_form)
        return;
    QStringList header;
    QHash<QString, QString> byField;
    for (const model::Problem &p : m_problems) {
        if (p.nodeId != m_nodeId)
            continue;
        if (!p.field.isEmpty() && m_form->editor(p.field)) {
            QString &text = byField[p.field];
            text += (text.isEmpty() ? QString() : QStringLiteral("\n")) + p.message;
        } else {
            header.append(p.field.isEmpty() ? p.message
                                            : QStringLiteral("%1: %2").arg(p.field, p.message));
        }
    }
    m_form->setProblems(header, byField);
}

FieldEditor *InspectorWidget::fieldEditor(const QString &key) const
{
    return m_form ? m_form->editor(key) : nullptr;
}

QLineEdit *InspectorWidget::labelEdit() const
{
    return m_form ? m_form->labelEdit() : nullptr;
}

QString InspectorWidget::headerProblems() const
{
    return m_form ? m_form->headerProblems() : QString();
}

void InspectorWidget::editField(const QString &key, const QJsonValue &value)
{
    const model::NodeSpec *node = m_document->model()->node(m_nodeId);
    if (!node || node->config.value(key) == value)
        return;
    m_document->undoStack()->push(new EditConfigCommand(m_document->model(), m_nodeId, key, value));
}

void InspectorWidget::editLabel(const QString &label)
{
    const model::NodeSpec *node = m_document->model()->node(m_nodeId);
    if (!node || node->label == label)
        return;
    m_document->undoStack()->push(new RenameNodeCommand(m_document->model(), m_nodeId, label));
}

void InspectorWidget::configChanged(const QString &nodeId, const QString &key)
{
    if (nodeId != m_nodeId || !m_form)
        return;
    m_form->showValue(key, m_document->model()->node(nodeId)->config.value(key));
}

} // namespace weir::ui
