#include "monitor/dead_letter_model.h"

#include "common/time_format.h"

#include <QDateTime>
#include <QFileInfo>

namespace weir::ui {

namespace {

// Beyond this many row changes one reset is cheaper than row-by-row signals.
constexpr std::size_t kMergeLimit = 500;

bool sameEntry(const state::DeadLetterEntry &a, const state::DeadLetterEntry &b)
{
    return a.id == b.id && a.attempts == b.attempts && a.error == b.error &&
           a.payload == b.payload && a.runId == b.runId && a.node == b.node;
}

QString firstLine(const QString &text)
{
    const qsizetype end = text.indexOf(QLatin1Char('\n'));
    return end < 0 ? text : text.left(end) + QStringLiteral(" …");
}

QString timeText(qint64 ms)
{
    const QDateTime when = QDateTime::fromMSecsSinceEpoch(ms);
    if (when.date() == QDate::currentDate())
        return when.toString(QStringLiteral("HH:mm:ss"));
    return when.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

} // namespace

DeadLetterModel::DeadLetterModel(QObject *parent) : QAbstractTableModel(parent)
{
}

void DeadLetterModel::setStore(const state::StateStore *store)
{
    m_store = store;
    m_signature = {};
    reload();
}

void DeadLetterModel::setFilter(const Filter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    reload();
}

state::DeadLetterFilter DeadLetterModel::storeFilter() const
{
    return state::DeadLetterFilter{m_filter.pipeline, m_filter.node, m_filter.errorContains};
}

qint64 DeadLetterModel::cutoffMs() const
{
    return m_filter.maxAgeMs > 0 ? common::nowMillis() - m_filter.maxAgeMs : 0;
}

bool DeadLetterModel::readSignature(Signature &signature)
{
    auto total = m_store->countDeadLetters(state::DeadLetterFilter{m_filter.pipeline, {}, {}});
    auto matching = m_store->countDeadLetters(storeFilter());
    auto newest = m_store->deadLetters(storeFilter(), 1);
    if (!total || !matching || !newest) {
        m_lastError = !total      ? total.error().message
                      : !matching ? matching.error().message
                                  : newest.error().message;
        return false;
    }
    signature.total = total.value();
    signature.matching = matching.value();
    signature.newestId = newest->empty() ? 0 : newest->front().id;
    return true;
}

bool DeadLetterModel::reload()
{
    if (!m_store) {
        m_totalCount = 0;
        m_truncated = false;
        m_signature = {};
        merge({});
        return true;
    }
    Signature signature;
    if (!readSignature(signature))
        return false;
    auto fresh = m_store->deadLetters(storeFilter(), loadLimit);
    if (!fresh) {
        m_lastError = fresh.error().message;
        return false;
    }
    m_lastError.clear();
    m_signature = signature;
    m_totalCount = signature.total;
    m_truncated = static_cast<qint64>(fresh->size()) < signature.matching;
    if (const qint64 cutoff = cutoffMs(); cutoff > 0) {
        std::erase_if(fresh.value(),
                      [cutoff](const state::DeadLetterEntry &e) { return e.createdMs < cutoff; });
    }
    merge(std::move(fresh.value()));
    return true;
}

bool DeadLetterModel::refreshIfChanged()
{
    if (!m_store)
        return false;
    Signature signature;
    if (!readSignature(signature))
        return false;
    const qint64 cutoff = cutoffMs();
    const bool agedOut = cutoff > 0 && !m_entries.empty() && m_entries.back().createdMs < cutoff;
    if (signature == m_signature && !agedOut)
        return false;
    return reload();
}

void DeadLetterModel::merge(std::vector<state::DeadLetterEntry> fresh)
{
    // Both lists are sorted by id, newest first: one walk finds the removed, added and changed
    // rows. Persistent indexes (selections, the current row) follow the rows that stay.
    std::size_t changes = 0;
    for (std::size_t i = 0, j = 0; i < m_entries.size() || j < fresh.size();) {
        if (i < m_entries.size() && j < fresh.size() && m_entries[i].id == fresh[j].id) {
            ++i;
            ++j;
        } else {
            ++changes;
            if (j >= fresh.size() || (i < m_entries.size() && m_entries[i].id > fresh[j].id))
                ++i;
            else
                ++j;
        }
    }
    if (changes > kMergeLimit) {
        beginResetModel();
        m_entries = std::move(fresh);
        endResetModel();
        return;
    }
    int row = 0;
    std::size_t j = 0;
    while (static_cast<std::size_t>(row) < m_entries.size() || j < fresh.size()) {
        const auto r = static_cast<std::size_t>(row);
        if (r < m_entries.size() && j < fresh.size() && m_entries[r].id == fresh[j].id) {
            if (!sameEntry(m_entries[r], fresh[j])) {
                m_entries[r] = std::move(fresh[j]);
                emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
            }
            ++row;
            ++j;
        } else if (j >= fresh.size() || (r < m_entries.size() && m_entries[r].id > fresh[j].id)) {
            beginRemoveRows({}, row, row);
            m_entries.erase(m_entries.begin() + row);
            endRemoveRows();
        } else {
            beginInsertRows({}, row, row);
            m_entries.insert(m_entries.begin() + row, std::move(fresh[j]));
            endInsertRows();
            ++row;
            ++j;
        }
    }
}

const state::DeadLetterEntry &DeadLetterModel::entry(int row) const
{
    return m_entries.at(static_cast<std::size_t>(row));
}

int DeadLetterModel::rowOfId(qint64 id) const
{
    for (std::size_t i = 0; i < m_entries.size(); ++i) {
        if (m_entries[i].id == id)
            return static_cast<int>(i);
    }
    return -1;
}

std::vector<state::DeadLetterEntry> DeadLetterModel::matchingEntries() const
{
    if (!m_store)
        return {};
    auto all = m_store->deadLetters(storeFilter(), 0);
    if (!all)
        return {};
    if (const qint64 cutoff = cutoffMs(); cutoff > 0) {
        std::erase_if(all.value(),
                      [cutoff](const state::DeadLetterEntry &e) { return e.createdMs < cutoff; });
    }
    return std::move(all.value());
}

QString DeadLetterModel::sourceText(const state::DeadLetterEntry &entry)
{
    const QString stream = QFileInfo(entry.stream).fileName().isEmpty()
                               ? entry.stream
                               : QFileInfo(entry.stream).fileName();
    return state::recordPlace(entry, stream);
}

int DeadLetterModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int DeadLetterModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeadLetterModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= rowCount())
        return {};
    const state::DeadLetterEntry &e = entry(index.row());
    if (role == IdRole)
        return e.id;
    if (role == Qt::TextAlignmentRole) {
        const bool number = index.column() == IdColumn || index.column() == AttemptsColumn;
        return QVariant::fromValue(Qt::AlignVCenter | (number ? Qt::AlignRight : Qt::AlignLeft));
    }
    if (role == SortRole) {
        switch (index.column()) {
        case IdColumn:
            return e.id;
        case TimeColumn:
            return e.createdMs;
        case AttemptsColumn:
            return e.attempts;
        default:
            break;
        }
        role = Qt::DisplayRole;
    }
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case IdColumn:
            return e.id;
        case TimeColumn:
            return timeText(e.createdMs);
        case NodeColumn:
            return e.node;
        case ErrorColumn:
            return firstLine(e.error);
        case SourceColumn:
            return sourceText(e);
        case AttemptsColumn:
            return e.attempts;
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case TimeColumn:
            return tr("First failed %1 (run %2)")
                .arg(QDateTime::fromMSecsSinceEpoch(e.createdMs).toString(Qt::ISODate))
                .arg(e.runId);
        case NodeColumn:
            return tr("Failed in node %1 of pipeline %2").arg(e.node, e.pipeline);
        case ErrorColumn:
            return e.error;
        case SourceColumn:
            return e.location.empty()
                       ? tr("%1, line %2, byte offset %3").arg(e.stream).arg(e.line).arg(e.offset)
                       : tr("%1, row %2").arg(e.stream, QString::fromStdString(e.location));
        case AttemptsColumn:
            return e.attempts == 1 ? tr("Failed once")
                                   : tr("Failed %1 times, retries included").arg(e.attempts);
        default:
            return {};
        }
    }
    return {};
}

QVariant DeadLetterModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case IdColumn:
            return tr("Id");
        case TimeColumn:
            return tr("Time");
        case NodeColumn:
            return tr("Node");
        case ErrorColumn:
            return tr("Error");
        case SourceColumn:
            return tr("Source");
        case AttemptsColumn:
            return tr("Attempts");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case TimeColumn:
            return tr("When the record first failed");
        case SourceColumn:
            return tr("The file (or stream) and line the record was read from");
        case AttemptsColumn:
            return tr("How many times the record has failed, retries included");
        default:
            return {};
        }
    }
    return {};
}

} // namespace weir::ui
