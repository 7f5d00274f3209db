#include "connectors/kafka/mock_cluster.h"

#include <array>
#include <vector>

namespace weir::connectors::kafka {
namespace {

Status checked(rd_kafka_resp_err_t err, const QString &what)
{
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
        return {};
    return makeError(ErrorCode::Invalid, QStringLiteral("mock Kafka cluster: %1: %2")
                                             .arg(what, QString::fromUtf8(rd_kafka_err2str(err))));
}

} // namespace

Result<std::unique_ptr<MockCluster>> MockCluster::start(int brokers)
{
    if (brokers < 1)
        return makeError(ErrorCode::Invalid,
                         QStringLiteral("mock Kafka cluster: at least one broker"));
    // The handle only hosts the cluster: a producer that is never used, with no brokers of
    // its own to connect to, and quiet.
    ConfPtr conf(rd_kafka_conf_new());
    std::array<char, 256> why{};
    if (rd_kafka_conf_set(conf.get(), "log_level", "3", why.data(), why.size()) != RD_KAFKA_CONF_OK)
        return makeError(
            ErrorCode::Invalid,
            QStringLiteral("mock Kafka cluster: %1").arg(QString::fromUtf8(why.data())));
    auto host = makeClient(RD_KAFKA_PRODUCER, std::move(conf));
    if (!host)
        return host.error();
    rd_kafka_mock_cluster_t *cluster = rd_kafka_mock_cluster_new(host->get(), brokers);
    if (!cluster)
        return makeError(ErrorCode::Io, QStringLiteral("mock Kafka cluster: cannot start it"));
    return std::unique_ptr<MockCluster>(new MockCluster(std::move(host.value()), cluster));
}

MockCluster::~MockCluster()
{
    rd_kafka_mock_cluster_destroy(m_cluster);
}

std::string MockCluster::bootstraps() const
{
    return rd_kafka_mock_cluster_bootstraps(m_cluster);
}

Status MockCluster::createTopic(const std::string &topic, int partitions)
{
    return checked(rd_kafka_mock_topic_create(m_cluster, topic.c_str(), partitions, 1),
                   QStringLiteral("topic %1").arg(QString::fromStdString(topic)));
}

Status MockCluster::setBrokerDown(int broker)
{
    return checked(rd_kafka_mock_broker_set_down(m_cluster, broker),
                   QStringLiteral("broker %1 down").arg(broker));
}

Status MockCluster::setBrokerUp(int broker)
{
    return checked(rd_kafka_mock_broker_set_up(m_cluster, broker),
                   QStringLiteral("broker %1 up").arg(broker));
}

void MockCluster::failRequests(int apiKey, int count, rd_kafka_resp_err_t error)
{
    std::vector<rd_kafka_resp_err_t> errors(static_cast<std::size_t>(count), error);
    rd_kafka_mock_push_request_errors_array(m_cluster, static_cast<int16_t>(apiKey), errors.size(),
                                            errors.data());
}

} // namespace weir::connectors::kafka
