#include "connectors/postgres/postgres_connectors.h"

#include "connectors/incremental_fields.h"
#include "connectors/postgres/postgres_cdc.h"
#include "connectors/postgres/postgres_sink.h"
#include "connectors/postgres/postgres_source.h"
#include "model/node_type_registry.h"

#include <QJsonArray>
#include <QRegularExpression>

namespace weir::connectors::postgres {

using model::ConfigField;
using model::FieldKind;

namespace {

// A password written into the connection itself, not as a ${env:…} or ${keychain:…} reference.
bool hasClearPassword(const QString &connection)
{
    static const QRegularExpression keyValue(QStringLiteral(R"(\bpassword\s*=\s*(?!\$\{))"));
    static const QRegularExpression uri(
        QStringLiteral(R"(^postgres(?:ql)?://[^/@:]*:(?!\$\{)[^/@]+@)"));
    return keyValue.match(connection).hasMatch() || uri.match(connection).hasMatch();
}

void checkConnection(const QJsonObject &config, std::vector<model::FieldProblem> &problems)
{
    if (hasClearPassword(config.value(QStringLiteral("connection")).toString()))
        problems.push_back(
            {QStringLiteral("connection"), QStringLiteral("a password in clear: use ${env:NAME} or "
                                                          "${keychain:NAME}")});
}

ConfigField connectionField()
{
    return ConfigField::of(QStringLiteral("connection"), FieldKind::String,
                           QStringLiteral("Connection"),
                           QStringLiteral("libpq URI (postgresql://user@host/database) or "
                                          "key=value string. A password only as ${env:NAME} or "
                                          "${keychain:NAME}."))
        .asRequired();
}

std::vector<model::FieldProblem> checkSinkConfig(const QJsonObject &config)
{
    std::vector<model::FieldProblem> problems;
    checkConnection(config, problems);
    const bool upsert = config.value(QStringLiteral("mode")).toString() != QLatin1String("append");
    if (upsert && config.value(QStringLiteral("key")).toArray().isEmpty())
        problems.push_back({QStringLiteral("key"),
                            QStringLiteral("upsert needs the key columns that identify a row")});
    return problems;
}

} // namespace

void registerPostgresConnectors(model::NodeTypeRegistry &registry)
{
    model::NodeType sink;
    sink.id = QStringLiteral("postgres.sink");
    sink.displayName = QStringLiteral("PostgreSQL table");
    sink.category = model::NodeCategory::Sink;
    sink.description = QStringLiteral(
        "Writes records into a PostgreSQL table: COPY into a staging table, then one upsert "
        "(or append), committed together with the source positions it covers, so a restart "
        "neither loses nor repeats anything.");
    sink.inputs = model::recordsIn();
    sink.schema = {
        connectionField(),
        ConfigField::of(
            QStringLiteral("table"), FieldKind::String, QStringLiteral("Table"),
            QStringLiteral(
                "Target table (in the connection's schema); created from the first "
                "records when missing. {table} and {schema} stand for the upstream table (change "
                "data capture of several tables), as in raw_{table}."))
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
        ConfigField::of(QStringLiteral("delete_mode"), FieldKind::Enum, QStringLiteral("Deletes"),
                        QStringLiteral("hard: delete rows; soft: keep them and set _deleted."))
            .withDefault(QStringLiteral("hard"))
            .withOptions({QStringLiteral("hard"), QStringLiteral("soft")}),
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
    };
    sink.checkConfig = checkSinkConfig;
    sink.testConnection = [](const model::NodeConfig &config) {
        return testPostgresSinkConnection(PostgresSinkOptions::fromConfig(config));
    };
    sink.makeSink = [](const model::NodeConfig &config) {
        return std::make_unique<PostgresSink>(PostgresSinkOptions::fromConfig(config));
    };
    registry.registerType(std::move(sink));

    model::NodeType source;
    source.id = QStringLiteral("postgres.source");
    source.displayName = QStringLiteral("PostgreSQL table (incremental)");
    source.category = model::NodeCategory::Source;
    source.description = QStringLiteral(
        "Reads new rows of a PostgreSQL table or query incrementally by a (watermark, key) "
        "cursor, in keyed chunks: rows sharing a watermark are never "
        "skipped and none is read twice; a first load resumes mid-table after a crash. An "
        "optional lookback window catches rows committed late.");
    source.outputs = model::recordsOut();
    source.schema = incrementalSourceSchema(connectionField());
    source.checkConfig = [](const QJsonObject &config) {
        std::vector<model::FieldProblem> problems = checkTableOrQuery(config);
        checkConnection(config, problems);
        return problems;
    };
    source.testConnection = [](const model::NodeConfig &config) {
        return testPostgresSourceConnection(PostgresSourceOptions::fromConfig(config));
    };
    source.makeSource = [](const model::NodeConfig &config) {
        return std::make_unique<PostgresSource>(PostgresSourceOptions::fromConfig(config));
    };
    registry.registerType(std::move(source));

    model::NodeType cdc;
    cdc.id = QStringLiteral("postgres.cdc");
    cdc.displayName = QStringLiteral("PostgreSQL changes (CDC)");
    cdc.category = model::NodeCategory::Source;
    cdc.recordsCarryKeys = true; // each table's primary key or replica identity
    cdc.description = QStringLiteral(
        "Captures inserts, updates and deletes from PostgreSQL tables by logical replication "
        "(pgoutput): the rows that exist first, from a snapshot consistent with the replication "
        "slot, then every change as it commits. The slot moves on only once the target has "
        "committed the changes, so a crash loses and repeats nothing. Needs wal_level = logical "
        "and a user with the REPLICATION attribute.");
    cdc.outputs = model::recordsOut();
    cdc.schema = {
        connectionField(),
        ConfigField::of(QStringLiteral("tables"), FieldKind::Columns, QStringLiteral("Tables"),
                        QStringLiteral("The tables to capture, schema-qualified, e.g. "
                                       "[\"public.orders\", \"public.customers\"]. Each "
                                       "goes into the table a sink names with {table}."))
            .asRequired(),
        ConfigField::of(QStringLiteral("slot"), FieldKind::String, QStringLiteral("Slot"),
                        QStringLiteral("Replication slot name. Empty: weir_<pipeline>_<node>.")),
        ConfigField::of(QStringLiteral("publication"), FieldKind::String,
                        QStringLiteral("Publication"),
                        QStringLiteral("Publication to stream. Created for the tables when it "
                                       "does not exist; empty: the slot's name.")),
        ConfigField::of(QStringLiteral("snapshot"), FieldKind::Enum, QStringLiteral("Snapshot"),
                        QStringLiteral("initial: read the rows that exist first, then the "
                                       "changes; never: only changes from now on."))
            .withDefault(QStringLiteral("initial"))
            .withOptions({QStringLiteral("initial"), QStringLiteral("never")}),
        ConfigField::of(QStringLiteral("heartbeat_seconds"), FieldKind::Int,
                        QStringLiteral("Heartbeat (s)"),
                        QStringLiteral("How often to write a heartbeat to the WAL so the slot "
                                       "moves on while the tables are quiet (0: never)."))
            .withDefault(10)
            .withRange(0, 3600),
    };
    cdc.checkConfig = [](const QJsonObject &config) {
        std::vector<model::FieldProblem> problems;
        checkConnection(config, problems);
        if (config.value(QStringLiteral("tables")).toArray().isEmpty())
            problems.push_back({QStringLiteral("tables"), QStringLiteral("name the tables")});
        return problems;
    };
    cdc.testConnection = [](const model::NodeConfig &config) {
        return testPostgresCdcConnection(PostgresCdcOptions::fromConfig(config));
    };
    cdc.checkServer = [](const model::NodeConfig &config) {
        return checkPostgresCdcServer(PostgresCdcOptions::fromConfig(config));
    };
    cdc.makeSource = [](const model::NodeConfig &config) {
        return std::make_unique<PostgresCdcSource>(PostgresCdcOptions::fromConfig(config));
    };
    registry.registerType(std::move(cdc));
}

} // namespace weir::connectors::postgres
