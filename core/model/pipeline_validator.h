#pragma once

// PipelineValidator: every problem of a pipeline, located — unknown node types, config fields
// that are unknown, missing, ill-typed or out of range, unresolved ${env:…}, edges to missing
// nodes or ports, port type mismatches, cycles, sources with no path to a sink.

#include "model/node_type_registry.h"
#include "model/pipeline.h"
#include "model/pipeline_json.h"

#include <vector>

namespace weir::model {

class PipelineValidator final
{
public:
    explicit PipelineValidator(const NodeTypeRegistry &registry) : m_registry(registry) {}

    // `locator` (optional) puts line numbers on the problems.
    std::vector<Problem> validate(const Pipeline &pipeline, const QString &fileName,
                                  const SourceLocator *locator = nullptr) const;

private:
    const NodeTypeRegistry &m_registry;
};

// Reads, parses and validates a pipeline file; `pipeline` is set only when there is no problem.
struct CheckedPipeline
{
    std::optional<Pipeline> pipeline;
    std::vector<Problem> problems;
};
CheckedPipeline loadValidPipeline(const QString &path, const NodeTypeRegistry &registry);

} // namespace weir::model
