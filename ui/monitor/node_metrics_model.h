#pragma once

// NodeMetricsModel: the per-node table of the monitor — in, out, rates, errors, dead letters,
// lag, what the upstream retains for a source (a replication slot's WAL), queue depth, commit
// latency and health. Rows stay in place as figures change (only the
// cells are updated), so selection and a sort proxy on top stay stable. Sorts numerically
// through SortRole.

#include "monitor/live_node_stats.h"

#include <QAbstractTableModel>

namespace weir::ui {

class NodeMetricsModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Node,
        Health,
        In,
        Out,
        InRate,
        Errors,
        DeadLetters,
        Lag,
        Behind,
        Retained,
        Queue,
        CommitMs,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit NodeMetricsModel(QObject *parent = nullptr) : QAbstractTableModel(parent) {}

    void setNodes(const std::vector<NodeLive> &nodes);
    void clear();

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<NodeLive> m_nodes;
};

} // namespace weir::ui
