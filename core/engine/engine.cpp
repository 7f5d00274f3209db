#include "engine/engine.h"

#include "common/secrets.h"
#include "common/time_format.h"
#include "engine/bounded_queue.h"
#include "engine/run_plan.h"

#include <QFileInfo>
#include <map>

namespace weir::engine {

namespace {

PositionMap toMap(const std::vector<record::SourcePosition> &positions)
{
    PositionMap out;
    for (const auto &p : positions)
        out[{p.sourceNode, p.stream}] = p;
    return out;
}

// True when the sink already committed everything this batch covers (a replay after restart).
bool alreadyCommitted(const PositionMap &committed, const record::Batch &batch)
{
    if (batch.positions.empty())
        return false;
    for (const auto &p : batch.positions) {
        const auto it = committed.find({p.sourceNode, p.stream});
        if (it == committed.end() || it->second.offset < p.offset ||
            (it->second.offset == p.offset && it->second.cursor != p.cursor))
            return false;
    }
    return true;
}

} // namespace

struct Engine::Wiring
{
    std::vector<std::unique_ptr<BoundedQueue<record::Batch>>> inputs; // by node index
    std::vector<PositionMap> committed;                               // by node index (sinks)
    std::vector<std::thread> workers;
    std::atomic<int> workersLeft{0};
    // Written batches are freed here rather than on a sink's thread: a million small values
    // take a while to free, and the sink is the one thread a pipeline cannot spread.
    std::unique_ptr<BoundedQueue<record::Batch>> spent;
    std::thread reaper;
    std::atomic<bool> never{false};
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
        (void)m_store->logEvent(m_runId,
                                e.active ? QStringLiteral("alert") : QStringLiteral("info"), e.node,
                                e.message);
        emit alertChanged(e);
    }
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
    if (m_store && m_runId)
        (void)m_store->logEvent(m_runId, QStringLiteral("error"), error.nodeId, error.message);
}

Status Engine::openNodes(RunPlan &plan)
{
    auto retried = [this](PlannedNode &node, const std::function<Status()> &op) {
        return m_options.retry.run(op, &m_stop, [&](const Error &e, int attempt) {
            node.metrics.add(node.metrics.errors, 1);
            (void)m_store->logEvent(
                m_runId, QStringLiteral("warning"), node.id,
                QStringLiteral("attempt %1 failed, retrying: %2").arg(attempt).arg(e.message));
        });
    };
    // Sinks first: their committed positions tell the sources where to resume.
    for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
        PlannedNode &node = *plan.nodes[i];
        if (!node.sink)
            continue;
        Status s = retried(node, [&] {
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
    for (std::size_t i = 0; i < plan.nodes.size(); ++i) {
        PlannedNode &node = *plan.nodes[i];
        if (node.transform) {
            if (Status s = retried(node, [&] { return node.transform->open(node.context); }); !s)
                return s;
        }
        if (!node.source)
            continue;
        // Resume each stream from the earliest position any downstream sink committed; a stream
        // some sink has never seen starts from the beginning (the others skip what they have).
        const std::vector<std::size_t> sinks = plan.sinksReachableFrom(i);
        std::map<std::string, record::SourcePosition> earliest;
        std::map<std::string, std::size_t> seenBy;
        for (std::size_t s : sinks) {
            for (const auto &[key, position] : m_wiring->committed[s]) {
                if (key.first != node.id.toStdString())
                    continue;
                auto [it, inserted] = earliest.try_emplace(key.second, position);
                if (!inserted && position.offset < it->second.offset)
                    it->second = position;
                else if (!inserted && position.offset == it->second.offset &&
                         position.cursor != it->second.cursor)
                    it->second.cursor
                        .clear(); // sinks disagree at one offset: resume from the offset itself
                ++seenBy[key.second];
            }
        }
        std::vector<record::SourcePosition> resume;
        for (const auto &[stream, position] : earliest) {
            if (seenBy[stream] == sinks.size())
                resume.push_back(position);
        }
        if (Status s = retried(node, [&] { return node.source->open(node.context, resume); }); !s)
            return s;
    }
    return {};
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
    // Every output but the last gets a copy; the last one takes the batch itself.
    for (std::size_t k = 0; k + 1 < node.downstream.size(); ++k) {
        if (!m_wiring->inputs[node.downstream[k]]->push(batch, m_stop))
            return false;
    }
    return m_wiring->inputs[node.downstream.back()]->push(std::move(batch), m_stop);
}

void Engine::runSource(PlannedNode &node)
{
    std::vector<DeadLetter> dead;
    while (!m_stop.load()) {
        record::Batch batch;
        dead.clear();
        auto step = node.source->next(batch, dead);
        if (!step) {
            Error e = step.error();
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
        node.metrics.lagMs = progress.newestEventTimeMicros
                                 ? (common::nowMicros() - progress.newestEventTimeMicros) / 1000
                                 : -1;
        if (!batch.ingestTimeMicros)
            batch.ingestTimeMicros = common::nowMicros();
        // A batch of only bad records still carries its positions: the sink must commit them.
        if ((!batch.empty() || !batch.positions.empty()) && !deliver(node, std::move(batch)))
            break;
        if (step.value() == StepStatus::Finished)
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
        if (!writeDeadLetters(node, dead) || !deliver(node, std::move(*batch)))
            break;
    }
}

void Engine::runSink(PlannedNode &node, BoundedQueue<record::Batch> &input, PositionMap &committed)
{
    while (auto batch = input.pop(m_stop)) {
        node.metrics.add(node.metrics.recordsIn, static_cast<std::int64_t>(batch->size()));
        if (alreadyCommitted(committed, *batch))
            continue;
        SinkWriteStats stats;
        Status s = m_options.retry.run(
            [&] {
                auto written = node.sink->write(*batch);
                if (!written)
                    return Status(written.error());
                stats = written.value();
                return Status();
            },
            &m_stop,
            [&](const Error &e, int attempt) {
                node.metrics.add(node.metrics.errors, 1);
                (void)m_store->logEvent(m_runId, QStringLiteral("warning"), node.id,
                                        QStringLiteral("write attempt %1 failed, retrying: %2")
                                            .arg(attempt)
                                            .arg(e.message));
            });
        if (!s) {
            Error e = s.error();
            e.nodeId = node.id;
            fail(e);
            break;
        }
        for (const auto &p : batch->positions)
            committed[{p.sourceNode, p.stream}] = p;
        node.metrics.add(node.metrics.recordsOut, stats.written);
        node.metrics.add(node.metrics.deadLetters, stats.rejected);
        node.metrics.add(node.metrics.errors, stats.rejected);
        node.metrics.commitMillis = node.sink->lastCommitMillis();
        node.metrics.lagMs = (common::nowMicros() - batch->ingestTimeMicros) / 1000;
        m_wiring->spent->push(std::move(*batch), m_wiring->never);
        // Nothing waiting: commit now rather than keep rows back (latency over throughput).
        if (input.size() == 0) {
            if (Status f = node.sink->flush(); !f) {
                Error e = f.error();
                e.nodeId = node.id;
                fail(e);
                return;
            }
            node.metrics.commitMillis = node.sink->lastCommitMillis();
        }
    }
    // Commits what is staged, on a normal end and on a stop: the positions written with the
    // data keep either consistent.
    if (Status s = node.sink->close(); !s) {
        Error e = s.error();
        e.nodeId = node.id;
        fail(e);
    }
}

void Engine::runWorker(std::size_t index)
{
    PlannedNode &node = *m_plan->nodes[index];
    try {
        if (node.source)
            runSource(node);
        else if (node.transform)
            runTransform(node, *m_wiring->inputs[index]);
        else
            runSink(node, *m_wiring->inputs[index], m_wiring->committed[index]);
    } catch (const std::exception &e) {
        fail(makeError(ErrorCode::Permanent, QString::fromUtf8(e.what()), node.id));
    }
    for (std::size_t d : node.downstream)
        m_wiring->inputs[d]->producerDone();
    if (node.sink)
        m_wiring->spent->producerDone();
    --m_wiring->workersLeft;
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
        s.commitMillis = n.metrics.commitMillis.load();
        if (n.source)
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
                    m_options.queueCapacity, n.upstreamCount);
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
        m_wiring->spent =
            std::make_unique<BoundedQueue<record::Batch>>(m_options.queueCapacity, sinks);
        m_wiring->reaper = std::thread([w = m_wiring.get()] {
            while (w->spent->pop(w->never)) {
            }
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
        outcome.message =
            common::maskSecrets(m_failure->describe(), plan ? plan->secretValues : QStringList());
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
