#include "monitor/node_metrics_model.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

namespace weir::ui {
namespace {

// How far a source is behind its input's head: records where it counts them (a consumer's
// lag), else bytes (a file, a replication slot's WAL); a dash when it cannot tell.
QString behindText(const state::MetricSample &s)
{
    const QLocale locale;
    if (s.recordsBehind >= 0)
        return NodeMetricsModel::tr("%1 records").arg(locale.toString(s.recordsBehind));
    if (s.bytesBehind >= 0)
        return locale.formattedDataSize(s.bytesBehind);
    return QStringLiteral("–");
}

// What the upstream keeps for the source and its state: "48 MB · extended"; a dash when
// nothing.
QString retainedText(const state::MetricSample &s)
{
    if (s.retainedBytes < 0)
        return QStringLiteral("–");
    const QString size = QLocale().formattedDataSize(s.retainedBytes);
    return s.upstreamStatus.isEmpty() ? size : size + QStringLiteral(" · ") + s.upstreamStatus;
}

// A slot past max_wal_size with no reservation left (or already lost) is about to cost data.
bool retainedAtRisk(const state::MetricSample &s)
{
    return s.upstreamStatus == QLatin1String("unreserved") ||
           s.upstreamStatus == QLatin1String("lost");
}

QString lagText(qint64 lagMs)
{
    if (lagMs < 0)
        return QStringLiteral("–");
    return QLocale().toString(static_cast<double>(lagMs) / 1000.0, 'f', 1) + QStringLiteral(" s");
}

QColor healthColor(NodeHealth h)
{
    switch (h) {
    case NodeHealth::Lagging:
        return {0xc7, 0x7c, 0x02};
    case NodeHealth::Erroring:
        return {0xd9, 0x5d, 0x1e};
    case NodeHealth::Failed:
        return {0xd0, 0x3b, 0x3b};
    case NodeHealth::Ok:
        break;
    }
    return {0x2e, 0x9e, 0x6b};
}

} // namespace

void NodeMetricsModel::setNodes(const std::vector<NodeLive> &nodes)
{
    bool sameRows = nodes.size() == m_nodes.size();
    for (std::size_t i = 0; sameRows && i < nodes.size(); ++i)
        sameRows = nodes[i].sample.node == m_nodes[i].sample.node;
    if (!sameRows) {
        beginResetModel();
        m_nodes = nodes;
        endResetModel();
        return;
    }
    m_nodes = nodes;
    if (!m_nodes.empty())
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

void NodeMetricsModel::clear()
{
    beginResetModel();
    m_nodes.clear();
    endResetModel();
}

int NodeMetricsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_nodes.size());
}

int NodeMetricsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant NodeMetricsModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const NodeLive &n = m_nodes[static_cast<std::size_t>(index.row())];
    const state::MetricSample &s = n.sample;
    if (role == SortRole) {
        switch (index.column()) {
        case Node:
            return s.node;
        case Health:
            return static_cast<int>(n.health);
        case In:
            return s.recordsIn;
        case Out:
            return s.recordsOut;
        case InRate:
            return n.inPerSecond;
        case Errors:
            return s.errors;
        case DeadLetters:
            return s.deadLetters;
        case Lag:
            return s.lagMs;
        case Behind:
            return s.recordsBehind >= 0 ? s.recordsBehind : s.bytesBehind;
        case Retained:
            return s.retainedBytes;
        case Queue:
            return s.queueDepth;
        case CommitMs:
            return s.commitMillis;
        default:
            return {};
        }
    }
    if (role == Qt::DisplayRole) {
        const QLocale locale;
        switch (index.column()) {
        case Node:
            return s.node;
        case Health:
            return healthName(n.health);
        case In:
            return locale.toString(s.recordsIn);
        case Out:
            return locale.toString(s.recordsOut);
        case InRate:
            return QString(locale.toString(n.inPerSecond, 'f', 0) + QStringLiteral("/s"));
        case Errors:
            return locale.toString(s.errors);
        case DeadLetters:
            return locale.toString(s.deadLetters);
        case Lag:
            return lagText(s.lagMs);
        case Behind:
            return behindText(s);
        case Retained:
            return retainedText(s);
        case Queue:
            return tr("%1 (%2 %)").arg(s.queueDepth).arg(qRound(n.queueFill * 100));
        case CommitMs:
            return QString(locale.toString(s.commitMillis, 'f', 1) + QStringLiteral(" ms"));
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() >= In)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole && index.column() == Health)
        return QBrush(healthColor(n.health));
    if (role == Qt::ForegroundRole && (index.column() == Errors || index.column() == DeadLetters) &&
        (index.column() == Errors ? s.errors : s.deadLetters) > 0)
        return QBrush(healthColor(NodeHealth::Erroring));
    if (role == Qt::ForegroundRole && index.column() == Retained && retainedAtRisk(s))
        return QBrush(healthColor(NodeHealth::Failed));
    if (role == Qt::ToolTipRole && index.column() == Retained && s.retainedBytes >= 0)
        return tr("WAL the server keeps for this node's replication slot until the target has "
                  "committed it, and the slot's wal_status. Unreserved or lost: the server "
                  "may remove WAL the slot still needs (see max_slot_wal_keep_size).");
    return {};
}

QVariant NodeMetricsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Node:
        return tr("Node");
    case Health:
        return tr("Health");
    case In:
        return tr("In");
    case Out:
        return tr("Out");
    case InRate:
        return tr("In rate");
    case Errors:
        return tr("Errors");
    case DeadLetters:
        return tr("Dead letters");
    case Lag:
        return tr("Lag");
    case Behind:
        return tr("Behind");
    case Retained:
        return tr("Retained");
    case Queue:
        return tr("Queue");
    case CommitMs:
        return tr("Commit");
    default:
        return {};
    }
}

} // namespace weir::ui
