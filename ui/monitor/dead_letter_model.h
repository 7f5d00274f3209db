#pragma once

// DeadLetterModel: the dead-letter entries of a StateStore that match a filter (pipeline,
// node, error text, how old), newest first, as a read-only table. reload() merges the new
// list into the old one row by row, so views keep their selection and scroll position.
// GUI thread; it only reads the store.

#include "state/state_store.h"

#include <QAbstractTableModel>
#include <QString>
#include <vector>

namespace weir::ui {

class DeadLetterModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        IdColumn,
        TimeColumn,
        NodeColumn,
        ErrorColumn,
        SourceColumn,
        AttemptsColumn,
        ColumnCount
    };
    // Numbers and times sort by value under this role (QSortFilterProxyModel::setSortRole).
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int IdRole = Qt::UserRole + 2;
    // At most this many entries are loaded; isTruncated() says when more match.
    static constexpr int loadLimit = 5000;

    struct Filter
    {
        QString pipeline;      // empty: every pipeline
        QString node;          // empty: every node
        QString errorContains; // case-insensitive
        qint64 maxAgeMs = 0;   // 0: any time; else only entries created this recently

        bool operator==(const Filter &) const = default;
    };

    explicit DeadLetterModel(QObject *parent = nullptr);

    // The store must outlive the model (or be replaced before it goes).
    void setStore(const state::StateStore *store);
    const state::StateStore *store() const { return m_store; }
    void setFilter(const Filter &filter);
    const Filter &filter() const { return m_filter; }

    // Reads the matching entries again. Returns false (and keeps the rows) when the store
    // cannot be read; lastError() says why.
    bool reload();
    // Cheap check first (counts and newest id); reloads only when something changed or an
    // entry aged out of the time window. Returns whether it reloaded.
    bool refreshIfChanged();

    // Entries of the pipeline, whatever the node, error and time filters say.
    qint64 totalCount() const { return m_totalCount; }
    bool isTruncated() const { return m_truncated; }
    QString lastError() const { return m_lastError; }

    const state::DeadLetterEntry &entry(int row) const;
    int rowOfId(qint64 id) const;
    // Every entry that matches the filter, beyond loadLimit too (a store read).
    std::vector<state::DeadLetterEntry> matchingEntries() const;
    // Where the record came from, as the Source column shows it: file:line or stream@offset.
    static QString sourceText(const state::DeadLetterEntry &entry);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Signature
    {
        qint64 total = -1;
        qint64 matching = -1;
        qint64 newestId = -1;
        bool operator==(const Signature &) const = default;
    };

    state::DeadLetterFilter storeFilter() const;
    bool readSignature(Signature &signature);
    qint64 cutoffMs() const; // oldest createdMs the time window lets in; 0 without one
    void merge(std::vector<state::DeadLetterEntry> fresh);

    const state::StateStore *m_store = nullptr;
    Filter m_filter;
    std::vector<state::DeadLetterEntry> m_entries; // id descending
    Signature m_signature;
    qint64 m_totalCount = 0;
    bool m_truncated = false;
    QString m_lastError;
};

} // namespace weir::ui
