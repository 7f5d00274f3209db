#pragma once

// Filling a (mock) Kafka topic for tests: an idempotent producer made with the connector's own
// client configuration, which waits for every delivery report.

#include <QString>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace weir::test {

struct KafkaMessage
{
    std::optional<std::string> key;
    std::optional<std::string> value; // none: a tombstone
    int partition = -1;               // -1: by the key (librdkafka's partitioner)
};

// An empty string when every message was delivered, else what went wrong.
QString produceToKafka(const std::string &brokers, const std::string &topic,
                       const std::vector<KafkaMessage> &messages);

} // namespace weir::test
