#pragma once

// RunTotalsPanel: a run's totals — records read and written, dead letters, duration and rate —
// shown where the charts are while they have too little to draw (a run over within a second
// leaves a single point). Shows what it is given; MetricsCharts decides when. GUI thread.

#include "state/state_store.h"

#include <QWidget>

class QLabel;

namespace weir::ui {

class RunTotalsPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit RunTotalsPanel(QWidget *parent = nullptr);

    // A run still going (finishedMs 0) is measured up to `nowMs`.
    void showRun(const state::RunRecord &run, qint64 nowMs);

private:
    QLabel *m_title;
    QLabel *m_read;
    QLabel *m_written;
    QLabel *m_deadLetters;
    QLabel *m_duration;
    QLabel *m_rate;
};

} // namespace weir::ui
