#include "panels/node_type_filter_model.h"

#include "panels/node_type_model.h"

#include <algorithm>

namespace weir::ui {

NodeTypeFilterModel::NodeTypeFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
}

void NodeTypeFilterModel::setSearchText(const QString &text)
{
    const QStringList words = text.simplified().split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (words == m_words)
        return;
    m_words = words;
    invalidateFilter();
}

bool NodeTypeFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (sourceParent.isValid())
        return typeMatches(index);
    const int children = sourceModel()->rowCount(index);
    for (int row = 0; row < children; ++row) {
        if (typeMatches(sourceModel()->index(row, 0, index)))
            return true;
    }
    return false;
}

bool NodeTypeFilterModel::typeMatches(const QModelIndex &sourceIndex) const
{
    const QString text = sourceIndex.data(NodeTypeModel::SearchTextRole).toString();
    return std::all_of(m_words.begin(), m_words.end(), [&](const QString &word) {
        return text.contains(word, Qt::CaseInsensitive);
    });
}

} // namespace weir::ui
