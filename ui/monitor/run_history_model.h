#pragma once

// RunHistoryModel: past runs of a pipeline, newest first — status, start, duration, records
// read and written, errors, dead letters, and completeness: what transforms filtered on
// purpose and the gap (records read that reached neither a target nor the dead-letter queue).
// A gap is shown in red, never hidden. Read from the StateStore on reload().

#include "state/run_completeness.h"
#include "state/state_store.h"

#include <QAbstractTableModel>

namespace weir::ui {

class RunHistoryModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Run,
        Status,
        Started,
        Duration,
        Read,
        Written,
        Errors,
        DeadLetters,
        Filtered,
        Gap,
        ColumnCount
    };

    struct Row
    {
        state::RunRecord run;
        state::RunCompleteness completeness;
    };

    explicit RunHistoryModel(QObject *parent = nullptr) : QAbstractTableModel(parent) {}

    void setSource(const state::StateStore *store, const QString &pipeline);
    void reload();
    const std::vector<Row> &rows() const { return m_rows; }
    qint64 runIdAt(int row) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    const state::StateStore *m_store = nullptr;
    QString m_pipeline;
    std::vector<Row> m_rows;
};

} // namespace weir::ui
