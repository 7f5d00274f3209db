#include "connectors/kafka/kafka_produce.h"

#include "connectors/kafka/kafka_client.h"

#include <array>

namespace weir::connectors::kafka {

Status produceAndWait(const std::string &brokers, const std::string &topic,
                      const std::vector<OutgoingMessage> &messages)
{
    auto conf = makeClientConf(brokers, {{"enable.idempotence", "true"}, {"linger.ms", "5"}});
    if (!conf)
        return conf.error();
    int failed = 0;
    rd_kafka_conf_set_opaque(conf->get(), &failed);
    rd_kafka_conf_set_dr_msg_cb(conf->get(),
                                [](rd_kafka_t *, const rd_kafka_message_t *m, void *opaque) {
                                    if (m->err)
                                        ++*static_cast<int *>(opaque);
                                });
    auto producer = makeClient(RD_KAFKA_PRODUCER, std::move(conf.value()));
    if (!producer)
        return producer.error();
    for (const OutgoingMessage &message : messages) {
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
        for (;;) {
            rd_kafka_error_t *error = rd_kafka_produceva(producer->get(), parts.data(), n);
            if (!error)
                break;
            const auto code = rd_kafka_error_code(error);
            const QString why = QString::fromUtf8(rd_kafka_error_string(error));
            rd_kafka_error_destroy(error);
            if (code != RD_KAFKA_RESP_ERR__QUEUE_FULL)
                return makeError(ErrorCode::Io, QStringLiteral("Kafka: %1").arg(why));
            rd_kafka_poll(producer->get(), 100); // deliveries make room in the queue
        }
    }
    if (rd_kafka_flush(producer->get(), 60000) != RD_KAFKA_RESP_ERR_NO_ERROR)
        return makeError(ErrorCode::Transient,
                         QStringLiteral("Kafka: deliveries to %1 did not finish")
                             .arg(QString::fromStdString(topic)));
    if (failed)
        return makeError(ErrorCode::Io, QStringLiteral("Kafka: %1 of %2 deliveries to %3 failed")
                                            .arg(failed)
                                            .arg(messages.size())
                                            .arg(QString::fromStdString(topic)));
    return {};
}

} // namespace weir::connectors::kafka
