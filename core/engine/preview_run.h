#pragma once

// Data preview: the first records that reach one node, read from the start of its sources
// and passed through the transforms on the way — a sampling run that writes nothing: no sink
// is opened, no position committed, dead letters only counted. For a sink, what arrives at
// its input. Runs on the caller's thread and checks `stop` between batches.

#include "common/result.h"
#include "model/node_type_registry.h"
#include "model/pipeline.h"

#include <QString>
#include <QStringList>
#include <atomic>
#include <vector>

namespace weir::engine {

struct PreviewTable
{
    QStringList columns;           // first "op", then the columns in order of first sight
    std::vector<QStringList> rows; // display text, aligned with `columns`; null is empty
    qint64 deadLetters = 0;        // records the transforms on the way refused
    bool truncated = false;        // more records would have followed
};

Result<PreviewTable> previewNode(const model::Pipeline &pipeline, const QString &pipelineDir,
                                 const QString &nodeId, const model::NodeTypeRegistry &registry,
                                 int limit, const std::atomic<bool> *stop = nullptr);

} // namespace weir::engine
