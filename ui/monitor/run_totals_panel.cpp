#include "monitor/run_totals_panel.h"

#include "common/form_style.h"
#include "common/tone_label.h"
#include "monitor/duration_text.h"

#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace weir::ui {

namespace {

QString statusText(const QString &status)
{
    if (status == QLatin1String("running"))
        return RunTotalsPanel::tr("running");
    if (status == QLatin1String("finished"))
        return RunTotalsPanel::tr("finished");
    if (status == QLatin1String("failed"))
        return RunTotalsPanel::tr("failed");
    if (status == QLatin1String("interrupted"))
        return RunTotalsPanel::tr("interrupted");
    return status;
}

// One figure: the value large, what it counts in small print under it.
QLabel *addFigure(QGridLayout *grid, const QString &caption, const char *name, int column)
{
    QWidget *figures = grid->parentWidget();
    auto *value = new QLabel(figures);
    value->setObjectName(QLatin1String(name));
    QFont big = value->font();
    big.setPointSizeF(big.pointSizeF() * 1.8);
    big.setBold(true);
    value->setFont(big);
    value->setAlignment(Qt::AlignHCenter | Qt::AlignBottom);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *label = new ToneLabel(caption, ToneLabel::Tone::Muted, figures);
    label->setFont(smallFont(figures->font()));
    label->setAlignment(Qt::AlignHCenter | Qt::AlignTop);
    grid->addWidget(value, 0, column);
    grid->addWidget(label, 1, column);
    return value;
}

} // namespace

RunTotalsPanel::RunTotalsPanel(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(24, 16, 24, 16);
    layout->setSpacing(6);
    layout->addStretch(1);
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("totalsTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_title->setAlignment(Qt::AlignCenter);
    layout->addWidget(m_title);
    auto *why = new ToneLabel(tr("Too short to chart yet: these are its totals. The charts "
                                 "return once they have two points to join."),
                              ToneLabel::Tone::Muted, this);
    why->setAlignment(Qt::AlignCenter);
    why->setWordWrap(true);
    layout->addWidget(why);
    layout->addSpacing(12);

    auto *figures = new QWidget(this);
    auto *grid = new QGridLayout(figures);
    grid->setHorizontalSpacing(36);
    grid->setVerticalSpacing(2);
    grid->setContentsMargins(0, 0, 0, 0);
    m_read = addFigure(grid, tr("read"), "totalsRead", 0);
    m_written = addFigure(grid, tr("written"), "totalsWritten", 1);
    m_deadLetters = addFigure(grid, tr("dead letters"), "totalsDeadLetters", 2);
    m_duration = addFigure(grid, tr("duration"), "totalsDuration", 3);
    m_rate = addFigure(grid, tr("records read/s"), "totalsRate", 4);
    layout->addWidget(figures, 0, Qt::AlignHCenter);
    layout->addStretch(2);
}

void RunTotalsPanel::showRun(const state::RunRecord &run, qint64 nowMs)
{
    const QLocale locale;
    const qint64 durationMs = (run.finishedMs ? run.finishedMs : nowMs) - run.startedMs;
    m_title->setText(tr("Run %1 · %2").arg(run.id).arg(statusText(run.status)));
    m_read->setText(locale.toString(run.totals.recordsIn));
    m_written->setText(locale.toString(run.totals.recordsOut));
    m_deadLetters->setText(locale.toString(run.totals.deadLetters));
    m_duration->setText(durationText(durationMs));
    // Under a millisecond there is no meaningful rate.
    m_rate->setText(durationMs > 0 ? locale.toString(static_cast<double>(run.totals.recordsIn) *
                                                         1000.0 / static_cast<double>(durationMs),
                                                     'f', 0)
                                   : QStringLiteral("—"));
    // The figures' widths changed with their text: lay them out now, not on the next event
    // (a picture taken right away would otherwise show the old, narrower columns).
    if (QLayout *l = layout()) {
        l->invalidate();
        l->activate();
    }
}

} // namespace weir::ui
