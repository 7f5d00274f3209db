#include "connectors/kafka/kafka_source.h"

#include "connectors/kafka/mock_brokers.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <thread>

namespace weir::connectors::kafka {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollBudget = std::chrono::milliseconds(200);
// How long a member giving partitions up waits for the sinks to commit what it handed out of
// them (they commit as soon as their input runs dry, which it does while this member waits).
constexpr auto kHandOverWait = std::chrono::seconds(30);

Error kafkaError(const QString &node, const QString &what, rd_kafka_resp_err_t err,
                 ErrorCode code = ErrorCode::Permanent)
{
    return makeError(
        code, QStringLiteral("%1: %2").arg(what, QString::fromUtf8(rd_kafka_err2str(err))), node);
}

// Consumer errors that no retry mends: the run stops with them.
bool isPermanent(rd_kafka_resp_err_t err)
{
    return err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART ||
           err == RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC ||
           err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
           err == RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED ||
           err == RD_KAFKA_RESP_ERR__AUTHENTICATION || err == RD_KAFKA_RESP_ERR__SSL ||
           err == RD_KAFKA_RESP_ERR__FATAL;
}

// Errors the engine is told of (it logs them and asks again after a backoff) while librdkafka
// keeps trying; the rest (one connection dropped, a timeout) librdkafka mends unseen.
bool isWorthTelling(rd_kafka_resp_err_t err)
{
    return err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN ||
           err == RD_KAFKA_RESP_ERR__MAX_POLL_EXCEEDED;
}

} // namespace

KafkaSource::KafkaSource(KafkaSourceOptions options) : m_options(std::move(options))
{
    m_options.batchSize = std::max(1, m_options.batchSize);
}

std::string KafkaSource::streamOf(const std::string &topic, std::int32_t partition)
{
    return topic + "/" + std::to_string(partition);
}

KafkaSource::~KafkaSource()
{
    // Leaves the group at once (its partitions go to the other members) rather than after the
    // session times out.
    m_closing = true;
    if (m_consumer && !m_context.preview)
        rd_kafka_consumer_close(m_consumer.get());
}

Status KafkaSource::open(const engine::NodeContext &context,
                         const std::vector<record::SourcePosition> &resumeFrom)
{
    m_context = context;
    for (const record::SourcePosition &p : resumeFrom)
        m_resume[p.stream] = p.offset;
    if (m_options.topics.empty())
        return makeError(ErrorCode::Invalid, QStringLiteral("topics: none given"), context.nodeId);
    auto brokers = resolveBrokers(m_options.brokers);
    if (!brokers)
        return makeError(ErrorCode::Invalid, brokers.error().message, context.nodeId);
    if (m_options.group.empty())
        m_options.group =
            "weir." + context.pipelineName.toStdString() + "." + context.nodeId.toStdString();
    auto conf = makeClientConf(brokers.value(), m_options.properties);
    if (!conf)
        return makeError(ErrorCode::Invalid, conf.error().message, context.nodeId);
    Properties own = {{"enable.auto.commit", "false"},
                      {"enable.auto.offset.store", "false"},
                      {"enable.partition.eof", "true"},
                      {"auto.offset.reset", m_options.startAtLatest ? "latest" : "earliest"}};
    // A preview assigns its partitions itself (no subscribe: no group membership, no
    // rebalance) and commits nothing; librdkafka still wants a group id for that.
    own.emplace_back("group.id", context.preview ? "weir-preview" : m_options.group);
    std::array<char, 512> why{};
    for (const auto &[name, value] : own) {
        if (rd_kafka_conf_set(conf->get(), name.c_str(), value.c_str(), why.data(), why.size()) !=
            RD_KAFKA_CONF_OK)
            return makeError(ErrorCode::Invalid,
                             QStringLiteral("%1: %2").arg(QString::fromStdString(name),
                                                          QString::fromUtf8(why.data())),
                             context.nodeId);
    }
    rd_kafka_conf_set_opaque(conf->get(), this);
    // Client-wide errors (all brokers down, a fatal error) come here, served by the poll in
    // next(); without it librdkafka would only log them.
    rd_kafka_conf_set_error_cb(conf->get(), &KafkaSource::onError);
    if (!context.preview)
        rd_kafka_conf_set_rebalance_cb(conf->get(), &KafkaSource::onRebalance);
    auto consumer = makeClient(RD_KAFKA_CONSUMER, std::move(conf.value()));
    if (!consumer)
        return makeError(ErrorCode::Invalid, consumer.error().message, context.nodeId);
    m_consumer = std::move(consumer.value());
    rd_kafka_poll_set_consumer(m_consumer.get());
    if (context.preview)
        return assignForPreview();
    PartitionListPtr topics(
        rd_kafka_topic_partition_list_new(static_cast<int>(m_options.topics.size())));
    for (const std::string &t : m_options.topics)
        rd_kafka_topic_partition_list_add(topics.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
    if (const auto err = rd_kafka_subscribe(m_consumer.get(), topics.get()))
        return kafkaError(context.nodeId, QStringLiteral("cannot subscribe"), err);
    return {};
}

Status KafkaSource::assignForPreview()
{
    // No group: every partition of each topic, from its first message.
    PartitionListPtr all(rd_kafka_topic_partition_list_new(8));
    for (const std::string &name : m_options.topics) {
        rd_kafka_topic_t *topic = rd_kafka_topic_new(m_consumer.get(), name.c_str(), nullptr);
        if (!topic)
            return kafkaError(m_context.nodeId,
                              QStringLiteral("topic %1").arg(QString::fromStdString(name)),
                              rd_kafka_last_error());
        const rd_kafka_metadata_t *metadata = nullptr;
        const auto err = rd_kafka_metadata(m_consumer.get(), 0, topic, &metadata, 10000);
        rd_kafka_topic_destroy(topic);
        if (err)
            return kafkaError(m_context.nodeId,
                              QStringLiteral("topic %1").arg(QString::fromStdString(name)), err,
                              ErrorCode::Transient);
        if (metadata->topic_cnt < 1) {
            rd_kafka_metadata_destroy(metadata);
            return kafkaError(m_context.nodeId,
                              QStringLiteral("topic %1").arg(QString::fromStdString(name)),
                              RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
        }
        const rd_kafka_metadata_topic_t &t = metadata->topics[0];
        const auto topicErr = t.err;
        for (int p = 0; p < t.partition_cnt; ++p) {
            rd_kafka_topic_partition_list_add(all.get(), name.c_str(), t.partitions[p].id)->offset =
                RD_KAFKA_OFFSET_BEGINNING;
            m_partitions[streamOf(name, t.partitions[p].id)] =
                Partition{name, t.partitions[p].id, -1, false, -1, {}};
        }
        rd_kafka_metadata_destroy(metadata);
        if (topicErr)
            return kafkaError(m_context.nodeId,
                              QStringLiteral("topic %1").arg(QString::fromStdString(name)),
                              topicErr);
    }
    m_assigned = true;
    if (const auto err = rd_kafka_assign(m_consumer.get(), all.get()))
        return kafkaError(m_context.nodeId, QStringLiteral("cannot read the partitions"), err);
    return {};
}

void KafkaSource::onError(rd_kafka_t *client, int err, const char *reason, void *opaque)
{
    auto *self = static_cast<KafkaSource *>(opaque);
    auto code = static_cast<rd_kafka_resp_err_t>(err);
    std::string why = reason ? reason : "";
    if (code == RD_KAFKA_RESP_ERR__FATAL) {
        std::array<char, 512> fatal{};
        code = rd_kafka_fatal_error(client, fatal.data(), fatal.size());
        why = fatal.data();
        self->m_clientError = makeError(
            ErrorCode::Permanent, QStringLiteral("Kafka: %1").arg(QString::fromStdString(why)),
            self->m_context.nodeId);
        return;
    }
    // A permanent error is told before a transient one that waits; nothing replaces it.
    if (!self->m_clientError && self->m_clientError.error().code == ErrorCode::Permanent)
        return;
    if (isPermanent(code))
        self->m_clientError = makeError(
            ErrorCode::Permanent, QStringLiteral("Kafka: %1").arg(QString::fromStdString(why)),
            self->m_context.nodeId);
    else if (isWorthTelling(code))
        self->m_clientError = makeError(
            ErrorCode::Transient, QStringLiteral("Kafka: %1").arg(QString::fromStdString(why)),
            self->m_context.nodeId);
}

void KafkaSource::onRebalance(rd_kafka_t *, rd_kafka_resp_err_t err,
                              rd_kafka_topic_partition_list_t *partitions, void *opaque)
{
    auto *self = static_cast<KafkaSource *>(opaque);
    if (Status s = self->rebalance(err, partitions); !s && self->m_rebalanceStatus)
        self->m_rebalanceStatus = s;
}

std::int64_t KafkaSource::startOffset(const std::string &stream) const
{
    // Where this member stopped handing the partition out, if it had it before in this run:
    // the sinks may not have committed that far yet.
    std::int64_t start = -1;
    if (const auto it = m_handedOutTo.find(stream); it != m_handedOutTo.end())
        start = it->second;
    // What the sinks have committed now, else what they had committed when the run began.
    std::optional<record::SourcePosition> committed;
    if (m_context.committedPosition)
        committed = m_context.committedPosition(stream);
    if (committed)
        start = std::max(start, committed->offset);
    else if (const auto it = m_resume.find(stream); it != m_resume.end())
        start = std::max(start, it->second);
    if (start >= 0)
        return start;
    return m_options.startAtLatest ? RD_KAFKA_OFFSET_END : RD_KAFKA_OFFSET_BEGINNING;
}

Status KafkaSource::rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *partitions)
{
    rd_kafka_t *client = m_consumer.get();
    // NULL while the consumer closes, or before the group has chosen its protocol.
    const char *protocol = rd_kafka_rebalance_protocol(client);
    const bool cooperative = protocol && std::strcmp(protocol, "COOPERATIVE") == 0;
    if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
        for (int i = 0; i < partitions->cnt; ++i) {
            rd_kafka_topic_partition_t &tp = partitions->elems[i];
            const std::string stream = streamOf(tp.topic, tp.partition);
            tp.offset = startOffset(stream);
            // A partition this member still holds goes on after what it handed out of it.
            if (const auto held = m_partitions.find(stream); held != m_partitions.end()) {
                const Partition &h = held->second;
                const std::int64_t from = h.pending.empty() ? h.next : h.pending.front().offset;
                if (from >= 0)
                    m_handedOutTo[stream] = from;
                m_pendingTotal -= h.pending.size();
            }
            m_partitions[stream] =
                Partition{tp.topic, tp.partition, tp.offset >= 0 ? tp.offset : -1, false, -1, {}};
        }
        m_assigned = true;
        if (cooperative) {
            if (rd_kafka_error_t *e = rd_kafka_incremental_assign(client, partitions)) {
                const auto code = rd_kafka_error_code(e);
                rd_kafka_error_destroy(e);
                return kafkaError(m_context.nodeId, QStringLiteral("cannot take partitions"), code);
            }
            return {};
        }
        if (const auto e = rd_kafka_assign(client, partitions))
            return kafkaError(m_context.nodeId, QStringLiteral("cannot take partitions"), e);
        return {};
    }
    // Revoked (or lost): messages not handed out yet are dropped; the next owner reads them
    // from the committed positions.
    std::map<std::string, std::int64_t> handedOut; // by stream: the offset after the last
    for (int i = 0; partitions && i < partitions->cnt; ++i) {
        const rd_kafka_topic_partition_t &tp = partitions->elems[i];
        const std::string stream = streamOf(tp.topic, tp.partition);
        const auto it = m_partitions.find(stream);
        if (it == m_partitions.end())
            continue;
        // The first message not handed out: a pending one, else where the consumer would
        // fetch next (rd_kafka_position), else nothing known.
        std::int64_t stop =
            it->second.pending.empty() ? it->second.next : it->second.pending.front().offset;
        if (it->second.pending.empty()) {
            PartitionListPtr one(rd_kafka_topic_partition_list_new(1));
            rd_kafka_topic_partition_list_add(one.get(), tp.topic, tp.partition);
            if (rd_kafka_position(client, one.get()) == RD_KAFKA_RESP_ERR_NO_ERROR &&
                one->elems[0].offset >= 0)
                stop = std::max(stop, one->elems[0].offset);
        }
        if (stop >= 0)
            m_handedOutTo[stream] = stop;
        if (it->second.next >= 0)
            handedOut[stream] = it->second.next;
        m_pendingTotal -= it->second.pending.size();
        m_partitions.erase(it);
    }
    // Lost partitions are another member's already; at the close, nothing more is committed.
    if (!m_closing && !rd_kafka_assignment_lost(client))
        awaitCommitted(handedOut);
    // An eager rebalance takes everything away before it assigns again: `once` must not take
    // that moment for the end.
    m_assigned = cooperative && !m_partitions.empty();
    if (cooperative) {
        if (rd_kafka_error_t *e = rd_kafka_incremental_unassign(client, partitions))
            rd_kafka_error_destroy(e);
    } else {
        (void)rd_kafka_assign(client, nullptr);
    }
    if (err != RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS)
        return kafkaError(m_context.nodeId, QStringLiteral("rebalance failed"), err,
                          ErrorCode::Transient);
    return {};
}

void KafkaSource::awaitCommitted(const std::map<std::string, std::int64_t> &handedOut) const
{
    if (!m_context.committedPosition)
        return;
    const auto deadline = Clock::now() + kHandOverWait;
    for (auto it = handedOut.begin(); it != handedOut.end();) {
        const auto committed = m_context.committedPosition(it->first);
        if (committed && committed->offset >= it->second) {
            ++it;
            continue;
        }
        if (m_context.stopping() || Clock::now() >= deadline)
            return; // the next owner may read the rest again: a keyed target ends the same
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

Status KafkaSource::take(rd_kafka_message_t *message)
{
    if (message->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
        if (!message->rkt)
            return {};
        const auto it =
            m_partitions.find(streamOf(rd_kafka_topic_name(message->rkt), message->partition));
        if (it != m_partitions.end())
            it->second.atEnd = true; // at its end once its pending messages are handed out
        return {};
    }
    if (message->err) {
        const bool permanent = isPermanent(message->err);
        if (!permanent && !isWorthTelling(message->err))
            return {}; // librdkafka mends it by itself
        return makeError(
            permanent ? ErrorCode::Permanent : ErrorCode::Transient,
            QStringLiteral("Kafka: %1").arg(QString::fromUtf8(rd_kafka_message_errstr(message))),
            m_context.nodeId);
    }
    const auto it =
        m_partitions.find(streamOf(rd_kafka_topic_name(message->rkt), message->partition));
    if (it == m_partitions.end())
        return {}; // revoked meanwhile
    Partition &partition = it->second;
    // With `once`, a partition is read up to where its end was: what comes after is left for
    // the next run (it is not handed out, so the position stays before it).
    if (m_context.once && partition.target >= 0 && message->offset >= partition.target)
        return {};
    partition.atEnd = false;
    if (m_context.once && partition.target < 0) {
        std::int64_t low = -1, high = -1;
        if (rd_kafka_get_watermark_offsets(m_consumer.get(), partition.topic.c_str(), partition.id,
                                           &low, &high) == RD_KAFKA_RESP_ERR_NO_ERROR &&
            high > message->offset)
            partition.target = high;
    }
    const std::string key =
        message->key ? std::string(static_cast<const char *>(message->key), message->key_len)
                     : std::string();
    const std::string value =
        message->payload ? std::string(static_cast<const char *>(message->payload), message->len)
                         : std::string();
    Message m;
    m.offset = message->offset;
    m.decoded = decodeMessage(m_options.format, message->key ? &key : nullptr,
                              message->payload ? &value : nullptr, m_options.keyColumn, m.why);
    if (!m.decoded)
        m.payload = message->payload ? value : key;
    partition.pending.push_back(std::move(m));
    ++m_pendingTotal;
    m_someFull =
        m_someFull || partition.pending.size() >= static_cast<std::size_t>(m_options.batchSize);
    return {};
}

const std::vector<std::size_t> &KafkaSource::placesOf(const Fields &fields, Layout &last,
                                                      bool &grew)
{
    bool same = fields.size() == last.names.size();
    for (std::size_t i = 0; same && i < fields.size(); ++i)
        same = fields[i].first == last.names[i];
    if (same)
        return last.places;
    last.names.clear();
    last.places.clear();
    for (const auto &[name, value] : fields) {
        auto it = m_columnIndex.find(name);
        if (it == m_columnIndex.end()) {
            it = m_columnIndex.emplace(name, m_columns.size()).first;
            m_columns.push_back(name);
            grew = true;
        }
        last.names.push_back(name);
        last.places.push_back(it->second);
    }
    return last.places;
}

void KafkaSource::fill(record::Batch &batch, std::vector<engine::DeadLetter> &dead,
                       Partition &partition)
{
    const std::size_t count =
        std::min(partition.pending.size(), static_cast<std::size_t>(m_options.batchSize));
    // The schema grows with every field this batch brings first.
    bool grew = !m_schema;
    for (std::size_t i = 0; i < count; ++i) {
        const Message &m = partition.pending[i];
        if (!m.decoded)
            continue;
        (void)placesOf(m.decoded->after, m_afterLayout, grew);
        (void)placesOf(m.decoded->before, m_beforeLayout, grew);
    }
    if (grew)
        m_schema = record::makeSchema(m_columns);
    const std::string stream = streamOf(partition.topic, partition.id);
    batch.schema = m_schema;
    batch.stream = stream;
    const std::size_t width = m_columns.size();
    auto place = [&](Fields &from, Layout &layout, std::vector<record::Value> &to) {
        const std::vector<std::size_t> &places = placesOf(from, layout, grew);
        to.resize(width);
        for (record::Value &v : to)
            v.setNull();
        for (std::size_t i = 0; i < from.size(); ++i)
            to[places[i]] = std::move(from[i].second);
    };
    std::int64_t last = partition.next - 1;
    for (std::size_t i = 0; i < count; ++i) {
        Message &m = partition.pending.front();
        last = m.offset;
        if (!m.decoded) {
            dead.push_back(engine::DeadLetter{stream, m.offset, 0, QString::fromStdString(m.why),
                                              QString::fromStdString(m.payload)});
        } else {
            record::ChangeEvent &e = batch.addEvent(width);
            e.op = m.decoded->op;
            e.offset = m.offset;
            e.eventTimeMicros = m.decoded->eventTimeMicros;
            if (e.op == record::Op::Delete)
                e.after.clear();
            else
                place(m.decoded->after, m_afterLayout, e.after);
            if (!m.decoded->before.empty())
                place(m.decoded->before, m_beforeLayout, e.before);
        }
        partition.pending.pop_front();
    }
    m_pendingTotal -= count;
    partition.next = last + 1;
    batch.positions = {
        record::SourcePosition(m_context.nodeId.toStdString(), stream, partition.next)};
}

KafkaSource::Partition *KafkaSource::fullestPartition()
{
    Partition *fullest = nullptr;
    for (auto &[stream, p] : m_partitions) {
        if (!fullest || p.pending.size() > fullest->pending.size())
            fullest = &p;
    }
    return fullest;
}

Result<engine::StepStatus> KafkaSource::next(record::Batch &batch,
                                             std::vector<engine::DeadLetter> &dead)
{
    const auto deadline = Clock::now() + kPollBudget;
    const auto full = static_cast<std::size_t>(m_options.batchSize);
    for (;;) {
        if (!m_rebalanceStatus) {
            Error e = m_rebalanceStatus.error();
            m_rebalanceStatus = {};
            return e;
        }
        const bool timeUp = Clock::now() >= deadline || m_context.stopping();
        // Messages wait until a partition fills a batch, or enough are waiting, or the poll
        // time is up. Then a round begins: every partition with messages waiting hands them
        // out, the fullest first, one per call and without waiting again, so that a partition
        // with a few messages is not left behind busier ones (nor each of many small ones
        // waits a poll time of its own).
        if (m_pendingTotal > 0 &&
            (m_roundLeft > 0 || m_someFull || m_pendingTotal >= 4 * full || timeUp)) {
            if (m_roundLeft == 0) {
                m_roundLeft = static_cast<int>(
                    std::count_if(m_partitions.begin(), m_partitions.end(),
                                  [](const auto &p) { return !p.second.pending.empty(); }));
            }
            --m_roundLeft;
            fill(batch, dead, *fullestPartition());
            m_someFull =
                std::any_of(m_partitions.begin(), m_partitions.end(),
                            [full](const auto &p) { return p.second.pending.size() >= full; });
            return engine::StepStatus::HaveMore;
        }
        m_roundLeft = 0;
        if (m_context.once && m_assigned && m_pendingTotal == 0 &&
            std::all_of(m_partitions.begin(), m_partitions.end(),
                        [](const auto &p) { return p.second.done(); }))
            return engine::StepStatus::Finished;
        if (timeUp)
            return engine::StepStatus::HaveMore;
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        rd_kafka_message_t *message = rd_kafka_consumer_poll(
            m_consumer.get(), static_cast<int>(std::clamp<std::int64_t>(left.count(), 1, 50)));
        if (!message && !m_clientError) {
            Error e = m_clientError.error();
            m_clientError = {};
            return e;
        }
        if (!message)
            continue;
        const Status taken = take(message);
        rd_kafka_message_destroy(message);
        if (!taken)
            return taken.error();
        if (!m_clientError) {
            Error e = m_clientError.error();
            m_clientError = {};
            return e;
        }
    }
}

engine::SourceProgress KafkaSource::progress() const
{
    engine::SourceProgress p;
    if (!m_consumer)
        return p;
    std::int64_t behind = 0;
    bool known = false;
    for (const auto &[stream, partition] : m_partitions) {
        std::int64_t low = -1, high = -1;
        if (rd_kafka_get_watermark_offsets(m_consumer.get(), partition.topic.c_str(), partition.id,
                                           &low, &high) != RD_KAFKA_RESP_ERR_NO_ERROR ||
            high < 0)
            continue;
        const std::int64_t from = partition.next >= 0 ? partition.next : low;
        if (from < 0)
            continue;
        behind += std::max<std::int64_t>(0, high - from);
        known = true;
    }
    p.recordsBehind = known ? behind : -1;
    p.moreWaiting = m_pendingTotal > 0 || behind > 0;
    return p;
}

Status KafkaSource::acknowledge(const record::SourcePosition &position)
{
    if (m_context.preview || !m_consumer)
        return {};
    const auto it = m_partitions.find(position.stream);
    if (it == m_partitions.end())
        return {}; // no longer this member's: its new owner commits it
    PartitionListPtr offsets(rd_kafka_topic_partition_list_new(1));
    rd_kafka_topic_partition_list_add(offsets.get(), it->second.topic.c_str(), it->second.id)
        ->offset = position.offset;
    // For lag tooling only: where to resume is what the sinks committed.
    (void)rd_kafka_commit(m_consumer.get(), offsets.get(), 1);
    return {};
}

} // namespace weir::connectors::kafka
