#include "panels/validation_panel.h"

#include "common/node_style.h"
#include "common/tone_label.h"
#include "document/pipeline_document.h"
#include "model/pipeline_validator.h"
#include "panels/problem_list_model.h"
#include "panels/server_checks.h"

#include <QBoxLayout>
#include <QHash>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QStackedWidget>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTreeView>

namespace weir::ui {

namespace {

// Long enough to let a burst of keystrokes settle, short enough to feel immediate.
constexpr int kDebounceMs = 150;

// A green disc with a white tick: drawn, so it matches the node colours in every theme.
QPixmap tickPixmap(int size, qreal devicePixelRatio)
{
    QPixmap pixmap(QSize(size, size) * devicePixelRatio);
    pixmap.setDevicePixelRatio(devicePixelRatio);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(categoryColor(model::NodeCategory::Sink));
    p.drawEllipse(QRectF(0.5, 0.5, size - 1.0, size - 1.0));
    p.setPen(QPen(Qt::white, size / 9.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin));
    QPainterPath tick;
    tick.moveTo(size * 0.28, size * 0.52);
    tick.lineTo(size * 0.44, size * 0.68);
    tick.lineTo(size * 0.73, size * 0.36);
    p.setBrush(Qt::NoBrush);
    p.drawPath(tick);
    return pixmap;
}

QWidget *makeEmptyState(QWidget *parent)
{
    auto *empty = new QWidget(parent);
    empty->setObjectName(QStringLiteral("noProblems"));
    auto *layout = new QHBoxLayout(empty);
    layout->setContentsMargins(12, 10, 12, 10);
    layout->setSpacing(10);
    auto *icon = new QLabel(empty);
    icon->setPixmap(tickPixmap(22, empty->devicePixelRatioF()));
    auto *texts = new QVBoxLayout;
    texts->setSpacing(1);
    auto *title = new QLabel(ValidationPanel::tr("No problems"), empty);
    QFont f = title->font();
    f.setBold(true);
    title->setFont(f);
    auto *detail =
        new ToneLabel(ValidationPanel::tr(
                          "Every node is configured and connected; the pipeline is ready to run."),
                      ToneLabel::Tone::Muted, empty);
    detail->setWordWrap(true);
    texts->addWidget(title);
    texts->addWidget(detail);
    layout->addWidget(icon, 0, Qt::AlignTop);
    layout->addLayout(texts, 1);
    auto *page = new QWidget(parent);
    auto *pageLayout = new QVBoxLayout(page);
    pageLayout->setContentsMargins(0, 0, 0, 0);
    pageLayout->addWidget(empty);
    pageLayout->addStretch(1);
    return page;
}

// Rows with a little air: the panel is read at a glance while editing.
class RoomyDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        size.rheight() += 6;
        size.rwidth() += 12;
        return size;
    }
};

bool isEnter(const QKeyEvent *key)
{
    return key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
}

} // namespace

ValidationPanel::ValidationPanel(PipelineDocument *document, QWidget *parent)
    : QWidget(parent), m_document(document), m_model(new ProblemListModel(this)),
      m_view(new QTreeView(this)), m_stack(new QStackedWidget(this)), m_empty(makeEmptyState(this)),
      m_serverChecks(new ServerChecks(document, this))
{
    m_model->setIcon(style()->standardIcon(QStyle::SP_MessageBoxCritical));
    m_view->setObjectName(QStringLiteral("problemView"));
    m_view->setModel(m_model);
    m_view->setItemDelegate(new RoomyDelegate(m_view));
    m_view->setRootIsDecorated(false);
    m_view->setUniformRowHeights(true);
    m_view->setAlternatingRowColors(true);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAllColumnsShowFocus(true);
    m_view->setIconSize(QSize(16, 16));
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->header()->setStretchLastSection(true);
    m_view->header()->setSectionsMovable(false);
    m_view->installEventFilter(this);

    m_stack->addWidget(m_view);
    m_stack->addWidget(m_empty);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    m_debounce.setSingleShot(true);
    m_debounce.setInterval(kDebounceMs);
    connect(&m_debounce, &QTimer::timeout, this, &ValidationPanel::revalidateNow);
    connect(document->model(), &PipelineModel::changed, &m_debounce, qOverload<>(&QTimer::start));
    connect(document, &PipelineDocument::filePathChanged, &m_debounce, qOverload<>(&QTimer::start));
    connect(m_view, &QTreeView::clicked, this, &ValidationPanel::activate);
    connect(m_serverChecks, &ServerChecks::changed, this, &ValidationPanel::revalidateNow);
    revalidateNow();
    // Once more shortly, so the first result also reaches whoever connects right after
    // construction (problems() is right from the start).
    m_debounce.start();
}

const std::vector<model::Problem> &ValidationPanel::problems() const
{
    return m_model->problems();
}

void ValidationPanel::revalidateNow()
{
    m_debounce.stop();
    const model::Pipeline &pipeline = m_document->pipeline();
    const QString fileName =
        m_document->filePath().isEmpty() ? m_document->displayName() : m_document->filePath();
    // Lines refer to the document as it would be saved now.
    const model::SourceLocator locator(m_document->toJson());
    std::vector<model::Problem> found =
        model::PipelineValidator(m_document->registry()).validate(pipeline, fileName, &locator);
    for (model::Problem &p : m_serverChecks->problems())
        found.push_back(std::move(p));
    m_serverChecks->scheduleRefresh();
    QHash<QString, QString> labels;
    for (const model::NodeSpec &node : pipeline.nodes)
        labels.insert(node.id, node.label);
    m_model->setProblems(std::move(found), std::move(labels));
    for (const int column : {ProblemListModel::NodeColumn, ProblemListModel::FieldColumn})
        m_view->resizeColumnToContents(column);
    showCount();
    emit problemsChanged(m_model->problems());
}

void ValidationPanel::showCount()
{
    const bool none = m_model->problems().empty();
    m_stack->setCurrentWidget(none ? m_empty : m_view);
    const QString summary =
        none ? tr("No problems")
             : tr("%n problem(s)", nullptr, static_cast<int>(m_model->problems().size()));
    setWindowTitle(summary);
    setAccessibleDescription(summary);
}

void ValidationPanel::activate(const QModelIndex &index)
{
    const QString nodeId = index.data(ProblemListModel::NodeIdRole).toString();
    if (!nodeId.isEmpty())
        emit problemActivated(nodeId);
}

bool ValidationPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_view && event->type() == QEvent::KeyPress &&
        isEnter(static_cast<QKeyEvent *>(event))) {
        activate(m_view->currentIndex());
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace weir::ui
