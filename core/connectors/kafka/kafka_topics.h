#pragma once

// What Test connection says about a kafka.source: the brokers reached, each topic it reads
// with its partitions and messages, the consumer group's lag (from the offsets the group
// committed), and the cluster's other topics. Blocks for at most eight seconds.

#include "common/result.h"
#include "connectors/kafka/kafka_source.h"

#include <QString>

namespace weir::connectors::kafka {

Result<QString> describeTopics(const KafkaSourceOptions &options);

} // namespace weir::connectors::kafka
