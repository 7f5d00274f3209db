#include "panels/problem_list_model.h"

namespace weir::ui {

ProblemListModel::ProblemListModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void ProblemListModel::setProblems(std::vector<model::Problem> problems,
                                   QHash<QString, QString> labels)
{
    beginResetModel();
    m_problems = std::move(problems);
    m_labels = std::move(labels);
    endResetModel();
}

int ProblemListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_problems.size());
}

int ProblemListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProblemListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const model::Problem &p = m_problems.at(static_cast<std::size_t>(index.row()));
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NodeColumn: {
            if (p.nodeId.isEmpty())
                return tr("Pipeline");
            const QString label = m_labels.value(p.nodeId);
            return label.isEmpty() ? p.nodeId : label;
        }
        case FieldColumn:
            return p.field;
        case MessageColumn:
            return p.message;
        default:
            return {};
        }
    case Qt::DecorationRole:
        return index.column() == NodeColumn ? QVariant(m_icon) : QVariant();
    case Qt::ToolTipRole:
        return p.toString();
    case NodeIdRole:
        return p.nodeId;
    default:
        return {};
    }
}

QVariant ProblemListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NodeColumn:
        return tr("Node");
    case FieldColumn:
        return tr("Field");
    case MessageColumn:
        return tr("Problem");
    default:
        return {};
    }
}

} // namespace weir::ui
