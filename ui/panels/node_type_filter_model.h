#pragma once

// NodeTypeFilterModel: the palette's search. A type shows when every word of the search text
// appears (case-insensitive) in its display name, id or description; a category shows only
// while one of its types does. GUI thread only.

#include <QSortFilterProxyModel>
#include <QStringList>

namespace weir::ui {

class NodeTypeFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    explicit NodeTypeFilterModel(QObject *parent = nullptr);

    void setSearchText(const QString &text);
    QString searchText() const { return m_words.join(QLatin1Char(' ')); }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    bool typeMatches(const QModelIndex &sourceIndex) const;

    QStringList m_words;
};

} // namespace weir::ui
