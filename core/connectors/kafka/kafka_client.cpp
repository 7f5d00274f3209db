#include "connectors/kafka/kafka_client.h"

#include <array>

namespace weir::connectors::kafka {

Result<ConfPtr> makeClientConf(std::string_view brokers, const Properties &properties)
{
    ConfPtr conf(rd_kafka_conf_new());
    std::array<char, 512> why{};
    auto set = [&](const std::string &name, const std::string &value) -> Status {
        if (rd_kafka_conf_set(conf.get(), name.c_str(), value.c_str(), why.data(), why.size()) ==
            RD_KAFKA_CONF_OK)
            return {};
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("property '%1': %2")
                             .arg(QString::fromStdString(name), QString::fromUtf8(why.data())));
    };
    if (brokers.empty())
        return makeError(ErrorCode::Invalid, QStringLiteral("brokers: none given"));
    if (Status s = set("bootstrap.servers", std::string(brokers)); !s)
        return s.error();
    // librdkafka's own log on stderr: errors only (a property may ask for more); what matters
    // to a run reaches the engine as an error of the node.
    if (Status s = set("log_level", "3"); !s)
        return s.error();
    for (const auto &[name, value] : properties) {
        if (name == "bootstrap.servers" || name == "metadata.broker.list")
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("property '%1': the brokers are set by `brokers`")
                                 .arg(QString::fromStdString(name)));
        if (Status s = set(name, value); !s)
            return s.error();
    }
    return conf;
}

Result<ClientPtr> makeClient(rd_kafka_type_t type, ConfPtr conf)
{
    std::array<char, 512> why{};
    // rd_kafka_new takes the configuration only when it succeeds.
    ClientPtr client(rd_kafka_new(type, conf.get(), why.data(), why.size()));
    if (!client)
        return makeError(
            ErrorCode::Invalid,
            QStringLiteral("cannot make a Kafka client: %1").arg(QString::fromUtf8(why.data())));
    (void)conf.release();
    return client;
}

} // namespace weir::connectors::kafka
