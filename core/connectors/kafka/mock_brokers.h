#pragma once

// "mock:" as a Kafka node's `brokers`: an example cluster in this process (mock_cluster.h), so a
// Kafka pipeline runs with nothing installed. It starts on first use, lives until the process
// ends, and holds the topic `orders`: 8 partitions of example orders as JSON, keyed by
// order_id (the fields of orders_sample.csv) — 10,000 orders paid, then 2,000 of them shipped (the
// same key, a later updated_at), and 12 messages that are not JSON, for the dead-letter queue.

#include "common/result.h"

#include <string>
#include <string_view>

namespace weir::connectors::kafka {

inline constexpr std::string_view kMockBrokers = "mock:";
inline constexpr int kExampleOrders = 10000;
inline constexpr int kExampleShipped = 2000;
inline constexpr int kExampleUnreadable = 12;

bool isMockBrokers(std::string_view brokers);

// The brokers a client connects to: `brokers` as given, or for "mock:" the example cluster's
// (started and filled first when this process has none yet).
Result<std::string> resolveBrokers(const std::string &brokers);

} // namespace weir::connectors::kafka
