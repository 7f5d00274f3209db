#pragma once

// PreviewTableModel: a data preview (engine::PreviewTable) as a read-only table model.
// GUI thread.

#include "engine/preview_run.h"

#include <QAbstractTableModel>

namespace weir::ui {

class PreviewTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    using QAbstractTableModel::QAbstractTableModel;

    void setTable(engine::PreviewTable table);
    void clear();
    const engine::PreviewTable &table() const { return m_table; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    engine::PreviewTable m_table;
};

} // namespace weir::ui
