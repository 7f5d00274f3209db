#include "connectors/kafka/kafka_topics.h"

#include "connectors/kafka/mock_brokers.h"

#include <QLocale>
#include <QStringList>
#include <algorithm>
#include <array>
#include <chrono>
#include <map>

namespace weir::connectors::kafka {
namespace {

constexpr int kTimeoutMs = 8000;

struct MetadataDeleter
{
    void operator()(const rd_kafka_metadata_t *m) const { rd_kafka_metadata_destroy(m); }
};
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;

Error failed(const QString &what, rd_kafka_resp_err_t err)
{
    return makeError(ErrorCode::Transient,
                     QStringLiteral("%1: %2").arg(what, QString::fromUtf8(rd_kafka_err2str(err))));
}

} // namespace

Result<QString> describeTopics(const KafkaSourceOptions &options)
{
    auto brokers = resolveBrokers(options.brokers);
    if (!brokers)
        return brokers.error();
    auto conf = makeClientConf(brokers.value(), options.properties);
    if (!conf)
        return conf.error();
    std::array<char, 256> why{};
    const std::string group = options.group.empty() ? "weir-connection-test" : options.group;
    if (rd_kafka_conf_set(conf->get(), "group.id", group.c_str(), why.data(), why.size()) !=
        RD_KAFKA_CONF_OK)
        return makeError(ErrorCode::Invalid, QString::fromUtf8(why.data()));
    auto consumer = makeClient(RD_KAFKA_CONSUMER, std::move(conf.value()));
    if (!consumer)
        return consumer.error();
    rd_kafka_t *client = consumer->get();
    // One deadline for every request, however many partitions there are.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
    auto timeLeft = [&] {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        return static_cast<int>(std::max<std::int64_t>(1, left.count()));
    };

    const rd_kafka_metadata_t *raw = nullptr;
    if (const auto err = rd_kafka_metadata(client, 1, nullptr, &raw, timeLeft()))
        return failed(QStringLiteral("cannot reach the brokers"), err);
    const MetadataPtr metadata(raw);
    std::map<std::string, const rd_kafka_metadata_topic_t *> topics;
    for (int i = 0; i < metadata->topic_cnt; ++i) {
        if (!std::string_view(metadata->topics[i].topic).starts_with("__"))
            topics[metadata->topics[i].topic] = &metadata->topics[i];
    }

    const QLocale locale = QLocale::c();
    QStringList lines;
    lines << QStringLiteral("%1 broker%2")
                 .arg(metadata->broker_cnt)
                 .arg(metadata->broker_cnt == 1 ? QString() : QStringLiteral("s"));
    PartitionListPtr assigned(rd_kafka_topic_partition_list_new(16));
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> watermarks; // by stream
    for (const std::string &name : options.topics) {
        const auto it = topics.find(name);
        if (it == topics.end())
            return makeError(
                ErrorCode::Invalid,
                QStringLiteral("topic %1 does not exist").arg(QString::fromStdString(name)));
        if (it->second->err)
            return failed(QStringLiteral("topic %1").arg(QString::fromStdString(name)),
                          it->second->err);
        const rd_kafka_metadata_topic_t &topic = *it->second;
        std::int64_t messages = 0;
        for (int p = 0; p < topic.partition_cnt; ++p) {
            std::int64_t low = 0, high = 0;
            const std::int32_t id = topic.partitions[p].id;
            if (const auto err = rd_kafka_query_watermark_offsets(client, name.c_str(), id, &low,
                                                                  &high, timeLeft()))
                return failed(QStringLiteral("topic %1").arg(QString::fromStdString(name)), err);
            messages += high - low;
            watermarks[KafkaSource::streamOf(name, id)] = {low, high};
            rd_kafka_topic_partition_list_add(assigned.get(), name.c_str(), id);
        }
        lines << QStringLiteral("%1: %2 partitions, %3 messages")
                     .arg(QString::fromStdString(name))
                     .arg(topic.partition_cnt)
                     .arg(locale.toString(messages));
        topics.erase(it);
    }
    if (!options.group.empty() && assigned->cnt > 0) {
        // The offsets the group committed (Weir writes them after each target commit).
        if (const auto err = rd_kafka_committed(client, assigned.get(), timeLeft()))
            return failed(QStringLiteral("group %1").arg(QString::fromStdString(group)), err);
        std::int64_t lag = 0;
        for (int i = 0; i < assigned->cnt; ++i) {
            const rd_kafka_topic_partition_t &tp = assigned->elems[i];
            if (tp.err)
                return failed(QStringLiteral("group %1").arg(QString::fromStdString(group)),
                              tp.err);
            const auto [low, high] = watermarks[KafkaSource::streamOf(tp.topic, tp.partition)];
            // Nothing committed: behind by every message kept.
            const std::int64_t from = tp.offset >= 0 ? std::clamp(tp.offset, low, high) : low;
            lag += high - from;
        }
        lines << QStringLiteral("group %1: lag %2")
                     .arg(QString::fromStdString(group), locale.toString(lag));
    }
    QStringList others;
    for (const auto &[name, topic] : topics)
        others << QStringLiteral("%1 (%2)")
                      .arg(QString::fromStdString(name))
                      .arg(topic->partition_cnt);
    if (!others.isEmpty())
        lines << QStringLiteral("other topics: %1").arg(others.join(QStringLiteral(", ")));
    return lines.join(QStringLiteral("; "));
}

} // namespace weir::connectors::kafka
