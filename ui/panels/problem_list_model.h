#pragma once

// ProblemListModel: validation problems as a table — node, field, message — with the full
// located text ("orders.weir.json:12: node 'x', field 'y': …") as the tooltip. Read-only;
// GUI thread only.

#include "model/pipeline.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QIcon>
#include <vector>

namespace weir::ui {

class ProblemListModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        NodeColumn,
        FieldColumn,
        MessageColumn,
        ColumnCount
    };
    static constexpr int NodeIdRole = Qt::UserRole + 1;

    explicit ProblemListModel(QObject *parent = nullptr);

    // `labels`: node id -> label, to name nodes as the canvas does.
    void setProblems(std::vector<model::Problem> problems, QHash<QString, QString> labels);
    const std::vector<model::Problem> &problems() const { return m_problems; }
    void setIcon(const QIcon &icon) { m_icon = icon; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<model::Problem> m_problems;
    QHash<QString, QString> m_labels;
    QIcon m_icon;
};

} // namespace weir::ui
