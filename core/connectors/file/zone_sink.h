#pragma once

// ZoneSink: writes batches as files into a data-lake zone (raw, staging or curated), one
// folder per date partition. Each file is written under a temporary name, synced and renamed,
// then the batch's source positions are appended to the dataset's manifest. File names come
// from those positions, so a batch written again after a crash replaces its own file:
// at-least-once delivery made idempotent. One worker thread.

#include "engine/node.h"
#include "model/node_config.h"

#include <QString>
#include <map>

namespace weir::connectors::file {

struct ZoneOptions
{
    QString root;
    QString zone = QStringLiteral("raw");
    QString dataset;
    bool csv = false;        // else JSON Lines
    std::string partitionBy; // timestamp column; empty: the ingest date

    static ZoneOptions fromConfig(const model::NodeConfig &config);
};

class ZoneSink final : public engine::SinkNode
{
public:
    explicit ZoneSink(ZoneOptions options) : m_options(std::move(options)) {}

    Status open(const engine::NodeContext &context) override;
    Result<std::vector<record::SourcePosition>> committedPositions() override;
    Result<engine::SinkWriteStats> write(const record::Batch &batch) override;
    double lastCommitMillis() const override { return m_lastCommitMillis; }

    QString datasetFolder() const;
    QString manifestPath() const;

private:
    // "2024-01-31" from the partition column (or the ingest time); "unknown" when absent.
    std::string partitionOf(const record::Batch &batch, const record::ChangeEvent &event,
                            int column) const;
    QByteArray render(const record::Batch &batch,
                      const std::vector<const record::ChangeEvent *> &events) const;
    Status writeAtomically(const QString &path, const QByteArray &bytes) const;

    ZoneOptions m_options;
    engine::NodeContext m_context;
    double m_lastCommitMillis = 0.0;
};

} // namespace weir::connectors::file
