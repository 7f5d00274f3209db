#include "transforms/filter_transform.h"

namespace weir::transforms {

using model::ConfigField;
using model::FieldKind;

FilterTransform::FilterTransform(const QString &expression)
    : m_query("SELECT _weir_row FROM batch WHERE (" + expression.toStdString() + "\n)")
{
}

Status FilterTransform::process(record::Batch &batch, std::vector<engine::DeadLetter> &dead)
{
    (void)dead;
    if (batch.empty())
        return {};
    m_keep.assign(batch.size(), false);
    if (Status s = m_query.run(batch,
                               [this](const common::SqliteStatement &row) {
                                   m_keep[static_cast<std::size_t>(row.columnInt(0))] = true;
                               });
        !s)
        return s;
    record::keepEvents(batch, m_keep);
    return {};
}

void registerFilterTransform(model::NodeTypeRegistry &registry)
{
    model::NodeType t;
    t.id = QStringLiteral("filter");
    t.displayName = QStringLiteral("Filter");
    t.category = model::NodeCategory::Transform;
    t.description = QStringLiteral(
        "Keeps the records for which a condition is true, written as an SQLite expression over "
        "the record's columns. The others are dropped (not errors).");
    t.inputs = model::recordsIn();
    t.outputs = model::recordsOut();
    t.schema = {
        ConfigField::of(
            QStringLiteral("expression"), FieldKind::Sql, QStringLiteral("Condition"),
            QStringLiteral("SQLite expression, e.g. amount > 0 AND status <> 'cancelled'. "
                           "_weir_op is the change type (c, u, d, r)."))
            .asRequired(),
    };
    t.makeTransform =
        [](const model::NodeConfig &config) -> std::unique_ptr<engine::TransformNode> {
        return std::make_unique<FilterTransform>(config.string(QStringLiteral("expression")));
    };
    registry.registerType(std::move(t));
}

} // namespace weir::transforms
