#include "monitor/run_history_model.h"

#include "common/time_format.h"
#include "monitor/duration_text.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QLocale>

namespace weir::ui {
namespace {

constexpr int kMaxRuns = 200;

} // namespace

void RunHistoryModel::setSource(const state::StateStore *store, const QString &pipeline)
{
    m_store = store;
    m_pipeline = pipeline;
    reload();
}

void RunHistoryModel::reload()
{
    beginResetModel();
    m_rows.clear();
    if (m_store && !m_pipeline.isEmpty()) {
        if (auto runs = m_store->runs(m_pipeline, kMaxRuns)) {
            for (state::RunRecord &r : runs.value()) {
                Row row{std::move(r), {}};
                auto nodes = m_store->runNodes(row.run.id);
                auto last = m_store->lastMetrics(row.run.id);
                if (nodes && last)
                    row.completeness = state::runCompleteness(nodes.value(), last.value());
                m_rows.push_back(std::move(row));
            }
        }
    }
    endResetModel();
}

qint64 RunHistoryModel::runIdAt(int row) const
{
    return row >= 0 && row < rowCount() ? m_rows[static_cast<std::size_t>(row)].run.id : 0;
}

int RunHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RunHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunHistoryModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const Row &row = m_rows[static_cast<std::size_t>(index.row())];
    const state::RunRecord &r = row.run;
    const state::RunCompleteness &c = row.completeness;
    const bool running = r.finishedMs == 0;
    if (role == Qt::DisplayRole) {
        const QLocale locale;
        switch (index.column()) {
        case Run:
            return r.id;
        case Status:
            return r.status;
        case Started:
            return QDateTime::fromMSecsSinceEpoch(r.startedMs)
                .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case Duration:
            return durationText((running ? common::nowMillis() : r.finishedMs) - r.startedMs);
        case Read:
            return locale.toString(c.known ? c.read : r.totals.recordsIn);
        case Written:
            return locale.toString(c.known ? c.written : r.totals.recordsOut);
        case Errors:
            return locale.toString(r.totals.errors);
        case DeadLetters:
            return locale.toString(c.known ? c.deadLetters : r.totals.deadLetters);
        case Filtered:
            return c.known ? locale.toString(c.filtered) : QStringLiteral("–");
        case Gap:
            if (!c.known)
                return tr("unknown");
            return c.gap == 0 ? tr("complete") : tr("%L1 missing").arg(c.gap);
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Read)
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ForegroundRole) {
        if (index.column() == Gap && c.known)
            return QBrush(c.gap == 0 ? QColor(0x2e, 0x9e, 0x6b) : QColor(0xd0, 0x3b, 0x3b));
        if (index.column() == Status && r.status == QLatin1String("failed"))
            return QBrush(QColor(0xd0, 0x3b, 0x3b));
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Gap)
            return tr("Read %L1 = written %L2 + dead letters %L3 + filtered %L4 + missing %L5.\n"
                      "Missing records were still on their way when the run ended; the next run "
                      "picks them up from the committed positions.")
                .arg(c.read)
                .arg(c.written)
                .arg(c.deadLetters)
                .arg(c.filtered)
                .arg(c.gap);
        if (!r.message.isEmpty())
            return r.message;
    }
    return {};
}

QVariant RunHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Run:
        return tr("Run");
    case Status:
        return tr("Status");
    case Started:
        return tr("Started");
    case Duration:
        return tr("Duration");
    case Read:
        return tr("Read");
    case Written:
        return tr("Written");
    case Errors:
        return tr("Errors");
    case DeadLetters:
        return tr("Dead letters");
    case Filtered:
        return tr("Filtered");
    case Gap:
        return tr("Completeness");
    default:
        return {};
    }
}

} // namespace weir::ui
