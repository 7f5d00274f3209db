#pragma once

// CsvSource: reads a CSV file as read events. The header (or the configured columns) names the
// fields; a row with the wrong number of fields goes to the dead-letter queue with its line.
// Resumes from a committed byte offset. One instance per run, on one worker thread.

#include "connectors/file/csv_reader.h"
#include "engine/node.h"
#include "model/node_config.h"

namespace weir::connectors::file {

struct CsvOptions
{
    QString path;
    char delimiter = ',';
    char quote = '"';
    bool header = true;
    std::vector<std::string> columns; // override or (without header) the names
    bool emptyAsNull = true;
    int batchSize = 10000;

    static CsvOptions fromConfig(const model::NodeConfig &config);
};

class CsvSource final : public engine::SourceNode
{
public:
    explicit CsvSource(CsvOptions options) : m_options(std::move(options)) {}

    Status open(const engine::NodeContext &context,
                const std::vector<record::SourcePosition> &resumeFrom) override;
    // Returns Finished with the last records once the file is exhausted.
    Result<engine::StepStatus> next(record::Batch &batch,
                                    std::vector<engine::DeadLetter> &dead) override;
    engine::SourceProgress progress() const override;

private:
    CsvOptions m_options;
    engine::NodeContext m_context;
    CsvReader m_reader;
    record::SchemaPtr m_schema;
    std::string m_stream;
    std::vector<std::string> m_fields;
};

} // namespace weir::connectors::file
