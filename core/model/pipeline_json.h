#pragma once

// Reading and writing pipeline files (*.weir.json, format 1). Writing is deterministic —
// fixed key order, pretty-printed — so saving twice changes nothing and diffs stay small.

#include "common/result.h"
#include "model/pipeline.h"

#include <QByteArray>
#include <QString>
#include <optional>
#include <vector>

namespace weir::model {

struct PipelineParse
{
    std::optional<Pipeline> pipeline; // set unless the text is not JSON at all
    std::vector<Problem> problems;    // syntax and shape problems, located
};

PipelineParse parsePipeline(const QByteArray &json, const QString &fileName);
PipelineParse loadPipelineFile(const QString &path);

QByteArray serializePipeline(const Pipeline &pipeline);
// Atomic: written to a temporary file, then renamed over the target.
Status savePipelineFile(const Pipeline &pipeline, const QString &path);

// Finds where things are in the original text, to put line numbers on problems that are
// found after parsing (QJsonDocument keeps no positions).
class SourceLocator final
{
public:
    SourceLocator() = default;
    explicit SourceLocator(QByteArray text) : m_text(std::move(text)) {}

    int lineOfOffset(qsizetype offset) const;
    int columnOfOffset(qsizetype offset) const;
    // Line of the node whose "id" is `nodeId` (its n-th occurrence, for duplicates); of
    // `field` inside it when given. 0 if not found.
    int nodeLine(const QString &nodeId, const QString &field = {}, int occurrence = 0) const;
    // Line of the edge with this "from" and "to"; 0 if not found.
    int edgeLine(const QString &from, const QString &to) const;
    int keyLine(const QString &key) const;

private:
    qsizetype findKeyValue(const QString &key, const QString &value, qsizetype from) const;
    QByteArray m_text;
};

} // namespace weir::model
