#pragma once

// The three kinds of node runtime the engine drives. Each instance is created for one run and
// used from one worker thread only; the engine owns threads, queues, retries and the DLQ.

#include "common/result.h"
#include "record/batch.h"

#include <QString>
#include <atomic>
#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace weir::engine {

class DeadLetterWriter;

// A record that could not be processed, with what went wrong and where it came from. Its
// identity is (stream, offset, location), as for the record itself (see ChangeEvent).
struct DeadLetter
{
    std::string stream;
    std::int64_t offset = 0;
    std::int64_t line = 0;
    QString error;   // names the field or column when the problem is one
    QString payload; // the record as it arrived: raw text, or a JSON object of its fields
    std::string location = {};
    std::string table = {};            // the upstream table, as in Batch::table: where a retry goes
    std::vector<std::string> key = {}; // and its key columns (Batch::key)

    // The dead letter of one event of a batch, keeping its identity.
    static DeadLetter of(const record::Batch &batch, const record::ChangeEvent &event,
                         QString error, QString payload)
    {
        return DeadLetter{batch.stream,       event.offset,   event.line,  std::move(error),
                          std::move(payload), event.location, batch.table, batch.key};
    }
};

struct NodeContext
{
    QString pipelineName;
    QString nodeId;
    qint64 runId = 0;
    const std::atomic<bool> *stopRequested = nullptr;
    DeadLetterWriter *deadLetters = nullptr;
    // Read what is there now, then finish (sources that would otherwise keep watching).
    bool once = false;
    // A data preview: read a little and leave no trace upstream — join no consumer group,
    // create no replication slot, acknowledge nothing.
    bool preview = false;
    // For sources: the position every sink downstream has committed for a stream, asked when a
    // stream appears while running (a partition assigned after a rebalance, a table added to a
    // publication). Empty when no sink has committed one (read the stream from its start).
    // Safe to call from the source's thread at any time; unset in previews.
    std::function<std::optional<record::SourcePosition>(const std::string &stream)>
        committedPosition = {};

    bool stopping() const
    {
        return stopRequested && stopRequested->load(std::memory_order_relaxed);
    }
};

// Durable store of dead letters; write() returns once they are safe on disk.
class DeadLetterWriter
{
public:
    virtual ~DeadLetterWriter() = default;
    virtual Status write(const NodeContext &node, const std::vector<DeadLetter> &letters) = 0;
};

// How a node's step went, in the DuckDB manner: a status, never an exception.
enum class StepStatus
{
    HaveMore,
    Finished
};

// How far a source is behind its head, for lag metrics. -1 when unknown.
struct SourceProgress
{
    std::int64_t bytesBehind = -1;   // files, a replication slot's WAL
    std::int64_t recordsBehind = -1; // a Kafka consumer's lag
    std::int64_t newestEventTimeMicros = 0;
    // What the upstream keeps for this source until it acknowledges (a replication slot's
    // retained WAL), -1 when nothing, and a word on its state (the slot's wal_status).
    std::int64_t retainedBytes = -1;
    std::string upstreamStatus = {};
    // Whether the next batch is already waiting, when the source knows (otherwise the engine
    // takes any bytes or records behind for a backlog): a sink commits at once when not.
    std::optional<bool> moreWaiting = {};
};

// The contract of a source (see ARCHITECTURE.md, "Positions, acknowledgements"):
// - open() gets the positions the sinks committed; the source resumes strictly after them.
// - next() runs on one worker thread and returns within about a second even when there is
//   nothing to read (poll with a timeout, check context.stopping()), so that stop and
//   acknowledgements are served. A transient error (connection lost, broker down, HTTP 503)
//   returns ErrorCode::Transient with the source's state unchanged: the engine calls next()
//   again after a backoff and logs each attempt. Anything else stops the run.
// - Every record carries a location unique within its stream (ChangeEvent::offset/location)
//   and every batch the position it reaches; a batch of only dead letters still carries it.
// - open(), next(), acknowledge() and the destructor all run on the source's own worker
//   thread. acknowledge() comes between next() calls, and once more after the last one when
//   every sink has finished, with positions that every sink downstream has committed: the one
//   place to release anything upstream. Never in a preview.
// - A source that needs a Qt event loop (network replies, an HTTP server) creates its QObjects
//   in open(): they live on the worker thread, which Qt adopts and the engine gives an event
//   dispatcher before open(). next() spins a local QEventLoop for at most its poll time (quit
//   by a QTimer or by the reply it waits for). They are deleted with the source, on the same
//   thread.
class SourceNode
{
public:
    virtual ~SourceNode() = default;
    // resumeFrom holds this source's committed positions (possibly several streams).
    virtual Status open(const NodeContext &context,
                        const std::vector<record::SourcePosition> &resumeFrom) = 0;
    // Fills `batch` (events, schema, stream, end position); bad records go to `dead`.
    virtual Result<StepStatus> next(record::Batch &batch, std::vector<DeadLetter> &dead) = 0;
    virtual SourceProgress progress() const { return {}; }
    // Called once the batches up to `position` are committed by every sink downstream.
    virtual Status acknowledge(const record::SourcePosition &position)
    {
        (void)position;
        return {};
    }
    // Orders two positions of one stream of this source: `less` when `a` comes first. The
    // default orders by offset and calls equal offsets with different cursors unordered; a
    // source whose offset does not grow with every batch (a watermark shared by many rows)
    // orders by its cursor. Pure: may be called from any thread.
    virtual std::partial_ordering comparePositions(const record::SourcePosition &a,
                                                   const record::SourcePosition &b) const
    {
        return compareByOffset(a, b);
    }

    // Whether every event of a stream whose offset is below a committed position's offset is
    // committed with it (offsets of messages, not of batches). Lets a sink that is ahead of the
    // others skip the part of a replayed batch it holds already, when a replay cuts its batches
    // differently (a Kafka consumer's batches follow its polls). Pure.
    virtual bool eventsOrderedByOffset() const { return false; }

    static std::partial_ordering compareByOffset(const record::SourcePosition &a,
                                                 const record::SourcePosition &b)
    {
        if (a.offset != b.offset)
            return a.offset <=> b.offset;
        return a.cursor == b.cursor ? std::partial_ordering::equivalent
                                    : std::partial_ordering::unordered;
    }
};

class TransformNode
{
public:
    virtual ~TransformNode() = default;
    // Whether each record that comes out keeps the offset it came in with (records may be
    // dropped or changed, not merged nor made up). See Batch::eventsOrderedByOffset.
    virtual bool keepsEventOffsets() const { return false; }
    virtual Status open(const NodeContext &context)
    {
        (void)context;
        return {};
    }
    // Changes the batch in place; records that fail move to `dead` with the reason.
    virtual Status process(record::Batch &batch, std::vector<DeadLetter> &dead) = 0;
};

struct SinkWriteStats
{
    std::int64_t written = 0;  // events applied to the target
    std::int64_t rejected = 0; // events sent to the dead-letter queue instead
    // The write ended with a commit of everything written so far (a full group commit, or a
    // sink that commits each write): the positions of this and earlier batches are durable.
    bool committed = false;
};

class SinkNode
{
public:
    virtual ~SinkNode() = default;
    virtual Status open(const NodeContext &context) = 0;
    // Positions already committed with the data, per source node of this pipeline.
    virtual Result<std::vector<record::SourcePosition>> committedPositions() = 0;
    // The position of one stream as the target holds it now, read through a connection of
    // the caller's own: safe from any thread after open(). It sees what another process
    // sharing the target committed since this run began (a Kafka partition that moved here
    // from another member of the consumer group). Nothing when none is stored, or when the
    // sink cannot tell (the engine then goes by this run's own commits).
    virtual Result<std::optional<record::SourcePosition>>
    positionNow(const std::string &sourceNode, const std::string &stream) const
    {
        (void)sourceNode;
        (void)stream;
        return std::optional<record::SourcePosition>();
    }
    // Writes the batch and its positions in one transaction, which may stay open for the
    // next batches (group commit) until flush(); rejected records go to the context's
    // DeadLetterWriter first. A transient error means nothing of this run's open transaction
    // was lost and the write may be retried; otherwise the run must stop.
    virtual Result<SinkWriteStats> write(const record::Batch &batch) = 0;
    // Commits what write() staged. Called when the input runs dry and at the end.
    virtual Status flush() { return {}; }
    virtual Status close() { return flush(); }
    // Milliseconds the last commit took, for metrics.
    virtual double lastCommitMillis() const { return 0.0; }
    // Rows per write the sink works best with (a database merge costs about the same for 10k
    // rows as for 50k): the engine joins batches already waiting behind one, of the same
    // stream and shape, up to this many. 0: each batch as it comes.
    virtual std::size_t preferredBatchRows() const { return 0; }
};

} // namespace weir::engine
