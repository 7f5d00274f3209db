#include "panels/palette_widget.h"

#include "common/tone_label.h"
#include "panels/node_type_filter_model.h"
#include "panels/node_type_model.h"

#include <QBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QStyle>
#include <QStyledItemDelegate>
#include <QTreeView>
#include <algorithm>

namespace weir::ui {

namespace {

// Rows a little taller than the style's minimum: easier to hit and to grab for a drag.
class RoomyDelegate final : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QSize size = QStyledItemDelegate::sizeHint(option, index);
        size.rheight() += 8;
        return size;
    }
};

QString typeIdOf(const QModelIndex &index)
{
    return index.data(NodeTypeModel::TypeIdRole).toString();
}

bool isEnter(const QKeyEvent *key)
{
    return key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter;
}

} // namespace

PaletteWidget::PaletteWidget(const model::NodeTypeRegistry &registry, QWidget *parent)
    : QWidget(parent), m_model(new NodeTypeModel(registry, this)),
      m_filter(new NodeTypeFilterModel(this)), m_search(new QLineEdit(this)),
      m_view(new QTreeView(this)), m_noMatch(new ToneLabel(ToneLabel::Tone::Muted, this))
{
    m_filter->setSourceModel(m_model);

    m_search->setObjectName(QStringLiteral("paletteSearch"));
    m_search->setPlaceholderText(tr("Search node types"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);

    m_view->setObjectName(QStringLiteral("paletteView"));
    m_view->setModel(m_filter);
    m_view->setHeaderHidden(true);
    m_view->setItemDelegate(new RoomyDelegate(m_view));
    m_view->setIconSize(QSize(20, 20));
    m_view->setIndentation(14);
    m_view->setAnimated(false);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setDragEnabled(true);
    m_view->setDragDropMode(QAbstractItemView::DragOnly);
    m_view->setDefaultDropAction(Qt::CopyAction);
    m_view->setFrameShape(QFrame::NoFrame);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->installEventFilter(this);
    m_view->expandAll();

    m_noMatch->setObjectName(QStringLiteral("paletteNoMatch"));
    m_noMatch->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    m_noMatch->setWordWrap(true);
    m_noMatch->setContentsMargins(12, 16, 12, 12);
    m_noMatch->hide();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->setSpacing(6);
    layout->addWidget(m_search);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_noMatch, 1);

    connect(m_search, &QLineEdit::textChanged, this, &PaletteWidget::applyFilter);
    connect(m_view, &QTreeView::doubleClicked, this, &PaletteWidget::activate);
}

void PaletteWidget::setFilterText(const QString &text)
{
    if (m_search->text() != text)
        m_search->setText(text); // textChanged applies it
    else
        applyFilter(text);
}

QSize PaletteWidget::sizeHint() const
{
    const QMargins margins = layout()->contentsMargins();
    const int scrollBar = m_view->style()->pixelMetric(QStyle::PM_ScrollBarExtent);
    QStyleOptionViewItem option;
    option.initFrom(m_view);
    option.decorationSize = m_view->iconSize();
    option.features = QStyleOptionViewItem::HasDisplay | QStyleOptionViewItem::HasDecoration;
    int rows = 0;
    for (int c = 0; c < m_model->rowCount(); ++c) {
        const QModelIndex category = m_model->index(c, 0);
        for (int t = 0; t < m_model->rowCount(category); ++t)
            rows = std::max(
                rows,
                m_view->itemDelegate()->sizeHint(option, m_model->index(t, 0, category)).width());
    }
    const int width =
        2 * m_view->indentation() + rows + scrollBar + margins.left() + margins.right();
    return {std::max(width, QWidget::sizeHint().width()), QWidget::sizeHint().height()};
}

void PaletteWidget::applyFilter(const QString &text)
{
    m_filter->setSearchText(text);
    m_view->expandAll();
    const bool none = m_filter->rowCount() == 0;
    m_noMatch->setText(tr("No node type matches “%1”.").arg(text.simplified()));
    m_view->setVisible(!none);
    m_noMatch->setVisible(none);
}

void PaletteWidget::activate(const QModelIndex &index)
{
    if (const QString typeId = typeIdOf(index); !typeId.isEmpty())
        emit nodeTypeActivated(typeId);
}

QModelIndex PaletteWidget::firstType() const
{
    for (int row = 0; row < m_filter->rowCount(); ++row) {
        const QModelIndex category = m_filter->index(row, 0);
        if (m_filter->rowCount(category) > 0)
            return m_filter->index(0, 0, category);
    }
    return {};
}

bool PaletteWidget::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    if (watched == m_search) {
        if (key->key() == Qt::Key_Down) {
            // From the search box straight to the first match.
            const QModelIndex first = firstType();
            if (!first.isValid())
                return true;
            m_view->setFocus(Qt::TabFocusReason);
            if (typeIdOf(m_view->currentIndex()).isEmpty())
                m_view->setCurrentIndex(first);
            return true;
        }
        if (isEnter(key)) {
            const QModelIndex current = m_view->currentIndex();
            activate(typeIdOf(current).isEmpty() ? firstType() : current);
            return true;
        }
    } else if (watched == m_view && isEnter(key)) {
        activate(m_view->currentIndex());
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace weir::ui
