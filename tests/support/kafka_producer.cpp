#include "support/kafka_producer.h"

#include "connectors/kafka/kafka_produce.h"

namespace weir::test {

QString produceToKafka(const std::string &brokers, const std::string &topic,
                       const std::vector<KafkaMessage> &messages)
{
    std::vector<connectors::kafka::OutgoingMessage> out;
    out.reserve(messages.size());
    for (const KafkaMessage &m : messages)
        out.push_back({m.key, m.value, m.partition});
    const Status sent = connectors::kafka::produceAndWait(brokers, topic, out);
    return sent ? QString() : sent.error().message;
}

} // namespace weir::test
