#pragma once

// KafkaSource (kafka.source): reads topics as a member of a consumer group. Each partition is
// a stream named "topic/partition" whose position is the next offset to read; positions are
// committed by the sinks with the data, and a partition assigned to this member (at the start
// or after a rebalance) resumes from the position the sinks committed for it, never from
// Kafka's own committed offsets. Those are written after the sinks commit (acknowledge), for
// lag tooling only. A batch holds messages of one partition under one schema that grows as new
// fields appear; a message that cannot be read goes to the dead-letter queue and the
// partition goes on. A preview joins no group: it reads the first messages of each partition.
// One worker thread: the rebalance callback runs inside next()'s poll.

#include "connectors/kafka/kafka_client.h"
#include "connectors/kafka/kafka_messages.h"
#include "engine/node.h"
#include "model/node_config.h"

#include <deque>
#include <map>
#include <unordered_map>

namespace weir::connectors::kafka {

struct KafkaSourceOptions
{
    std::string brokers;
    std::vector<std::string> topics;
    std::string group;          // empty: weir.<pipeline>.<node>
    bool startAtLatest = false; // where a partition without a committed position starts
    MessageFormat format = MessageFormat::Json;
    std::string keyColumn;
    Properties properties;
    int batchSize = 10000;

    static KafkaSourceOptions fromConfig(const model::NodeConfig &config);
};

class KafkaSource final : public engine::SourceNode
{
public:
    explicit KafkaSource(KafkaSourceOptions options);
    ~KafkaSource() override;
    KafkaSource(const KafkaSource &) = delete;
    KafkaSource &operator=(const KafkaSource &) = delete;

    Status open(const engine::NodeContext &context,
                const std::vector<record::SourcePosition> &resumeFrom) override;
    // One partition's messages, up to batch_size, after polling for at most about 200 ms. With
    // `once`, Finished when every partition assigned to this member has been read to the end
    // it had when it was reached.
    Result<engine::StepStatus> next(record::Batch &batch,
                                    std::vector<engine::DeadLetter> &dead) override;
    // recordsBehind: the partitions' high watermarks minus their positions.
    engine::SourceProgress progress() const override;
    // Writes the position to Kafka as the group's committed offset (asynchronously).
    Status acknowledge(const record::SourcePosition &position) override;
    // An event's offset is its message's: a replay may cut batches elsewhere.
    bool eventsOrderedByOffset() const override { return true; }

    static std::string streamOf(const std::string &topic, std::int32_t partition);

private:
    struct Message
    {
        std::int64_t offset = 0;
        std::optional<DecodedMessage> decoded; // empty: unreadable, `why` says why
        std::string why;
        std::string payload;
    };
    struct Partition
    {
        std::string topic;
        std::int32_t id = 0;
        std::int64_t next = -1; // the next offset to hand out, -1 before the first message
        bool atEnd = false;     // read to the end it had (cleared by a newer message)
        // With `once`: the high watermark when its first message came; read up to there, the
        // partition is done even while more keeps coming.
        std::int64_t target = -1;
        std::deque<Message> pending;

        bool done() const { return pending.empty() && (atEnd || (target >= 0 && next >= target)); }
    };

    static void onError(rd_kafka_t *client, int err, const char *reason, void *opaque);
    static void onRebalance(rd_kafka_t *client, rd_kafka_resp_err_t err,
                            rd_kafka_topic_partition_list_t *partitions, void *opaque);
    Status rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *partitions);
    // Where a newly assigned partition starts: its committed position, else `start`.
    std::int64_t startOffset(const std::string &stream) const;
    Status assignForPreview();
    // Waits until the sinks have committed, for each partition given up, what this member
    // handed out of it (by stream: the offset after the last): its next owner, here or in
    // another process, then starts after it, and no older write of this member lands after a
    // newer one of the next owner. Gives up after a while, or when the run stops.
    void awaitCommitted(const std::map<std::string, std::int64_t> &handedOut) const;
    Status take(rd_kafka_message_t *message);
    void fill(record::Batch &batch, std::vector<engine::DeadLetter> &dead, Partition &partition);
    Partition *fullestPartition();

    KafkaSourceOptions m_options;
    engine::NodeContext m_context;
    ClientPtr m_consumer;
    std::map<std::string, std::int64_t> m_resume; // committed positions given to open()
    // Where a revoked partition stopped being handed out: if it comes back in this run, it
    // goes on from there rather than from an older committed position (nothing twice), nor
    // from the end (nothing skipped).
    std::map<std::string, std::int64_t> m_handedOutTo;
    std::map<std::string, Partition> m_partitions; // assigned to this member, by stream
    bool m_assigned = false;                       // partitions are assigned (maybe none)
    bool m_closing = false;                        // leaving the group: commit nothing more
    Status m_rebalanceStatus;                      // what went wrong in a rebalance callback
    Status m_clientError;                          // a client-wide error not told yet
    // The columns of the last message's fields, in their order: most messages of a topic
    // have the same fields in the same order, found by comparing names rather than by hashing.
    struct Layout
    {
        std::vector<std::string> names;
        std::vector<std::size_t> places;
    };
    const std::vector<std::size_t> &placesOf(const Fields &fields, Layout &last, bool &grew);
    Layout m_afterLayout, m_beforeLayout;
    std::size_t m_pendingTotal = 0; // messages taken from Kafka, not handed out yet
    bool m_someFull = false;        // a partition has a batch's worth waiting
    int m_roundLeft = 0;            // partitions still to hand out in this round
    std::vector<std::string> m_columns;
    std::unordered_map<std::string, std::size_t> m_columnIndex;
    record::SchemaPtr m_schema;
};

} // namespace weir::connectors::kafka
