#include "transforms/dedupe_transform.h"

#include "record/value_cast.h"

#include <unordered_map>

namespace weir::transforms {

using model::ConfigField;
using model::FieldKind;
using record::ValueKind;

int compareValues(const record::Value &a, const record::Value &b)
{
    if (a.isNull() || b.isNull())
        return (a.isNull() ? 0 : 1) - (b.isNull() ? 0 : 1);
    if (a.kind() == ValueKind::Timestamp && b.kind() == ValueKind::Timestamp)
        return (a.asTimestampMicros() > b.asTimestampMicros()) -
               (a.asTimestampMicros() < b.asTimestampMicros());
    if (a.kind() != ValueKind::String && b.kind() != ValueKind::String) {
        const auto x = record::numericValue(a), y = record::numericValue(b);
        if (x && y)
            return (*x > *y) - (*x < *y);
    }
    return a.toText().compare(b.toText());
}

Status DedupeTransform::process(record::Batch &batch, std::vector<engine::DeadLetter> &dead)
{
    (void)dead;
    if (batch.size() < 2)
        return {};
    std::vector<int> keyIndexes;
    for (const std::string &k : m_key) {
        const int i = batch.schema->indexOf(k);
        if (i < 0)
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("key column '%1' is not in the records")
                                 .arg(QString::fromStdString(k)));
        keyIndexes.push_back(i);
    }
    const int orderIndex = m_orderBy.empty() ? -1 : batch.schema->indexOf(m_orderBy);
    if (!m_orderBy.empty() && orderIndex < 0)
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("order_by column '%1' is not in the records")
                             .arg(QString::fromStdString(m_orderBy)));

    // key text -> index of the event kept for it so far
    std::unordered_map<std::string, std::size_t> winner;
    winner.reserve(batch.size());
    std::vector<bool> keep(batch.size(), false);
    std::string key;
    for (std::size_t e = 0; e < batch.size(); ++e) {
        const auto &values = batch.events[e].current();
        key.clear();
        for (int i : keyIndexes) {
            const auto index = static_cast<std::size_t>(i);
            key += index < values.size() ? values[index].toText() : std::string();
            key.push_back('\x1f');
        }
        auto [it, inserted] = winner.try_emplace(key, e);
        if (inserted) {
            keep[e] = true;
            continue;
        }
        bool replace = !m_keepFirst;
        if (orderIndex >= 0) {
            const auto &old = batch.events[it->second].current();
            const auto o = static_cast<std::size_t>(orderIndex);
            const int c =
                o < values.size() && o < old.size() ? compareValues(values[o], old[o]) : 0;
            replace = c > 0 || (c == 0 && !m_keepFirst);
        }
        if (replace) {
            keep[it->second] = false;
            keep[e] = true;
            it->second = e;
        }
    }
    record::keepEvents(batch, keep);
    return {};
}

void registerDedupeTransform(model::NodeTypeRegistry &registry)
{
    model::NodeType t;
    t.id = QStringLiteral("dedupe");
    t.displayName = QStringLiteral("Deduplicate");
    t.category = model::NodeCategory::Transform;
    t.description = QStringLiteral(
        "Keeps one record per key in each batch: the newest by the ordering column, or by "
        "arrival. Cuts the work of an upsert target; records are dropped, never changed.");
    t.inputs = model::recordsIn();
    t.outputs = model::recordsOut();
    t.schema = {
        ConfigField::of(QStringLiteral("key"), FieldKind::Columns, QStringLiteral("Key columns"),
                        QStringLiteral("Columns that identify a record."))
            .asRequired(),
        ConfigField::of(
            QStringLiteral("order_by"), FieldKind::String, QStringLiteral("Ordering column"),
            QStringLiteral("The record with the greatest value wins (e.g. updated_at).")),
        ConfigField::of(
            QStringLiteral("keep"), FieldKind::Enum, QStringLiteral("Keep"),
            QStringLiteral("On a tie (or without ordering column): keep the last or the "
                           "first record to arrive."))
            .withDefault(QStringLiteral("last"))
            .withOptions({QStringLiteral("last"), QStringLiteral("first")}),
    };
    t.makeTransform =
        [](const model::NodeConfig &config) -> std::unique_ptr<engine::TransformNode> {
        std::vector<std::string> key;
        for (const QString &k : config.stringList(QStringLiteral("key")))
            key.push_back(k.toStdString());
        return std::make_unique<DedupeTransform>(
            std::move(key), config.string(QStringLiteral("order_by")).toStdString(),
            config.string(QStringLiteral("keep")) == QLatin1String("first"));
    };
    registry.registerType(std::move(t));
}

} // namespace weir::transforms
