#include "monitor/metrics_charts.h"

#include "common/time_format.h"
#include "monitor/run_totals_panel.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineSeries>
#include <QStackedWidget>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>

namespace weir::ui {
namespace {

constexpr qint64 kMinute = qint64{60} * 1000;
constexpr qint64 kHour = 60 * kMinute;
// History is read from a little before the window: those samples are baselines for the
// counters (what they counted happened earlier), never drawn.
constexpr qint64 kBaselineMs = 2 * kMinute;

QList<QPointF> toPoints(const std::vector<state::SeriesPoint> &points)
{
    QList<QPointF> out;
    out.reserve(static_cast<qsizetype>(points.size()));
    for (const state::SeriesPoint &p : points)
        out.append(QPointF(static_cast<qreal>(p.timeMs), p.value));
    return out;
}

qreal maxOf(const QList<QPointF> &points)
{
    qreal m = 0;
    for (const QPointF &p : points)
        m = std::max(m, p.y());
    return m;
}

// A round axis top a little over the largest value, so the lines do not touch the frame.
qreal niceTop(qreal max)
{
    if (max <= 0)
        return 1;
    const qreal padded = max * 1.15;
    const qreal step = std::pow(10.0, std::floor(std::log10(padded)));
    return std::ceil(padded / step) * step;
}

// Small ranges (a lag under a few seconds) need decimals on the axis; large ones do not.
void setAxisTop(QValueAxis *axis, qreal top)
{
    axis->setRange(0, top);
    axis->setLabelFormat(top < 4 ? QStringLiteral("%.2g") : QStringLiteral("%.0f"));
}

} // namespace

struct MetricsCharts::Chart
{
    QChart *chart = nullptr;
    QChartView *view = nullptr;
    QDateTimeAxis *x = nullptr;
    QValueAxis *y = nullptr;
    QValueAxis *right = nullptr;
    std::vector<QLineSeries *> lines;
};

MetricsCharts::MetricsCharts(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    auto *bar = new QHBoxLayout;
    m_title = new QLabel(this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_scopeBox = new QComboBox(this);
    m_scopeBox->setToolTip(tr("Chart the whole pipeline or one node"));
    m_scopeBox->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_windowBox = new QComboBox(this);
    m_windowBox->setToolTip(tr("Time window, read from the run history"));
    m_windowBox->addItem(tr("Last 5 minutes"), 5 * kMinute);
    m_windowBox->addItem(tr("Last hour"), kHour);
    m_windowBox->addItem(tr("Last 24 hours"), 24 * kHour);
    bar->addWidget(m_title, 1);
    bar->addWidget(m_scopeBox);
    bar->addWidget(m_windowBox);
    layout->addLayout(bar);

    m_stack = new QStackedWidget(this);
    m_chartsPage = new QWidget(m_stack);
    auto *grid = new QGridLayout(m_chartsPage);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(4);
    m_totals = new RunTotalsPanel(m_stack);
    m_totals->setObjectName(QStringLiteral("runTotals"));
    m_stack->addWidget(m_chartsPage);
    m_stack->addWidget(m_totals);
    layout->addWidget(m_stack, 1);
    m_charts.emplace_back(
        makeChart(tr("Throughput"), {tr("read/s"), tr("written/s")}, tr("records/s")));
    m_charts.emplace_back(makeChart(
        tr("Ingestion lag"), {tr("event-time lag (s)"), tr("MB behind")}, tr("seconds"), tr("MB")));
    m_charts.emplace_back(
        makeChart(tr("Error rate"), {tr("errors (%)"), tr("errors")}, tr("%"), tr("count")));
    m_charts.emplace_back(
        makeChart(tr("Dead letters"), {tr("dead letters in window")}, tr("count")));
    for (std::size_t i = 0; i < m_charts.size(); ++i)
        grid->addWidget(m_charts[i]->view, static_cast<int>(i / 2), static_cast<int>(i % 2));

    connect(m_windowBox, &QComboBox::currentIndexChanged, this,
            [this] { setWindow(m_windowBox->currentData().toLongLong()); });
    connect(m_scopeBox, &QComboBox::currentIndexChanged, this,
            [this] { setNode(m_scopeBox->currentData().toString()); });
    m_builder = std::make_unique<state::MetricsSeriesBuilder>(
        m_windowMs, state::MetricsSeriesBuilder::bucketFor(m_windowMs), QString(), m_roles);
    updateTitle();
}

MetricsCharts::~MetricsCharts() = default;

MetricsCharts::Chart *MetricsCharts::makeChart(const QString &title, const QStringList &lines,
                                               const QString &unit, const QString &rightUnit)
{
    auto *c = new Chart;
    c->chart = new QChart;
    c->chart->setTitle(title);
    const bool dark = palette().color(QPalette::Window).lightness() < 128;
    c->chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    c->chart->setBackgroundRoundness(0);
    c->chart->setMargins(QMargins(4, 2, 4, 2));
    c->chart->legend()->setAlignment(Qt::AlignBottom);
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    c->chart->legend()->setFont(small);
    QFont titleFont = font();
    titleFont.setBold(true);
    c->chart->setTitleFont(titleFont);
    c->chart->setAnimationOptions(QChart::NoAnimation);

    c->x = new QDateTimeAxis;
    c->x->setFormat(QStringLiteral("HH:mm:ss"));
    c->x->setTickCount(5);
    c->x->setLabelsFont(small);
    c->chart->addAxis(c->x, Qt::AlignBottom);
    c->y = new QValueAxis;
    c->y->setTitleText(unit);
    c->y->setTitleFont(small);
    c->y->setLabelsFont(small);
    c->y->setLabelFormat(QStringLiteral("%.0f"));
    c->y->setTickCount(5);
    c->chart->addAxis(c->y, Qt::AlignLeft);
    if (!rightUnit.isEmpty()) {
        c->right = new QValueAxis;
        c->right->setTitleText(rightUnit);
        c->right->setTitleFont(small);
        c->right->setLabelsFont(small);
        c->right->setLabelFormat(QStringLiteral("%.0f"));
        c->right->setTickCount(5);
        c->chart->addAxis(c->right, Qt::AlignRight);
    }
    const QList<QColor> colours{QColor(0x2b, 0x83, 0xc6), QColor(0x2e, 0x9e, 0x6b)};
    const QList<QColor> warm{QColor(0xd9, 0x5d, 0x1e), QColor(0x8a, 0x5a, 0xc2)};
    const bool errorsChart = title == tr("Error rate") || title == tr("Dead letters");
    for (qsizetype i = 0; i < lines.size(); ++i) {
        auto *s = new QLineSeries;
        s->setName(lines[i]);
        QPen pen((errorsChart ? warm : colours).value(i));
        pen.setWidthF(1.8);
        s->setPen(pen);
        c->chart->addSeries(s);
        s->attachAxis(c->x);
        s->attachAxis(i > 0 && c->right ? c->right : c->y);
        c->lines.push_back(s);
    }
    c->view = new QChartView(c->chart, m_chartsPage);
    c->view->setRenderHint(QPainter::Antialiasing);
    c->view->setRubberBand(QChartView::HorizontalRubberBand); // right click zooms back out
    c->view->setMinimumSize(260, 170);
    c->view->setToolTip(tr("Drag to zoom in on a time range; right-click to zoom out"));
    return c;
}

void MetricsCharts::setPipeline(const QString &name, std::map<QString, state::NodeRole> roles)
{
    m_pipeline = name;
    m_roles = std::move(roles);
    const QSignalBlocker block(m_scopeBox);
    m_scopeBox->clear();
    m_scopeBox->addItem(tr("Whole pipeline"), QString());
    for (const auto &[node, role] : m_roles)
        m_scopeBox->addItem(tr("Node %1").arg(node), node);
    const int at = m_scopeBox->findData(m_node);
    if (at < 0)
        m_node.clear();
    m_scopeBox->setCurrentIndex(std::max(at, 0));
    reload();
}

void MetricsCharts::setNode(const QString &node)
{
    if (node == m_node)
        return;
    m_node = node;
    {
        const QSignalBlocker block(m_scopeBox);
        const int at = m_scopeBox->findData(node);
        m_scopeBox->setCurrentIndex(std::max(at, 0));
    }
    reload();
}

void MetricsCharts::setWindow(qint64 windowMs)
{
    if (windowMs == m_windowMs && m_runId == 0)
        return;
    m_windowMs = windowMs;
    {
        const QSignalBlocker block(m_windowBox);
        const int at = m_windowBox->findData(windowMs);
        if (at >= 0)
            m_windowBox->setCurrentIndex(at);
    }
    m_runId = 0;
    reload();
}

void MetricsCharts::showLive()
{
    if (m_runId == 0)
        return;
    m_runId = 0;
    reload();
}

void MetricsCharts::showRun(qint64 runId)
{
    m_runId = runId;
    readRun(runId);
    reload();
}

void MetricsCharts::runStarted(qint64 runId)
{
    m_liveRunId = runId;
    if (m_runId == 0)
        readRun(runId);
    showChartsOrTotals();
}

void MetricsCharts::runFinished(qint64 runId)
{
    if (runId != m_liveRunId)
        return;
    m_liveRunId = 0;
    // The store has the final totals and the end time now; an opened past run stays shown.
    if (m_runId == 0)
        readRun(runId);
    showChartsOrTotals();
}

void MetricsCharts::readRun(qint64 runId)
{
    m_run = {};
    if (!m_store)
        return;
    if (auto run = m_store->run(runId))
        m_run = std::move(run.value());
}

void MetricsCharts::reload()
{
    std::vector<state::MetricSample> history;
    if (m_runId != 0) {
        // A past run: its whole span, bucketed like a window of the same length.
        qint64 start = 0;
        qint64 end = 0;
        if (m_store) {
            if (auto run = m_store->run(m_runId)) {
                start = run.value().startedMs;
                end = run.value().finishedMs ? run.value().finishedMs : common::nowMillis();
            }
            if (auto rows = m_store->metrics(m_runId, m_node))
                history = std::move(rows.value());
        }
        const qint64 span = std::max<qint64>(end - start, kMinute);
        m_rangeStartMs = start;
        m_rangeEndMs = start + span;
        // History older than an hour is kept per minute: finer buckets would only draw spikes.
        const qint64 bucket = start < common::nowMillis() - kHour
                                  ? std::max(kMinute, state::MetricsSeriesBuilder::bucketFor(span))
                                  : state::MetricsSeriesBuilder::bucketFor(span);
        m_builder =
            std::make_unique<state::MetricsSeriesBuilder>(span + 1000, bucket, m_node, m_roles);
        m_builder->slideTo(start + span);
    } else {
        // The live run, else the pipeline's latest. A live run's totals come from its
        // snapshots: the store has them only once it ends.
        if (m_liveRunId != 0) {
            if (m_run.id != m_liveRunId)
                readRun(m_liveRunId);
        } else {
            m_run = {};
            if (m_store && !m_pipeline.isEmpty()) {
                if (auto runs = m_store->runs(m_pipeline, 1); runs && !runs.value().empty())
                    m_run = runs.value().front();
            }
        }
        const qint64 now = common::nowMillis();
        m_builder = std::make_unique<state::MetricsSeriesBuilder>(
            m_windowMs, state::MetricsSeriesBuilder::bucketFor(m_windowMs), m_node, m_roles);
        m_builder->slideTo(now);
        if (m_store && !m_pipeline.isEmpty()) {
            if (auto rows =
                    m_store->pipelineMetrics(m_pipeline, now - m_windowMs - kBaselineMs, m_node))
                history = std::move(rows.value());
        }
        m_rangeStartMs = now - m_windowMs;
        m_rangeEndMs = now;
    }
    m_builder->add(history);
    for (const auto &c : m_charts)
        c->chart->zoomReset();
    redraw();
    updateTitle();
}

void MetricsCharts::addSnapshot(const engine::MetricsSnapshot &snapshot)
{
    if (m_runId != 0 || snapshot.nodes.empty())
        return;
    if (snapshot.runId == m_liveRunId && m_run.id == m_liveRunId)
        m_run.totals = snapshot.totals;
    m_builder->add(snapshot.nodes);
    const qint64 now = snapshot.nodes.front().timeMs;
    m_builder->slideTo(now);
    m_rangeStartMs = now - m_windowMs;
    m_rangeEndMs = now;
    redraw();
}

void MetricsCharts::redraw()
{
    m_series = m_builder->series();
    const QList<QList<QPointF>> lines{
        toPoints(m_series.readPerSecond), toPoints(m_series.writtenPerSecond),
        toPoints(m_series.lagSeconds),    toPoints(m_series.megabytesBehind),
        toPoints(m_series.errorPercent),  toPoints(m_series.errors),
        toPoints(m_series.deadLetters)};
    // Live, the axis starts at the window's first point (half a minute before its end at most), so
    // a run that has just begun fills the charts instead of hugging their right edge.
    qint64 start = m_rangeStartMs;
    if (m_runId == 0) {
        qint64 first = m_rangeEndMs - kMinute / 2;
        for (const QList<QPointF> &points : lines) {
            if (!points.isEmpty())
                first = std::min(first, static_cast<qint64>(points.front().x()));
        }
        start = std::max(start, first);
    }
    std::size_t next = 0;
    for (const auto &c : m_charts) {
        qreal leftMax = 0;
        qreal rightMax = 0;
        for (std::size_t i = 0; i < c->lines.size(); ++i) {
            const QList<QPointF> &points = lines[static_cast<qsizetype>(next++)];
            c->lines[i]->replace(points);
            // A short run is a few points at the window's edge: show them as dots.
            c->lines[i]->setPointsVisible(points.size() < 20);
            (i > 0 && c->right ? rightMax : leftMax) =
                std::max(i > 0 && c->right ? rightMax : leftMax, maxOf(points));
        }
        if (c->chart->isZoomed())
            continue; // the user's zoom stays while the data moves on
        c->x->setRange(QDateTime::fromMSecsSinceEpoch(start),
                       QDateTime::fromMSecsSinceEpoch(m_rangeEndMs));
        c->x->setFormat(m_rangeEndMs - start > 10 * kMinute ? QStringLiteral("HH:mm")
                                                            : QStringLiteral("HH:mm:ss"));
        setAxisTop(c->y, niceTop(leftMax));
        if (c->right)
            setAxisTop(c->right, niceTop(rightMax));
    }
    showChartsOrTotals();
}

void MetricsCharts::showChartsOrTotals()
{
    // One point per line is a dot in a corner of an empty chart: it says less than the totals.
    const std::size_t points =
        std::max(m_series.readPerSecond.size(), m_series.writtenPerSecond.size());
    const bool totals = points < 2 && m_run.id != 0;
    if (totals)
        m_totals->showRun(m_run, common::nowMillis());
    m_stack->setCurrentWidget(totals ? static_cast<QWidget *>(m_totals) : m_chartsPage);
}

void MetricsCharts::updateTitle()
{
    const QString scope =
        m_node.isEmpty() ? tr("Pipeline %1").arg(m_pipeline) : tr("Node %1").arg(m_node);
    m_title->setText(m_runId ? tr("%1 — run %2").arg(scope).arg(m_runId)
                             : tr("%1 — live").arg(scope));
    m_windowBox->setEnabled(m_runId == 0);
}

} // namespace weir::ui
