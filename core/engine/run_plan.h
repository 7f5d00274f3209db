#pragma once

// RunPlan: a pipeline turned into runnable parts for one run — each node's runtime built from
// its type's factory with defaults applied and ${env:…} resolved, and the wiring between them.
// Built and then owned by the engine's coordinator thread.

#include "common/result.h"
#include "engine/node.h"
#include "engine/node_metrics.h"
#include "model/node_type_registry.h"
#include "model/pipeline.h"
#include "state/state_store.h"

#include <memory>
#include <vector>

namespace weir::engine {

struct PlannedNode
{
    QString id;
    const model::NodeType *type = nullptr;
    model::NodeConfig config;
    std::unique_ptr<SourceNode> source; // destroyed on its worker thread when it is done
    bool isSource = false;              // stays true once `source` is gone
    std::unique_ptr<TransformNode> transform;
    std::unique_ptr<SinkNode> sink;
    std::vector<std::size_t> downstream; // indexes into RunPlan::nodes
    int upstreamCount = 0;
    NodeContext context;
    NodeMetrics metrics;
    std::vector<record::SourcePosition> resumeFrom; // sources: the committed positions
    bool opened = false;                            // sources: open() succeeded
};

struct RunPlan
{
    std::vector<std::unique_ptr<PlannedNode>> nodes;
    QStringList secretValues; // resolved secrets, masked in every message

    // Each node with its role and the nodes feeding it, as the StateStore records a run.
    std::vector<state::RunNode> describe() const;

    // Indexes of the sinks reachable from node `index`.
    std::vector<std::size_t> sinksReachableFrom(std::size_t index) const;
};

Result<RunPlan> buildRunPlan(const model::Pipeline &pipeline,
                             const model::NodeTypeRegistry &registry, const QString &pipelineDir);

// A node's settings as its runtime reads them: the schema's defaults applied and ${…}
// references resolved (their values appended to `secretValues`, to mask them in messages).
Result<model::NodeConfig> runtimeConfig(const model::NodeSpec &spec, const model::NodeType &type,
                                        const QString &pipelineDir,
                                        QStringList *secretValues = nullptr);

// Narrows the plan to node `nodeId` and what lies downstream of it, fed with `batches`: a source
// node hands them out instead of reading; any other node gets them from an added feeder node.
Status injectBatches(RunPlan &plan, const QString &nodeId, std::vector<record::Batch> batches);

} // namespace weir::engine
