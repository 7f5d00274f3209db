#include "connectors/incremental_fields.h"

namespace weir::connectors {

using model::ConfigField;
using model::FieldKind;

model::ConfigSchema incrementalSourceSchema(model::ConfigField connection)
{
    return model::ConfigSchema(std::vector<ConfigField>{
        std::move(connection),
        ConfigField::of(QStringLiteral("table"), FieldKind::String, QStringLiteral("Table"),
                        QStringLiteral("Table to read (or give a query instead).")),
        ConfigField::of(QStringLiteral("query"), FieldKind::Sql, QStringLiteral("Query"),
                        QStringLiteral("A SELECT to read instead of a table.")),
        ConfigField::of(QStringLiteral("watermark_column"), FieldKind::String,
                        QStringLiteral("Watermark column"),
                        QStringLiteral("Column that grows with changes, e.g. updated_at."))
            .asRequired(),
        ConfigField::of(QStringLiteral("key_column"), FieldKind::String,
                        QStringLiteral("Key column"),
                        QStringLiteral("Unique column that orders rows sharing a watermark."))
            .asRequired(),
        ConfigField::of(
            QStringLiteral("lookback_seconds"), FieldKind::Int, QStringLiteral("Lookback (s)"),
            QStringLiteral("Read this far behind the watermark again for rows committed "
                           "late (timestamp watermarks; at-least-once inside the window "
                           "after a restart, so pair it with an upsert target)."))
            .withDefault(0)
            .withRange(0, 604800),
        ConfigField::of(QStringLiteral("batch_size"), FieldKind::Int, QStringLiteral("Batch size"),
                        QStringLiteral("Rows per batch."))
            .withDefault(10000)
            .withRange(1, 1000000),
        ConfigField::of(QStringLiteral("poll_ms"), FieldKind::Int,
                        QStringLiteral("Poll interval (ms)"),
                        QStringLiteral("How often to look for new rows once caught up."))
            .withDefault(1000)
            .withRange(50, 3600000),
    });
}

std::vector<model::FieldProblem> checkTableOrQuery(const QJsonObject &config)
{
    std::vector<model::FieldProblem> problems;
    const bool table = !config.value(QStringLiteral("table")).toString().isEmpty();
    const bool query = !config.value(QStringLiteral("query")).toString().isEmpty();
    if (table == query)
        problems.push_back(
            {QStringLiteral("table"), QStringLiteral("give either a table or a query")});
    return problems;
}

} // namespace weir::connectors
