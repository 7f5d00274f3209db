#include "support/kafka_producer.h"

#include "connectors/kafka/kafka_client.h"

#include <array>

namespace weir::test {

using namespace connectors::kafka;

QString produceToKafka(const std::string &brokers, const std::string &topic,
                       const std::vector<KafkaMessage> &messages)
{
    auto conf = makeClientConf(brokers, {{"enable.idempotence", "true"}, {"linger.ms", "5"}});
    if (!conf)
        return conf.error().message;
    int failed = 0;
    rd_kafka_conf_set_opaque(conf->get(), &failed);
    rd_kafka_conf_set_dr_msg_cb(conf->get(),
                                [](rd_kafka_t *, const rd_kafka_message_t *m, void *opaque) {
                                    if (m->err)
                                        ++*static_cast<int *>(opaque);
                                });
    auto producer = makeClient(RD_KAFKA_PRODUCER, std::move(conf.value()));
    if (!producer)
        return producer.error().message;
    for (const KafkaMessage &message : messages) {
        std::array<rd_kafka_vu_t, 5> parts{};
        std::size_t n = 0;
        parts[n].vtype = RD_KAFKA_VTYPE_TOPIC;
        parts[n++].u.cstr = topic.c_str();
        if (message.key) {
            parts[n].vtype = RD_KAFKA_VTYPE_KEY;
            parts[n].u.mem.ptr = const_cast<char *>(message.key->data());
            parts[n++].u.mem.size = message.key->size();
        }
        if (message.value) {
            parts[n].vtype = RD_KAFKA_VTYPE_VALUE;
            parts[n].u.mem.ptr = const_cast<char *>(message.value->data());
            parts[n++].u.mem.size = message.value->size();
        }
        if (message.partition >= 0) {
            parts[n].vtype = RD_KAFKA_VTYPE_PARTITION;
            parts[n++].u.i32 = message.partition;
        }
        parts[n].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
        parts[n++].u.i = RD_KAFKA_MSG_F_COPY;
        if (rd_kafka_error_t *error = rd_kafka_produceva(producer->get(), parts.data(), n)) {
            const QString why = QString::fromUtf8(rd_kafka_error_string(error));
            rd_kafka_error_destroy(error);
            return why;
        }
    }
    if (rd_kafka_flush(producer->get(), 30000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return QStringLiteral("deliveries did not finish");
    return failed ? QStringLiteral("%1 deliveries failed").arg(failed) : QString();
}

} // namespace weir::test
