#pragma once

// The three kinds of node runtime the engine drives. Each instance is created for one run and
// used from one worker thread only; the engine owns threads, queues, retries and the DLQ.

#include "common/result.h"
#include "record/batch.h"

#include <QString>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace weir::engine {

class DeadLetterWriter;

// A record that could not be processed, with what went wrong and where it came from.
struct DeadLetter
{
    std::string stream;
    std::int64_t offset = 0;
    std::int64_t line = 0;
    QString error;   // names the field or column when the problem is one
    QString payload; // the record as it arrived: raw text, or a JSON object of its fields
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
    std::int64_t bytesBehind = -1;
    std::int64_t recordsBehind = -1;
    std::int64_t newestEventTimeMicros = 0;
};

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
    // Called once the batches up to `position` are committed by every sink.
    virtual Status acknowledge(const record::SourcePosition &position)
    {
        (void)position;
        return {};
    }
};

class TransformNode
{
public:
    virtual ~TransformNode() = default;
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
};

class SinkNode
{
public:
    virtual ~SinkNode() = default;
    virtual Status open(const NodeContext &context) = 0;
    // Positions already committed with the data, per source node of this pipeline.
    virtual Result<std::vector<record::SourcePosition>> committedPositions() = 0;
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
};

} // namespace weir::engine
