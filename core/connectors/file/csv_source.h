#pragma once

// CsvSource: reads a CSV file as read events. The header (or the configured columns) names the
// fields; a row with the wrong number of fields goes to the dead-letter queue with its line.
// Resumes from a committed byte offset. One instance per run, on one worker thread.

#include "connectors/file/csv_reader.h"
#include "engine/node.h"
#include "model/node_config.h"
#include "model/node_type_registry.h"

namespace weir::connectors::file {

struct CsvOptions
{
    QString path;
    char delimiter = ',';
    char quote = '"';
    bool header = true;
    std::vector<std::string> columns; // override or (without header) the names
    bool emptyAsNull = true;          // an empty unquoted field is null; "" stays an empty text
    int batchSize = 10000;

    static CsvOptions fromConfig(const model::NodeConfig &config);
};

class CsvSource final : public engine::SourceNode
{
public:
    explicit CsvSource(CsvOptions options) : m_options(std::move(options)) {}

    // Reads the header (when there is one), then continues after the position of this file's
    // stream in `resumeFrom`. Line numbers stay exact after a resume: the reader counts the
    // newlines before that offset, one sequential pass over the part already read.
    Status open(const engine::NodeContext &context,
                const std::vector<record::SourcePosition> &resumeFrom) override;
    // Up to batch_size records. Returns HaveMore while the file may hold more, and Finished
    // from the call that reaches its end: that last batch may still carry records and always
    // carries the end position. Every batch's position lies just after the last record it
    // consumed, dead ones included.
    Result<engine::StepStatus> next(record::Batch &batch,
                                    std::vector<engine::DeadLetter> &dead) override;
    // bytesBehind: the file size at open minus the bytes consumed.
    engine::SourceProgress progress() const override;

    // A dead letter of this source (a raw row, maybe edited) read back as the source reads a
    // row, with the same options: the column names from the configured columns or the header
    // of the file it came from. The record keeps the dead letter's identity.
    static Result<record::Batch> readDeadLetter(const CsvOptions &options,
                                                const model::DeadLetterText &letter);

private:
    // From the header and/or the configured columns; leaves the reader after the header.
    Result<std::vector<std::string>> readColumnNames();
    engine::DeadLetter deadLetter(const CsvRecordInfo &info, std::size_t fieldCount) const;
    void appendEvent(record::Batch &batch, const CsvRecordInfo &info);

    CsvOptions m_options;
    engine::NodeContext m_context;
    CsvReader m_reader;
    record::SchemaPtr m_schema;
    std::string m_stream;
    std::vector<std::string> m_fields;
};

} // namespace weir::connectors::file
