#include "connectors/kafka/kafka_connectors.h"

#include "common/secrets.h"
#include "connectors/kafka/kafka_source.h"
#include "connectors/kafka/kafka_topics.h"
#include "connectors/kafka/mock_brokers.h"
#include "model/node_type_registry.h"

#include <QJsonArray>
#include <algorithm>
#include <set>

namespace weir::connectors::kafka {

using model::ConfigField;
using model::FieldKind;

namespace {

// Set by the source itself, from `group` and `start` or for exactly-once.
const std::set<std::string> &ownProperties()
{
    static const std::set<std::string> own = {"group.id", "enable.auto.commit",
                                              "enable.auto.offset.store", "auto.offset.reset",
                                              "enable.partition.eof"};
    return own;
}

// Properties whose value is a credential: only as a reference, never in the file.
bool looksSecret(const QString &property)
{
    static const QStringList words = {QStringLiteral("password"), QStringLiteral("secret"),
                                      QStringLiteral("ssl.key.pem"),
                                      QStringLiteral("sasl.oauthbearer.config")};
    return std::any_of(words.begin(), words.end(),
                       [&](const QString &w) { return property.contains(w); });
}

std::vector<model::FieldProblem> checkSourceConfig(const QJsonObject &config)
{
    std::vector<model::FieldProblem> problems;
    if (config.value(QStringLiteral("topics")).toArray().isEmpty())
        problems.push_back({QStringLiteral("topics"), QStringLiteral("name the topics to read")});
    const QJsonObject properties = config.value(QStringLiteral("properties")).toObject();
    // librdkafka checks each name and value; a secret reference stands for a value only known
    // at run time, so it is left to the run.
    Properties checked;
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QString value =
            it.value().isString() ? it.value().toString() : it.value().toVariant().toString();
        const std::string name = it.key().toStdString();
        if (ownProperties().contains(name)) {
            problems.push_back(
                {QStringLiteral("properties"),
                 QStringLiteral("property '%1' is set by Weir (use `group` and `start`)")
                     .arg(it.key())});
            continue;
        }
        if (name == "sasl.username" || name == "sasl.password") {
            problems.push_back(
                {QStringLiteral("properties"),
                 QStringLiteral("property '%1': use the SASL user and password fields")
                     .arg(it.key())});
            continue;
        }
        const bool reference = common::isSecretReference(value);
        if (!reference && looksSecret(it.key())) {
            problems.push_back({QStringLiteral("properties"),
                                QStringLiteral("property '%1' in clear: use ${env:NAME} or "
                                               "${keychain:NAME}")
                                    .arg(it.key())});
            continue;
        }
        // A reference's value is only known at run time: the name is checked with a stand-in
        // (which a numeric property may refuse: then only the name is known good).
        if (reference) {
            auto named = makeClientConf("localhost", {{name, "x"}});
            if (!named && named.error().message.contains(QLatin1String("No such configuration")))
                problems.push_back({QStringLiteral("properties"), named.error().message});
            continue;
        }
        checked.emplace_back(name, value.toStdString());
    }
    const QString brokers = config.value(QStringLiteral("brokers")).toString();
    auto conf = makeClientConf(brokers.isEmpty() ? std::string("localhost") : brokers.toStdString(),
                               checked);
    if (!conf)
        problems.push_back({QStringLiteral("properties"), conf.error().message});
    return problems;
}

model::ConfigSchema sourceSchema()
{
    return {
        ConfigField::of(QStringLiteral("brokers"), FieldKind::String, QStringLiteral("Brokers"),
                        QStringLiteral("Bootstrap brokers, host:port separated by commas. "
                                       "mock: runs an example cluster inside Weir with the "
                                       "topic orders (nothing to install)."))
            .asRequired(),
        ConfigField::of(QStringLiteral("topics"), FieldKind::Columns, QStringLiteral("Topics"),
                        QStringLiteral("The topics to read, e.g. [\"orders\"]. Each partition "
                                       "is a stream with its own position."))
            .asRequired(),
        ConfigField::of(QStringLiteral("group"), FieldKind::String,
                        QStringLiteral("Consumer group"),
                        QStringLiteral("Processes in one group share the partitions. Empty: "
                                       "weir.<pipeline>.<node>.")),
        ConfigField::of(QStringLiteral("start"), FieldKind::Enum, QStringLiteral("Start at"),
                        QStringLiteral("Where a partition the target has no position for "
                                       "starts: earliest (everything kept) or latest (only "
                                       "new messages)."))
            .withDefault(QStringLiteral("earliest"))
            .withOptions({QStringLiteral("earliest"), QStringLiteral("latest")}),
        ConfigField::of(QStringLiteral("format"), FieldKind::Enum, QStringLiteral("Format"),
                        QStringLiteral("json: a JSON object per message; debezium: change "
                                       "envelopes (creates, updates, deletes); raw: the value as "
                                       "text in the column value. A message without a value "
                                       "(a tombstone) deletes by its key."))
            .withDefault(QStringLiteral("json"))
            .withOptions(
                {QStringLiteral("json"), QStringLiteral("debezium"), QStringLiteral("raw")}),
        ConfigField::of(QStringLiteral("key_column"), FieldKind::String,
                        QStringLiteral("Key column"),
                        QStringLiteral("Keeps the message key as this column (json, raw). "
                                       "Empty: the key is not kept.")),
        ConfigField::of(QStringLiteral("properties"), FieldKind::Mapping,
                        QStringLiteral("Client properties"),
                        QStringLiteral("librdkafka properties, e.g. security.protocol SASL_SSL and "
                                       "sasl.mechanisms SCRAM-SHA-512; each is checked as you "
                                       "type. Credentials only as ${env:NAME} or "
                                       "${keychain:NAME}.")),
        ConfigField::of(QStringLiteral("sasl_username"), FieldKind::String,
                        QStringLiteral("SASL user"),
                        QStringLiteral("sasl.username, for SASL PLAIN or SCRAM.")),
        ConfigField::of(QStringLiteral("sasl_password"), FieldKind::Secret,
                        QStringLiteral("SASL password"),
                        QStringLiteral("sasl.password, for SASL PLAIN or SCRAM.")),
        ConfigField::of(QStringLiteral("batch_size"), FieldKind::Int, QStringLiteral("Batch size"),
                        QStringLiteral("Most messages of one partition per batch."))
            .withDefault(10000)
            .withRange(1, 1000000),
    };
}

} // namespace

KafkaSourceOptions KafkaSourceOptions::fromConfig(const model::NodeConfig &config)
{
    KafkaSourceOptions o;
    o.brokers = config.string(QStringLiteral("brokers")).toStdString();
    for (const QString &topic : config.stringList(QStringLiteral("topics")))
        o.topics.push_back(topic.toStdString());
    o.group = config.string(QStringLiteral("group")).toStdString();
    o.startAtLatest = config.string(QStringLiteral("start")) == QLatin1String("latest");
    o.format = parseMessageFormat(config.string(QStringLiteral("format")).toStdString())
                   .value_or(MessageFormat::Json);
    o.keyColumn = config.string(QStringLiteral("key_column")).toStdString();
    const QJsonObject properties = config.object(QStringLiteral("properties"));
    for (auto it = properties.begin(); it != properties.end(); ++it) {
        const QString value =
            it.value().isString() ? it.value().toString() : it.value().toVariant().toString();
        o.properties.emplace_back(it.key().toStdString(), value.toStdString());
    }
    if (const QString user = config.string(QStringLiteral("sasl_username")); !user.isEmpty())
        o.properties.emplace_back("sasl.username", user.toStdString());
    if (const QString password = config.string(QStringLiteral("sasl_password"));
        !password.isEmpty())
        o.properties.emplace_back("sasl.password", password.toStdString());
    if (config.has(QStringLiteral("batch_size")))
        o.batchSize = static_cast<int>(config.integer(QStringLiteral("batch_size")));
    return o;
}

void registerKafkaConnectors(model::NodeTypeRegistry &registry)
{
    model::NodeType source;
    source.id = QStringLiteral("kafka.source");
    source.displayName = QStringLiteral("Kafka topics");
    source.category = model::NodeCategory::Source;
    source.description = QStringLiteral(
        "Reads Kafka topics as a member of a consumer group: processes in one group share the "
        "partitions. Each partition resumes from the position the target committed with the "
        "data, so a crash or a partition moving to another process loses and repeats nothing. "
        "JSON, Debezium change envelopes or raw text; unreadable messages go to the dead-letter "
        "queue with topic, partition and offset.");
    source.outputs = model::recordsOut();
    source.schema = sourceSchema();
    source.checkConfig = checkSourceConfig;
    source.testConnection = [](const model::NodeConfig &config) {
        return describeTopics(KafkaSourceOptions::fromConfig(config));
    };
    source.makeSource = [](const model::NodeConfig &config) {
        return std::make_unique<KafkaSource>(KafkaSourceOptions::fromConfig(config));
    };
    registry.registerType(std::move(source));
}

} // namespace weir::connectors::kafka
