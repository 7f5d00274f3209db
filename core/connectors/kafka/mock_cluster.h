#pragma once

// An in-process Kafka cluster: librdkafka's mock brokers, which speak the real protocol on
// 127.0.0.1 (ephemeral ports). What a pipeline whose `brokers` is "mock:" will talk to, and
// what the tests run against. The cluster lives as long as this object; librdkafka keeps at most
// about 5 MiB per mock partition, so spread big topics over enough partitions.

#include "connectors/kafka/kafka_client.h"

#include <librdkafka/rdkafka_mock.h>
#include <memory>
#include <string>

namespace weir::connectors::kafka {

class MockCluster final
{
public:
    static Result<std::unique_ptr<MockCluster>> start(int brokers);
    ~MockCluster();
    MockCluster(const MockCluster &) = delete;
    MockCluster &operator=(const MockCluster &) = delete;

    // "127.0.0.1:port,…": what clients take as their brokers.
    std::string bootstraps() const;
    Status createTopic(const std::string &topic, int partitions);
    // Broker ids count from 1. A broker that is down refuses connections until it is up.
    Status setBrokerDown(int broker);
    Status setBrokerUp(int broker);
    // The next `count` requests of `apiKey` (RD_KAFKAP_…, e.g. 1 for Fetch) fail with `error`.
    void failRequests(int apiKey, int count, rd_kafka_resp_err_t error);

private:
    MockCluster(ClientPtr host, rd_kafka_mock_cluster_t *cluster)
        : m_host(std::move(host)), m_cluster(cluster)
    {
    }

    ClientPtr m_host; // the client handle the cluster runs on
    rd_kafka_mock_cluster_t *m_cluster;
};

} // namespace weir::connectors::kafka
