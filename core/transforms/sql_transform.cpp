#include "transforms/sql_transform.h"

namespace weir::transforms {

using model::ConfigField;
using model::FieldKind;

Status SqlTransform::process(record::Batch &batch, std::vector<engine::DeadLetter> &dead)
{
    (void)dead;
    if (batch.empty())
        return {};
    std::vector<record::ChangeEvent> out;
    // A result row may come from any number of input rows (an aggregate, a join), so it is
    // located by the batch's last record and its row number in the result: unique within the
    // stream, and the same when the same batch is read again.
    const record::ChangeEvent &last = batch.events.back();
    const std::string prefix = last.location.empty() ? "result row " : last.location + " row ";
    int width = -1;
    if (Status s = m_query.run(batch,
                               [&](const common::SqliteStatement &row) {
                                   if (width < 0)
                                       width = row.columnCount();
                                   record::ChangeEvent &e = out.emplace_back();
                                   e.offset = last.offset;
                                   e.location = prefix + std::to_string(out.size());
                                   e.eventTimeMicros = last.eventTimeMicros;
                                   e.after.reserve(static_cast<std::size_t>(width));
                                   for (int i = 0; i < width; ++i)
                                       e.after.push_back(BatchQuery::valueAt(row, i));
                               });
        !s)
        return s;
    const std::vector<std::string> names = m_query.columnNames();
    if (!m_output || m_output->columns() != names)
        m_output = record::makeSchema(names);
    batch.schema = m_output;
    batch.events = std::move(out);
    return {};
}

void registerSqlTransform(model::NodeTypeRegistry &registry)
{
    model::NodeType t;
    t.id = QStringLiteral("sql");
    t.displayName = QStringLiteral("SQL");
    t.category = model::NodeCategory::Transform;
    t.description = QStringLiteral(
        "Runs an SQLite query over each batch (the table batch) and sends on its result. The "
        "query sees nothing but the batch.");
    t.inputs = model::recordsIn();
    t.outputs = model::recordsOut();
    t.schema = {
        ConfigField::of(QStringLiteral("query"), FieldKind::Sql, QStringLiteral("Query"),
                        QStringLiteral("One SELECT over the table batch, e.g. SELECT status, "
                                       "count(*) AS orders FROM batch GROUP BY status."))
            .asRequired(),
    };
    t.makeTransform =
        [](const model::NodeConfig &config) -> std::unique_ptr<engine::TransformNode> {
        return std::make_unique<SqlTransform>(config.string(QStringLiteral("query")));
    };
    registry.registerType(std::move(t));
}

} // namespace weir::transforms
