#include "panels/preview_table_model.h"

#include <QFont>
#include <QPalette>

namespace weir::ui {

void PreviewTableModel::setTable(engine::PreviewTable table)
{
    beginResetModel();
    m_table = std::move(table);
    endResetModel();
}

void PreviewTableModel::clear()
{
    setTable({});
}

int PreviewTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_table.rows.size());
}

int PreviewTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_table.columns.size());
}

QVariant PreviewTableModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const QStringList &row = m_table.rows[static_cast<std::size_t>(index.row())];
    const QString text = index.column() < row.size() ? row.at(index.column()) : QString();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return text;
    case Qt::TextAlignmentRole: {
        bool number = false;
        text.toDouble(&number);
        return QVariant::fromValue(Qt::AlignVCenter | (number ? Qt::AlignRight : Qt::AlignLeft));
    }
    default:
        return {};
    }
}

QVariant PreviewTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return section + 1;
    return section < m_table.columns.size() ? m_table.columns.at(section) : QVariant();
}

} // namespace weir::ui
