#include "engine/engine.h"

#include "common/secrets.h"
#include "common/time_format.h"
#include "engine/bounded_queue.h"
#include "engine/commit_tracker.h"
#include "engine/run_plan.h"
#include "engine/spare_events.h"

#include <QEventLoop>
#include <QFileInfo>
#include <algorithm>
#include <iterator>
#include <map>
#include <set>

namespace weir::engine {

namespace {

PositionMap toMap(const std::vector<record::SourcePosition> &positions)
{
    PositionMap out;
    for (const auto &p : positions)
        out[{p.sourceNode, p.stream}] = p;
    return out;
}

// Whether `next` may join `batch` into one write: the same stream, table and shape, and
// together no more than `rows`.
bool joinable(const record::Batch &batch, const record::Batch &next, std::size_t rows)
{
    return next.schema == batch.schema && next.stream == batch.stream &&
           next.table == batch.table && next.key == batch.key &&
           next.eventsOrderedByOffset == batch.eventsOrderedByOffset &&
           batch.size() + next.size() <= rows;
}

// Appends `next`'s events to `batch`, whose positions then reach as far as `next`'s.
void join(record::Batch &batch, record::Batch next)
{
    batch.events.insert(batch.events.end(), std::make_move_iterator(next.events.begin()),
                        std::make_move_iterator(next.events.end()));
    for (record::SourcePosition &p : next.positions) {
        const auto same = std::find_if(
            batch.positions.begin(), batch.positions.end(), [&](const record::SourcePosition &q) {
                return q.sourceNode == p.sourceNode && q.stream == p.stream;
            });
        if (same != batch.positions.end())
            *same = std::move(p);
        else
            batch.positions.push_back(std::move(p));
    }
    batch.backlog = next.backlog;
}

// True when the sink already committed everything this batch covers (a replay after restart).
bool alreadyCommitted(const PositionMap &committed, const record::Batch &batch,
                      const std::map<std::string, const SourceNode *> &sources)
{
    if (batch.positions.empty())
        return false;
    for (const auto &p : batch.positions) {
        const auto it = committed.find({p.sourceNode, p.stream});
        if (it == committed.end())
            return false;
        const auto source = sources.find(p.sourceNode);
        const std::partial_ordering order = source != sources.end()
                                                ? source->second->comparePositions(it->second, p)
                                                : SourceNode::compareByOffset(it->second, p);
        if (order != std::partial_ordering::greater && order != std::partial_ordering::equivalent)
            return false;
    }
    return true;
}

// Drops the events of a replayed batch that the sink committed already, when the batch
// straddles its position (the sink was ahead of another, which the source resumed from).
void dropCommittedEvents(const PositionMap &committed, record::Batch &batch)
{
    if (!batch.eventsOrderedByOffset || batch.positions.size() != 1 || batch.events.empty())
        return;
    const record::SourcePosition &p = batch.positions.front();
    const auto it = committed.find({p.sourceNode, p.stream});
    if (it == committed.end() || batch.events.front().offset >= it->second.offset)
        return;
    const std::int64_t from = it->second.offset;
    std::erase_if(batch.events, [from](const record::ChangeEvent &e) { return e.offset < from; });
}

// Takes in what the tracker knows `sink` holds for the batch's streams beyond its own map: a
// position another process sharing the target committed, learned when the stream came to this
// one (a Kafka partition taken over), so that what it wrote is skipped too.
void catchUp(PositionMap &committed, const record::Batch &batch, std::size_t sink,
             const CommitTracker &tracker, const std::map<std::string, const SourceNode *> &sources)
{
    for (const auto &p : batch.positions) {
        auto known = tracker.durable(sink, p.sourceNode, p.stream);
        if (!known)
            continue;
        const auto it = committed.find({p.sourceNode, p.stream});
        if (it == committed.end()) {
            committed[{p.sourceNode, p.stream}] = std::move(*known);
            continue;
        }
        const auto source = sources.find(p.sourceNode);
        const std::partial_ordering order =
            source != sources.end() ? source->second->comparePositions(*known, it->second)
                                    : SourceNode::compareByOffset(*known, it->second);
        if (order == std::partial_ordering::greater)
            it->second = std::move(*known);
    }
}

} // namespace

struct Engine::Wiring
{
    std::vector<std::unique_ptr<BoundedQueue<record::Batch>>> inputs; // by node index
    std::vector<PositionMap> committed;                               // by node index (sinks)
    std::vector<std::thread> workers;
    std::atomic<int> workersLeft{0};
    std::atomic<int> sinksLeft{0};
    // Written batches end here rather than on a sink's thread: a million small values take a
    // while to free, and the sink is the one thread a pipeline cannot spread. Their events go
    // to `spareEvents` for sources to fill again, or are freed here when it is full.
    std::unique_ptr<BoundedQueue<record::Batch>> spent;
    std::thread reaper;
    SpareEvents spareEvents{2};
    std::atomic<bool> never{false};
    // Positions every sink downstream has committed: acknowledgements and mid-run resumes.
    std::unique_ptr<CommitTracker> commits;
    std::vector<std::size_t> trackerIndex;                 // by node index (sources)
    std::map<std::string, const SourceNode *> sourcesById; // orders positions for sinks
};

Engine::Engine(model::Pipeline pipeline, QString pipelineFile, state::StateStore *store,
               const model::NodeTypeRegistry &registry, EngineOptions options, QObject *parent)
    : QObject(parent), m_pipeline(std::move(pipeline)), m_pipelineFile(std::move(pipelineFile)),
      m_store(store), m_registry(registry), m_options(std::move(options))
{
    qRegisterMetaType<MetricsSnapshot>();
    qRegisterMetaType<RunOutcome>();
    qRegisterMetaType<AlertEvent>();
}

void Engine::publishAlerts(const std::vector<AlertEvent> &events)
{
    for (const AlertEvent &e : events) {
        logEvent(e.active ? QStringLiteral("alert") : QStringLiteral("info"), e.node, e.message);
        emit alertChanged(e);
    }
}

void Engine::logEvent(const QString &level, const QString &node, const QString &message)
{
    if (!m_store || !m_runId)
        return;
    // Every message may quote a connector's words, and those may hold a resolved secret.
    (void)m_store->logEvent(m_runId, level, node, common::maskSecrets(message, m_secrets));
}

Engine::~Engine()
{
    stop();
    if (m_coordinator.joinable())
        m_coordinator.join();
}

void Engine::start()
{
    if (m_running.exchange(true))
        return;
    if (m_coordinator.joinable())
        m_coordinator.join();
    m_stop = false;
    m_stopRequested = false;
    m_failure.reset();
    m_coordinator = std::thread([this] { coordinate(); });
}

void Engine::stop()
{
    if (!m_running.load())
        return;
    m_stopRequested = true;
    m_stop = true;
}

void Engine::fail(const Error &error)
{
    {
        std::lock_guard lock(m_failureMutex);
        if (!m_failure)
            m_failure = error;
    }
    m_stop = true;
    logEvent(QStringLiteral("error"), error.nodeId, error.message);
}

Status Engine::retried(PlannedNode &node, const QString &what,
                       const std::function<Status()> &operation)
{
    return m_options.retry.run(operation, &m_stop, [&](const Error &e, int attempt) {
        node.metrics.add(node.metrics.errors, 1);
        logEvent(QStringLiteral("warning"), node.id,
                 QStringLiteral("%1 attempt %2 failed, retrying: %3")
                     .arg(what)
                     .arg(attempt)
                     .arg(e.message));
    });
}

Status Engine::openNodes(RunPlan &plan)
{
    // Sinks first: their committed positions tell the sources where to resume.
    for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
        PlannedNode &node = *plan.nodes[i];
        if (!node.sink)
            continue;
        Status s = retried(node, QStringLiteral("open"), [&] {
            if (Status o = node.sink->open(node.context); !o)
                return o;
            auto positions = node.sink->committedPositions();
            if (!positions)
                return Status(positions.error());
            m_wiring->committed[i] = toMap(positions.value());
            return Status();
        });
        if (!s)
            return s;
    }
    // Every sink's positions are known now: what each source may resume from and acknowledge.
    std::vector<CommitTracker::SourceInfo> sources;
    std::map<std::size_t, std::vector<record::SourcePosition>> durable;
    m_wiring->trackerIndex.assign(plan.nodes.size(), 0);
    for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
        PlannedNode &node = *plan.nodes[i];
        if (node.sink) {
            for (const auto &[key, position] : m_wiring->committed[i])
                durable[i].push_back(position);
        }
        if (!node.source)
            continue;
        m_wiring->trackerIndex[i] = sources.size();
        m_wiring->sourcesById[node.id.toStdString()] = node.source.get();
        sources.push_back({node.id.toStdString(), node.source.get(), plan.sinksReachableFrom(i)});
    }
    m_wiring->commits = std::make_unique<CommitTracker>(sources, std::move(durable));

    for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
        PlannedNode &node = *plan.nodes[i];
        if (node.transform) {
            if (Status s = retried(node, QStringLiteral("open"),
                                   [&] { return node.transform->open(node.context); });
                !s)
                return s;
        }
        if (!node.source)
            continue;
        const std::size_t slot = m_wiring->trackerIndex[i];
        CommitTracker *commits = m_wiring->commits.get();
        // What the targets hold now, which another process sharing them may have moved on
        // (a consumer group's other member), else this run's own commits.
        std::vector<std::pair<std::size_t, const SinkNode *>> sinks;
        for (std::size_t s : plan.sinksReachableFrom(i))
            sinks.emplace_back(s, plan.nodes[s]->sink.get());
        node.context.committedPosition = [commits, slot, sinks,
                                          id = node.id.toStdString()](const std::string &stream) {
            for (const auto &[index, sink] : sinks) {
                // A busy file is asked again; a target that cannot say leaves this run's own.
                for (int attempt = 0; attempt < 3; ++attempt) {
                    auto now = sink->positionNow(id, stream);
                    if (!now && now.error().code == ErrorCode::Transient)
                        continue;
                    if (now && now.value())
                        commits->learned(index, *now.value());
                    break;
                }
            }
            return commits->committedPosition(slot, stream);
        };
        // Sources are opened on their own worker thread (runSource), where they live.
        node.resumeFrom = resumePositions(plan, i);
    }
    return {};
}

std::vector<record::SourcePosition> Engine::resumePositions(const RunPlan &plan,
                                                            std::size_t index) const
{
    // Each stream resumes from the earliest position any downstream sink committed; a stream
    // some sink has never seen starts from the beginning (the others skip what they have).
    const PlannedNode &node = *plan.nodes[index];
    const std::string id = node.id.toStdString();
    std::set<std::string> streams;
    for (std::size_t s : plan.sinksReachableFrom(index)) {
        for (const auto &[key, position] : m_wiring->committed[s]) {
            if (key.first == id)
                streams.insert(key.second);
        }
    }
    std::vector<record::SourcePosition> resume;
    const std::size_t slot = m_wiring->trackerIndex[index];
    for (const std::string &stream : streams) {
        if (auto p = m_wiring->commits->committedPosition(slot, stream)) {
            resume.push_back(*p);
            continue;
        }
        // Seen by every sink but not in an order the source can tell (equal offsets, other
        // cursors): resume from the smallest offset itself, and let each sink skip what it has.
        std::optional<record::SourcePosition> smallest;
        std::size_t seenBy = 0;
        const std::vector<std::size_t> sinks = plan.sinksReachableFrom(index);
        for (std::size_t s : sinks) {
            const auto it = m_wiring->committed[s].find({id, stream});
            if (it == m_wiring->committed[s].end())
                continue;
            ++seenBy;
            if (!smallest || it->second.offset < smallest->offset)
                smallest = it->second;
        }
        if (smallest && seenBy == sinks.size()) {
            smallest->cursor.clear();
            resume.push_back(*smallest);
        }
    }
    return resume;
}

bool Engine::writeDeadLetters(PlannedNode &node, const std::vector<DeadLetter> &dead)
{
    if (dead.empty())
        return true;
    Status s = m_options.retry.run([&] { return m_store->write(node.context, dead); }, &m_stop);
    if (!s) {
        Error e = s.error();
        e.nodeId = node.id;
        e.message = QStringLiteral("cannot store dead letters: %1").arg(e.message);
        fail(e);
        return false;
    }
    node.metrics.add(node.metrics.deadLetters, static_cast<std::int64_t>(dead.size()));
    node.metrics.add(node.metrics.errors, static_cast<std::int64_t>(dead.size()));
    return true;
}

bool Engine::deliver(PlannedNode &node, record::Batch batch)
{
    node.metrics.add(node.metrics.recordsOut, static_cast<std::int64_t>(batch.size()));
    if (node.downstream.empty())
        return true;
    const std::size_t bytes = record::approximateBytes(batch);
    // Every output but the last gets a copy; the last one takes the batch itself.
    for (std::size_t k = 0; k + 1 < node.downstream.size(); ++k) {
        if (!m_wiring->inputs[node.downstream[k]]->push(batch, m_stop, bytes))
            return false;
    }
    return m_wiring->inputs[node.downstream.back()]->push(std::move(batch), m_stop, bytes);
}

void Engine::acknowledge(PlannedNode &node, std::size_t index)
{
    if (node.context.preview)
        return;
    for (const record::SourcePosition &p :
         m_wiring->commits->takeAcknowledgements(m_wiring->trackerIndex[index])) {
        // Nothing is lost when an acknowledgement fails: the data is committed, and the next
        // one covers this position too.
        if (Status s = node.source->acknowledge(p); !s)
            logEvent(QStringLiteral("warning"), node.id,
                     QStringLiteral("cannot acknowledge %1 up to %2: %3")
                         .arg(QString::fromStdString(p.stream))
                         .arg(p.offset)
                         .arg(s.error().message));
    }
}

void Engine::runSource(PlannedNode &node, std::size_t index)
{
    // Constructing an event loop gives this (Qt-adopted) thread an event dispatcher, so a
    // source may create sockets, timers and network managers in open() and spin a local
    // QEventLoop in next(). It costs nothing to sources that never use one.
    const QEventLoop eventDispatcher;
    const Status opened = retried(node, QStringLiteral("open"),
                                  [&] { return node.source->open(node.context, node.resumeFrom); });
    node.opened = opened.ok();
    if (!opened) {
        if (!(opened.error().code == ErrorCode::Cancelled && m_stop.load())) {
            Error e = opened.error();
            e.nodeId = node.id;
            fail(e);
        }
        return;
    }
    std::vector<DeadLetter> dead;
    while (!m_stop.load()) {
        acknowledge(node, index);
        record::Batch batch;
        StepStatus step = StepStatus::HaveMore;
        // A transient error leaves the source as it was: ask again after a backoff.
        Status read = retried(node, QStringLiteral("read"), [&] {
            batch = record::Batch();
            batch.spare = m_wiring->spareEvents.take();
            dead.clear();
            auto next = node.source->next(batch, dead);
            m_wiring->spareEvents.give(std::move(batch.spare));
            if (!next)
                return Status(next.error());
            step = next.value();
            return Status();
        });
        if (!read) {
            if (read.error().code == ErrorCode::Cancelled && m_stop.load())
                break;
            Error e = read.error();
            e.nodeId = node.id;
            fail(e);
            break;
        }
        node.metrics.add(node.metrics.recordsIn,
                         static_cast<std::int64_t>(batch.size() + dead.size()));
        if (!writeDeadLetters(node, dead))
            break;
        const SourceProgress progress = node.source->progress();
        node.metrics.bytesBehind = progress.bytesBehind;
        node.metrics.recordsBehind = progress.recordsBehind;
        node.metrics.retainedBytes = progress.retainedBytes;
        node.metrics.setUpstreamStatus(progress.upstreamStatus);
        node.metrics.lagMs = progress.newestEventTimeMicros
                                 ? (common::nowMicros() - progress.newestEventTimeMicros) / 1000
                                 : -1;
        if (!batch.ingestTimeMicros)
            batch.ingestTimeMicros = common::nowMicros();
        batch.eventsOrderedByOffset = node.source->eventsOrderedByOffset();
        batch.backlog =
            progress.moreWaiting.value_or(progress.bytesBehind > 0 || progress.recordsBehind > 0);
        // A batch of only bad records still carries its positions: the sink must commit them.
        if ((!batch.empty() || !batch.positions.empty()) && !deliver(node, std::move(batch)))
            break;
        if (step == StepStatus::Finished)
            break;
    }
}

void Engine::runTransform(PlannedNode &node, BoundedQueue<record::Batch> &input)
{
    std::vector<DeadLetter> dead;
    while (auto batch = input.pop(m_stop)) {
        node.metrics.add(node.metrics.recordsIn, static_cast<std::int64_t>(batch->size()));
        dead.clear();
        if (Status s = node.transform->process(*batch, dead); !s) {
            Error e = s.error();
            e.nodeId = node.id;
            fail(e);
            break;
        }
        batch->eventsOrderedByOffset =
            batch->eventsOrderedByOffset && node.transform->keepsEventOffsets();
        if (!writeDeadLetters(node, dead) || !deliver(node, std::move(*batch)))
            break;
    }
}

void Engine::runSink(PlannedNode &node, std::size_t index, BoundedQueue<record::Batch> &input,
                     PositionMap &committed)
{
    // Positions written since the last commit: durable once the sink commits them.
    std::vector<record::SourcePosition> staged;
    auto commitDone = [&] {
        if (!staged.empty())
            m_wiring->commits->committed(index, staged);
        staged.clear();
        node.metrics.commitMillis = node.sink->lastCommitMillis();
    };
    auto failWith = [&](const Status &s) {
        Error e = s.error();
        e.nodeId = node.id;
        fail(e);
    };
    const std::size_t preferredRows = node.sink->preferredBatchRows();
    while (auto batch = input.pop(m_stop)) {
        node.metrics.add(node.metrics.recordsIn, static_cast<std::int64_t>(batch->size()));
        catchUp(committed, *batch, index, *m_wiring->commits, m_wiring->sourcesById);
        if (alreadyCommitted(committed, *batch, m_wiring->sourcesById))
            continue;
        dropCommittedEvents(committed, *batch);
        // Batches already waiting join this one (never waited for: latency stays the same).
        while (batch->size() < preferredRows) {
            auto next = input.popIf([&](const record::Batch &b) {
                return joinable(*batch, b, preferredRows) &&
                       !alreadyCommitted(committed, b, m_wiring->sourcesById);
            });
            if (!next)
                break;
            node.metrics.add(node.metrics.recordsIn, static_cast<std::int64_t>(next->size()));
            dropCommittedEvents(committed, *next);
            join(*batch, std::move(*next));
        }
        SinkWriteStats stats;
        Status s = retried(node, QStringLiteral("write"), [&] {
            auto written = node.sink->write(*batch);
            if (!written)
                return Status(written.error());
            stats = written.value();
            return Status();
        });
        if (!s) {
            // A write cut short by a stop is no failure: nothing of it was committed.
            if (!(s.error().code == ErrorCode::Cancelled && m_stop.load()))
                failWith(s);
            break;
        }
        for (const auto &p : batch->positions) {
            committed[{p.sourceNode, p.stream}] = p;
            staged.push_back(p);
        }
        node.metrics.add(node.metrics.recordsOut, stats.written);
        node.metrics.add(node.metrics.deadLetters, stats.rejected);
        node.metrics.add(node.metrics.errors, stats.rejected);
        node.metrics.lagMs = (common::nowMicros() - batch->ingestTimeMicros) / 1000;
        const auto linger = batch->backlog ? m_options.backlogLinger : std::chrono::milliseconds(0);
        m_wiring->spent->push(std::move(*batch), m_wiring->never);
        if (stats.committed)
            commitDone();
        // Nothing waiting: commit now rather than keep rows back (latency over throughput),
        // unless more is on its way from a source with a backlog (EngineOptions::backlogLinger).
        if (!input.waitForItem(linger, m_stop)) {
            if (Status f = node.sink->flush(); !f) {
                failWith(f);
                return;
            }
            commitDone();
        }
    }
    // Commits what is staged, on a normal end and on a stop: the positions written with the
    // data keep either consistent.
    if (Status s = node.sink->close(); !s)
        failWith(s);
    else
        commitDone();
}

void Engine::runWorker(std::size_t index)
{
    PlannedNode &node = *m_plan->nodes[index];
    try {
        if (node.source)
            runSource(node, index);
        else if (node.transform)
            runTransform(node, *m_wiring->inputs[index]);
        else
            runSink(node, index, *m_wiring->inputs[index], m_wiring->committed[index]);
    } catch (const std::exception &e) {
        fail(makeError(ErrorCode::Permanent, QString::fromUtf8(e.what()), node.id));
    }
    for (std::size_t d : node.downstream)
        m_wiring->inputs[d]->producerDone();
    if (node.sink) {
        m_wiring->spent->producerDone();
        --m_wiring->sinksLeft;
    }
    if (node.source)
        finishSource(node, index);
    --m_wiring->workersLeft;
}

void Engine::finishSource(PlannedNode &node, std::size_t index)
{
    // What the sinks commit after the source's last batch is acknowledged here, on the
    // source's own thread, once they are all done; the source is then destroyed on it too
    // (its QObjects, if it has any, live here).
    while (m_wiring->sinksLeft.load() > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    try {
        if (node.opened)
            acknowledge(node, index);
        node.source.reset();
    } catch (const std::exception &e) {
        fail(makeError(ErrorCode::Permanent, QString::fromUtf8(e.what()), node.id));
    }
}

MetricsSnapshot Engine::sample(const RunPlan &plan) const
{
    MetricsSnapshot snap;
    snap.runId = m_runId;
    const qint64 now = common::nowMillis();
    for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
        const PlannedNode &n = *plan.nodes[i];
        state::MetricSample s;
        s.runId = m_runId;
        s.node = n.id;
        s.timeMs = now;
        s.recordsIn = n.metrics.recordsIn.load();
        s.recordsOut = n.metrics.recordsOut.load();
        s.errors = n.metrics.errors.load();
        s.deadLetters = n.metrics.deadLetters.load();
        s.queueDepth = m_wiring->inputs[i] ? static_cast<qint64>(m_wiring->inputs[i]->size()) : 0;
        s.lagMs = n.metrics.lagMs.load();
        s.bytesBehind = n.metrics.bytesBehind.load();
        s.recordsBehind = n.metrics.recordsBehind.load();
        s.commitMillis = n.metrics.commitMillis.load();
        s.retainedBytes = n.metrics.retainedBytes.load();
        s.upstreamStatus = QString::fromStdString(n.metrics.upstreamStatus());
        if (n.isSource)
            snap.totals.recordsIn += s.recordsIn;
        if (n.sink)
            snap.totals.recordsOut += s.recordsOut;
        snap.totals.errors += s.errors;
        snap.totals.deadLetters += s.deadLetters;
        snap.nodes.push_back(s);
    }
    return snap;
}

void Engine::coordinate()
{
    const QString pipelineDir = QFileInfo(m_pipelineFile).absolutePath();
    auto runId = m_store->beginRun(m_pipeline.name, QFileInfo(m_pipelineFile).absoluteFilePath());
    m_runId = runId ? runId.value() : 0;
    if (runId)
        emit runStarted(m_runId);
    else
        fail(runId.error());

    std::optional<RunPlan> plan;
    if (!m_failure) {
        auto built = buildRunPlan(m_pipeline, m_registry, pipelineDir);
        if (built)
            plan.emplace(std::move(built.value()));
        else
            fail(built.error());
        if (plan)
            m_secrets = plan->secretValues;
        if (plan && !m_options.injectInto.isEmpty()) {
            if (Status s =
                    injectBatches(*plan, m_options.injectInto, std::move(m_options.injected));
                !s) {
                fail(s.error());
                plan.reset();
            }
        }
    }
    m_wiring = std::make_unique<Wiring>();
    if (plan) {
        m_plan = &*plan;
        m_wiring->inputs.resize(plan->nodes.size());
        m_wiring->committed.resize(plan->nodes.size());
        for (std::size_t i = 0; i < plan->nodes.size(); ++i) {
            PlannedNode &n = *plan->nodes[i];
            n.context =
                NodeContext{m_pipeline.name, n.id, m_runId, &m_stop, m_store, m_options.once};
            if (n.upstreamCount > 0)
                m_wiring->inputs[i] = std::make_unique<BoundedQueue<record::Batch>>(
                    m_options.queueCapacity, n.upstreamCount, m_options.queueBytes);
        }
        (void)m_store->recordRunNodes(m_runId, plan->describe());
        if (Status s = openNodes(*plan); !s)
            fail(s.error());
    }
    if (plan && !m_stop.load()) {
        m_wiring->workersLeft = static_cast<int>(plan->nodes.size());
        int sinks = 0;
        for (const auto &n : plan->nodes)
            sinks += n->sink ? 1 : 0;
        m_wiring->sinksLeft = sinks;
        m_wiring->spent =
            std::make_unique<BoundedQueue<record::Batch>>(m_options.queueCapacity, sinks);
        m_wiring->reaper = std::thread([w = m_wiring.get()] {
            while (auto batch = w->spent->pop(w->never))
                w->spareEvents.give(std::move(batch->events));
        });
        for (std::size_t i = 0; i < plan->nodes.size(); ++i)
            m_wiring->workers.emplace_back([this, i] { runWorker(i); });
        // Publish a snapshot every interval until the workers are done.
        // Fold history older than an hour now too: runs shorter than a minute never reach the
        // fold below, and a day of them would otherwise stay per second.
        (void)m_store->downsampleMetrics(common::nowMillis() - std::int64_t{3600} * 1000);
        int snapshots = 0;
        // Valid settings were checked before the run; a bad one here only switches alerts off.
        const auto rules = model::AlertRules::fromSettings(m_pipeline.settings);
        AlertMonitor alerts(rules ? rules.value() : model::AlertRules{}, common::nowMillis());
        auto next = std::chrono::steady_clock::now() +
                    std::chrono::milliseconds(m_options.metricsIntervalMs);
        while (m_wiring->workersLeft.load() > 0) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            if (std::chrono::steady_clock::now() < next)
                continue;
            next += std::chrono::milliseconds(m_options.metricsIntervalMs);
            const MetricsSnapshot snap = sample(*plan);
            (void)m_store->appendMetrics(snap.nodes);
            emit metricsUpdated(snap);
            publishAlerts(alerts.update(snap, common::nowMillis()));
            // History older than an hour is kept per minute; folding it once a minute is enough.
            if (++snapshots % 60 == 0)
                (void)m_store->downsampleMetrics(common::nowMillis() - std::int64_t{3600} * 1000);
        }
        for (std::thread &t : m_wiring->workers)
            t.join();
        m_wiring->reaper.join();
        publishAlerts(alerts.finish(common::nowMillis(), QStringLiteral("the run ended")));
    }

    RunOutcome outcome;
    outcome.runId = m_runId;
    if (plan) {
        const MetricsSnapshot last = sample(*plan);
        (void)m_store->appendMetrics(last.nodes);
        emit metricsUpdated(last);
        outcome.totals = last.totals;
    }
    if (m_failure) {
        outcome.status = QStringLiteral("failed");
        outcome.message = common::maskSecrets(m_failure->describe(), m_secrets);
        outcome.failedNode = m_failure->nodeId;
    } else if (m_stopRequested.load()) {
        outcome.status = QStringLiteral("interrupted");
        outcome.message = QStringLiteral("stopped on request; checkpoints are consistent");
    } else {
        outcome.status = QStringLiteral("finished");
    }
    if (m_runId)
        (void)m_store->finishRun(m_runId, outcome.status, outcome.totals, outcome.message);
    m_plan = nullptr;
    m_wiring.reset();
    plan.reset();
    m_running = false;
    emit runFinished(outcome);
}

} // namespace weir::engine
