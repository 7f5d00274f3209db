#pragma once

// librdkafka clients for the kafka nodes: owning handles, and a client configuration built from
// a node's `brokers` and `properties`, each property checked by librdkafka itself so that a
// misspelt or ill-valued one is an error that names it (in the designer, not at run time).
// librdkafka logs only errors unless a property (log_level) asks for more.

#include "common/result.h"

#include <librdkafka/rdkafka.h>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace weir::connectors::kafka {

struct ConfDeleter
{
    void operator()(rd_kafka_conf_t *conf) const { rd_kafka_conf_destroy(conf); }
};
struct ClientDeleter
{
    void operator()(rd_kafka_t *client) const { rd_kafka_destroy(client); }
};
struct PartitionListDeleter
{
    void operator()(rd_kafka_topic_partition_list_t *list) const
    {
        rd_kafka_topic_partition_list_destroy(list);
    }
};
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;
using ClientPtr = std::unique_ptr<rd_kafka_t, ClientDeleter>;
using PartitionListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

using Properties = std::vector<std::pair<std::string, std::string>>;

// A configuration of `brokers` (bootstrap.servers) and `properties`, in that order, so a
// property may not set the brokers a second time. The error names the property and says what
// librdkafka found wrong with it.
Result<ConfPtr> makeClientConf(std::string_view brokers, const Properties &properties);

// A consumer (rd_kafka_type_t RD_KAFKA_CONSUMER) or producer made from `conf`, which it takes.
Result<ClientPtr> makeClient(rd_kafka_type_t type, ConfPtr conf);

} // namespace weir::connectors::kafka
