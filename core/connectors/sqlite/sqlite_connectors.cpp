#include "connectors/sqlite/sqlite_connectors.h"

#include "connectors/incremental_fields.h"
#include "connectors/sqlite/sqlite_sink.h"
#include "connectors/sqlite/sqlite_source.h"
#include "model/node_type_registry.h"

namespace weir::connectors::sqlite {

using model::ConfigField;
using model::FieldKind;

namespace {

std::vector<model::FieldProblem> checkSinkConfig(const QJsonObject &config)
{
    std::vector<model::FieldProblem> problems;
    const bool upsert = config.value(QStringLiteral("mode")).toString() != QLatin1String("append");
    if (upsert && config.value(QStringLiteral("key")).toArray().isEmpty())
        problems.push_back({QStringLiteral("key"),
                            QStringLiteral("upsert needs the key columns that identify a row")});
    return problems;
}

} // namespace

void registerSqliteConnectors(model::NodeTypeRegistry &registry)
{
    model::NodeType sink;
    sink.id = QStringLiteral("sqlite.sink");
    sink.displayName = QStringLiteral("SQLite table");
    sink.category = model::NodeCategory::Sink;
    sink.description = QStringLiteral(
        "Writes records into a table of a SQLite database, each batch in one transaction "
        "together with the source positions it covers, so a restart neither loses nor repeats "
        "anything.");
    sink.inputs = model::recordsIn();
    sink.schema = {
        ConfigField::of(QStringLiteral("path"), FieldKind::Path, QStringLiteral("Database file"),
                        QStringLiteral("SQLite database file; created when missing."))
            .asRequired(),
        ConfigField::of(
            QStringLiteral("table"), FieldKind::String, QStringLiteral("Table"),
            QStringLiteral(
                "Target table; created from the first records when missing. "
                "{table} and {schema} stand for the upstream table (change data capture of "
                "several tables), as in raw_{table}."))
            .asRequired(),
        ConfigField::of(QStringLiteral("mode"), FieldKind::Enum, QStringLiteral("Write mode"),
                        QStringLiteral("upsert: insert or update by key (deletes applied); append: "
                                       "insert every record."))
            .withDefault(QStringLiteral("upsert"))
            .withOptions({QStringLiteral("upsert"), QStringLiteral("append")}),
        ConfigField::of(QStringLiteral("key"), FieldKind::Columns, QStringLiteral("Key columns"),
                        QStringLiteral("Columns that identify a row, required for upsert; empty "
                                       "behind change data capture: each table's own key.")),
        ConfigField::of(
            QStringLiteral("order_by"), FieldKind::String, QStringLiteral("Ordering column"),
            QStringLiteral("Last write wins by this column (e.g. updated_at): an older "
                           "version never overwrites a newer one. Empty: arrival order wins.")),
        ConfigField::of(
            QStringLiteral("delete_mode"), FieldKind::Enum, QStringLiteral("Deletes"),
            QStringLiteral("hard: delete rows; soft: keep them and set the deleted column."))
            .withDefault(QStringLiteral("hard"))
            .withOptions({QStringLiteral("hard"), QStringLiteral("soft")}),
        ConfigField::of(QStringLiteral("deleted_column"), FieldKind::String,
                        QStringLiteral("Deleted column"),
                        QStringLiteral("Flag column for soft deletes."))
            .withDefault(QStringLiteral("_deleted")),
        ConfigField::of(QStringLiteral("create_table"), FieldKind::Bool,
                        QStringLiteral("Create table"),
                        QStringLiteral("Create the table (and add new columns) when needed."))
            .withDefault(true),
        ConfigField::of(QStringLiteral("commit_rows"), FieldKind::Int,
                        QStringLiteral("Rows per commit"),
                        QStringLiteral("Several batches share one transaction up to this many rows "
                                       "(they commit sooner when no more records are waiting)."))
            .withDefault(1000000)
            .withRange(1, 10000000),
        ConfigField::of(QStringLiteral("commit_interval_ms"), FieldKind::Int,
                        QStringLiteral("Commit interval (ms)"),
                        QStringLiteral("Longest time rows wait in an open transaction while "
                                       "more keep arriving."))
            .withDefault(5000)
            .withRange(0, 600000),
        ConfigField::of(
            QStringLiteral("synchronous"), FieldKind::Enum, QStringLiteral("Durability"),
            QStringLiteral("normal: safe against a crash of Weir; full: also against power loss."))
            .withDefault(QStringLiteral("normal"))
            .withOptions({QStringLiteral("normal"), QStringLiteral("full")}),
    };
    sink.checkConfig = checkSinkConfig;
    sink.makeSink = [](const model::NodeConfig &config) {
        return std::make_unique<SqliteSink>(SqliteSinkOptions::fromConfig(config));
    };
    registry.registerType(std::move(sink));

    model::NodeType source;
    source.id = QStringLiteral("sqlite.source");
    source.displayName = QStringLiteral("SQLite table (incremental)");
    source.category = model::NodeCategory::Source;
    source.description = QStringLiteral(
        "Reads new rows of a SQLite table or query incrementally by a (watermark, key) cursor: "
        "rows sharing a watermark are never skipped and none is read twice. An optional "
        "lookback window catches rows committed late.");
    source.outputs = model::recordsOut();
    source.schema = incrementalSourceSchema(
        ConfigField::of(QStringLiteral("path"), FieldKind::Path, QStringLiteral("Database file"),
                        QStringLiteral("SQLite database to read."))
            .asRequired());
    source.checkConfig = checkTableOrQuery;
    source.makeSource = [](const model::NodeConfig &config) {
        return std::make_unique<SqliteSource>(SqliteSourceOptions::fromConfig(config));
    };
    registry.registerType(std::move(source));
}

} // namespace weir::connectors::sqlite
