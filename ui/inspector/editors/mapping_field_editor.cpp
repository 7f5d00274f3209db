#include "inspector/editors/mapping_field_editor.h"

#include "common/form_style.h"
#include "common/tone_label.h"

#include <QBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QStyledItemDelegate>
#include <QTableWidget>
#include <QToolButton>
#include <algorithm>

namespace weir::ui {

namespace {

constexpr int kShapeRole = Qt::UserRole + 1;
constexpr int kMaxVisibleRows = 8;

QString capitalized(const QString &text)
{
    return text.isEmpty() ? text : text.at(0).toUpper() + text.mid(1);
}

// Cell editors show what belongs in the cell, taken from the field's help.
class CellDelegate final : public QStyledItemDelegate
{
public:
    CellDelegate(QString keyHint, QString valueHint, QObject *parent)
        : QStyledItemDelegate(parent), m_keyHint(std::move(keyHint)),
          m_valueHint(std::move(valueHint))
    {
    }

    QWidget *createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                          const QModelIndex &index) const override
    {
        QWidget *editor = QStyledItemDelegate::createEditor(parent, option, index);
        if (auto *line = qobject_cast<QLineEdit *>(editor))
            line->setPlaceholderText(index.column() == 0 ? m_keyHint : m_valueHint);
        return editor;
    }

private:
    QString m_keyHint;
    QString m_valueHint;
};

} // namespace

MappingFieldEditor::MappingFieldEditor(const model::ConfigField &field, QWidget *parent)
    : FieldEditor(field, parent), m_table(new QTableWidget(0, 2, this)),
      m_add(new QToolButton(this)), m_remove(new QToolButton(this)),
      m_emptyHint(new ToneLabel(ToneLabel::Tone::Muted, m_table->viewport()))
{
    const QString keyHint = mappingKeyHint(field.help);
    const QString valueHint = mappingValueHint(field.help);
    const QString keyHeader =
        !keyHint.isEmpty() && keyHint.size() <= 24 ? capitalized(keyHint) : tr("Key");
    const QString valueHeader =
        !valueHint.isEmpty() && valueHint.size() <= 16 ? capitalized(valueHint) : tr("Value");
    m_table->setHorizontalHeaderLabels({keyHeader, valueHeader});
    m_table->setToolTip(field.help);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 10);
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setHighlightSections(false);
    m_table->horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
                             QAbstractItemView::AnyKeyPressed | QAbstractItemView::SelectedClicked);
    // Tab leaves the table for the next field; arrows move between cells.
    m_table->setTabKeyNavigation(false);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideRight);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setItemDelegate(new CellDelegate(keyHint, valueHint, m_table));
    m_table->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_table->installEventFilter(this);
    m_table->viewport()->installEventFilter(this);
    ignoreWheelUnlessFocused(m_table);
    m_emptyHint->setText(tr("None yet. Add a row below."));
    m_emptyHint->setAlignment(Qt::AlignCenter);
    m_emptyHint->setAttribute(Qt::WA_TransparentForMouseEvents);

    m_add->setText(tr("Add"));
    m_add->setToolTip(tr("Add a row"));
    m_remove->setText(tr("Remove"));
    m_remove->setToolTip(tr("Remove the selected rows (Delete)"));
    m_remove->setEnabled(false);
    for (QToolButton *button : {m_add, m_remove})
        button->setFocusPolicy(Qt::TabFocus);

    bodyLayout()->setDirection(QBoxLayout::TopToBottom);
    bodyLayout()->setSpacing(4);
    bodyLayout()->addWidget(m_table);
    auto *buttons = new QHBoxLayout;
    buttons->setSpacing(4);
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch();
    bodyLayout()->addLayout(buttons);
    setFocusProxy(m_table);

    connect(m_table, &QTableWidget::itemChanged, this, [this] {
        if (!m_updating)
            rowsEdited();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_remove->setEnabled(m_table->selectionModel()->hasSelection()); });
    connect(m_add, &QToolButton::clicked, this, &MappingFieldEditor::addRow);
    connect(m_remove, &QToolButton::clicked, this, &MappingFieldEditor::removeSelectedRows);
    updateHeight();
}

void MappingFieldEditor::setValue(const QJsonValue &value)
{
    m_value = value;
    m_updating = true;
    m_table->setRowCount(0);
    const QJsonObject rows = value.toObject();
    for (auto it = rows.begin(); it != rows.end(); ++it)
        appendRow(it.key(), it.value(), shapeOf(it.value()));
    m_updating = false;
    setNotice(
        value.isUndefined() || value.isObject()
            ? QString()
            : tr("Expected column -> value pairs; the file holds %1.").arg(compactJson(value)));
    updateHeight();
}

void MappingFieldEditor::addRow()
{
    m_updating = true;
    appendRow({}, QJsonValue(QJsonValue::Undefined),
              shapeForNewRow(m_value.toObject(), field().help));
    m_updating = false;
    updateHeight();
    const int row = m_table->rowCount() - 1;
    m_table->setFocus(Qt::OtherFocusReason);
    m_table->setCurrentCell(row, 0);
    m_table->editItem(m_table->item(row, 0));
}

void MappingFieldEditor::removeSelectedRows()
{
    QList<int> rows;
    for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty())
        return;
    std::sort(rows.begin(), rows.end(), std::greater<>());
    m_updating = true;
    for (const int row : rows)
        m_table->removeRow(row);
    m_updating = false;
    updateHeight();
    rowsEdited();
}

bool MappingFieldEditor::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_table->viewport() && event->type() == QEvent::Resize)
        m_emptyHint->setGeometry(m_table->viewport()->rect());
    // Cell editors get their own keys, so a Delete reaching the table means "remove rows".
    if (watched == m_table && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent *>(event)->key() == Qt::Key_Delete) {
        removeSelectedRows();
        return true;
    }
    return FieldEditor::eventFilter(watched, event);
}

void MappingFieldEditor::appendRow(const QString &key, const QJsonValue &value, ValueShape shape)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    auto *keyItem = new QTableWidgetItem(key);
    const QString text = value.isUndefined() ? QString() : cellText(value);
    auto *valueItem = new QTableWidgetItem(text);
    valueItem->setData(kShapeRole, static_cast<int>(shape));
    keyItem->setToolTip(key);
    valueItem->setToolTip(text);
    m_table->setItem(row, 0, keyItem);
    m_table->setItem(row, 1, valueItem);
}

// Reads every row back into an object; writes it only when every row is complete and valid.
void MappingFieldEditor::rowsEdited()
{
    m_updating = true;
    QJsonObject out;
    QString firstError;
    const auto fail = [&](QTableWidgetItem *item, const QString &error) {
        markCell(item, error);
        if (firstError.isEmpty())
            firstError = error;
    };
    const QString keyName = m_table->horizontalHeaderItem(0)->text().toLower();
    for (int row = 0; row < m_table->rowCount(); ++row) {
        QTableWidgetItem *keyItem = m_table->item(row, 0);
        QTableWidgetItem *valueItem = m_table->item(row, 1);
        markCell(keyItem, {});
        markCell(valueItem, {});
        const QString key = keyItem->text().trimmed();
        const QString text = valueItem->text();
        if (key.isEmpty() && text.trimmed().isEmpty())
            continue; // a row just added
        if (key.isEmpty()) {
            fail(keyItem, tr("Row %1 needs a %2.").arg(row + 1).arg(keyName));
            continue;
        }
        if (out.contains(key)) {
            fail(keyItem, tr("'%1' appears twice.").arg(key));
            continue;
        }
        QString why;
        const auto shape = static_cast<ValueShape>(valueItem->data(kShapeRole).toInt());
        const auto parsed = parseCellText(text, shape, &why);
        if (!parsed) {
            fail(valueItem, tr("'%1': %2.").arg(key, why));
            continue;
        }
        // Show what was understood: "paid,shipped" reads back as "paid, shipped".
        keyItem->setText(key);
        valueItem->setText(cellText(*parsed));
        valueItem->setData(kShapeRole, static_cast<int>(shapeOf(*parsed)));
        markCell(keyItem, {});
        markCell(valueItem, {});
        out.insert(key, *parsed);
    }
    m_updating = false;
    setNotice(firstError);
    if (!firstError.isEmpty())
        return;
    const QJsonValue next = out.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(out);
    if (next == m_value)
        return;
    m_value = next;
    emit edited(m_value);
}

void MappingFieldEditor::markCell(QTableWidgetItem *item, const QString &error)
{
    if (error.isEmpty()) {
        item->setData(Qt::ForegroundRole, QVariant());
        item->setToolTip(item->text());
    } else {
        item->setForeground(errorColor(palette()));
        item->setToolTip(error);
    }
}

// Tall enough for every row up to kMaxVisibleRows (then it scrolls), and never less than one
// row, so the form does not scroll inside a scrolling form.
void MappingFieldEditor::updateHeight()
{
    const int rows = qBound(1, m_table->rowCount(), kMaxVisibleRows);
    const int height = m_table->horizontalHeader()->sizeHint().height() +
                       rows * m_table->verticalHeader()->defaultSectionSize() +
                       2 * m_table->frameWidth();
    m_table->setFixedHeight(height);
    m_emptyHint->setVisible(m_table->rowCount() == 0);
}

} // namespace weir::ui
