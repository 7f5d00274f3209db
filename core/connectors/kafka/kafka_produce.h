#pragma once

// Sending a set of messages to one topic and waiting until each is delivered: what fills the
// example topic of a "mock:" cluster (mock_brokers.h) and the tests' topics. An idempotent
// producer, so a retried send is never stored twice.

#include "common/result.h"

#include <optional>
#include <string>
#include <vector>

namespace weir::connectors::kafka {

struct OutgoingMessage
{
    std::optional<std::string> key;
    std::optional<std::string> value; // none: a tombstone
    int partition = -1;               // -1: by the key (librdkafka's partitioner)
};

// Returns once every message is acknowledged by the brokers; the error says how many were not.
Status produceAndWait(const std::string &brokers, const std::string &topic,
                      const std::vector<OutgoingMessage> &messages);

} // namespace weir::connectors::kafka
